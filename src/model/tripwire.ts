/**
 * The breakglass tripwire as facts, shared by the monitoring program (which declares it), the policy pack (which
 * rejects a deploy that weakens it) and the audit (which compares the live rules with it). Pure: no Pulumi.
 *
 * A tripwire is a log alert rule that fires on any sign-in attempt, success or failure, by an emergency account:
 * Sev 0, evaluated every minute, naming every breakglass account by object id (survives renames) *and* UPN
 * (catches attempts against the name). See docs/monitoring.md for the timing reasoning.
 */
import { describeSeconds, durationSeconds } from "./duration";
import { breakglassSignInQuery, type SignInTable } from "./kql/breakglassSignIn";
import { kqlTokens, logAlertQueryViolations } from "./logAlertQuery";

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
export const TRIPWIRE_RULE_KEYS = [
  "breakglassSignIn",
  "breakglassNonInteractiveSignIn",
] as const satisfies readonly AlertRuleKey[];
export type TripwireRuleKey = (typeof TRIPWIRE_RULE_KEYS)[number];

export const TRIPWIRE = {
  /** The fastest Azure Monitor evaluates a log alert: the model's absolute bound. */
  evaluationFrequency: "PT1M",
  /** Larger than the frequency so records that arrive late (P99 ≈ 5 min) are still seen; see docs/monitoring.md. */
  windowSize: "PT15M",
  /** The longest window Azure allows a rule evaluated every minute (a longer window only catches later records). */
  maxWindowSize: "PT6H",
  /** Critical ("P1"). */
  severity: 0,
} as const;

/** The sign-in tables an emergency account's sign-in can appear in, each watched by its own tripwire. */
export const TRIPWIRE_TABLES: Readonly<Record<TripwireRuleKey, SignInTable>> = {
  breakglassSignIn: "SigninLogs",
  breakglassNonInteractiveSignIn: "AADNonInteractiveUserSignInLogs",
};

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

/** The sign-in tables' identity columns (docs/references.md): the tripwire compares these with the accounts. */
export const IDENTITY_COLUMNS = { objectId: "UserId", upn: "UserPrincipalName" } as const;

/** The tripwire query the model writes for `accounts` on `table`: the canonical form a deployed rule is held to. */
export function canonicalTripwireQuery(table: SignInTable, accounts: readonly BreakglassAccountRef[]): string {
  return breakglassSignInQuery(table, {
    userPrincipalNames: accounts.map((a) => a.upn),
    objectIds: accounts.map((a) => a.objectId),
  });
}

/**
 * A query as compared with the canonical one: its tokens without comments and layout, string lists written as
 * sorted sets (the order of accounts in `in~ (…)` means nothing, their case means nothing to `in~`).
 */
export function normalizedQuery(query: string): string {
  const tokens = kqlTokens(query);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const isInList = t.kind === "word" && t.text === "in" && tokens[i + 1]?.text === "~" && tokens[i + 2]?.text === "(";
    if (isInList) {
      const values: string[] = [];
      let j = i + 3;
      while (j < tokens.length && tokens[j]!.text !== ")") {
        if (tokens[j]!.kind === "string") values.push(tokens[j]!.text.toLowerCase());
        else if (tokens[j]!.text !== ",") break;
        j++;
      }
      if (tokens[j]?.text === ")") {
        out.push(
          `in~(${[...new Set(values)]
            .sort()
            .map((v) => JSON.stringify(v))
            .join(",")})`,
        );
        i = j;
        continue;
      }
    }
    out.push(t.kind === "string" ? JSON.stringify(t.text) : t.text);
  }
  return out.join(" ");
}

/** What the model needs to know of one scheduled query rule (ARM shape, from a stack or a live read). */
export interface TripwireRuleFacts {
  /** ruleName (or the resource name). */
  name: string;
  displayName?: string;
  enabled?: unknown;
  severity?: unknown;
  kind?: unknown;
  evaluationFrequency?: unknown;
  windowSize?: unknown;
  overrideQueryTimeRange?: unknown;
  muteActionsDuration?: unknown;
  /**
   * The query text; undefined when it is not known yet (preview) and `queryFromAccounts` says whether it was built
   * from the emergency accounts alone (the update-time run verifies the text).
   */
  query: string | undefined;
  queryFromAccounts?: boolean;
  conditions: readonly TripwireCondition[];
  /** Keys (ids or stand-ins) of the scopes; `scopesKnown` false when they cannot be read. */
  scopes: readonly string[];
  actionGroups: readonly ActionGroupFacts[];
}

