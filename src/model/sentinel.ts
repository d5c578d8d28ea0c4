/**
 * The tripwires and the other alerts in Microsoft Sentinel, in addition to the Azure Monitor log alerts — which stay
 * the guarantee (src/model/tripwire.ts). With `monitoring.sentinel.enabled` the program deploys each alert also as a
 * Sentinel analytics rule built from the same KQL definition; the policy pack and the audit then hold each Sentinel
 * tripwire to the log-alert tripwire: the same canonical query for exactly the emergency accounts, enabled, High,
 * unsuppressed, creating incidents, evaluated at least every five minutes over the tripwire's window, in the workspace
 * that receives the sign-ins. Pure: no Pulumi, no ARM.
 *
 * Why these bounds (docs/monitoring.md, "Microsoft Sentinel"):
 * - A near-real-time (NRT) rule runs every minute over the records ingested in the preceding minute, on a two-minute
 *   delay; it has no schedule of its own to judge.
 * - A scheduled rule runs every 5 minutes at the fastest (5 minutes to 14 days, on a built-in 5-minute delay) and
 *   filters on TimeGenerated over its lookback: the tripwire's window (15 minutes) keeps late sign-in records in view.
 * - Suppression stops the rule for a while after it fires: a second account's sign-in would go unseen.
 * - Sentinel tells people through incidents (and the automation rules that act on them), not action groups: a rule
 *   that creates no incident notifies nobody.
 */
import { describeSeconds, durationSeconds } from "./duration";
import type { SignInTable } from "./kql/breakglassSignIn";
import {
  ALERT_RULES,
  type AlertRuleKey,
  type BreakglassAccountRef,
  canonicalTripwireQuery,
  normalizedQuery,
  TRIPWIRE,
  TRIPWIRE_RULE_KEYS,
  TRIPWIRE_TABLES,
  type TripwireVerdict,
} from "./tripwire";

/**
 * The Sentinel analytics rule id (its ARM resource name) of each alert: fixed GUIDs, as the rule ids Sentinel itself
 * assigns are, so that a redeploy updates the same rule and the audit finds it even when someone renames it.
 */
export const SENTINEL_ALERT_RULE_IDS: Readonly<Record<AlertRuleKey, string>> = {
  breakglassSignIn: "ba0cb842-876c-4304-99c8-78f6e16ad970",
  breakglassNonInteractiveSignIn: "b0c491c7-b94b-4260-a669-8ba2ef1beae3",
  breakglassAccountChanged: "919447ea-ad80-4d2c-a76f-ca392e3ff1b2",
  roleAssignedOutsidePim: "17dc0713-bbce-4706-8fba-a71f299c1ac0",
  routineJitUse: "2d8bc5d7-f891-4b4c-ad2b-3a0fdae81a93",
};

/** The automation rule that adds the runbook to every incident of these rules (and runs the configured playbooks). */
export const SENTINEL_AUTOMATION_RULE_ID = "79dcf841-e057-4c62-8a36-75157b27fcc7";

/** The watchlist of the emergency accounts: `_GetWatchlist("BreakglassAccounts")` in any query of the workspace. */
export const SENTINEL_WATCHLIST = {
  alias: "BreakglassAccounts",
  displayName: "Breakglass (emergency access) accounts",
  /** Each item's columns; the search key is the object id (it survives renames). */
  columns: { upn: "UserPrincipalName", objectId: "ObjectId" },
  searchKey: "ObjectId",
} as const;

/**
 * The API version the NRT rules are written and all alert rules are read with. NRT is a preview-only kind: the stable
 * versions' alert rule schema (2024-09-01, azure-native 3.28's default, through 2025-09-01) knows only Scheduled,
 * Fusion and MicrosoftSecurityIncidentCreation; 2024-10-01-preview documents `kind: "NRT"` with its examples
 * (docs/references.md).
 */
export const SENTINEL_NRT_API_VERSION = "2024-10-01-preview";

