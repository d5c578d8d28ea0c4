/**
 * GraphConditionalAccessPolicy: a Pulumi dynamic resource (token `pulumi-nodejs:dynamic/conditionalAccess:
 * GraphConditionalAccessPolicy`) for a Conditional Access policy written through Graph, where
 * `azuread.ConditionalAccessPolicy` cannot express it (targeting an authentication context). What it does against
 * Graph: ./graphPolicyProvider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypes } from "@entra-baseline/model";
import type { CaPolicyState } from "../../config/schema";
import { bundledProvider } from "../providerBundle";
import { graphCaPolicyProvider, type GraphCaPolicyArgs, type GraphCaPolicyBody } from "./graphPolicyProvider";

export class GraphConditionalAccessPolicy extends pulumi.dynamic.Resource {
  declare readonly displayName: pulumi.Output<string>;
  declare readonly state: pulumi.Output<CaPolicyState>;
  declare readonly conditions: pulumi.Output<GraphCaPolicyBody["conditions"]>;

  constructor(name: string, args: GraphCaPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.graphConditionalAccessPolicy;
    const provider = bundledProvider("graphConditionalAccessPolicy", graphCaPolicyProvider);
    super(provider, name, { ...args }, opts, module, type);
  }
}
