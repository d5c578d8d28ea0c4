/**
 * What `npm run plan` and `npm run check` print: the plan as a tree by component (or as JSON), and the policy
 * pack's violations grouped by rule. Secrets are masked and dynamic providers' code left out before anything is
 * rendered (see secrets.ts).
 */
import { dynamicTypeToken } from "@entra-baseline/model";
import type { PackRun, PackViolation } from "../engine/analyzer";
import type { RecordedResource } from "../engine/runProgram";
import { DYNAMIC_PROVIDER_KEY, SECRET_PLACEHOLDER, displayProperties } from "../engine/secrets";

export interface PlanJsonResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  options: { protect: boolean; retainOnDelete: boolean; dependsOn: string[] };
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface PlanJson {
  project: string;
  stack: string;
  stackFile: string;
  warnings: { path: string; message: string }[];
  resources: PlanJsonResource[];
  policy?: PolicyJson;
  /** `--preflight`: adopt's preflight of the planned stack (docs/adopt.md). */
  preflight?: unknown;
}

export interface PolicyJson {
  pack?: string;
  version?: string;
  mandatory: number;
  violations: PackViolation[];
}

export function planJsonResource(r: RecordedResource): PlanJsonResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent,
    custom: r.custom,
    inputs: displayProperties(r.inputs),
    options: { ...r.options },
    dependencies: r.dependencies,
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies).filter(([k]) => k !== DYNAMIC_PROVIDER_KEY),
    ),
  };
}

export function policyJson(run: PackRun): PolicyJson {
  return {
    pack: run.info.name,
    version: run.info.version,
    mandatory: mandatoryCount(run.violations),
    violations: run.violations,
  };
}

export function mandatoryCount(violations: PackViolation[]): number {
  return violations.filter((v) => v.enforcementLevel === "mandatory").length;
}

/** The plan as a tree: each top-level resource (the components) with its children and their key properties. */
export function renderTree(resources: RecordedResource[], stackUrn: string): string {
  const children = new Map<string, RecordedResource[]>();
  for (const r of resources) {
    const key = r.parent ?? stackUrn;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const nameOf = new Map(resources.map((r) => [r.urn, r.name]));
  const lines: string[] = [];
  const walk = (r: RecordedResource, prefix: string, last: boolean, top: boolean) => {
    const flags = [
      r.options.protect ? "protect" : "",
      r.options.retainOnDelete ? "retainOnDelete" : "",
      r.options.dependsOn.length > 0
        ? `dependsOn: ${r.options.dependsOn.map((u) => nameOf.get(u) ?? u).join(", ")}`
        : "",
    ].filter(Boolean);
    const head = `${r.name}  ${r.type}${flags.length > 0 ? `  [${flags.join("; ")}]` : ""}`;
    lines.push(top ? head : `${prefix}${last ? "└── " : "├── "}${head}`);
    const inner = top ? "" : `${prefix}${last ? "    " : "│   "}`;
    const kids = children.get(r.urn) ?? [];
    if (r.custom) {
      for (const [key, value] of Object.entries(displayProperties(r.inputs))) {
        lines.push(`${inner}${kids.length > 0 ? "│" : " "}     ${key}: ${formatValue(value)}`);
      }
      const notes = r.type === FIDO2_POLICY_TYPE ? fido2PlanNotes(r.inputs) : [];
      for (const note of notes) lines.push(`${inner}${kids.length > 0 ? "│" : " "}     note: ${note}`);
    }
    kids.forEach((k, i) => walk(k, inner, i === kids.length - 1, false));
  };
  for (const top of children.get(stackUrn) ?? []) {
    walk(top, "", true, true);
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

const FIDO2_POLICY_TYPE = dynamicTypeToken("fido2MethodPolicy");

/**
 * What the FIDO2 resource changes for people other than the emergency accounts (src/components/breakglass/
 * fido2MethodPolicy.ts; its props use Graph's field names). There is one FIDO2 policy per tenant: the plan says so.
 */
export function fido2PlanNotes(inputs: Record<string, unknown>): string[] {
  const profile = inputs.profile as { name?: unknown } | undefined;
  const wide = (inputs.tenantWide ?? {}) as {
    isAttestationEnforced?: boolean;
    keyRestrictions?: { isEnforced?: boolean; aaGuids?: unknown[] };
  };
  const settings: string[] = [];
  if (typeof wide.isAttestationEnforced === "boolean")
    settings.push(wide.isAttestationEnforced ? "attestation enforced" : "attestation not enforced");
  if (wide.keyRestrictions !== undefined) {
    const models = wide.keyRestrictions.aaGuids ?? [];
    settings.push(
      wide.keyRestrictions.isEnforced === true
        ? `only the models ${models.map(String).join(", ")}`
        : "no model restriction (the allow-list is switched off)",
    );
  }
  return [
    `in tenants with passkey profiles, the emergency group gets its own profile ${JSON.stringify(profile?.name ?? "")}; nobody else's settings change`,
    `in tenants without passkey profiles, these tenant-wide settings apply to every FIDO2 user: ${settings.length > 0 ? settings.join("; ") : "none: only the emergency group is added"}`,
    `in every tenant: FIDO2 ${inputs.state === "enabled" ? "enabled" : "state as declared"}${inputs.isSelfServiceRegistrationAllowed === true ? " with self-service registration" : ""}, for every target the policy already lists`,
  ];
}

const MAX_VALUE_WIDTH = 110;

function formatValue(value: unknown): string {
  if (value === SECRET_PLACEHOLDER) return SECRET_PLACEHOLDER;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_WIDTH ? `${text.slice(0, MAX_VALUE_WIDTH - 1)}…` : text;
}

/** Violations grouped by rule, each naming the resource (name and URN) and the message. */
export function renderViolations(run: PackRun): string {
  const pack = `${run.info.name ?? "policy pack"}${run.info.version ? ` ${run.info.version}` : ""}`;
  const violations = run.violations;
  if (violations.length === 0) return `Policy pack ${pack}: no violations (${run.info.policies.length} policies)`;
  const mandatory = mandatoryCount(violations);
  const lines = [
    `Policy pack ${pack}: ${violations.length} violation${violations.length === 1 ? "" : "s"} (${mandatory} mandatory)`,
  ];
  const byRule = new Map<string, PackViolation[]>();
  for (const v of violations) byRule.set(v.policyName, [...(byRule.get(v.policyName) ?? []), v]);
  for (const [rule, list] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push("", `  ${rule} (${list[0]!.enforcementLevel})`);
    for (const v of list) {
      lines.push(`    ✗ ${v.resourceName ?? "(stack)"}${v.urn ? `  ${v.urn}` : ""}`);
      for (const line of v.message.trim().split("\n")) lines.push(`        ${line}`);
    }
  }
  return lines.join("\n");
}
