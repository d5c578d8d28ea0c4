/**
 * The emergency path as a brownfield tenant shows it, judged once for adopt's proposal and the preflight:
 * - which existing accounts are emergency accounts the stack can adopt (cloud-only on the initial
 *   `*.onmicrosoft.com` domain, permanent Global Administrator held directly, excluded from Conditional Access);
 * - which Conditional Access policies reach the emergency accounts (guarantee 4 over every policy of the tenant,
 *   Microsoft-managed ones named as such: they exist in every tenant, outside any stack, and switch themselves on);
 * - what the emergency path itself lacks (an account that is disabled, without permanent GA, without a FIDO2 key).
 */
import { appliesToNoUser, breakglassExclusion, type BreakglassKeys, type CaPolicyFacts } from "./caPolicy";
import { isOnMicrosoftDomain } from "./identifiers";

/**
 * Microsoft-managed policies carry this display name prefix (they cannot be renamed). Graph v1.0 has no property
 * that marks them (docs/references.md): the prefix is what published Graph answers show, so it is matched
 * case-insensitively and an unmarked policy is judged like any other.
 */
export const MICROSOFT_MANAGED_PREFIX = "Microsoft-managed:";

export function isMicrosoftManagedCaPolicy(policy: Pick<CaPolicyFacts, "name">): boolean {
  return policy.name.trim().toLowerCase().startsWith(MICROSOFT_MANAGED_PREFIX.toLowerCase());
}

/** Cloud-only: never synchronised from on-premises (no sync flag, no immutable id). */
export function isCloudOnly(user: { onPremisesSyncEnabled?: unknown; onPremisesImmutableId?: unknown }): boolean {
  const immutable = user.onPremisesImmutableId;
  return user.onPremisesSyncEnabled !== true && !(typeof immutable === "string" && immutable.trim() !== "");
}

export interface EmergencyCandidateFacts {
  upn: string;
  cloudOnly: boolean;
  /** Holds Global Administrator permanently, directly (not through a group or an activation), at the directory. */
  permanentGlobalAdministrator: boolean;
  /** How many Conditional Access policies that apply to users exclude it (by user, or through a group it is in). */
  excludedFromPolicies: number;
}

export type EmergencyCandidacy =
  | { kind: "candidate" }
  /** It looks like an emergency account (permanent GA, excluded from CA) but cannot be one the stack adopts. */
  | { kind: "unfit"; reasons: string[] }
  | { kind: "none" };

/** Whether an existing account is an emergency account the stack can adopt. */
export function emergencyCandidacy(f: EmergencyCandidateFacts): EmergencyCandidacy {
  if (!f.permanentGlobalAdministrator || f.excludedFromPolicies === 0) return { kind: "none" };
  const reasons = [
    ...(f.cloudOnly ? [] : ["it is synchronised from on-premises (emergency accounts are cloud-only)"]),
    ...(isOnMicrosoftDomain(f.upn)
      ? []
      : [`${f.upn} is not on the initial *.onmicrosoft.com domain (emergency accounts must not depend on DNS)`]),
  ];
  return reasons.length === 0 ? { kind: "candidate" } : { kind: "unfit", reasons };
}

/** The policies that can apply to users and exclude an account (directly or through one of `memberOf`). */
export function policiesExcluding(
  policies: readonly CaPolicyFacts[],
  account: { key: string; memberOf?: readonly string[] },
): CaPolicyFacts[] {
  const keys = { groupKeys: [], accounts: [{ name: account.key, key: account.key, memberOf: account.memberOf }] };
  return policies.filter((p) => !appliesToNoUser(p) && breakglassExclusion(p, keys).exposed.length === 0);
}

export interface EmergencyExposure {
  policy: CaPolicyFacts;
  /** Emergency accounts the policy does not exclude. */
  exposed: string[];
  /** Emergency principals the policy includes by name. */
  included: string[];
  microsoftManaged: boolean;
}

/** Every policy that would apply to an emergency account (or names one), in the order given. */
export function policiesReachingEmergencyAccounts(
  policies: readonly CaPolicyFacts[],
  bg: BreakglassKeys,
): EmergencyExposure[] {
  return policies.flatMap((policy) => {
    const { exposed, included } = breakglassExclusion(policy, bg);
    return exposed.length + included.length === 0
      ? []
      : [{ policy, exposed, included, microsoftManaged: isMicrosoftManagedCaPolicy(policy) }];
  });
}

export interface EmergencyAccountState {
  /** Whether the account exists yet (a new one is created by the stack). */
  exists: boolean;
  enabled?: boolean;
  permanentGlobalAdministrator?: boolean;
  /** Whether a FIDO2 key or passkey is registered; undefined when the methods were not read. */
  fido2Registered?: boolean;
}

/**
 * What keeps an existing emergency account from working today: disabled, no permanent Global Administrator, no
 * FIDO2 key (with mandatory MFA on the admin portals, a password alone no longer signs in). [] when it works.
 */
export function emergencyPathGaps(account: EmergencyAccountState): string[] {
  if (!account.exists) return [];
  return [
    ...(account.enabled === false ? ["it is disabled (accountEnabled false)"] : []),
    ...(account.permanentGlobalAdministrator === false
      ? ["it holds no permanent, direct Global Administrator assignment"]
      : []),
    ...(account.fido2Registered === false
      ? ["it has no FIDO2 key or passkey registered, so it cannot pass the MFA the admin portals require"]
      : account.fido2Registered === undefined
        ? ["its authentication methods were not read, so a working FIDO2 key cannot be confirmed"]
        : []),
  ];
}
