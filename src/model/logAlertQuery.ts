/**
 * What Azure Monitor accepts in a log search alert query (docs/references.md, "Azure Resource Manager"), as pure checks shared by the program's
 * tests, the policy pack and the audit, plus the KQL string-literal helpers the query builders and those checks
 * agree on. No KQL engine runs here: literals and operators are found by a small lexer that skips comments and
 * string contents, so a UPN that contains "union" never trips the check.
 */

/** Azure's limit on a log alert rule's query. */
export const MAX_ALERT_QUERY_BYTES = 64 * 1024;

/** Not allowed when the rule runs every minute (docs/references.md, "Azure Resource Manager"). */
/** `limit` is `take` under another name. */
export const ONE_MINUTE_FORBIDDEN_OPERATORS = ["union", "search", "take", "limit"] as const;
export const ONE_MINUTE_FORBIDDEN_FUNCTIONS = ["ingestion_time"] as const;
/** Not allowed in any log alert query. */
export const ALWAYS_FORBIDDEN_FUNCTIONS = ["bag_unpack", "pivot", "narrow"] as const;

/** A KQL string literal for any text: double-quoted, backslash escapes (KQL follows C-style escaping here). */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r/g, "\\r").replace(/\n/g, "\\n")}"`;
}

/** `("a", "b")`, for `in~`/`has_any`. Callers guarantee a non-empty list: an empty KQL list matches nothing. */
export function kqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new Error("a KQL list needs at least one value (an empty list would match nothing)");
  return `(${values.map(kqlString).join(", ")})`;
}

interface Token {
  kind: "word" | "string" | "punct";
  text: string;
}

