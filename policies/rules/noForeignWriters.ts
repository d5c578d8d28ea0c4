/**
 * no-foreign-writers — severity critical, mandatory.
 * Catalogue: NO-FOREIGN-WRITERS (src/model/catalogue.ts).
 *
 * The model writes a few Graph objects itself (role PIM policies, CA policies and authentication contexts, the
 * authentication methods policy, PIM requests, the emergency accounts and their group); every rule of this pack
 * judges the declarations of those writers. A resource of any other kind that writes the same objects — a dynamic
 * resource of the user's own, a command running curl — would change them behind the pack's back, so any resource
 * that is not one of the model's own types or a provider resource the pack judges, and whose inputs (or serialized
 * provider code) name those Graph paths, or name an emergency account next to a Graph address, is rejected. So are
 * two of the model's own writers of the same object. Resources that touch none of it stay allowed.
 *
 * Known limit: an impostor declared with one of the model's own type tokens is judged as that type (its declared
 * settings must pass every rule); what it then writes is only visible to the audit, which reads the tenant.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  DYNAMIC_MODULE_PREFIX,
  dynamicTypes,
  dynamicTypeToken,
  policyNames,
  type DynamicKind,
} from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import { stackCaPolicies } from "../lib/caPolicies";
import {
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  policyConfig,
  schema,
} from "../lib/config";
import { contextIdOf, AUTHENTICATION_CONTEXT_TYPE } from "../lib/activationPolicies";
import { describeResource, indexStack } from "../lib/stack";
import { raw } from "../lib/values";

export interface NoForeignWritersConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
}

const MODEL_TYPES: ReadonlySet<string> = new Set((Object.keys(dynamicTypes) as DynamicKind[]).map(dynamicTypeToken));

/** Provider packages whose resources the pack's other rules judge by their own inputs (they write nothing hidden). */
const JUDGED_PACKAGES = ["azuread:", "azure-native:", "random:", "pulumi:"];

/** Graph paths of the objects the model owns (case-insensitive). */
const OWNED_GRAPH_PATHS =
  /roleManagementPolic(y|ies)|roleManagement\/directory|role(Eligibility|Assignment)Schedule(Request)?s|privilegedAccess\/group|identity\/conditionalAccess|conditionalAccess\/(policies|authenticationContextClassReferences)|authenticationContextClassReferences|authenticationMethodsPolicy|authenticationStrength|directoryRoles\//i;

/** A Graph address, by host or by version path. */
const GRAPH_ADDRESS =
  /graph\.microsoft\.(com|us)|microsoftgraph\.chinacloudapi\.cn|dod-graph\.microsoft\.us|\/(v1\.0|beta)\//i;

/** Every string inside a value (props, nested lists and objects, the serialized provider). */
function strings(value: unknown, out: string[] = [], depth = 0): string[] {
  const v = raw(value);
  if (typeof v === "string") out.push(v);
  else if (depth < 32 && Array.isArray(v)) v.forEach((x) => strings(x, out, depth + 1));
  else if (depth < 32 && v !== null && typeof v === "object")
    Object.values(v as Record<string, unknown>).forEach((x) => strings(x, out, depth + 1));
  return out;
}

/** Resources of judged packages that run code of their own (scripts, runbooks, functions): scanned like any other. */
const RUNS_CODE = /Script|Runbook|Command|Function|LogicApp|Workflow|Job/;

function isForeign(r: PolicyResource): boolean {
  if (MODEL_TYPES.has(r.type)) return false;
  if (r.type.startsWith(DYNAMIC_MODULE_PREFIX)) return true;
  return !JUDGED_PACKAGES.some((p) => r.type.startsWith(p)) || RUNS_CODE.test(r.type.split(":").pop() ?? "");
}

export const noForeignWriters: StackValidationPolicy = {
  name: policyNames.noForeignWriters,
  description:
    "Nothing but the model's own resources writes the Graph objects the model owns (PIM policies, CA policies and contexts, the authentication methods policy, the emergency accounts and group), and no object has two writers.",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<NoForeignWritersConfig>(args, noForeignWriters.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const identifiers = [...view.objectIds, ...view.groupObjectIds, ...view.refs.filter((r) => r.includes("@"))].map(
      (x) => x.toLowerCase(),
    );

    for (const r of index.resources) {
      if (!isForeign(r)) continue;
      const text = strings(r.props);
      const path = text.map((s) => OWNED_GRAPH_PATHS.exec(s)?.[0]).find((m) => m !== undefined);
      if (path) {
        reportViolation(
          `${describeResource(r)} (${r.type}) names the Graph path "${path}" the model owns: only the model's own resources write PIM policies, CA policies, authentication contexts and the authentication methods policy; declare the change through the baseline's config instead.`,
          r.urn,
        );
        continue;
      }
      if (identifiers.length > 0 && text.some((s) => GRAPH_ADDRESS.test(s))) {
        const lower = text.map((s) => s.toLowerCase());
        const named = identifiers.find((id) => lower.some((s) => s.includes(id)));
        if (named) {
          reportViolation(
            `${describeResource(r)} (${r.type}) addresses Microsoft Graph and names emergency principal ${named}: nothing but the baseline changes the emergency accounts or their group.`,
            r.urn,
          );
        }
      }
    }

    // Two of the model's writers of one object overwrite each other (role policies are activation-policy's).
    const byName = new Map<string, string[]>();
    for (const p of stackCaPolicies(index, view)) {
      const key = p.facts.name.trim().toLowerCase();
      byName.set(key, [...(byName.get(key) ?? []), p.resource.name]);
    }
    for (const [name, writers] of byName) {
      if (writers.length > 1)
        reportViolation(
          `${writers.length} resources write the Conditional Access policy named "${name}" (${writers.join(", ")}); they would overwrite each other.`,
        );
    }
    const contexts = new Map<string, string[]>();
    for (const c of index.of(AUTHENTICATION_CONTEXT_TYPE)) {
      const id = contextIdOf(c);
      if (id) contexts.set(id, [...(contexts.get(id) ?? []), c.name]);
    }
    for (const [id, writers] of contexts) {
      if (writers.length > 1)
        reportViolation(
          `${writers.length} resources write authentication context ${id} (${writers.join(", ")}); they would overwrite each other.`,
        );
    }
    const fido2 = index.of(dynamicTypeToken("fido2MethodPolicy"));
    if (fido2.length > 1)
      reportViolation(
        `${fido2.length} resources write the tenant's FIDO2 method policy (${fido2.map((f) => f.name).join(", ")}); they would overwrite each other.`,
      );
  },
};
