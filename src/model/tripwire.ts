/**
 * The breakglass tripwire as facts, shared by the monitoring program (which declares it), the policy pack (which
 * rejects a deploy that weakens it) and the audit (which compares the live rules with it). Pure: no Pulumi.
 *
 * A tripwire is a log alert rule that fires on any sign-in attempt, success or failure, by an emergency account:
 * Sev 0, evaluated every minute, naming every breakglass account by object id (survives renames) *and* UPN
 * (catches attempts against the name). See docs/monitoring.md for the timing reasoning.
 */
import { durationSeconds } from "./duration";
import { kqlSourceTable, kqlStringLiterals, logAlertQueryViolations } from "./logAlertQuery";

/** Keys are the same words as config `monitoring.severities`. */
export type AlertRuleKey =
  | "breakglassSignIn"
  | "breakglassNonInteractiveSignIn"
  | "breakglassAccountChanged"
  | "roleAssignedOutsidePim"
  | "routineJitUse";

export interface AlertRuleIdentity {
  /** Azure resource name of the scheduled query rule (`ruleName`), also the suffix of its Pulumi resource name. */
  ruleName: string;
  /** What the portal shows (`displayName`). */
  displayName: string;
  /** The Log Analytics table the rule reads. */
  table: "SigninLogs" | "AADNonInteractiveUserSignInLogs" | "AuditLogs";
}

export const ALERT_RULES: Readonly<Record<AlertRuleKey, AlertRuleIdentity>> = {
  breakglassSignIn: {
    ruleName: "breakglass-sign-in-tripwire",
    displayName: "Breakglass sign-in (tripwire)",
    table: "SigninLogs",
  },
  breakglassNonInteractiveSignIn: {
    ruleName: "breakglass-non-interactive-sign-in-tripwire",
    displayName: "Breakglass non-interactive sign-in (tripwire)",
    table: "AADNonInteractiveUserSignInLogs",
  },
  breakglassAccountChanged: {
    ruleName: "breakglass-account-changed",
    displayName: "Breakglass account or exclusion group changed",
    table: "AuditLogs",
  },
  roleAssignedOutsidePim: {
    ruleName: "privileged-role-assigned-outside-pim",
    displayName: "Privileged role assigned outside PIM",
    table: "AuditLogs",
  },
  routineJitUse: {
    ruleName: "routine-global-admin-activation",
    displayName: "Routine use of just-in-time Global Administrator",
    table: "AuditLogs",
  },
};

export const ALERT_RULE_KEYS = Object.keys(ALERT_RULES) as AlertRuleKey[];

/** The rules that are tripwires (interactive and non-interactive sign-ins). */
export const TRIPWIRE_RULE_KEYS = ["breakglassSignIn", "breakglassNonInteractiveSignIn"] as const satisfies readonly AlertRuleKey[];
export type TripwireRuleKey = (typeof TRIPWIRE_RULE_KEYS)[number];

export const TRIPWIRE = {
  /** The fastest Azure Monitor evaluates a log alert. */
  evaluationFrequency: "PT1M",
  /** Larger than the frequency so records that arrive late (P99 ≈ 5 min) are still seen; see docs/monitoring.md. */
  windowSize: "PT15M",
  /** Critical ("P1"). */
  severity: 0,
} as const;

/** The Pulumi resource name of a rule declared by the Monitoring component named `componentName`. */
export function alertRuleResourceName(componentName: string, key: AlertRuleKey): string {
  return `${componentName}-${ALERT_RULES[key].ruleName}`;
}

/** Which tripwire a scheduled query rule is, from its `ruleName` or `displayName` input; undefined if none. */
export function tripwireRuleKey(props: { ruleName?: unknown; displayName?: unknown }): TripwireRuleKey | undefined {
  return TRIPWIRE_RULE_KEYS.find(
    (key) => props.ruleName === ALERT_RULES[key].ruleName || props.displayName === ALERT_RULES[key].displayName,
  );
}

export interface BreakglassAccountRef {
  upn: string;
  objectId: string;
}

/**
 * Whether the query names this account by both object id and UPN, as string literals (case-insensitive, as the
 * `in~` the builders use). A substring is not enough: "breakglass-01@…" must not count for "breakglass-011@…".
 */
export function tripwireQueryCoversAccount(query: string, account: BreakglassAccountRef): boolean {
  return missingIdentifiers(query, account).length === 0;
}

/** Which of the account's identifiers the query does not name. */
export function missingIdentifiers(query: string, account: BreakglassAccountRef): ("upn" | "objectId")[] {
  const literals = new Set(kqlStringLiterals(query).map((l) => l.toLowerCase()));
  const missing: ("upn" | "objectId")[] = [];
  if (!literals.has(account.objectId.toLowerCase())) missing.push("objectId");
  if (!literals.has(account.upn.toLowerCase())) missing.push("upn");
  return missing;
}

export interface TripwireRuleFacts {
  query: string;
  severity?: number;
  enabled?: boolean;
  evaluationFrequency?: string;
}

/**
 * Everything wrong with a tripwire rule, as messages; empty when it holds. `maxEvaluationFrequency` is
 * `limits.tripwireMaxEvaluationFrequency` (slowest allowed).
 */
export function tripwireRuleProblems(
  key: TripwireRuleKey,
  rule: TripwireRuleFacts,
  accounts: readonly BreakglassAccountRef[],
  maxEvaluationFrequency: string = TRIPWIRE.evaluationFrequency,
): string[] {
  const problems: string[] = [];
  const { displayName, table } = ALERT_RULES[key];
  if (rule.severity !== TRIPWIRE.severity) problems.push(`${displayName}: severity is ${String(rule.severity)}, must be ${TRIPWIRE.severity} (critical)`);
  if (rule.enabled !== true) problems.push(`${displayName}: the rule is not enabled`);
  const frequency = rule.evaluationFrequency === undefined ? undefined : durationSeconds(rule.evaluationFrequency);
  const max = durationSeconds(maxEvaluationFrequency) ?? 60;
  if (frequency === undefined || frequency > max) {
    problems.push(`${displayName}: evaluationFrequency ${String(rule.evaluationFrequency)} is slower than ${maxEvaluationFrequency}`);
  }
  const source = kqlSourceTable(rule.query);
  if (source !== table) problems.push(`${displayName}: the query reads ${String(source)}, must read ${table}`);
  for (const account of accounts) {
    const missing = missingIdentifiers(rule.query, account);
    if (missing.length > 0) problems.push(`${displayName}: the query does not name breakglass account ${account.upn} by ${missing.join(" and ")}`);
  }
  for (const violation of logAlertQueryViolations(rule.query, { evaluationFrequencySeconds: frequency ?? 60 })) {
    problems.push(`${displayName}: ${violation}`);
  }
  return problems;
}
