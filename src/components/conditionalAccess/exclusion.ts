/**
 * The one place that makes "every Conditional Access policy this program declares excludes the breakglass group"
 * true (Maester MT.1005, ZTA 21835), whoever declares the policy:
 *
 * - `breakglassExclusionTransformation(groupId)` rewrites the props of every `azuread.ConditionalAccessPolicy`
 *   and every Graph-written CA policy (our dynamic resource) so that the group is in the excluded groups, and
 *   fails the deployment if a policy *includes* the group;
 * - `registerBreakglassExclusion(groupId)` registers it as a stack transformation: every resource constructed after
 *   it, in any component, passes through it. The ConditionalAccessBaseline component registers it before it
 *   declares its own policies (and passes it to its own children too, whose parent was created before).
 *
 * Only the excluded-groups list is touched, so the rest of a policy stays known at preview; that list depends on
 * the group's object id anyway (unknown until the group exists). The policy pack's
 * ca-policies-exclude-breakglass rule and the audit check the result with src/model/breakglassExclusion.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypeToken, providerTypes } from "@entra-baseline/model";

interface UserKeys {
  exclude: string;
  include: string;
}

/** CA policy resource types and where each keeps its group lists under `conditions.users`. */
export const CA_POLICY_TYPES: Readonly<Record<string, UserKeys>> = {
  [providerTypes.conditionalAccessPolicy]: { exclude: "excludedGroups", include: "includedGroups" },
  [dynamicTypeToken("graphConditionalAccessPolicy")]: { exclude: "excludeGroups", include: "includeGroups" },
};

export function isCaPolicyType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(CA_POLICY_TYPES, type);
}

type Conditions = pulumi.Input<Record<string, unknown>> | undefined;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && !pulumi.Output.isInstance(v) && !(v instanceof Promise)
  );
}

/** Refuses a policy that applies to the breakglass group; the caller names the policy. */
export function assertGroupNotIncluded(policyName: string, includedGroupIds: readonly string[], groupId: string): void {
  if (includedGroupIds.some((id) => id.toLowerCase() === groupId.toLowerCase())) {
    throw new Error(
      `Conditional Access policy "${policyName}" includes the breakglass group ${groupId}: no CA policy may apply to the emergency accounts (they must always be able to sign in). Remove it from the included groups.`,
    );
  }
}

/** `excluded` plus the group (once), after checking that `included` does not name it. */
export function excludedGroupsWith(
  policyName: string,
  excluded: pulumi.Input<pulumi.Input<string>[]> | undefined,
  included: pulumi.Input<pulumi.Input<string>[]> | undefined,
  groupId: pulumi.Input<string>,
): pulumi.Output<string[]> {
  return pulumi
    .all([pulumi.output(excluded ?? []), pulumi.output(included ?? []), pulumi.output(groupId)])
    .apply(([ex, inc, group]) => {
      assertGroupNotIncluded(policyName, inc, group);
      const seen = new Set(ex.map((id) => id.toLowerCase()));
      return seen.has(group.toLowerCase()) ? ex : [...ex, group];
    });
}

/** `conditions` with the breakglass group added to `conditions.users.<exclude>` (the helper every policy uses). */
export function excludeBreakglassGroup<C extends object>(
  policyName: string,
  conditions: pulumi.Input<C> | undefined,
  groupId: pulumi.Input<string>,
  keys: UserKeys,
): pulumi.Input<C> {
  return withExclusion(policyName, conditions as Conditions, groupId, keys) as pulumi.Input<C>;
}

function withExclusion(
  policyName: string,
  conditions: Conditions,
  groupId: pulumi.Input<string>,
  keys: UserKeys,
): Conditions {
  const withUsers = (c: Record<string, unknown>): Record<string, unknown> => ({ ...c, users: usersWith(c.users) });
  const usersWith = (users: unknown): unknown => {
    if (users === undefined || users === null || isPlainObject(users)) {
      const u = (users ?? {}) as Record<string, unknown>;
      return {
        ...u,
        [keys.exclude]: excludedGroupsWith(
          policyName,
          u[keys.exclude] as pulumi.Input<string[]>,
          u[keys.include] as pulumi.Input<string[]>,
          groupId,
        ),
      };
    }
    return pulumi.output(users as pulumi.Input<Record<string, unknown>>).apply((u) => usersWith(u ?? {}));
  };
  if (conditions === undefined || isPlainObject(conditions))
    return withUsers((conditions ?? {}) as Record<string, unknown>);
  return pulumi.output(conditions).apply((c) => withUsers((c ?? {}) as Record<string, unknown>));
}

/** Adds the breakglass exclusion to any CA policy resource; leaves every other resource alone. */
export function breakglassExclusionTransformation(groupId: pulumi.Input<string>): pulumi.ResourceTransformation {
  return ({ type, name, props, opts }) => {
    const keys = CA_POLICY_TYPES[type];
    if (!keys) return undefined;
    return {
      props: {
        ...props,
        conditions: withExclusion(
          typeof props.displayName === "string" ? props.displayName : name,
          props.conditions,
          groupId,
          keys,
        ),
      },
      opts,
    };
  };
}

/** Registers the exclusion for every resource constructed from now on in this stack; returns the transformation. */
export function registerBreakglassExclusion(groupId: pulumi.Input<string>): pulumi.ResourceTransformation {
  if (!pulumi.runtime.getStackResource()) {
    throw new Error(
      "The breakglass exclusion is a stack transformation, so the baseline must be declared inside a Pulumi stack " +
        "(the Pulumi CLI does this; in tests and offline plans wrap the program in pulumi.runtime.runInPulumiStack).",
    );
  }
  const transformation = breakglassExclusionTransformation(groupId);
  pulumi.runtime.registerStackTransformation(transformation);
  return transformation;
}
