/**
 * Fido2MethodPolicy: a Pulumi dynamic resource (token `pulumi-nodejs:dynamic/breakglass:Fido2MethodPolicy`) for the
 * tenant's FIDO2 / passkey method policy, as far as the emergency accounts need it. What it reads and writes, and
 * why it never changes anyone else's settings: ./fido2MethodPolicyProvider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypes, type Fido2PolicyShape } from "@entra-baseline/model";
import { bundledProvider } from "../providerBundle";
import {
  fido2MethodPolicyProvider,
  type Fido2MethodPolicyArgs,
  type PasskeyProfileSettings,
  type TenantWideFido2Settings,
} from "./fido2MethodPolicyProvider";

export class Fido2MethodPolicy extends pulumi.dynamic.Resource {
  declare readonly state: pulumi.Output<string>;
  declare readonly targetGroupId: pulumi.Output<string>;
  declare readonly profile: pulumi.Output<PasskeyProfileSettings | null>;
  declare readonly tenantWide: pulumi.Output<TenantWideFido2Settings>;
  declare readonly tenantShape: pulumi.Output<Fido2PolicyShape>;
  declare readonly profileId: pulumi.Output<string>;

  constructor(name: string, args: Fido2MethodPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.fido2MethodPolicy;
    const provider = bundledProvider("fido2MethodPolicy", fido2MethodPolicyProvider);
    // The outputs are declared so that the engine records them; their values come from the provider.
    super(provider, name, { tenantShape: undefined, profileId: undefined, ...args }, opts, module, type);
  }
}
