/**
 * The stack's PIM eligibilities: for directory roles (azuread.DirectoryRoleEligibilityScheduleRequest and the model's
 * own pim:RoleEligibility resource, which share the input names) and for PIM-for-Groups memberships
 * (azuread.PrivilegedAccessGroupEligibilitySchedule). Eligible principals are requesters of the role's activation
 * and count as its holders; they are never standing.
 */
import type { PolicyResource } from "@pulumi/policy";
import { dynamicTypeToken, providerTypes, type PrincipalFacts } from "@entra-baseline/model";
import type { BreakglassView } from "./breakglass";
import { principalAt } from "./principals";
import { roleAt } from "./roles";
import type { StackIndex } from "./stack";
import { readString } from "./values";

export const ROLE_ELIGIBILITY_TYPES = [
  providerTypes.directoryRoleEligibilityScheduleRequest,
  dynamicTypeToken("roleEligibility"),
] as const;

export interface StackEligibility {
  resource: PolicyResource;
  /** Role template id, or undefined when it cannot be resolved. */
  role: string | undefined;
  principal: PrincipalFacts | undefined;
}

export interface StackGroupEligibility {
  resource: PolicyResource;
  /** Key of the group (object id, or the group resource's URN). */
  group: string | undefined;
  access: string | undefined;
  principal: PrincipalFacts | undefined;
}

export function roleEligibilities(index: StackIndex, view: BreakglassView): StackEligibility[] {
  return ROLE_ELIGIBILITY_TYPES.flatMap((type) =>
    index.of(type).map((r) => ({
      resource: r,
      role: roleAt(r, "roleDefinitionId", index, "templateId"),
      principal: principalAt(r, "principalId", index, view),
    })),
  );
}

export function groupEligibilities(index: StackIndex, view: BreakglassView): StackGroupEligibility[] {
  return index.of(providerTypes.privilegedAccessGroupEligibilitySchedule).map((r) => {
    const group = principalAt(r, "groupId", index, view);
    const access = readString(r.props, "assignmentType");
    return {
      resource: r,
      group: group?.key,
      access: typeof access === "string" ? access.toLowerCase() : undefined,
      principal: principalAt(r, "principalId", index, view),
    };
  });
}
