/**
 * Fabrikam's platform stack, as it was before the baseline — a security group of its own and a resource group — with
 * the entra-baseline declared beside it from the stack's `entra-baseline:*` keys. One program, one stack, one policy
 * pack over all of it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { ResourceGroup } from "@pulumi/azure-native/resources";
import { baselineOutputs, declareBaseline, loadBaselineConfig } from "entra-baseline";

const config = new pulumi.Config();

// The program's own resources, unchanged by adopting the baseline.
const platformTeam = new azuread.Group("platform-team", {
  displayName: "Fabrikam platform team",
  securityEnabled: true,
});
const platform = new ResourceGroup("platform", {
  resourceGroupName: "rg-fabrikam-platform",
  location: config.require("location"),
});

// The baseline: config read and validated here (nothing is declared when it is invalid), the providers checked to be
// signed in to the stack's tenant, then every component. That check awaits the providers, so the stack's outputs come
// from an exported async function, which the Pulumi CLI awaits.
export = async () => {
  const baseline = await declareBaseline(loadBaselineConfig());
  return {
    platformTeamObjectId: platformTeam.objectId,
    platformResourceGroup: platform.name,
    entra: baselineOutputs(baseline),
  };
};
