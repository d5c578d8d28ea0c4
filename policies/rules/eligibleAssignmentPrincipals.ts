/**
 * eligible-assignment-principals — severity high, mandatory.
 * Catalogue: ELIGIBLE-PRINCIPALS (src/model/catalogue.ts).
 * Controls: CISA MS.AAD.7.4 (privileged access through PIM), ZTA 21835 (emergency accounts stay out of PIM),
 * Microsoft Learn emergency-access guidance. Only users and role-assignable groups can be PIM-eligible (service
 * principals only take active assignments); breakglass accounts hold permanent Global Administrator and are never
 * made eligible: an eligibility on them would be a second, PIM-governed path for an account that must not depend
 * on PIM.
 *
 * Preview: a principal that comes from a breakglass user (propertyDependencies) is rejected even though its id is
 * unknown; one that comes from anything but an azuread User/Group is rejected by type.
 */
import { policyNames, providerTypes, roleName } from "@entra-baseline/model";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { breakglassView, mayBeBreakglass, objectIdOf } from "../lib/breakglass";
import {
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  policyConfig,
  schema,
} from "../lib/config";
import { ROLE_ELIGIBILITY_TYPES } from "../lib/eligibilities";
import { isRoleAssignable } from "../lib/holdings";
import { dependenciesOf, describeResource, indexStack } from "../lib/stack";
import { readString } from "../lib/values";

export interface EligibleAssignmentPrincipalsConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
}

const ELIGIBLE_PRINCIPAL_TYPES = new Set<string>([providerTypes.user, providerTypes.group]);

const eligibilityTypes: { type: string; principal: string; what: (r: PolicyResource) => string }[] = [
  ...ROLE_ELIGIBILITY_TYPES.map((type) => ({
    type,
    principal: "principalId",
    what: (r: PolicyResource) => {
      const role = readString(r.props, "roleDefinitionId");
      return typeof role === "string" ? roleName(role) : "a directory role";
    },
  })),
  {
    type: providerTypes.privilegedAccessGroupEligibilitySchedule,
    principal: "principalId",
    what: () => "a PIM-for-Groups group",
  },
];

export const eligibleAssignmentPrincipals: StackValidationPolicy = {
  name: policyNames.eligibleAssignmentPrincipals,
  description:
    "PIM eligibility, for any role or PIM-for-Groups group, only for users and role-assignable groups, never for a breakglass account or the exclusion group (CISA MS.AAD.7.4, ZTA 21835).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<EligibleAssignmentPrincipalsConfig>(args, eligibleAssignmentPrincipals.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    for (const { type, principal, what } of eligibilityTypes) {
      for (const r of index.of(type)) {
        if (mayBeBreakglass(r, principal, view)) {
          reportViolation(
            `${describeResource(r)} makes a breakglass account eligible for ${what(r)}; emergency accounts hold permanent Global Administrator and stay out of PIM.`,
            r.urn,
          );
          continue;
        }
        const value = readString(r.props, principal);
        const toGroup =
          dependenciesOf(r, principal).some((d) => view.groupUrns.has(d.urn)) ||
          (typeof value === "string" && view.groupObjectIds.has(value.toLowerCase()));
        if (toGroup) {
          reportViolation(
            `${describeResource(r)} makes the breakglass exclusion group eligible for ${what(r)}; it must hold no role through PIM.`,
            r.urn,
          );
          continue;
        }
        const sources = dependenciesOf(r, principal).filter((d) => d.type.startsWith("azuread:"));
        const wrong = sources.find((d) => !ELIGIBLE_PRINCIPAL_TYPES.has(d.type));
        if (wrong) {
          reportViolation(
            `${describeResource(r)} makes ${describeResource(wrong)} eligible for ${what(r)}; only users and groups can be eligible (service principals take no PIM eligibility).`,
            r.urn,
          );
          continue;
        }
        // A group eligible for a role must be role-assignable: otherwise a Groups or User Administrator controls
        // who may activate it (Graph refuses the request too).
        const groups = [
          ...sources.filter((d) => d.type === providerTypes.group),
          ...index
            .of(providerTypes.group)
            .filter((g) => typeof value === "string" && objectIdOf(g) === value.trim().toLowerCase()),
        ];
        for (const g of groups) {
          if (type !== providerTypes.privilegedAccessGroupEligibilitySchedule && isRoleAssignable(g) !== true) {
            reportViolation(
              `${describeResource(r)} makes ${describeResource(g)} eligible for ${what(r)}, but the group is not role-assignable (assignableToRole: true): anyone who manages groups would decide who may activate the role.`,
              r.urn,
            );
          }
        }
      }
    }
  },
};
