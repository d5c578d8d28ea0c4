/**
 * Just-in-time Global Administrator: nobody holds the role standing (the breakglass accounts aside, declared in
 * src/breakglass). Each admin is PIM-eligible, and the role's activation policy — duration, justification, ticket,
 * authentication context, approval, notifications — is owned in code by RoleManagementPolicy.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { GraphConfig, PimConfig } from "../configSchema";
import type { ActivationPolicySettings, ApproverRef } from "../model/activationPolicy";
import { componentTypes } from "../model/typeTokens";
import { GLOBAL_ADMINISTRATOR } from "../roles";
import { principalSlugs, userResolver } from "./principals";
import { RoleManagementPolicy, type RoleManagementPolicyArgs } from "./roleManagementPolicy";

export { RoleManagementPolicy } from "./roleManagementPolicy";

export interface JitGlobalAdminArgs {
  pim: PimConfig;
  graph: GraphConfig;
  /** The authentication context the activation requires; the policy is written only once it exists. */
  authenticationContext?: pulumi.Resource;
}

/**
 * The settings the activation policy is given, from validated config. Fixed decisions (docs/pim.md):
 * - requireMfa is off whenever an authentication context is required: the portal treats them as alternatives, the
 *   API may reject both (unconfirmed), and the context's CA policy is what forces a *fresh* phishing-resistant MFA;
 * - eligibility never has to expire: azuread's eligibility request always asks for noExpiration and fails otherwise;
 * - permanent active assignment stays allowed, so the breakglass accounts' permanent GA keeps working; the policy
 *   pack, the audit and the "assigned outside PIM" alert allow it for breakglass only.
 */
export function activationPolicySettings(
  pim: PimConfig,
  approvers: pulumi.Input<pulumi.Input<ApproverRef>[]>,
): Omit<RoleManagementPolicyArgs, "graphEndpoint"> {
  const settings: Omit<ActivationPolicySettings, "approval"> = {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    maxActivationDuration: pim.maxActivationDuration,
    requireJustification: pim.requireJustification,
    requireTicket: pim.requireTicket,
    requireMfa: !pim.authenticationContextId,
    authenticationContextId: pim.authenticationContextId ?? null,
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: [...pim.notificationRecipients],
  };
  return { ...settings, approval: { required: true, approvers } };
}

export class JitGlobalAdmin extends pulumi.ComponentResource {
  /** Object ids of the PIM-eligible Global Administrators, in config order. */
  readonly eligiblePrincipalIds: pulumi.Output<string[]>;
  readonly activationPolicy: RoleManagementPolicy;

  constructor(name: string, args: JitGlobalAdminArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentTypes.jitGlobalAdmin, name, {}, opts);
    const { pim } = args;
    const resolveUser = userResolver(this);

    const approvers: pulumi.Output<ApproverRef>[] = [
      ...pim.approvers.users.map((u) => resolveUser(u).apply((id): ApproverRef => ({ kind: "user", id }))),
      ...pim.approvers.groups.map((g) => pulumi.output<ApproverRef>({ kind: "group", id: g.toLowerCase() })),
    ];

    this.activationPolicy = new RoleManagementPolicy(
      `${name}-activation-policy`,
      { ...activationPolicySettings(pim, pulumi.all(approvers)), graphEndpoint: args.graph.endpoint },
      { parent: this, dependsOn: args.authenticationContext ? [args.authenticationContext] : [] },
    );

    const slugs = principalSlugs(pim.eligibleAdmins, "pim.eligibleAdmins");
    const principalIds = pim.eligibleAdmins.map((admin, i) => {
      const principalId = resolveUser(admin);
      new azuread.DirectoryRoleEligibilityScheduleRequest(
        `${name}-eligible-${slugs[i]}`,
        {
          roleDefinitionId: GLOBAL_ADMINISTRATOR,
          principalId,
          directoryScopeId: "/",
          justification: pim.eligibilityJustification,
        },
        // After the policy: it is what allows the never-expiring eligibility azuread always requests.
        { parent: this, dependsOn: [this.activationPolicy] },
      );
      return principalId;
    });

    this.eligiblePrincipalIds = pulumi.all(principalIds);
    this.registerOutputs({ eligiblePrincipalIds: this.eligiblePrincipalIds });
  }
}