/** One `criteria.allOf` condition of a scheduled query rule (ARM shape). */
export interface TripwireCondition {
  query?: unknown;
  timeAggregation?: unknown;
  operator?: unknown;
  threshold?: unknown;
  dimensions?: unknown;
  failingPeriods?: unknown;
  metricMeasureColumn?: unknown;
  resourceIdColumn?: unknown;
}

export interface ActionGroupFacts {
  key: string;
  /** Declared by the stack (pack), or found in the tenant (audit). */
  known: boolean;
  enabled?: unknown;
  /** Receivers of any kind. */
  receivers?: number;
}

export interface TripwireExpectation {
  /** Exactly the stack's emergency accounts. */
  accounts: readonly BreakglassAccountRef[];
  /** Keys of the workspace(s) the tripwire must read: those that receive each sign-in table. */
  workspaces: Readonly<Record<SignInTable, readonly string[]>>;
}

/** The table a query reads: its first word, when it is a plain `Table | …` statement. */
export function queryTable(query: string): string | undefined {
  const first = kqlTokens(query)[0];
  return first?.kind === "word" ? first.text : undefined;
}

/**
 * Everything that keeps `rule` from being the model's tripwire for `table` (allow-list): [] when it is exactly the
 * canonical rule up to its knobs (a longer window; any number of receivers).
 */
export function tripwireRuleGaps(rule: TripwireRuleFacts, table: SignInTable, want: TripwireExpectation): string[] {
  const gaps: string[] = [];
  if (rule.enabled !== true) gaps.push(`it is not enabled (enabled ${JSON.stringify(rule.enabled ?? null)})`);
  if (rule.severity !== TRIPWIRE.severity && rule.severity !== String(TRIPWIRE.severity)) {
    gaps.push(`its severity is ${JSON.stringify(rule.severity ?? null)}, not ${TRIPWIRE.severity} (critical)`);
  }
  if (rule.kind !== undefined && rule.kind !== null && rule.kind !== "LogAlert")
    gaps.push(`it is of kind ${JSON.stringify(rule.kind)}, not LogAlert`);
  const frequency =
    typeof rule.evaluationFrequency === "string" ? durationSeconds(rule.evaluationFrequency) : undefined;
  if (frequency !== 60)
    gaps.push(`it is evaluated every ${JSON.stringify(rule.evaluationFrequency ?? null)}, not every minute (PT1M)`);
  const window = typeof rule.windowSize === "string" ? durationSeconds(rule.windowSize) : undefined;
  const minWindow = durationSeconds(TRIPWIRE.windowSize)!;
  const maxWindow = durationSeconds(TRIPWIRE.maxWindowSize)!;
  if (window === undefined || window < minWindow || window > maxWindow) {
    gaps.push(
      `its window is ${JSON.stringify(rule.windowSize ?? null)}; it must be ${describeSeconds(minWindow)} to ${describeSeconds(maxWindow)} so that late sign-in records are still caught`,
    );
  }
  if (
    rule.overrideQueryTimeRange !== undefined &&
    rule.overrideQueryTimeRange !== null &&
    rule.overrideQueryTimeRange !== ""
  ) {
    const override =
      typeof rule.overrideQueryTimeRange === "string" ? durationSeconds(rule.overrideQueryTimeRange) : undefined;
    if (override === undefined || window === undefined || override < window) {
      gaps.push(
        `it overrides the query time range with ${JSON.stringify(rule.overrideQueryTimeRange)}, shorter than its window`,
      );
    }
  }
  if (rule.muteActionsDuration !== undefined && rule.muteActionsDuration !== null && rule.muteActionsDuration !== "") {
    const mute = typeof rule.muteActionsDuration === "string" ? durationSeconds(rule.muteActionsDuration) : 1;
    if (mute !== 0)
      gaps.push(
        `it mutes its actions for ${JSON.stringify(rule.muteActionsDuration)} after firing, so later sign-ins notify nobody`,
      );
  }
  gaps.push(...conditionGaps(rule.conditions));
  if (rule.query === undefined) {
    if (rule.queryFromAccounts !== true)
      gaps.push("its query is unknown and not built from the emergency accounts alone");
  } else {
    if (
      want.accounts.length > 0 &&
      normalizedQuery(rule.query) !== normalizedQuery(canonicalTripwireQuery(table, want.accounts))
    ) {
      gaps.push(
        `its query is not the model's tripwire for ${table} and exactly the emergency accounts ${want.accounts.map((a) => a.upn).join(", ")} (compare with src/model/kql/breakglassSignIn.ts)`,
      );
    }
    for (const violation of logAlertQueryViolations(rule.query, { evaluationFrequencySeconds: 60 }))
      gaps.push(`its query: ${violation}`);
  }
  const workspaces = new Set(want.workspaces[table].map((w) => w.toLowerCase()));
  if (rule.scopes.length !== 1 || !workspaces.has(rule.scopes[0]!.toLowerCase())) {
    gaps.push(
      `it reads ${rule.scopes.length === 0 ? "no workspace" : rule.scopes.join(", ")}, not the workspace that receives ${table} (${[...workspaces].join(", ") || "none does"})`,
    );
  }
  const heard = rule.actionGroups.filter((g) => g.known && g.enabled !== false && (g.receivers ?? 0) > 0);
  if (heard.length === 0) {
    gaps.push(
      rule.actionGroups.length === 0
        ? "it has no action group: a tripwire nobody hears"
        : `none of its action groups (${rule.actionGroups.map((g) => g.key).join(", ")}) is known, enabled and has a receiver`,
    );
  }
  return gaps;
}

