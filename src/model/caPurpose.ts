/**
 * What an existing Conditional Access policy is for, in the baseline's terms: one of the baseline's own policies
 * (same purpose: the stack adopts it instead of creating a twin), or a policy on the activation authentication
 * context. Matching is by shape, narrowly (allow-list): a policy that targets more or less than the baseline's is
 * not of its purpose, and a Microsoft-managed policy never is (it cannot be renamed, so no stack can own it).
 */
import type { CaPolicyFacts } from "./caPolicy";
import { isMicrosoftManagedCaPolicy } from "./emergencyAccess";
import { GLOBAL_ADMINISTRATOR } from "./roles";
import { strengthOfPolicyId, type ActivationStrength } from "./strengths";

export const BASELINE_POLICY_PURPOSES = ["adminMfa", "blockLegacyAuthentication", "mfaAllUsers"] as const;
export type BaselinePolicyPurpose = (typeof BASELINE_POLICY_PURPOSES)[number];

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/** The built-in strength a grant demands: its authentication strength, else "mfa" for the plain MFA control. */
export function grantStrength(grant: CaPolicyFacts["grant"]): ActivationStrength | undefined {
  if (!grant) return undefined;
  return strengthOfPolicyId(grant.strengthId) ?? (grant.builtInControls.includes("mfa") ? "mfa" : undefined);
}

/** The baseline policy an existing policy serves, or undefined when it serves none (or is Microsoft-managed). */
export function baselinePurposeOf(p: CaPolicyFacts): BaselinePolicyPurpose | undefined {
  if (isMicrosoftManagedCaPolicy(p)) return undefined;
  const apps = p.applications;
  const allApps =
    sameSet(apps.include, ["all"]) &&
    apps.exclude.length === 0 &&
    apps.userActions.length === 0 &&
    apps.contexts.length === 0 &&
    !apps.filtered;
  if (!allApps || p.servicePrincipals.length > 0 || p.otherConditions.length > 0 || !p.grant) return undefined;
  const u = p.users;
  const allUsers = sameSet(u.includeUsers, ["all"]) && u.includeGroups.length === 0 && u.includeRoles.length === 0;
  const g = p.grant;
  const controls = g.builtInControls;
  if (allUsers && sameSet(p.clientAppTypes, ["exchangeactivesync", "other"])) {
    return sameSet(controls, ["block"]) && g.strengthId === undefined ? "blockLegacyAuthentication" : undefined;
  }
  if (!sameSet(p.clientAppTypes, ["all"])) return undefined;
  const mfaOnly =
    (sameSet(controls, ["mfa"]) && g.strengthId === undefined) ||
    (controls.length === 0 && grantStrength(g) !== undefined);
  if (!mfaOnly || g.customAuthenticationFactors.length > 0 || g.termsOfUse.length > 0) return undefined;
  if (allUsers) return grantStrength(g) === "mfa" ? "mfaAllUsers" : undefined;
  const rolesOnly =
    u.includeRoles.includes(GLOBAL_ADMINISTRATOR) &&
    u.includeGroups.length === 0 &&
    u.includeUsers.every((x) => x === "none") &&
    !u.includeGuests;
  return rolesOnly ? "adminMfa" : undefined;
}

/**
 * The policies that target authentication context `contextId` other than the stack's own (matched by its exact
 * display name): each also applies whenever a role requiring that context is activated.
 */
export function otherPoliciesOnContext(
  policies: readonly CaPolicyFacts[],
  contextId: string,
  ownDisplayName: string,
): CaPolicyFacts[] {
  return policies.filter((p) => p.applications.contexts.includes(contextId.toLowerCase()) && p.name !== ownDisplayName);
}