/** The `AlertSeverity` enum of Sentinel analytics rules. */
export type SentinelSeverity = "High" | "Medium" | "Low" | "Informational";

/** A log alert's severity (0 critical … 4 verbose) as a Sentinel rule's: 0 and 1 are High. */
export function sentinelSeverity(logAlertSeverity: number): SentinelSeverity {
  if (logAlertSeverity <= 1) return "High";
  if (logAlertSeverity === 2) return "Medium";
  if (logAlertSeverity === 3) return "Low";
  return "Informational";
}

export const SENTINEL_TRIPWIRE = {
  severity: "High",
  /** Sentinel's fastest schedule for a scheduled rule: the bound a scheduled tripwire is held to. */
  scheduledFrequency: "PT5M",
  /** The shortest lookback that still sees late sign-in records: the log-alert tripwire's window. */
  minPeriod: TRIPWIRE.windowSize,
  /** Sentinel's longest lookback. */
  maxPeriod: "P14D",
} as const satisfies { severity: SentinelSeverity } & Record<string, string>;

/** What the model needs to know of one Sentinel analytics rule (ARM shape, from a stack or a live read). */
export interface SentinelRuleFacts {
  /** The rule id (its ARM resource name). */
  name: string;
  displayName?: string;
  kind?: unknown;
  enabled?: unknown;
  severity?: unknown;
  /** The query text; undefined when unknown (preview), then `queryFromAccounts` says where it came from. */
  query: string | undefined;
  queryFromAccounts?: boolean;
  /** Scheduled rules only. */
  queryFrequency?: unknown;
  queryPeriod?: unknown;
  triggerOperator?: unknown;
  triggerThreshold?: unknown;
  suppressionEnabled?: unknown;
  /** `incidentConfiguration.createIncident`. */
  createIncident?: unknown;
  /** Key of the workspace the rule is in (resource id lower-case, or a stand-in); undefined when unknown. */
  workspace: string | undefined;
}

export interface SentinelTripwireExpectation {
  /** Exactly the stack's emergency accounts. */
  accounts: readonly BreakglassAccountRef[];
  /** Keys of the workspace(s) that receive each sign-in table: where the Sentinel tripwire must run. */
  workspaces: Readonly<Record<SignInTable, readonly string[]>>;
}

function seconds(value: unknown): number | undefined {
  return typeof value === "string" ? durationSeconds(value) : undefined;
}

/**
 * Everything that keeps a Sentinel rule from matching the log-alert tripwire for `table` (allow-list): [] when it
 * runs the model's canonical tripwire query for exactly the emergency accounts, enabled, High, unsuppressed, creating
 * incidents, as an NRT rule or a scheduled rule every 5 minutes over at least the tripwire's window.
 */
