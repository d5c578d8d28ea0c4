import { entryOfFinding } from "@entra-baseline/model";

/**
 * What the audit reports: one finding per way the live tenant departs from the model. The catalogue below is the
 * single list of finding kinds (id, default severity, remediation); their controls are the model catalogue's, and docs/audit.md is generated from both.
 */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export interface Finding {
  /** Finding kind, stable across releases: `AUD-…`. */
  id: FindingId;
  severity: Severity;
  title: string;
  /** The tenant object concerned: "user adele.vance@contoso.com", "CA policy 'Block legacy auth' (id)". */
  object: string;
  expected: string;
  actual: string;
  /** Control ids this maps to: MS.AAD.7.4, MT.1005, ZTA 21835, … */
  controls: readonly string[];
  remediation: string;
}

interface FindingKind {
  severity: Severity;
  title: string;
  remediation: string;
}

/**
 * Every finding kind: its default severity, title and remediation. Controls come from the rule each reports in the
 * model's catalogue (src/model/catalogue.ts), the one place they are written.
 */
export const FINDING_KINDS = {
  "AUD-READ-FAILED": {
    severity: "critical",
    title: "A tenant read failed: the checks that depend on it did not run",
    remediation:
      "Fix the cause in the message (network, throttling, Graph/ARM outage) and run the audit again; a partial read is never a clean report.",
  },
  "AUD-PERMANENT-TIER0": {
    severity: "critical",
    title: "Standing Tier-0 access: an active holding that is not a bounded activation backed by an eligibility",
    remediation:
      "Remove the active assignment (or group membership) and make the admin eligible instead (pim.eligibleAdmins, pim.roles, pim.groups); `npm run transition` does it safely. A workload identity that must hold it goes into `exceptions` with a reason, an owner and an expiry.",
  },
  "AUD-OUTSIDE-PIM": {
    severity: "high",
    title: "Tier-0 role assigned outside PIM",
    remediation: "Remove the assignment and grant the role through PIM (eligible assignment, activation on demand).",
  },
  "AUD-EXCEPTION-EXPIRED": {
    severity: "high",
    title: "A declared exception has expired",
    remediation:
      "Renew the exception with a reason and a new expiry, or make the principal eligible and drop the exception.",
  },
  "AUD-CUSTOM-ROLE-TIER0": {
    severity: "medium",
    title: "A custom role grants Tier-0 permissions: it is treated as Tier-0",
    remediation:
      "Review the role: remove the privileged permissions, or manage it like a Tier-0 role (pim.roles with its template id) so its holders are eligible only.",
  },
  "AUD-GA-COUNT": {
    severity: "high",
    title: "Number of Global Administrators outside the allowed range",
    remediation:
      "Bring eligible + active Global Administrators within limits.globalAdmins (default 2–8): remove unmanaged holders or add eligible admins in pim.eligibleAdmins.",
  },
  "AUD-ELIGIBLE-UNMANAGED": {
    severity: "medium",
    title: "Eligibility for a managed or Tier-0 role not declared in the stack",
    remediation:
      "Declare the principal as eligible for the role (pim.eligibleAdmins, pim.roles) if intended, otherwise remove the eligibility in PIM.",
  },
  "AUD-ELIGIBLE-MISSING": {
    severity: "medium",
    title: "A configured eligible admin is not eligible",
    remediation: "Run `pulumi up` to restore the eligibility, or remove the admin from the stack config.",
  },
  "AUD-PIM-POLICY-MISSING": {
    severity: "critical",
    title: "A managed role's PIM policy was not found",
    remediation:
      "Check that PIM (Entra ID P2) is licensed and that the identity can read role management policies; then run `pulumi up`.",
  },
  "AUD-PIM-POLICY-WEAKENED": {
    severity: "high",
    title: "A role's activation policy is weaker than the model",
    remediation:
      "Run `pulumi up` to re-apply the activation rules from the stack configuration, then find who changed them in the audit log (Update role setting in PIM).",
  },
  "AUD-PIM-POLICY-DRIFT": {
    severity: "medium",
    title: "A managed role's PIM rule differs from the stack configuration",
    remediation:
      "Run `pulumi up` to re-apply the configured value, or change the stack configuration if the live value is intended.",
  },
  "AUD-GROUP-POLICY-WEAKENED": {
    severity: "high",
    title: "A PIM-for-Groups group holding a Tier-0 role activates more weakly than the role itself",
    remediation:
      "Hold the group's member (and owner) policy to the role's rules (pim.groups; `pulumi up`): reaching a role through a group must not be easier than activating it.",
  },
  "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED": {
    severity: "high",
    title: "The activation authentication context's CA policy does not force a fresh MFA of the configured strength",
    remediation:
      "Run `pulumi up` to restore the baseline's CA policy on the context (enabled, all users but the emergency accounts, no narrowing condition, the configured strength, sign-in frequency every time), then find who changed it in the audit log.",
  },
  "AUD-CA-NO-BREAKGLASS-EXCLUSION": {
    severity: "critical",
    title: "Conditional Access policy does not exclude the breakglass accounts",
    remediation:
      "Add the breakglass group (breakglass.groupName) to the policy's excluded groups (`npm run remediate -- ca-exclusions`); every policy that can apply to users, in any state, must exclude it.",
  },
  "AUD-CA-TARGETS-BREAKGLASS": {
    severity: "high",
    title: "Conditional Access policy targets the breakglass accounts",
    remediation: "Remove the breakglass group and accounts from the policy's included users and groups.",
  },
  "AUD-BREAKGLASS-MISSING": {
    severity: "critical",
    title: "Breakglass account missing",
    remediation:
      "Run `pulumi up` to recreate the account, then register its FIDO2 keys and store the credentials; never leave fewer than two emergency accounts.",
  },
  "AUD-BREAKGLASS-DISABLED": {
    severity: "critical",
    title: "Breakglass account disabled",
    remediation: "Re-enable the account (accountEnabled = true) and find who disabled it in the audit log.",
  },
  "AUD-BREAKGLASS-SYNCED": {
    severity: "high",
    title: "Breakglass account synchronized from on-premises",
    remediation:
      "Emergency accounts must be cloud-only: replace it with a cloud-only account on the *.onmicrosoft.com domain.",
  },
  "AUD-BREAKGLASS-DOMAIN": {
    severity: "high",
    title: "Breakglass account not on the *.onmicrosoft.com domain",
    remediation:
      "Rename the account back to <name>@<tenant>.onmicrosoft.com: a custom or federated domain can fail with the identity provider it depends on.",
  },
  "AUD-BREAKGLASS-ELIGIBLE": {
    severity: "medium",
    title: "Breakglass account or exclusion group is eligible in PIM",
    remediation:
      "Remove the eligibility: emergency accounts hold Global Administrator permanently and must not depend on PIM.",
  },
  "AUD-BREAKGLASS-NO-PERMANENT-GA": {
    severity: "critical",
    title: "Breakglass account lacks permanent Global Administrator",
    remediation: "Run `pulumi up` to restore the permanent Global Administrator assignment of the account.",
  },
  "AUD-BREAKGLASS-NO-FIDO2": {
    severity: "high",
    title: "Breakglass account has no FIDO2 security key or passkey",
    remediation:
      "Register at least one FIDO2 security key (allowed by breakglass.fido2) for the account and store it in a separate safe.",
  },
  "AUD-BREAKGLASS-WEAK-METHODS": {
    severity: "low",
    title: "Breakglass account has authentication methods other than FIDO2",
    remediation: "Remove phishable methods (phone, Authenticator push, email, software OATH) from emergency accounts.",
  },
  "AUD-BREAKGLASS-KEY-MODEL": {
    severity: "high",
    title: "A breakglass account's FIDO2 key is not of an allowed model",
    remediation:
      "Register a key of a model in breakglass.fido2.profile.aaguids (and remove the other) before the policy refuses it at sign-in.",
  },
  "AUD-FIDO2-POLICY": {
    severity: "high",
    title: "The FIDO2 method policy does not keep the emergency keys working",
    remediation:
      "Run `pulumi up` to restore the FIDO2 policy (enabled, targeting the exclusion group, the declared models and attestation).",
  },
  "AUD-BREAKGLASS-GROUP-MISSING": {
    severity: "critical",
    title: "Breakglass exclusion group missing",
    remediation:
      "Run `pulumi up` to recreate the group named breakglass.groupName and re-add it to every CA policy's exclusions.",
  },
  "AUD-BREAKGLASS-GROUP-MEMBERSHIP": {
    severity: "high",
    title: "Breakglass account not a member of the exclusion group",
    remediation: "Add the account back to the exclusion group (`pulumi up`).",
  },
  "AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE": {
    severity: "medium",
    title: "Breakglass exclusion group is not role-assignable",
    remediation: "Use a role-assignable group so that only Privileged Role Administrators can change its membership.",
  },
  "AUD-EXCLUSION-GROUP-NOT-EXACT": {
    severity: "critical",
    title: "The exclusion group holds or is owned by someone else, or has a namesake",
    remediation:
      "Remove every member but the emergency accounts and every owner but the declared ones (each extra member is exempt from every CA policy; an owner can add anyone), and rename or delete any other group of the same name.",
  },
  "AUD-DIAGNOSTICS-MISSING": {
    severity: "high",
    title: "No Entra diagnostic setting streams the required logs",
    remediation:
      "Run `pulumi up` to recreate the Entra diagnostic setting (monitoring.diagnosticSettingName) that streams to the Log Analytics workspace.",
  },
  "AUD-LOGS-AT-RISK": {
    severity: "high",
    title: "The sign-in and audit logs do not all reach, or may not stay in, the tripwires' workspace",
    remediation:
      "Stream every required category to one workspace, remove its daily cap and any ingestion-time transformation of SigninLogs, AADNonInteractiveUserSignInLogs and AuditLogs, and keep them at least limits.minRetentionInDays (`pulumi up`).",
  },
  "AUD-LOGS-ELSEWHERE": {
    severity: "info",
    title: "Another diagnostic setting sends the Entra logs elsewhere too",
    remediation: "Nothing to fix if intended; make sure the other destination is as protected as the logs it holds.",
  },
  "AUD-TRIPWIRE-MISSING": {
    severity: "critical",
    title: "No tripwire watches a sign-in table",
    remediation: "Run `pulumi up` to recreate the tripwire scheduled query rule for that table.",
  },
  "AUD-TRIPWIRE-WEAK": {
    severity: "critical",
    title: "The tripwire alert rule is not the model's: it may not fire, or nobody may hear it",
    remediation:
      "Run `pulumi up` to restore the rule (enabled, severity 0, every minute, the canonical query for exactly the emergency accounts, the receiving workspace, an enabled action group), then find who changed it in the Azure activity log.",
  },
  "AUD-SENTINEL-TRIPWIRE": {
    severity: "high",
    title: "Sentinel is enabled but a tripwire does not run there as the log alert does",
    remediation:
      "Run `pulumi up` to restore the Sentinel analytics rule (enabled, High, unsuppressed, creating incidents, near-real-time or every 5 minutes, the canonical query for exactly the emergency accounts, in the receiving workspace). The Azure Monitor tripwire still guards the accounts; find who changed the rule in the workspace's SentinelAudit or the Azure activity log.",
  },
} as const satisfies Record<string, FindingKind>;

export type FindingId = keyof typeof FINDING_KINDS;

/** A finding of kind `id` with its catalogue defaults; `overrides` may raise or lower the severity. */
export function finding(
  id: FindingId,
  details: { object: string; expected: string; actual: string },
  overrides: Partial<Pick<Finding, "severity" | "remediation" | "title">> = {},
): Finding {
  const kind: FindingKind = FINDING_KINDS[id];
  return {
    id,
    severity: overrides.severity ?? kind.severity,
    title: overrides.title ?? kind.title,
    object: details.object,
    expected: details.expected,
    actual: details.actual,
    controls: entryOfFinding(id)?.controls ?? [],
    remediation: overrides.remediation ?? kind.remediation,
  };
}

/** Failed reads first (they qualify everything else), then worst first, then by kind and object so reports are stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  const readFailed = (f: Finding) => (f.id === "AUD-READ-FAILED" ? 0 : 1);
  return [...findings].sort(
    (a, b) =>
      readFailed(a) - readFailed(b) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.id.localeCompare(b.id) ||
      a.object.localeCompare(b.object),
  );
}
