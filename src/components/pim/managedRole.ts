/**
 * What the program declares for one managed role (src/config/managedRoles.ts), under a component: the role's PIM
 * policy (RoleManagementPolicy, settings from roleActivationSettings: activation limits, approval, authentication
 * context, and the assignment and activation notifications of CISA MS.AAD.7.7–7.9) and one eligibility per eligible
 * user and group (RoleEligibility; for Global Administrator's admins, azuread's request resource while the stack
 * still has it, `pim.eligibilityResource`). Eligibilities come after the policy: it is what allows them.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { ApproverRef, Endpoints } from "@entra-baseline/model";
import { roleActivationSettings } from "../../config/activationSettings";
import type { ManagedRole } from "../../config/managedRoles";
import type { PimConfig } from "../../config/schema";
import { graphConnection } from "../../graph/dynamicProvider";
import { principalSlugs, type UserResolver } from "./principals";
import { RoleEligibility } from "./roleEligibility";
import { RoleManagementPolicy } from "./roleManagementPolicy";

export interface ManagedRoleContext {
  parent: pulumi.Resource;
  resolveUser: UserResolver;
  endpoints: Endpoints;
  tenantId: string;
  /** The authentication contexts and their CA policies: the activation rule is written once they exist. */
  activationPrerequisites: pulumi.Resource[];
}

export interface DeclaredRole {
  policy: RoleManagementPolicy;
  /** Object ids of the eligible users, in config order. */
  eligibleUserIds: pulumi.Output<string>[];
}

/** Who approves the role's activations, resolved to object ids. */
export function resolvedApprovers(role: ManagedRole, resolveUser: UserResolver): pulumi.Output<ApproverRef[]> {
  return pulumi.all([
    ...role.rules.approvers.users.map((u) => resolveUser(u).apply((id): ApproverRef => ({ kind: "user", id }))),
    ...role.rules.approvers.groups.map((g) => pulumi.output<ApproverRef>({ kind: "group", id: g.toLowerCase() })),
  ]);
}

/** The justification recorded on a role's eligibility requests. */
export function eligibilityJustification(role: ManagedRole, pim: PimConfig): string {
  return role.path === "pim" ? pim.eligibilityJustification : `Eligible ${role.name} managed by entra-baseline`;
}

/**
 * Declares the role's policy `${prefix}-activation-policy` and its eligibilities `${prefix}-eligible-<principal>`.
 * `legacyUsers` (Global Administrator under `request` or `migrate`) keeps the users' azuread request resources as
 * earlier versions declared them — same names, same inputs — so a deployed stack sees no change to them.
 */
export function declareManagedRole(
  prefix: string,
  role: ManagedRole,
  pim: PimConfig,
  ctx: ManagedRoleContext,
  legacyUsers: "none" | "request" | "migrate" = "none",
): DeclaredRole {
  const connection = graphConnection(ctx.endpoints, ctx.tenantId);
  const policy = new RoleManagementPolicy(
    `${prefix}-activation-policy`,
    { ...roleActivationSettings(role, resolvedApprovers(role, ctx.resolveUser)), ...connection },
    { parent: ctx.parent, dependsOn: ctx.activationPrerequisites },
  );
  const justification = eligibilityJustification(role, pim);
  const slugs = principalSlugs(
    [...role.eligibleUsers, ...role.eligibleGroups],
    role.path === "pim" ? "pim.eligibleAdmins" : `${role.path}.eligibleUsers`,
  );
  const principals = [
    ...role.eligibleUsers.map((u) => ({ id: ctx.resolveUser(u), user: true })),
    ...role.eligibleGroups.map((g) => ({ id: pulumi.output(g.toLowerCase()), user: false })),
  ];
  principals.forEach((principal, i) => {
    const name = `${prefix}-eligible-${slugs[i]}`;
    const legacy =
      principal.user && legacyUsers !== "none"
        ? new azuread.DirectoryRoleEligibilityScheduleRequest(
            name,
            {
              roleDefinitionId: role.roleDefinitionId,
              principalId: principal.id,
              directoryScopeId: "/",
              justification,
            },
            // After the policy: it is what allows the never-expiring eligibility azuread always requests.
            // The justification is history, not a setting: every input of this resource forces a replacement, and an
            // adopted eligibility (`npm run adopt` imports it) carries whatever reason it was granted with, or none
            // once Graph purged its request. Replacing it would fail (the eligibility already exists) or drop it.
            // Under `migrate` it is retained on delete, so that the next `schedule` up only drops it from the state.
            {
              parent: ctx.parent,
              dependsOn: [policy],
              ignoreChanges: ["justification"],
              ...(legacyUsers === "migrate" ? { retainOnDelete: true } : {}),
            },
          )
        : undefined;
    if (legacy && legacyUsers === "request") return;
    new RoleEligibility(
      name,
      {
        roleDefinitionId: role.roleDefinitionId,
        principalId: principal.id,
        directoryScopeId: "/",
        justification,
        duration: role.eligibilityDuration ?? null,
        ...connection,
      },
      // Under `migrate`, after the request resource it adopts the eligibility of (create never duplicates one).
      { parent: ctx.parent, dependsOn: legacy ? [policy, legacy] : [policy] },
    );
  });
  return { policy, eligibleUserIds: principals.filter((p) => p.user).map((p) => p.id) };
}
