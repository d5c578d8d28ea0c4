/**
 * What the audit reports: one finding per way the live tenant departs from the model. The catalogue below is the
 * single list of finding kinds (id, default severity, controls, remediation); docs/audit.md mirrors it.
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
  controls: readonly string[];
  remediation: string;
}

// Control families several finding kinds map to (ids from reference anchors.md).
/** Emergency access accounts: Zero Trust Assessment 21835 and Microsoft's emergency access guidance. */
const EMERGENCY_ACCESS = ["ZTA 21835"] as const;
/** Every CA policy excludes the emergency accounts (Maester MT.1005). */
const BREAKGLASS_EXCLUSION = ["MT.1005", ...EMERGENCY_ACCESS] as const;
/** The breakglass sign-in alert (GA activity must alert: MS.AAD.7.8). */
const TRIPWIRE = [...EMERGENCY_ACCESS, "MS.AAD.7.8"] as const;
/** GA activation needs approval (MS.AAD.7.6, ZTA 21817). */
const GA_ACTIVATION = ["MS.AAD.7.6", "ZTA 21817"] as const;
/** Entra logs streamed to the SOC (MS.AAD.4.1, ZTA 21860). */
const LOG_STREAMING = ["MS.AAD.4.1", "ZTA 21860"] as const;

