/**
 * The breakglass tripwire as facts, shared by the monitoring program (which declares it), the policy pack (which
 * rejects a deploy that weakens it) and the audit (which compares the live rules with it). Pure: no Pulumi.
 *
 * A tripwire is a log alert rule that fires on any sign-in attempt, success or failure, by an emergency account:
 * Sev 0, evaluated every minute, naming every breakglass account by object id (survives renames) *and* UPN
 * (catches attempts against the name). See docs/monitoring.md for the timing reasoning.
 */
import { durationSeconds } from "./duration";
import { kqlSourceTable, kqlTokens, logAlertQueryViolations } from "./logAlertQuery";

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

/**
 * Which of the account's identifiers the query does not name. "Naming" means a positive comparison in the
 * tripwire's one filter (`UserId in~ (…)`, `UserPrincipalName =~ "…"`): a literal in an `extend`, behind `!in~`,
 * or in a query of another shape (see tripwireQueryFilter) matches no sign-in and so covers nobody.
 */
export function missingIdentifiers(query: string, account: BreakglassAccountRef): ("upn" | "objectId")[] {
  const filter = tripwireQueryFilter(query);
  const named = (column: string) =>
    new Set(
      "comparisons" in filter
        ? filter.comparisons
            .filter((c) => c.column.toLowerCase() === column.toLowerCase())
            .flatMap((c) => c.values.map((v) => v.toLowerCase()))
        : [],
    );
  const missing: ("upn" | "objectId")[] = [];
  if (!named(IDENTITY_COLUMNS.objectId).has(account.objectId.toLowerCase())) missing.push("objectId");
  if (!named(IDENTITY_COLUMNS.upn).has(account.upn.toLowerCase())) missing.push("upn");
  return missing;
}

/** The sign-in tables' identity columns (reference §6): the tripwire compares these with the accounts. */
export const IDENTITY_COLUMNS = { objectId: "UserId", upn: "UserPrincipalName" } as const;

/**
 * Tabular operators that may follow the tripwire's filter: they reshape rows but never drop one. Anything else
 * (`where`, `summarize`, `join`, `take`, `top`, `distinct`, …) could hide a breakglass sign-in, so a tripwire
 * query is `Table | where <identity comparisons> | extend … | project …` and nothing cleverer.
 */
const ROW_PRESERVING_OPERATORS = new Set([
  "extend",
  "project",
  "project-away",
  "project-keep",
  "project-rename",
  "project-reorder",
  "order",
  "sort",
]);

export interface IdentityComparison {
  column: string;
  values: string[];
}

/**
 * The tripwire query's account filter: `Table | where C op V (or C op V)*` with C an identity column and op a
 * positive, case-insensitive-or-exact comparison (`in~`, `in`, `=~`, `==`). Negations (`!in~`, `!=`, `not(…)`),
 * `and` (an extra condition), `let` statements (which could shadow the table) and row-dropping operators are a
 * `problem`: the tripwire must fire on any sign-in by the accounts, whatever its outcome.
 */
export function tripwireQueryFilter(query: string): { comparisons: IdentityComparison[] } | { problem: string } {
  const tokens = kqlTokens(query);
  if (tokens.some((t) => t.kind === "punct" && t.text === ";"))
    return { problem: "the query has `let` or several statements; a tripwire is one `Table | where …` statement" };
  const segments: (typeof tokens)[] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "punct" && (t.text === "(" || t.text === "[")) depth++;
    if (t.kind === "punct" && (t.text === ")" || t.text === "]")) depth--;
    if (t.kind === "punct" && t.text === "|" && depth === 0) segments.push([]);
    else segments.at(-1)!.push(t);
  }
  const [source, filter, ...rest] = segments;
  if (!source || source.length !== 1 || source[0]!.kind !== "word")
    return { problem: "the query does not start with the sign-in table alone" };
  if (!filter || filter[0]?.kind !== "word" || !["where", "filter"].includes(filter[0].text))
    return { problem: "the query's first operator is not the `where` that names the accounts" };
  for (const segment of rest) {
    const name = operatorName(segment);
    if (!ROW_PRESERVING_OPERATORS.has(name))
      return {
        problem: `'${name || "(empty)"}' after the account filter can drop sign-ins; only ${[...ROW_PRESERVING_OPERATORS].join(", ")} may follow it`,
      };
  }
  const comparisons: IdentityComparison[] = [];
  const body = filter.slice(1);
  let i = 0;
  const fail = (why: string) => ({
    problem: `the account filter ${why}; it must be \`${IDENTITY_COLUMNS.objectId} in~ (…) or ${IDENTITY_COLUMNS.upn} in~ (…)\``,
  });
  const expectPunct = (text: string) => body[i]?.kind === "punct" && body[i]!.text === text && (i++, true);
  // term := "(" disjunction ")" | Column op operand
  const term = (): string | undefined => {
    if (expectPunct("(")) {
      const err = disjunction();
      if (err) return err;
      return expectPunct(")") ? undefined : "has an unbalanced parenthesis";
    }
    const column = body[i];
    if (
      column?.kind !== "word" ||
      !Object.values(IDENTITY_COLUMNS).some((c) => c.toLowerCase() === column.text.toLowerCase())
    ) {
      return `compares ${column ? `'${column.text}'` : "nothing"}, not an identity column`;
    }
    i++;
    if (body[i]?.kind === "word" && body[i]!.text === "in") {
      i++;
      expectPunct("~");
      if (!expectPunct("(")) return "has an `in` without a list";
      const values: string[] = [];
      do {
        const v = body[i];
        if (v?.kind !== "string") return "lists something other than string literals";
        values.push(v.text);
        i++;
      } while (expectPunct(","));
      if (!expectPunct(")")) return "has an unterminated list";
      comparisons.push({ column: column.text, values });
      return undefined;
    }
    if (expectPunct("=") && (expectPunct("=") || expectPunct("~"))) {
      const v = body[i];
      if (v?.kind !== "string") return "compares with something other than a string literal";
      i++;
      comparisons.push({ column: column.text, values: [v.text] });
      return undefined;
    }
    return `uses an operator other than in~, in, =~ or == on ${column.text} (a negation matches everyone else)`;
  };
  const disjunction = (): string | undefined => {
    const err = term();
    if (err) return err;
    while (body[i]?.kind === "word" && body[i]!.text === "or") {
      i++;
      const next = term();
      if (next) return next;
    }
    return undefined;
  };
  const err = disjunction();
  if (err) return fail(err);
  if (i < body.length) return fail(`goes on after the comparisons ('${body[i]!.text}')`);
  return { comparisons };
}

