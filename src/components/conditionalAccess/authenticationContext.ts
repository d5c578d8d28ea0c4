/**
 * AuthenticationContext: a Pulumi dynamic resource (token `pulumi-nodejs:dynamic/conditionalAccess:
 * AuthenticationContext`) for the authentication context PIM requires on activation, over Graph
 * `authenticationContextClassReferences` (no azuread resource manages it). What it does, and how it refuses to
 * hijack a context someone else uses: ./authenticationContextProvider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypes } from "@entra-baseline/model";
import { bundledProvider } from "../providerBundle";
import { authenticationContextProvider, type AuthenticationContextArgs } from "./authenticationContextProvider";

export class AuthenticationContext extends pulumi.dynamic.Resource {
  declare readonly contextId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly isAvailable: pulumi.Output<boolean>;

  constructor(name: string, args: AuthenticationContextArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.authenticationContext;
    const provider = bundledProvider("authenticationContext", authenticationContextProvider);
    super(provider, name, { ...args }, opts, module, type);
  }
}
