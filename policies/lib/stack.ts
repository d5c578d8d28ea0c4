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
