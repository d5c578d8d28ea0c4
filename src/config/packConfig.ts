/**
 * The policy pack's config derived from the stack config, so the pack and the program read one source of truth.
 * `npm run plan` and `npm run check` pass it over Configure; `npm run plan -- --write-policy-config FILE` writes it
 * as the JSON file for `pulumi preview --policy-pack policies --policy-pack-config FILE`. Keys not derived here take
 * the defaults of each rule's configSchema; a test holds those defaults equal to what the stack's default limits
 * derive, so a run without a config file judges by the same limits.
 *
 * Breakglass accounts are named by UPN when the domain is known from config (breakglass.domain or
 * tenant.initialDomain); otherwise by their bare local part, which the pack matches on the tenant's initial
 * `*.onmicrosoft.com` domain (see policies/lib/breakglass.ts).
 */
import type { BaselineConfig } from "./validate";
import { policyNames } from "@entra-baseline/model";

export function breakglassAccountRefs(config: BaselineConfig): string[] {
  const domain = config.breakglass.domain ?? config.tenant.initialDomain;
  return config.breakglass.accounts.map((a) => (domain ? `${a.name}@${domain}` : a.name).toLowerCase());
}

export function derivePackConfig(config: BaselineConfig): Record<string, Record<string, unknown>> {
  const breakglassUpns = breakglassAccountRefs(config);
  const breakglassGroupName = config.breakglass.groupName;
  return {
    [policyNames.noStandingTier0Assignment]: { breakglassUpns },
    [policyNames.eligibleAssignmentPrincipals]: { breakglassUpns, breakglassGroupName },
    [policyNames.gaActivationPolicy]: {
      maxActivationDuration: config.limits.activationDuration.max,
      authenticationContextId: config.pim.authenticationContextId,
      activationStrength: config.pim.activationStrength,
    },
    [policyNames.globalAdminCount]: { min: config.limits.globalAdmins.min, max: config.limits.globalAdmins.max },
    [policyNames.breakglassAccounts]: { breakglassUpns, minAccounts: 2, breakglassGroupName },
    [policyNames.caPoliciesExcludeBreakglass]: { breakglassUpns, breakglassGroupName },
    [policyNames.entraDiagnosticSetting]: { minRetentionInDays: config.limits.minRetentionInDays },
    [policyNames.breakglassTripwire]: {
      breakglassUpns,
    },
  };
}
