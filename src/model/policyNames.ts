/**
 * Stable policy names: the keys of a `--policy-pack-config` file and of `derivePackConfig`'s result.
 * Renaming one breaks every config file that names it, so they live in one place (and the catalogue maps each to
 * the guarantee it enforces). 0.2.0 renamed ga-activation-policy to activation-policy: it judges every managed role.
 */
export const policyNames = {
  noStandingTier0Assignment: "no-standing-tier0-assignment",
  eligibleAssignmentPrincipals: "eligible-assignment-principals",
  activationPolicy: "activation-policy",
  globalAdminCount: "global-admin-count",
  breakglassAccounts: "breakglass-accounts",
  exclusionGroup: "exclusion-group",
  caPoliciesExcludeBreakglass: "ca-policies-exclude-breakglass",
  entraDiagnosticSetting: "entra-diagnostic-setting",
  breakglassTripwire: "breakglass-tripwire",
  sentinelTripwire: "sentinel-tripwire",
  fido2MethodPolicy: "fido2-method-policy",
  noForeignWriters: "no-foreign-writers",
  advisories: "baseline-advisories",
} as const;

export type PolicyName = (typeof policyNames)[keyof typeof policyNames];
export const ALL_POLICY_NAMES: readonly PolicyName[] = Object.values(policyNames);

/** Policy names of earlier versions, with what replaced them (a pack config file naming one gets told). */
export const RENAMED_POLICIES: Readonly<Record<string, PolicyName>> = {
  "ga-activation-policy": "activation-policy",
};
