/**
 * Just-in-time privileged roles: nobody holds a managed role standing (the breakglass accounts' Global
 * Administrator aside, declared in src/components/breakglass). Each admin is PIM-eligible, and each role's activation
 * policy — duration, justification, ticket, authentication context, approval, notifications — is owned in code by a
 * RoleManagementPolicy.
 *
 * - JitGlobalAdmin (`jit-global-admin`): Global Administrator, from the top-level `pim` keys. Its resources keep the
 *   names and inputs earlier versions gave them, so a deployed stack sees no change to them.
 * - JitRoles (`jit-roles`): every other managed role (`pim.roles`) and the PIM-for-Groups groups (`pim.groups`);
 *   declared always (empty when the config lists none), so that a role added later keeps its place in the tree.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PimConfig } from "../../config/schema";
import { componentTypes, GLOBAL_ADMINISTRATOR, type Endpoints } from "@entra-baseline/model";
import { managedRoles } from "../../config/managedRoles";
import { userResolver } from "./principals";
import { declareManagedRole, type ManagedRoleContext } from "./managedRole";
import { declarePimGroups } from "./pimGroups";
import type { RoleManagementPolicy } from "./roleManagementPolicy";

export { RoleManagementPolicy } from "./roleManagementPolicy";
export { RoleEligibility } from "./roleEligibility";
export { activationPolicySettings } from "../../config/activationSettings";

export interface JitGlobalAdminArgs {
  pim: PimConfig;
  /** The tenant cloud's hosts (config `endpoints`). */
  endpoints: Endpoints;
  /** The tenant the dynamic resources act on (config `tenant.tenantId`). */
  tenantId: string;
  /**
   * The authentication contexts the activation rules require and their Conditional Access policies: an activation
   * rule is written only once both exist, so that requiring the context always means a fresh MFA.
   */
  activationPrerequisites?: pulumi.Resource[];
}

export type JitRolesArgs = JitGlobalAdminArgs;

export class JitGlobalAdmin extends pulumi.ComponentResource {
  /** Object ids of the PIM-eligible Global Administrators (pim.eligibleAdmins), in config order. */
  readonly eligiblePrincipalIds: pulumi.Output<string[]>;
  readonly activationPolicy: RoleManagementPolicy;

  constructor(name: string, args: JitGlobalAdminArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentTypes.jitGlobalAdmin, name, {}, opts);
    const ga = managedRoles(args.pim).find((r) => r.roleDefinitionId === GLOBAL_ADMINISTRATOR)!;
    const mode = args.pim.eligibilityResource;
    const declared = declareManagedRole(name, ga, args.pim, context(this, args), mode === "schedule" ? "none" : mode);
    this.activationPolicy = declared.policy;
    this.eligiblePrincipalIds = pulumi.all(declared.eligibleUserIds);
    this.registerOutputs({ eligiblePrincipalIds: this.eligiblePrincipalIds });
  }
}

export class JitRoles extends pulumi.ComponentResource {
  /** Each managed role's policy but Global Administrator's, by the role's slug (`privileged-role-administrator`). */
  readonly activationPolicies: Record<string, RoleManagementPolicy> = {};

  constructor(name: string, args: JitRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentTypes.jitRoles, name, {}, opts);
    const ctx = context(this, args);
    for (const role of managedRoles(args.pim)) {
      if (role.roleDefinitionId === GLOBAL_ADMINISTRATOR) continue;
      this.activationPolicies[role.slug] = declareManagedRole(`${name}-${role.slug}`, role, args.pim, ctx).policy;
    }
    declarePimGroups(name, args.pim, this, ctx.resolveUser, ctx.activationPrerequisites);
    this.registerOutputs({});
  }
}

function context(parent: pulumi.Resource, args: JitGlobalAdminArgs): ManagedRoleContext {
  return {
    parent,
    resolveUser: userResolver(parent),
    endpoints: args.endpoints,
    tenantId: args.tenantId,
    activationPrerequisites: args.activationPrerequisites ?? [],
  };
}
