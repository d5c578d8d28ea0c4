/**
 * eligible-assignment-principals — severity high, mandatory.
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
import { breakglassView, mayBeBreakglass } from "../lib/breakglass";
import {
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  policyConfig,
  schema,
} from "../lib/config";
import { dependenciesOf, describeResource, indexStack } from "../lib/stack";
import { readString } from "../lib/values";

export interface EligibleAssignmentPrincipalsConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
}

const ELIGIBLE_PRINCIPAL_TYPES = new Set<string>([providerTypes.user, providerTypes.group]);

const eligibilityTypes: { type: string; principal: string; what: (r: PolicyResource) => string }[] = [
  {
    type: providerTypes.directoryRoleEligibilityScheduleRequest,
    principal: "principalId",
    what: (r) => {
      const role = readString(r.props, "roleDefinitionId");
      return typeof role === "string" ? roleName(role) : "a directory role";
    },
  },
  {
    type: providerTypes.privilegedAccessGroupEligibilitySchedule,
    principal: "principalId",
    what: () => "a PIM-for-Groups group",
  },
];

export const eligibleAssignmentPrincipals: StackValidationPolicy = {
  name: policyNames.eligibleAssignmentPrincipals,
  description:
    "PIM eligibility only for users and groups, never for a breakglass account (CISA MS.AAD.7.4, ZTA 21835).",
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
        }
      }
    }
  },
};