export const FINDING_KINDS = {
  "AUD-READ-FAILED": {
    severity: "critical",
    title: "A tenant read failed: the checks that depend on it did not run",
    controls: [],
    remediation:
      "Fix the cause in the message (network, throttling, Graph/ARM outage) and run the audit again; a partial read is never a clean report.",
  },
  "AUD-PERMANENT-TIER0": {
    severity: "critical",
    title: "Permanent active Tier-0 role assignment outside the breakglass accounts",
    controls: ["MS.AAD.7.4", "ZTA 21815", "ZTA 21816"],
    remediation:
      "Remove the active assignment and make the admin eligible instead (pim.eligibleAdmins for Global Administrator, PIM eligibility for other Tier-0 roles).",
  },
  "AUD-OUTSIDE-PIM": {
    severity: "high",
    title: "Tier-0 role assigned outside PIM",
    controls: ["MS.AAD.7.5", "MT.1031"],
    remediation: "Remove the assignment and grant the role through PIM (eligible assignment, activation on demand).",
  },
  "AUD-GA-COUNT": {
    severity: "high",
    title: "Number of Global Administrators outside the allowed range",
    controls: ["MS.AAD.7.1", "ZTA 21812", "MT.1032"],
    remediation:
      "Bring eligible + permanent Global Administrators within limits.globalAdmins (default 2–8): remove unmanaged holders or add eligible admins in pim.eligibleAdmins.",
  },
  "AUD-GA-ELIGIBLE-UNMANAGED": {
    severity: "medium",
    title: "Global Administrator eligibility not declared in the stack",
    controls: ["MS.AAD.7.1"],
    remediation: "Add the principal to pim.eligibleAdmins if intended, otherwise remove the eligibility in PIM.",
  },
  "AUD-GA-ELIGIBLE-MISSING": {
    severity: "medium",
    title: "Configured eligible Global Administrator is not eligible",
    controls: ["ZTA 21816"],
    remediation: "Run `pulumi up` to restore the eligibility, or remove the admin from pim.eligibleAdmins.",
  },
  "AUD-PIM-POLICY-MISSING": {
    severity: "critical",
    title: "Global Administrator PIM policy not found",
    controls: GA_ACTIVATION,
    remediation:
      "Check that PIM (Entra ID P2) is licensed and that the identity can read role management policies; then run `pulumi up`.",
  },
  "AUD-PIM-POLICY-WEAKENED": {
    severity: "high",
    title: "Global Administrator activation policy is weaker than the model",
    controls: ["MS.AAD.7.6", "MS.AAD.7.7", "MS.AAD.7.8", "ZTA 21817", "ZTA 21818"],
    remediation:
      "Run `pulumi up` to re-apply the activation rules from the stack configuration, then find who changed them in the audit log (Update role setting in PIM).",
  },
  "AUD-PIM-POLICY-DRIFT": {
    severity: "medium",
    title: "Global Administrator PIM rule differs from the stack configuration",
    controls: GA_ACTIVATION,
    remediation:
      "Run `pulumi up` to re-apply the configured value, or change the stack configuration if the live value is intended.",
  },
  "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED": {
    severity: "high",
    title:
      "Activation authentication context not enforced by an enabled CA policy with every-time phishing-resistant MFA",
    controls: ["MS.AAD.3.6", ...GA_ACTIVATION],
    remediation:
      "Run `pulumi up` to restore the baseline's CA policy on the context (enabled, sign-in frequency every time, grant: the phishing-resistant MFA authentication strength alone), then find who changed it in the audit log.",
  },
  "AUD-CA-NO-BREAKGLASS-EXCLUSION": {
    severity: "critical",
    title: "Conditional Access policy does not exclude the breakglass accounts",
    controls: BREAKGLASS_EXCLUSION,
    remediation:
      "Add the breakglass group (breakglass.groupName) to the policy's excluded groups; every policy, in any state, must exclude it.",
  },
  "AUD-CA-TARGETS-BREAKGLASS": {
    severity: "high",
    title: "Conditional Access policy targets the breakglass accounts",
    controls: ["MT.1005", "MT.1034", ...EMERGENCY_ACCESS],
    remediation: "Remove the breakglass group and accounts from the policy's included users and groups.",
  },
  "AUD-BREAKGLASS-MISSING": {
    severity: "critical",
    title: "Breakglass account missing",
    controls: EMERGENCY_ACCESS,
    remediation:
      "Run `pulumi up` to recreate the account, then register its FIDO2 keys and store the credentials; never leave fewer than two emergency accounts.",
  },
  "AUD-BREAKGLASS-DISABLED": {
    severity: "critical",
    title: "Breakglass account disabled",
    controls: EMERGENCY_ACCESS,
    remediation: "Re-enable the account (accountEnabled = true) and find who disabled it in the audit log.",
  },
  "AUD-BREAKGLASS-SYNCED": {
    severity: "high",
    title: "Breakglass account synchronized from on-premises",
    controls: ["MS.AAD.7.3", ...EMERGENCY_ACCESS],
    remediation:
      "Emergency accounts must be cloud-only: replace it with a cloud-only account on the *.onmicrosoft.com domain.",
  },
  "AUD-BREAKGLASS-DOMAIN": {
    severity: "high",
    title: "Breakglass account not on the *.onmicrosoft.com domain",
    controls: EMERGENCY_ACCESS,
    remediation:
      "Rename the account back to <name>@<tenant>.onmicrosoft.com: a custom or federated domain can fail with the identity provider it depends on.",
  },
  "AUD-BREAKGLASS-ELIGIBLE": {
    severity: "medium",
    title: "Breakglass account is eligible in PIM",
    controls: EMERGENCY_ACCESS,
    remediation:
      "Remove the eligibility: emergency accounts hold Global Administrator permanently and must not depend on PIM.",
  },
  "AUD-BREAKGLASS-NO-PERMANENT-GA": {
    severity: "critical",
    title: "Breakglass account lacks permanent Global Administrator",
    controls: EMERGENCY_ACCESS,
    remediation: "Run `pulumi up` to restore the permanent Global Administrator assignment of the account.",
  },
  "AUD-BREAKGLASS-NO-FIDO2": {
    severity: "high",
    title: "Breakglass account has no FIDO2 security key or passkey",
    controls: [...EMERGENCY_ACCESS, "MS.AAD.3.6"],
    remediation:
      "Register at least one FIDO2 security key (allowed by breakglass.fido2) for the account and store it in a separate safe.",
  },
  "AUD-BREAKGLASS-WEAK-METHODS": {
    severity: "low",
    title: "Breakglass account has authentication methods other than FIDO2",
    controls: EMERGENCY_ACCESS,
    remediation: "Remove phishable methods (phone, Authenticator push, email, software OATH) from emergency accounts.",
  },
  "AUD-BREAKGLASS-GROUP-MISSING": {
    severity: "critical",
    title: "Breakglass exclusion group missing",
    controls: BREAKGLASS_EXCLUSION,
    remediation:
      "Run `pulumi up` to recreate the group named breakglass.groupName and re-add it to every CA policy's exclusions.",
  },
  "AUD-BREAKGLASS-GROUP-MEMBERSHIP": {
    severity: "high",
    title: "Breakglass account not a member of the exclusion group",
    controls: BREAKGLASS_EXCLUSION,
    remediation: "Add the account back to the exclusion group (`pulumi up`).",
  },
  "AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE": {
    severity: "medium",
    title: "Breakglass exclusion group is not role-assignable",
    controls: EMERGENCY_ACCESS,
    remediation: "Use a role-assignable group so that only Privileged Role Administrators can change its membership.",
  },
  "AUD-DIAGNOSTICS-MISSING": {
    severity: "high",
    title: "No Entra diagnostic setting streams the required logs",
    controls: LOG_STREAMING,
    remediation:
      "Run `pulumi up` to recreate the Entra diagnostic setting (monitoring.diagnosticSettingName) that streams to the Log Analytics workspace.",
  },
  "AUD-DIAGNOSTICS-CATEGORY": {
    severity: "high",
    title: "Entra diagnostic setting missing a log category",
    controls: LOG_STREAMING,
    remediation:
      "Re-enable the category in the diagnostic setting (`pulumi up`); the tripwire and the PIM review read it.",
  },
  "AUD-TRIPWIRE-MISSING": {
    severity: "critical",
    title: "Breakglass sign-in tripwire alert rule missing",
    controls: TRIPWIRE,
    remediation: "Run `pulumi up` to recreate the tripwire scheduled query rule.",
  },
  "AUD-TRIPWIRE-DISABLED": {
    severity: "critical",
    title: "Breakglass sign-in tripwire alert rule disabled",
    controls: TRIPWIRE,
    remediation: "Enable the rule again and find who disabled it in the Azure activity log.",
  },
  "AUD-TRIPWIRE-COVERAGE": {
    severity: "critical",
    title: "Tripwire does not cover every breakglass account",
    controls: EMERGENCY_ACCESS,
    remediation: "Run `pulumi up`: the tripwire query must name every breakglass account's object id.",
  },
  "AUD-TRIPWIRE-WEAK": {
    severity: "medium",
    title: "Tripwire alert rule weaker than the model",
    controls: EMERGENCY_ACCESS,
    remediation:
      "Run `pulumi up` to restore severity 0, the evaluation frequency (limits.tripwireMaxEvaluationFrequency) and the action group.",
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
    controls: kind.controls,
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