export function sentinelTripwireGaps(
  rule: SentinelRuleFacts,
  table: SignInTable,
  want: SentinelTripwireExpectation,
): string[] {
  const gaps: string[] = [];
  if (rule.enabled !== true) gaps.push(`it is not enabled (enabled ${JSON.stringify(rule.enabled ?? null)})`);
  if (rule.severity !== SENTINEL_TRIPWIRE.severity)
    gaps.push(`its severity is ${JSON.stringify(rule.severity ?? null)}, not ${SENTINEL_TRIPWIRE.severity}`);
  if (rule.kind === "Scheduled") {
    const frequency = seconds(rule.queryFrequency);
    const maxFrequency = durationSeconds(SENTINEL_TRIPWIRE.scheduledFrequency)!;
    if (frequency === undefined || frequency > maxFrequency) {
      gaps.push(
        `it runs every ${JSON.stringify(rule.queryFrequency ?? null)}; a scheduled tripwire runs every ${describeSeconds(maxFrequency)} (or is a near-real-time rule)`,
      );
    }
    const period = seconds(rule.queryPeriod);
    const minPeriod = durationSeconds(SENTINEL_TRIPWIRE.minPeriod)!;
    const maxPeriod = durationSeconds(SENTINEL_TRIPWIRE.maxPeriod)!;
    if (period === undefined || period < minPeriod || period > maxPeriod) {
      gaps.push(
        `it looks back ${JSON.stringify(rule.queryPeriod ?? null)}; it must look back ${describeSeconds(minPeriod)} to ${describeSeconds(maxPeriod)} so that late sign-in records are still caught`,
      );
    }
    const threshold = typeof rule.triggerThreshold === "string" ? Number(rule.triggerThreshold) : rule.triggerThreshold;
    if (rule.triggerOperator !== "GreaterThan" || threshold !== 0) {
      gaps.push(
        `it alerts when the result count is ${String(rule.triggerOperator)} ${String(rule.triggerThreshold)}; it must alert on the first row (GreaterThan 0)`,
      );
    }
  } else if (rule.kind !== "NRT") {
    gaps.push(`it is of kind ${JSON.stringify(rule.kind ?? null)}, not NRT or Scheduled`);
  }
  if (rule.suppressionEnabled !== false) {
    gaps.push(
      `its suppression is ${JSON.stringify(rule.suppressionEnabled ?? null)}: a suppressed rule stops after the first alert, so a later sign-in raises nothing`,
    );
  }
  if (rule.createIncident !== true) {
    gaps.push(
      `it creates no incident (createIncident ${JSON.stringify(rule.createIncident ?? null)}): Sentinel tells people through incidents`,
    );
  }
  if (rule.query === undefined) {
    if (rule.queryFromAccounts !== true)
      gaps.push("its query is unknown and not built from the emergency accounts alone");
  } else if (
    want.accounts.length > 0 &&
    normalizedQuery(rule.query) !== normalizedQuery(canonicalTripwireQuery(table, want.accounts))
  ) {
    gaps.push(
      `its query is not the log-alert tripwire's for ${table} and exactly the emergency accounts ${want.accounts.map((a) => a.upn).join(", ")} (src/model/kql/breakglassSignIn.ts)`,
    );
  }
  const workspaces = new Set(want.workspaces[table].map((w) => w.toLowerCase()));
  if (rule.workspace === undefined || !workspaces.has(rule.workspace.toLowerCase())) {
    gaps.push(
      `it runs in ${rule.workspace ?? "an unknown workspace"}, not the workspace that receives ${table} (${[...workspaces].join(", ") || "none does"})`,
    );
  }
  return gaps;
}

/** The Sentinel tripwire a rule is by its id or display name; undefined if none. */
export function sentinelTripwireKey(rule: { name?: unknown; displayName?: unknown }): AlertRuleKey | undefined {
  const byId = (Object.keys(SENTINEL_ALERT_RULE_IDS) as AlertRuleKey[]).find(
    (key) => typeof rule.name === "string" && rule.name.toLowerCase() === SENTINEL_ALERT_RULE_IDS[key],
  );
  return byId ?? TRIPWIRE_RULE_KEYS.find((key) => rule.displayName === ALERT_RULES[key].displayName);
}

/**
 * For each sign-in table, the Sentinel rules that match the log-alert tripwire. Candidates are the rules that are
 * that tripwire by id or display name — not every rule that reads the table: a SOC's workspace holds many rules on
 * SigninLogs that are nobody's concern here. No candidate means the Sentinel tripwire is missing.
 */
export function sentinelTripwireVerdicts(
  rules: readonly SentinelRuleFacts[],
  want: SentinelTripwireExpectation,
): TripwireVerdict[] {
  return TRIPWIRE_RULE_KEYS.map((key) => {
    const table = TRIPWIRE_TABLES[key];
    const candidates = rules.filter((r) => sentinelTripwireKey(r) === key);
    const judged = candidates.map((r) => ({ name: r.name, gaps: sentinelTripwireGaps(r, table, want) }));
    return { table, key, holding: judged.filter((j) => j.gaps.length === 0).map((j) => j.name), candidates: judged };
  });
}