function operatorName(segment: { kind: string; text: string }[]): string {
  let name = segment[0]?.kind === "word" ? segment[0].text : "";
  for (let j = 1; segment[j]?.text === "-" && segment[j + 1]?.kind === "word"; j += 2)
    name += `-${segment[j + 1]!.text}`;
  return name;
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
  if (rule.severity !== TRIPWIRE.severity)
    problems.push(`${displayName}: severity is ${String(rule.severity)}, must be ${TRIPWIRE.severity} (critical)`);
  if (rule.enabled !== true) problems.push(`${displayName}: the rule is not enabled`);
  const frequency = rule.evaluationFrequency === undefined ? undefined : durationSeconds(rule.evaluationFrequency);
  const max = durationSeconds(maxEvaluationFrequency) ?? 60;
  if (frequency === undefined || frequency > max) {
    problems.push(
      `${displayName}: evaluationFrequency ${String(rule.evaluationFrequency)} is slower than ${maxEvaluationFrequency}`,
    );
  }
  const source = kqlSourceTable(rule.query);
  if (source !== table) problems.push(`${displayName}: the query reads ${String(source)}, must read ${table}`);
  const filter = tripwireQueryFilter(rule.query);
  if ("problem" in filter && source === table) problems.push(`${displayName}: ${filter.problem}`);
  for (const account of accounts) {
    const missing = missingIdentifiers(rule.query, account);
    if (missing.length > 0)
      problems.push(
        `${displayName}: the query does not name breakglass account ${account.upn} by ${missing.join(" and ")}`,
      );
  }
  for (const violation of logAlertQueryViolations(rule.query, { evaluationFrequencySeconds: frequency ?? 60 })) {
    problems.push(`${displayName}: ${violation}`);
  }
  return problems;
}

/** One `criteria.allOf` condition of a scheduled query rule (ARM shape), as far as the tripwire depends on it. */
export interface TripwireCondition {
  timeAggregation?: unknown;
  operator?: unknown;
  threshold?: unknown;
  dimensions?: unknown;
  failingPeriods?: unknown;
}

/**
 * Everything besides the query that could keep a tripwire from firing on the first sign-in: a second condition
 * (allOf is an AND), a threshold above zero rows, a dimension that excludes values, more than one failing period,
 * or muted actions (which silence every later sign-in for the mute period).
 */
export function tripwireCriteriaProblems(allOf: readonly TripwireCondition[], muteActionsDuration?: unknown): string[] {
  const problems: string[] = [];
  if (allOf.length !== 1)
    problems.push(
      `has ${allOf.length} conditions (criteria.allOf); a tripwire has exactly one, since every condition must hold to fire`,
    );
  const c = allOf[0];
  if (c) {
    const threshold =
      typeof c.threshold === "string" && /^\d+(\.\d+)?$/.test(c.threshold) ? Number(c.threshold) : c.threshold;
    const firesOnFirstRow =
      (c.operator === "GreaterThan" && threshold === 0) || (c.operator === "GreaterThanOrEqual" && threshold === 1);
    if (!firesOnFirstRow)
      problems.push(
        `fires when the count is ${String(c.operator)} ${String(c.threshold)}; it must fire on the first row (GreaterThan 0)`,
      );
    if (c.timeAggregation !== "Count") problems.push(`aggregates with ${String(c.timeAggregation)}, not Count`);
    const dims = Array.isArray(c.dimensions) ? c.dimensions : [];
    for (const d of dims as Record<string, unknown>[]) {
      const values = Array.isArray(d?.values) ? d.values : [];
      if (d?.operator !== "Include" || values.length !== 1 || values[0] !== "*") {
        problems.push(
          `splits by dimension ${String(d?.name)} with ${String(d?.operator)} ${JSON.stringify(values)}; only Include ["*"] keeps every sign-in`,
        );
      }
    }
    const fp = (c.failingPeriods ?? {}) as Record<string, unknown>;
    if (c.failingPeriods !== undefined && Number(fp.minFailingPeriodsToAlert ?? 1) !== 1) {
      problems.push(`needs ${String(fp.minFailingPeriodsToAlert)} failing periods; one sign-in must be enough`);
    }
  }
  if (
    muteActionsDuration !== undefined &&
    muteActionsDuration !== null &&
    muteActionsDuration !== "" &&
    (durationSeconds(String(muteActionsDuration)) ?? 1) > 0
  ) {
    problems.push(`mutes its actions for ${String(muteActionsDuration)} after firing, so later sign-ins notify nobody`);
  }
  return problems;
}
