/**
 * SentinelNrtRule: a Pulumi dynamic resource (token `pulumi-nodejs:dynamic/monitoring:SentinelNrtAlertRule`) for a
 * Microsoft Sentinel near-real-time analytics rule over the ARM API, which azure-native does not declare. What it
 * does against ARM: ./sentinelNrtRuleProvider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypes } from "@entra-baseline/model";
import { bundledProvider } from "../providerBundle";
import { sentinelNrtRuleProvider, type SentinelNrtRuleArgs } from "./sentinelNrtRuleProvider";

export class SentinelNrtRule extends pulumi.dynamic.Resource {
  declare readonly ruleId: pulumi.Output<string>;
  declare readonly query: pulumi.Output<string>;

  constructor(name: string, args: SentinelNrtRuleArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.sentinelNrtAlertRule;
    const provider = bundledProvider("sentinelNrtAlertRule", sentinelNrtRuleProvider);
    super(provider, name, { ...args }, opts, module, type);
  }
}
