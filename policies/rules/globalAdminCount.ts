/**
 * global-admin-count — severity high, mandatory.
 * Controls: CISA MS.AAD.7.1 (2 to 8 Global Administrators), ZTA 21812 (≤ 8 GA), Maester MT.1032 (too many GAs).
 *
 * Counts the distinct principals that hold Global Administrator through this stack: eligible (PIM eligibility
 * requests) plus permanent (DirectoryRoleAssignment). Too few locks the tenant out when one is lost; too many widens
 * the blast radius. Preview: principals whose id is unknown are counted once per resource (by URN), which is exact
 * for the one-request-per-admin shape the program declares.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { GLOBAL_ADMINISTRATOR, policyNames, providerTypes } from "@entra-baseline/model";
import { policyConfig, schema } from "../lib/config";
import { dependenciesOf, indexStack } from "../lib/stack";
import { readString } from "../lib/values";

export interface GlobalAdminCountConfig {
  min: number;
  max: number;
}

// Permanent first: a principal that is both counts as permanent (standing access is what matters).
const holders = [
  { type: providerTypes.directoryRoleAssignment, role: "roleId", principal: "principalObjectId", permanent: true },
  {
    type: providerTypes.directoryRoleEligibilityScheduleRequest,
    role: "roleDefinitionId",
    principal: "principalId",
    permanent: false,
  },
];

export const globalAdminCount: StackValidationPolicy = {
  name: policyNames.globalAdminCount,
  description: "Between 2 and 8 Global Administrators, eligible plus permanent (CISA MS.AAD.7.1).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    min: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "Fewest Global Administrators (limits.globalAdmins.min).",
    },
    max: {
      type: "integer",
      minimum: 1,
      default: 8,
      description: "Most Global Administrators (limits.globalAdmins.max).",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<GlobalAdminCountConfig>(args, globalAdminCount.configSchema);
    const index = indexStack(args);
    const principals = new Set<string>();
    let eligible = 0;
    let permanent = 0;
    for (const { type, role, principal, permanent: isPermanent } of holders) {
      for (const r of index.of(type)) {
        if (readString(r.props, role)?.toString().toLowerCase() !== GLOBAL_ADMINISTRATOR) continue;
        const id = readString(r.props, principal);
        // Unknown at preview: the resource it came from identifies the principal, else the assignment itself.
        const key = typeof id === "string" ? id.toLowerCase() : (dependenciesOf(r, principal)[0]?.urn ?? r.urn);
        if (principals.has(key)) continue;
        principals.add(key);
        if (isPermanent) permanent++;
        else eligible++;
      }
    }
    const total = principals.size;
    if (total < cfg.min || total > cfg.max) {
      reportViolation(
        `${total} Global Administrators (${eligible} eligible + ${permanent} permanent); CISA MS.AAD.7.1 and this stack allow ${cfg.min}–${cfg.max}.`,
      );
    }
  },
};
