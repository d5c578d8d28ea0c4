/**
 * PIM for Groups (`pim.groups`): a role-assignable group that holds managed roles, with members who are eligible for
 * its membership, never permanent members. For each group the program declares
 * - its member policy, azuread.GroupRoleManagementPolicy (roleId `member`), held to the strictest rules of the roles
 *   the group holds (groupActivationRules): reaching a Tier-0 role through the group is never weaker than activating
 *   it directly — the policy pack's activation-policy rule judges it by the same requirement as the role's own policy;
 * - one azuread.PrivilegedAccessGroupEligibilitySchedule per eligible member (assignmentType `member`), after the
 *   policy.
 * The group and its role assignments are the tenant's: the stack names the group by object id and does not assign
 * it roles (the audit reads which roles it holds and whether it is role-assignable).
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { durationSeconds } from "@entra-baseline/model";
import { groupActivationRules, type ManagedRoleRules } from "../../config/managedRoles";
import type { PimConfig } from "../../config/schema";
import { principalSlug, principalSlugs, type UserResolver } from "./principals";

type GroupPolicyArgs = azuread.GroupRoleManagementPolicyArgs;

/**
 * An activation maximum azuread accepts for a group policy: PT30M…PT23H30M in 30-minute steps, or P1D
 * (terraform-provider-azuread v3.8.0 group_role_management_policy_resource.go). Rounded down, so never longer.
 */
export function groupMaximumDuration(duration: string): string {
  const halfHours = Math.max(1, Math.min(48, Math.floor((durationSeconds(duration) ?? 1800) / 1800)));
  if (halfHours === 48) return "P1D";
  const h = Math.floor(halfHours / 2);
  return `PT${h > 0 ? `${h}H` : ""}${halfHours % 2 ? "30M" : ""}`;
}

/** The member policy's arguments for rules whose approvers are resolved. */
export function groupPolicyArgs(
  groupId: string,
  rules: ManagedRoleRules,
  approvers: pulumi.Input<{ objectId: pulumi.Input<string>; type: string }[]>,
): GroupPolicyArgs {
  const alert = {
    adminNotifications: {
      defaultRecipients: true,
      notificationLevel: "All",
      additionalRecipients: rules.notificationRecipients,
    },
  };
  return {
    groupId: groupId.toLowerCase(),
    roleId: "member",
    activationRules: {
      maximumDuration: groupMaximumDuration(rules.maxActivationDuration),
      requireJustification: rules.requireJustification,
      requireTicketInfo: rules.requireTicket,
      requireApproval: rules.requireApproval,
      ...(rules.requireApproval ? { approvalStage: { primaryApprovers: approvers } } : {}),
      // azuread: MFA conflicts with an authentication context; the context's CA policy forces the fresh MFA.
      ...(rules.authenticationContextId
        ? { requiredConditionalAccessAuthenticationContext: rules.authenticationContextId }
        : { requireMultifactorAuthentication: true }),
    },
    notificationRules: { eligibleAssignments: alert, activeAssignments: alert, eligibleActivations: alert },
  };
}

/** Declares the member policy and eligible members of every `pim.groups` group under `parent`. */
export function declarePimGroups(
  prefix: string,
  pim: PimConfig,
  parent: pulumi.Resource,
  resolveUser: UserResolver,
  activationPrerequisites: pulumi.Resource[],
): void {
  const groupSlugs = principalSlugs(
    pim.groups.map((g) => g.label ?? g.group),
    "pim.groups labels",
  );
  pim.groups.forEach((group, i) => {
    const name = `${prefix}-group-${groupSlugs[i] ?? principalSlug(group.group)}`;
    const rules = groupActivationRules(group, pim);
    type Approver = { objectId: string; type: string };
    const approvers: pulumi.Output<Approver[]> = pulumi.all([
      ...rules.approvers.users.map((u) =>
        resolveUser(u).apply((objectId): Approver => ({ objectId, type: "singleUser" })),
      ),
      ...rules.approvers.groups.map((g) =>
        pulumi.output<Approver>({ objectId: g.toLowerCase(), type: "groupMembers" }),
      ),
    ]);
    const policy = new azuread.GroupRoleManagementPolicy(
      `${name}-member-policy`,
      groupPolicyArgs(group.group, rules, approvers),
      { parent, dependsOn: activationPrerequisites },
    );
    const members = principalSlugs(group.eligibleMembers, `pim.groups[${i}].eligibleMembers`);
    group.eligibleMembers.forEach((member, j) => {
      new azuread.PrivilegedAccessGroupEligibilitySchedule(
        `${name}-eligible-${members[j]}`,
        {
          groupId: group.group.toLowerCase(),
          principalId: resolveUser(member),
          assignmentType: "member",
          permanentAssignment: true,
          justification: `Eligible member of ${group.label ?? group.group} managed by entra-baseline`,
        },
        { parent, dependsOn: [policy] },
      );
    });
  });
}
