/**
 * Stable policy names: the keys of a `--policy-pack-config` file and of `derivePackConfig`'s result.
 * Renaming one breaks every config file that names it, so they live in one place.
 */
export const policyNames = {
  noStandingTier0Assignment: "no-standing-tier0-assignment",
  eligibleAssignmentPrincipals: "eligible-assignment-principals",
  gaActivationPolicy: "ga-activation-policy",
  globalAdminCount: "global-admin-count",
  breakglassAccounts: "breakglass-accounts",
  caPoliciesExcludeBreakglass: "ca-policies-exclude-breakglass",
  entraDiagnosticSetting: "entra-diagnostic-setting",
  breakglassTripwire: "breakglass-tripwire",
} as const;

export type PolicyName = (typeof policyNames)[keyof typeof policyNames];
export const ALL_POLICY_NAMES: readonly PolicyName[] = Object.values(policyNames);
