/**
 * Just-in-time Global Administrator: nobody holds the role standing (the breakglass accounts aside, declared in
 * src/components/breakglass). Each admin is PIM-eligible, and the role's activation policy — duration, justification, ticket,
 * authentication context, approval, notifications — is owned in code by RoleManagementPolicy.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { PimConfig } from "../../config/schema";
import { type ApproverRef, componentTypes, GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import type { Endpoints } from "@entra-baseline/model";
import { principalSlugs, userResolver } from "./principals";
import { RoleManagementPolicy } from "./roleManagementPolicy";
import { activationPolicySettings } from "../../config/activationSettings";
import { graphConnection } from "../../graph/dynamicProvider";

export { RoleManagementPolicy } from "./roleManagementPolicy";
export { activationPolicySettings } from "../../config/activationSettings";

export interface JitGlobalAdminArgs {
  pim: PimConfig;
  /** The tenant cloud's hosts (config `endpoints`). */
  endpoints: Endpoints;
  /** The tenant the dynamic resources act on (config `tenant.tenantId`). */
  tenantId: string;
  /**
   * The authentication context the activation requires and its Conditional Access policy: the activation rule is
   * written only once both exist, so that requiring the context always means a fresh phishing-resistant MFA.
   */
  activationPrerequisites?: pulumi.Resource[];
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
      { ...activationPolicySettings(pim, pulumi.all(approvers)), ...graphConnection(args.endpoints, args.tenantId) },
      { parent: this, dependsOn: args.activationPrerequisites ?? [] },
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
        // The justification is history, not a setting: every input of this resource forces a replacement, and an
        // adopted eligibility (`npm run adopt` imports it) carries whatever reason it was granted with, or none once
        // Graph purged its request. Replacing it would fail (the eligibility already exists) or drop it for a moment.
        { parent: this, dependsOn: [this.activationPolicy], ignoreChanges: ["justification"] },
      );
      return principalId;
    });

    this.eligiblePrincipalIds = pulumi.all(principalIds);
    this.registerOutputs({ eligiblePrincipalIds: this.eligiblePrincipalIds });
  }
}
