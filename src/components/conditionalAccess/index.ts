/**
 * The Conditional Access baseline: the activation authentication context and its every-time phishing-resistant
 * MFA policy (through Graph), the azuread baseline policies, and the stack-wide guarantee that every CA policy
 * excludes the breakglass group (src/components/conditionalAccess/exclusion.ts).
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { ConditionalAccessConfig, GraphConfig } from "../../config/schema";
import { componentTypes, dynamicTypeToken, providerTypes } from "@entra-baseline/model";
import { AuthenticationContext } from "./authenticationContext";
import {
  breakglassExclusionTransformation,
  excludeBreakglassGroup,
  CA_POLICY_TYPES,
  registerBreakglassExclusion,
} from "./exclusion";
import { GraphConditionalAccessPolicy } from "./graphPolicy";
import { activationPolicyBody, BASELINE_POLICY_KEYS, baselinePolicyArgs } from "./policies";

export interface ConditionalAccessBaselineArgs {
  conditionalAccess: ConditionalAccessConfig;
  /** `c1` … `c99` (config `pim.authenticationContextId`). */
  authenticationContextId: string;
  /** Object id of the breakglass group, excluded from every CA policy of the stack. */
  exclusionGroupId: pulumi.Input<string>;
  graph: GraphConfig;
}

export class ConditionalAccessBaseline extends pulumi.ComponentResource {
  /** The authentication context PIM's activation rule requires (depend on it before requiring it). */
  readonly authenticationContext: AuthenticationContext;
  /** The Graph-written policy that makes that context mean "fresh phishing-resistant MFA, every time". */
  readonly activationPolicy: GraphConditionalAccessPolicy;
  /** The azuread baseline policies, by config key. */
  readonly policies: Record<string, azuread.ConditionalAccessPolicy>;

  constructor(name: string, args: ConditionalAccessBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    // This component was constructed before the stack transformation below exists, so its children get it here.
    const ownExclusion = breakglassExclusionTransformation(args.exclusionGroupId);
    super(
      componentTypes.conditionalAccess,
      name,
      {},
      { ...opts, transformations: [...(opts?.transformations ?? []), ownExclusion] },
    );
    registerBreakglassExclusion(args.exclusionGroupId);

    const ca = args.conditionalAccess;
    const contextId = args.authenticationContextId;
    this.authenticationContext = new AuthenticationContext(
      `${name}-context-${contextId}`,
      {
        graphEndpoint: args.graph.endpoint,
        contextId,
        displayName: "Privileged role activation",
        description:
          "Required by PIM when Global Administrator is activated; its Conditional Access policy asks for phishing-resistant MFA every time (entra-baseline).",
        isAvailable: true,
      },
      { parent: this },
    );

    const activation = activationPolicyBody(contextId, ca.activationPolicyState);
    this.activationPolicy = new GraphConditionalAccessPolicy(
      `${name}-activation-${contextId}`,
      {
        graphEndpoint: args.graph.endpoint,
        ...activation,
        // The literal id (not the context's output) keeps the target known at preview; dependsOn orders the writes.
        conditions: excludeBreakglassGroup(
          activation.displayName,
          activation.conditions,
          args.exclusionGroupId,
          CA_POLICY_TYPES[dynamicTypeToken("graphConditionalAccessPolicy")]!,
        ),
      },
      { parent: this, dependsOn: [this.authenticationContext] },
    );

    this.policies = {};
    for (const key of BASELINE_POLICY_KEYS) {
      const policy = baselinePolicyArgs(key, ca[key].state);
      this.policies[key] = new azuread.ConditionalAccessPolicy(
        `${name}-${kebab(key)}`,
        {
          ...policy,
          conditions: excludeBreakglassGroup(
            String(policy.displayName),
            policy.conditions,
            args.exclusionGroupId,
            CA_POLICY_TYPES[providerTypes.conditionalAccessPolicy]!,
          ),
        },
        { parent: this },
      );
    }

    this.registerOutputs({});
  }
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
