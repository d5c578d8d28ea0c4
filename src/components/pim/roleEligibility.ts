/**
 * RoleEligibility: a Pulumi dynamic resource (token `pulumi-nodejs:dynamic/pim:RoleEligibility`) that owns one PIM
 * eligibility of a user or role-assignable group for a directory role through Graph's schedule API
 * (./eligibilityProvider.ts). It replaces azuread's DirectoryRoleEligibilityScheduleRequest, which cannot remove or
 * replace an eligibility once Graph purged its request (docs/references.md), cannot adopt one and cannot set an expiry.
 * Its inputs share azuread's names (`roleDefinitionId`, `principalId`, `directoryScopeId`, `justification`), so the
 * policy pack reads both the same way (policies/lib/eligibilities.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypes } from "@entra-baseline/model";
import type { GraphConnection } from "../../graph/dynamicProvider";
import { bundledProvider } from "../providerBundle";
import { roleEligibilityProvider, type RoleEligibilityInputs } from "./eligibilityProvider";

export type RoleEligibilityArgs = {
  [K in keyof Omit<RoleEligibilityInputs, keyof GraphConnection>]: pulumi.Input<RoleEligibilityInputs[K]>;
} & {
  [K in keyof GraphConnection]: pulumi.Input<GraphConnection[K]>;
};

export class RoleEligibility extends pulumi.dynamic.Resource {
  // `declare`: no class-field initializers, which would overwrite the outputs the base constructor sets.
  declare readonly roleDefinitionId: pulumi.Output<string>;
  declare readonly principalId: pulumi.Output<string>;
  declare readonly directoryScopeId: pulumi.Output<string>;
  declare readonly duration: pulumi.Output<string | null>;
  declare readonly scheduleId: pulumi.Output<string>;
  declare readonly startDateTime: pulumi.Output<string | null>;
  declare readonly endDateTime: pulumi.Output<string | null>;
  declare readonly origin: pulumi.Output<"adopted" | "created">;

  constructor(name: string, args: RoleEligibilityArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.roleEligibility;
    // Undefined props are outputs only: the engine fills them from the provider's `outs`.
    const provider = bundledProvider("roleEligibility", roleEligibilityProvider);
    super(
      provider,
      name,
      { ...args, scheduleId: undefined, startDateTime: undefined, endDateTime: undefined, origin: undefined },
      opts,
      module,
      type,
    );
  }
}
