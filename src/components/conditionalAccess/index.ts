/**
 * The Conditional Access baseline: each activation authentication context and its every-time MFA policy of the
 * configured strength (through Graph: azuread cannot target authentication contexts), the azuread baseline
 * policies, and the stack-wide guarantee that every CA policy excludes the breakglass group
 * (src/components/conditionalAccess/exclusion.ts).
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import {
  componentTypes,
  dynamicTypeToken,
  providerTypes,
  STRENGTH_PHRASES,
  type ActivationStrength,
  type Endpoints,
} from "@entra-baseline/model";
import type { ConditionalAccessConfig } from "../../config/schema";
import { AuthenticationContext } from "./authenticationContext";
import {
  breakglassExclusionTransformation,
  excludeBreakglassGroup,
  CA_POLICY_TYPES,
  registerBreakglassExclusion,
} from "./exclusion";
import { graphConnection } from "../../graph/dynamicProvider";
import { GraphConditionalAccessPolicy } from "./graphPolicy";
import { activationPolicyBody, BASELINE_POLICY_KEYS, baselinePolicyArgs } from "./policies";

/** One authentication context per activation strength: the strength is a property of the context's CA policy. */
export interface ActivationContext {
  /** `c1` … `c99`. */
  contextId: string;
  strength: ActivationStrength;
}

export interface ConditionalAccessBaselineArgs {
  conditionalAccess: ConditionalAccessConfig;
  /** The contexts PIM's activation rules require (config `pim.authenticationContextId` / `activationStrength`). */
  activationContexts: readonly ActivationContext[];
  /** Object id of the breakglass group, excluded from every CA policy of the stack. */
  exclusionGroupId: pulumi.Input<string>;
  /** The tenant cloud's hosts (config `endpoints`). */
  endpoints: Endpoints;
  /** The tenant the dynamic resources act on (config `tenant.tenantId`). */
  tenantId: string;
}

export class ConditionalAccessBaseline extends pulumi.ComponentResource {
  /** The authentication contexts PIM's activation rules require, by context id (depend on them before requiring). */
  readonly authenticationContexts: Record<string, AuthenticationContext>;
  /** The Graph-written policies that make each context mean "fresh MFA of its strength, every time", by context id. */
  readonly activationPolicies: Record<string, GraphConditionalAccessPolicy>;
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
    this.authenticationContexts = {};
    this.activationPolicies = {};
    for (const { contextId, strength } of args.activationContexts) {
      const context = new AuthenticationContext(
        `${name}-context-${contextId}`,
        {
          ...graphConnection(args.endpoints, args.tenantId),
          contextId,
          displayName: "Privileged role activation",
          description: `Required by PIM when a privileged role is activated; its Conditional Access policy asks for ${STRENGTH_PHRASES[strength]} every time (entra-baseline).`,
          isAvailable: true,
          adoptExisting: ca.adoptAuthenticationContext,
        },
        { parent: this },
      );
      const activation = activationPolicyBody(contextId, ca.activationPolicyState, strength);
      this.authenticationContexts[contextId] = context;
      this.activationPolicies[contextId] = new GraphConditionalAccessPolicy(
        `${name}-activation-${contextId}`,
        {
          ...graphConnection(args.endpoints, args.tenantId),
          ...activation,
          // The literal id (not the context's output) keeps the target known at preview; dependsOn orders the writes.
          conditions: excludeBreakglassGroup(
            activation.displayName,
            activation.conditions,
            args.exclusionGroupId,
            CA_POLICY_TYPES[dynamicTypeToken("graphConditionalAccessPolicy")]!,
          ),
        },
        { parent: this, dependsOn: [context] },
      );
    }

    this.policies = {};
    for (const key of BASELINE_POLICY_KEYS) {
      const policy = baselinePolicyArgs(key, ca[key].state, key === "adminMfa" ? ca.adminMfa.strength : undefined);
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
        // The admin policy's key was adminPhishingResistantMfa until 0.2.0: the alias keeps the deployed policy.
        {
          parent: this,
          ...(key === "adminMfa" ? { aliases: [{ name: `${name}-admin-phishing-resistant-mfa` }] } : {}),
        },
      );
    }

    this.registerOutputs({});
  }
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