/**
 * The one condition a tripwire has: count the rows, fire on the first, keep every row (dimensions only split), one
 * failing period.
 */
function conditionGaps(allOf: readonly TripwireCondition[]): string[] {
  if (allOf.length !== 1)
    return [`it has ${allOf.length} conditions; a tripwire has exactly one (every condition must hold to fire)`];
  const c = allOf[0]!;
  const gaps: string[] = [];
  const threshold =
    typeof c.threshold === "string" && /^\d+(\.\d+)?$/.test(c.threshold) ? Number(c.threshold) : c.threshold;
  const firesOnFirstRow =
    (c.operator === "GreaterThan" && threshold === 0) || (c.operator === "GreaterThanOrEqual" && threshold === 1);
  if (!firesOnFirstRow)
    gaps.push(
      `it fires when the count is ${String(c.operator)} ${String(c.threshold)}; it must fire on the first row (GreaterThan 0)`,
    );
  if (c.timeAggregation !== "Count") gaps.push(`it aggregates with ${String(c.timeAggregation)}, not Count`);
  if (c.metricMeasureColumn !== undefined && c.metricMeasureColumn !== null && c.metricMeasureColumn !== "") {
    gaps.push(`it measures column ${String(c.metricMeasureColumn)} instead of counting rows`);
  }
  for (const d of (Array.isArray(c.dimensions) ? c.dimensions : []) as Record<string, unknown>[]) {
    const values = Array.isArray(d?.values) ? d.values : [];
    if (d?.operator !== "Include" || values.length !== 1 || values[0] !== "*") {
      gaps.push(
        `it splits by ${String(d?.name)} with ${String(d?.operator)} ${JSON.stringify(values)}; only Include ["*"] keeps every sign-in`,
      );
    }
  }
  const fp = (c.failingPeriods ?? {}) as Record<string, unknown>;
  if (
    c.failingPeriods !== undefined &&
    (Number(fp.minFailingPeriodsToAlert ?? 1) !== 1 || Number(fp.numberOfEvaluationPeriods ?? 1) !== 1)
  ) {
    gaps.push(
      `it needs ${String(fp.minFailingPeriodsToAlert)} of ${String(fp.numberOfEvaluationPeriods)} failing periods; one sign-in must be enough`,
    );
  }
  return gaps;
}

export interface TripwireVerdict {
  table: SignInTable;
  key: TripwireRuleKey;
  /** The rules that meet the model (empty: the table is unwatched). */
  holding: string[];
  /** Every candidate rule's gaps, for the report, when none holds. */
  candidates: { name: string; gaps: string[] }[];
}

/**
 * Guarantee 5: for each sign-in table the emergency accounts can appear in, one rule that is the canonical tripwire.
 * Candidates are rules named as that tripwire or reading that table; extra rules (other alerts) are nobody's concern.
 */
export function tripwireVerdicts(rules: readonly TripwireRuleFacts[], want: TripwireExpectation): TripwireVerdict[] {
  return TRIPWIRE_RULE_KEYS.map((key) => {
    const table = TRIPWIRE_TABLES[key];
    const candidates = rules.filter(
      (r) =>
        tripwireRuleKey({ ruleName: r.name, displayName: r.displayName }) === key ||
        (r.query !== undefined && queryTable(r.query) === table),
    );
    const judged = candidates.map((r) => ({ name: r.name, gaps: tripwireRuleGaps(r, table, want) }));
    return { table, key, holding: judged.filter((j) => j.gaps.length === 0).map((j) => j.name), candidates: judged };
  });
}
