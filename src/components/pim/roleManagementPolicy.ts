/**
 * RoleManagementPolicy: a Pulumi dynamic resource (token `pulumi-nodejs:dynamic/pim:RoleManagementPolicy`) that owns
 * the PIM policy rules of one directory role — here Global Administrator — through Microsoft Graph. No upstream
 * resource exists (terraform-provider-azuread #1390, #1369). Its props are exactly ActivationPolicySettings plus
 * the connection (`graphEndpoint`, `loginEndpoint`, `tenantId`), the shape the policy pack and the audit read.
 */
import * as pulumi from "@pulumi/pulumi";
import { type ActivationPolicySettings, type ApproverRef, dynamicTypes } from "@entra-baseline/model";
import type { GraphConnection } from "../../graph/dynamicProvider";
import { bundledProvider } from "../providerBundle";
import { roleManagementPolicyProvider } from "./provider";

export type RoleManagementPolicyArgs = {
  [K in Exclude<keyof ActivationPolicySettings, "approval">]: pulumi.Input<ActivationPolicySettings[K]>;
} & {
  approval: pulumi.Input<{ required: pulumi.Input<boolean>; approvers: pulumi.Input<pulumi.Input<ApproverRef>[]> }>;
} & {
  [K in keyof GraphConnection]: pulumi.Input<GraphConnection[K]>;
};

export class RoleManagementPolicy extends pulumi.dynamic.Resource {
  // `declare`: no class-field initializers, which would overwrite the outputs the base constructor sets.
  declare readonly policyId: pulumi.Output<string>;
  declare readonly ruleDrift: pulumi.Output<string[]>;
  declare readonly roleDefinitionId: pulumi.Output<string>;
  declare readonly maxActivationDuration: pulumi.Output<string>;
  declare readonly requireJustification: pulumi.Output<boolean>;
  declare readonly requireTicket: pulumi.Output<boolean>;
  declare readonly requireMfa: pulumi.Output<boolean>;
  declare readonly authenticationContextId: pulumi.Output<string | null>;
  declare readonly approval: pulumi.Output<ActivationPolicySettings["approval"]>;
  declare readonly eligibilityExpiration: pulumi.Output<ActivationPolicySettings["eligibilityExpiration"]>;
  declare readonly activeAssignmentExpiration: pulumi.Output<ActivationPolicySettings["activeAssignmentExpiration"]>;
  declare readonly notificationRecipients: pulumi.Output<string[]>;
  declare readonly graphEndpoint: pulumi.Output<string>;
  declare readonly loginEndpoint: pulumi.Output<string>;
  declare readonly tenantId: pulumi.Output<string>;

  constructor(name: string, args: RoleManagementPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.roleManagementPolicy;
    // Undefined props are outputs only: the engine fills them from the provider's `outs`.
    const provider = bundledProvider("roleManagementPolicy", roleManagementPolicyProvider);
    super(provider, name, { ...args, policyId: undefined, ruleDrift: undefined }, opts, module, type);
  }
}
