/**
 * global-admin-count — severity high, mandatory.
 * Controls: CISA MS.AAD.7.1 (2 to 8 Global Administrators), ZTA 21812 (≤ 8 GA), Maester MT.1032 (too many GAs).
 * Catalogue: GA-COUNT (src/model/catalogue.ts).
 *
 * Counts the distinct principals that hold Global Administrator through this stack, every path at once: eligible
 * (role eligibilities, members of an eligible group, eligible members of a PIM-for-Groups group holding the role) and
 * active (every holding policies/lib/holdings.ts finds: direct, legacy, through a group). A group whose members the
 * stack cannot show counts once, and is said so. Too few locks the tenant out when one is lost; too many widens the
 * blast radius. Preview: a principal whose id is unknown is identified by the resource it came from.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { effectiveLimits, GLOBAL_ADMINISTRATOR, MODEL_BOUNDS, policyNames } from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import { breakglassObjectIdsSchema, breakglassUpnsSchema, pimGroupsSchema, policyConfig, schema } from "../lib/config";
import { groupEligibilities, roleEligibilities } from "../lib/eligibilities";
import { declaredGroupMembers, groupGrants, stackHoldings } from "../lib/holdings";
import { canonicalId } from "../lib/roles";
import { indexStack } from "../lib/stack";

export interface GlobalAdminCountConfig {
  min: number;
  max: number;
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  pimGroups: { group: string; roles: string[] }[];
}

export const globalAdminCount: StackValidationPolicy = {
  name: policyNames.globalAdminCount,
  description:
    "Between 2 and 8 Global Administrators, eligible plus active, counted through every path (CISA MS.AAD.7.1).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    min: {
      type: "integer",
      minimum: MODEL_BOUNDS.globalAdmins.min,
      maximum: MODEL_BOUNDS.globalAdmins.max,
      default: MODEL_BOUNDS.globalAdmins.min,
      description: "Fewest Global Administrators (limits.globalAdmins.min; at least 2 by the model).",
    },
    max: {
      type: "integer",
      minimum: MODEL_BOUNDS.globalAdmins.min,
      maximum: MODEL_BOUNDS.globalAdmins.max,
      default: MODEL_BOUNDS.globalAdmins.max,
      description: "Most Global Administrators (limits.globalAdmins.max; at most 8 by the model).",
    },
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    pimGroups: pimGroupsSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<GlobalAdminCountConfig>(args, globalAdminCount.configSchema);
    // The schema bounds the config for the Pulumi CLI; a config that reached the pack without that check (another
    // client's Configure) still only tightens the model's 2–8.
    const { min, max } = effectiveLimits({ globalAdmins: { min: cfg.min, max: cfg.max } }).globalAdmins;
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const pimGroups = new Map(cfg.pimGroups.map((g) => [g.group.toLowerCase(), g.roles.map(canonicalId)]));
    const members = declaredGroupMembers(index, view);
    const active = new Set<string>();
    const eligible = new Set<string>();
    const opaque: string[] = [];

    const { holdings, opaqueGroups } = stackHoldings(index, view, pimGroups);
    for (const h of holdings) if (h.role === GLOBAL_ADMINISTRATOR) active.add(h.principal.key);
    for (const g of opaqueGroups) {
      if (g.role !== GLOBAL_ADMINISTRATOR) continue;
      active.add(g.group.key);
      opaque.push(g.group.label);
    }
    for (const e of roleEligibilities(index, view)) {
      if (e.role !== GLOBAL_ADMINISTRATOR || !e.principal) continue;
      const inGroup =
        e.principal.type === "group" || pimGroups.has(e.principal.key) ? members.get(e.principal.key) : undefined;
      if (inGroup && inGroup.length > 0) inGroup.forEach((m) => eligible.add(m));
      else {
        eligible.add(e.principal.key);
        if (e.principal.type === "group") opaque.push(e.principal.label);
      }
    }
    const grants = groupGrants(index, view, pimGroups);
    for (const g of groupEligibilities(index, view)) {
      if (g.group && g.principal && (grants.get(g.group) ?? []).includes(GLOBAL_ADMINISTRATOR))
        eligible.add(g.principal.key);
    }
    for (const key of active) eligible.delete(key);
    const total = active.size + eligible.size;
    if (total < min || total > max) {
      reportViolation(
        `${total} Global Administrators (${eligible.size} eligible + ${active.size} active); CISA MS.AAD.7.1 and this stack allow ${min}–${max}.${opaque.length > 0 ? ` Groups whose members the stack cannot show count once each: ${[...new Set(opaque)].join(", ")}.` : ""}`,
      );
    }
  },
};
