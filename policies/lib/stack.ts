/**
 * One pass over the stack's resources, indexed by type and URN, so that every stack rule is O(n) however many
 * CA policies or eligibility requests a tenant declares.
 */
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";

export class StackIndex {
  private readonly byType = new Map<string, PolicyResource[]>();
  readonly byUrn = new Map<string, PolicyResource>();

  constructor(readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  of(...types: string[]): PolicyResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  private keys: { byUrn: Map<string, string>; byKey: Map<string, PolicyResource> } | undefined;

  private keyIndex() {
    if (!this.keys) {
      const byUrn = new Map<string, string>();
      const byKey = new Map<string, PolicyResource>();
      const twins: PolicyResource[] = [];
      // First every URN that is unique once lower-cased keeps itself; then each twin takes the first free `#n`.
      for (const r of this.resources) {
        if (byKey.has(r.urn.toLowerCase())) twins.push(r);
        else {
          byUrn.set(r.urn, r.urn);
          byKey.set(r.urn.toLowerCase(), r);
        }
      }
      for (const r of twins) {
        let n = 2;
        while (byKey.has(`${r.urn}#${n}`.toLowerCase())) n++;
        byUrn.set(r.urn, `${r.urn}#${n}`);
        byKey.set(`${r.urn}#${n}`.toLowerCase(), r);
      }
      this.keys = { byUrn, byKey };
    }
    return this.keys;
  }

  /**
   * A key for a declared resource that stays unique when lower-cased: the model compares ARM-style keys
   * case-insensitively (ARM ids are), but two Pulumi resources may have names that differ only in case, and a URN
   * standing in for one must never meet the other's. The URN itself, with `#n` added to each later twin.
   */
  keyOf(resource: Pick<PolicyResource, "urn">): string {
    return this.keyIndex().byUrn.get(resource.urn) ?? resource.urn;
  }

  /** The declared resource a key of `keyOf` stands for (compared as the model compares keys, case-insensitively). */
  byKey(key: string): PolicyResource | undefined {
    return this.keyIndex().byKey.get(key.toLowerCase());
  }
}

/** The engine hands each stack rule its own resources array; each rule indexes it once. */
export function indexStack(args: Pick<StackValidationArgs, "resources">): StackIndex {
  return new StackIndex(args.resources);
}

/** The resources a top-level property's value came from (`propertyDependencies`), by type. */
export function dependenciesOf(resource: PolicyResource, property: string, ...types: string[]): PolicyResource[] {
  const deps = resource.propertyDependencies?.[property] ?? [];
  return types.length === 0 ? deps : deps.filter((d) => types.includes(d.type));
}

/** How messages name a resource: its name, plus its URN for the reader who must find it. */
export function describeResource(resource: Pick<PolicyResource, "name" | "type">): string {
  return `${resource.type.split(":").pop()} "${resource.name}"`;
}