/** Splits KQL into words, string literals (unescaped values) and punctuation; drops comments and whitespace. */
export function kqlTokens(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && query[i + 1] === "/") {
      while (i < query.length && query[i] !== "\n") i++;
    } else if (query.startsWith("```", i)) {
      const end = query.indexOf("```", i + 3);
      const stop = end < 0 ? query.length : end;
      tokens.push({ kind: "string", text: query.slice(i + 3, stop) });
      i = stop + 3;
    } else if (
      (c === "@" || c === "h" || c === "H") &&
      (query[i + 1] === '"' || query[i + 1] === "'") &&
      !isWordChar(query[i - 1])
    ) {
      // @"verbatim" (quotes doubled inside) and h"obfuscated" literals.
      const verbatim = c === "@";
      const [text, next] = readString(query, i + 1, verbatim);
      tokens.push({ kind: "string", text });
      i = next;
    } else if (c === '"' || c === "'") {
      const [text, next] = readString(query, i, false);
      tokens.push({ kind: "string", text });
      i = next;
    } else if (isWordChar(c)) {
      let j = i;
      while (j < query.length && isWordChar(query[j])) j++;
      tokens.push({ kind: "word", text: query.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

function readString(query: string, start: number, verbatim: boolean): [string, number] {
  const quote = query[start]!;
  let out = "";
  let i = start + 1;
  while (i < query.length) {
    const c = query[i]!;
    if (verbatim && c === quote && query[i + 1] === quote) {
      out += quote;
      i += 2;
    } else if (c === quote) {
      return [out, i + 1];
    } else if (!verbatim && c === "\\" && i + 1 < query.length) {
      const e = query[i + 1]!;
      out += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e;
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return [out, i];
}

/** Every string literal's value, in order. */
export function kqlStringLiterals(query: string): string[] {
  return kqlTokens(query)
    .filter((t) => t.kind === "string")
    .map((t) => t.text);
}

/** The first word of the query after leading `let` statements: the table a simple `T | …` query reads. */
export function kqlSourceTable(query: string): string | undefined {
  const statements = splitStatements(kqlTokens(query));
  const last = statements.at(-1);
  return last?.[0]?.kind === "word" ? last[0].text : undefined;
}

function splitStatements(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === "punct" && t.text === ";") out.push([]);
    else out.at(-1)!.push(t);
  }
  return out.filter((s) => s.length > 0);
}

export interface QueryRuleContext {
  /** The rule's evaluationFrequency in seconds; 60 triggers the one-minute restrictions. */
  evaluationFrequencySeconds: number;
}

/** Why Azure Monitor would reject (or mis-run) this query as a log alert; empty when it is acceptable. */
export function logAlertQueryViolations(query: string, context: QueryRuleContext): string[] {
  const problems: string[] = [];
  const bytes = utf8Length(query);
  if (bytes > MAX_ALERT_QUERY_BYTES)
    problems.push(`the query is ${bytes} bytes; a log alert rule allows at most ${MAX_ALERT_QUERY_BYTES}`);
  const tokens = kqlTokens(query);
  const words = (name: string) => tokens.some((t, i) => t.kind === "word" && t.text === name && !isMember(tokens, i));
  const calls = (name: string) =>
    tokens.some((t, i) => t.kind === "word" && t.text === name && tokens[i + 1]?.text === "(");
  for (const fn of ALWAYS_FORBIDDEN_FUNCTIONS) {
    if (calls(fn)) problems.push(`${fn}() is not supported in log alert queries`);
  }
  if (context.evaluationFrequencySeconds <= 60) {
    for (const op of ONE_MINUTE_FORBIDDEN_OPERATORS) {
      if (words(op)) problems.push(`'${op}' is not allowed in a rule evaluated every minute`);
    }
    for (const fn of ONE_MINUTE_FORBIDDEN_FUNCTIONS) {
      if (calls(fn)) problems.push(`${fn}() is not allowed in a rule evaluated every minute`);
    }
  }
  tokens.forEach((t, i) => {
    if (t.kind === "word" && t.text === "ago" && tokens[i + 1]?.text === "(") {
      const close = tokens.findIndex((x, j) => j > i && x.text === ")");
      const arg = tokens
        .slice(i + 2, close < 0 ? tokens.length : close)
        .map((x) => x.text)
        .join("");
      if (!TIMESPAN_LITERAL.test(arg)) problems.push(`ago(${arg}) must take a timespan literal such as ago(5m)`);
    }
  });
  return problems;
}

/** UTF-8 length in bytes (what Azure's 64 KB limit counts), without depending on a runtime's TextEncoder. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

const TIMESPAN_LITERAL =
  /^\d+(\.\d+)?(d|h|m|s|ms|microsecond|microseconds|tick|ticks|min|minute|minutes|hr|hrs|hour|hours|day|days|sec|second|seconds)$/;

/** `x.take` or `x["take"]` is a member, not the operator. */
function isMember(tokens: Token[], i: number): boolean {
  return tokens[i - 1]?.text === ".";
}

/** Azure Monitor's limits on a log alert's schedule (azure-rest-api-specs scheduledQueryRules; azurerm docs). */
export const LOG_ALERT_SCHEDULE_LIMITS = {
  /** failingPeriods.numberOfEvaluationPeriods (and minFailingPeriodsToAlert) range. */
  maxEvaluationPeriods: 6,
  /** windowSize × numberOfEvaluationPeriods, and overrideQueryTimeRange, in seconds (48 hours). */
  maxLookbackSeconds: 2 * 86_400,
  /** The largest windowSize when the rule runs every minute (PT6H). */
  maxWindowAtOneMinuteSeconds: 6 * 3_600,
} as const;

export interface LogAlertSchedule {
  evaluationFrequencySeconds: number;
  windowSizeSeconds: number;
  numberOfEvaluationPeriods: number;
  minFailingPeriodsToAlert: number;
}

/** Why Azure Monitor would reject this schedule; empty when it is acceptable. */
export function logAlertScheduleViolations(s: LogAlertSchedule): string[] {
  const limits = LOG_ALERT_SCHEDULE_LIMITS;
  const problems: string[] = [];
  const periods = s.numberOfEvaluationPeriods;
  if (!Number.isInteger(periods) || periods < 1 || periods > limits.maxEvaluationPeriods) {
    problems.push(`numberOfEvaluationPeriods ${periods} is outside 1–${limits.maxEvaluationPeriods}`);
  }
  if (s.minFailingPeriodsToAlert < 1 || s.minFailingPeriodsToAlert > periods) {
    problems.push(
      `minFailingPeriodsToAlert ${s.minFailingPeriodsToAlert} must be 1–numberOfEvaluationPeriods (${periods})`,
    );
  }
  const lookback = s.windowSizeSeconds * periods;
  if (lookback > limits.maxLookbackSeconds) {
    problems.push(
      `the lookback windowSize × numberOfEvaluationPeriods is ${lookback / 3_600} hours; Azure allows at most ${limits.maxLookbackSeconds / 3_600}`,
    );
  }
  if (s.evaluationFrequencySeconds > lookback)
    problems.push("evaluationFrequency is longer than the lookback, so records would be skipped");
  if (s.evaluationFrequencySeconds <= 60 && s.windowSizeSeconds > limits.maxWindowAtOneMinuteSeconds) {
    problems.push(
      `windowSize may be at most ${limits.maxWindowAtOneMinuteSeconds / 3_600} hours when the rule runs every minute`,
    );
  }
  return problems;
}
