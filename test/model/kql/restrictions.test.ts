/**
 * What Azure Monitor accepts in a log alert (docs/references.md, "Azure Resource Manager"), and the tripwire's promise to name every breakglass
 * account. The checks are the shared model's (src/model), which the policy pack uses too.
 */
import { describe, expect, it } from "vitest";
import { ALERT_RULE_SCHEDULES } from "../../../src/components/monitoring/alertRules";
import {
  type AlertRuleKey,
  breakglassSignInQuery,
  durationSeconds,
  logAlertQueryViolations,
  logAlertScheduleViolations,
  MAX_ALERT_QUERY_BYTES,
  pimReviewWorkbookQueries,
  type SignInTable,
  TRIPWIRE,
  TRIPWIRE_RULE_KEYS,
  tripwireRuleGaps,
  type BreakglassAccountRef,
  type TripwireRuleFacts,
} from "@entra-baseline/model";
import { monitoringSchema } from "../../../src/config/schema";
import { analyzeKql } from "../../support/kusto";
import { breakglassOf, REVIEW_OPTIONS } from "../../support/kqlFixtures";

const monitoring = monitoringSchema.parse({
  actionGroup: { emails: ["soc@contoso.com"] },
  routineJitUse: { ticketPattern: "(INC|CHG)[0-9]{6,}" },
});
const keys = Object.keys(ALERT_RULE_SCHEDULES) as AlertRuleKey[];

describe("log alert restrictions", () => {
  it.each(keys)("%s: its query is acceptable at its own evaluation frequency", (key) => {
    const schedule = ALERT_RULE_SCHEDULES[key];
    const query = schedule.query(breakglassOf(10), monitoring);
    expect(
      logAlertQueryViolations(query, { evaluationFrequencySeconds: durationSeconds(schedule.evaluationFrequency)! }),
    ).toEqual([]);
  });

  it.each(keys)("%s: its schedule is one Azure accepts (≤ 6 periods, ≤ 48 h lookback, frequency within it)", (key) => {
    const { evaluationFrequency, windowSize, failingPeriods } = ALERT_RULE_SCHEDULES[key];
    expect(
      logAlertScheduleViolations({
        evaluationFrequencySeconds: durationSeconds(evaluationFrequency)!,
        windowSizeSeconds: durationSeconds(windowSize)!,
        ...failingPeriods,
      }),
    ).toEqual([]);
  });

  it("rejects the schedules Azure rejects: seven daily periods, a 7-day lookback, a 1-minute rule over 12 hours", () => {
    const day = 86_400;
    expect(
      logAlertScheduleViolations({
        evaluationFrequencySeconds: day,
        windowSizeSeconds: day,
        numberOfEvaluationPeriods: 7,
        minFailingPeriodsToAlert: 1,
      }),
    ).toEqual([
      "numberOfEvaluationPeriods 7 is outside 1–6",
      "the lookback windowSize × numberOfEvaluationPeriods is 168 hours; Azure allows at most 48",
    ]);
    expect(
      logAlertScheduleViolations({
        evaluationFrequencySeconds: 60,
        windowSizeSeconds: 12 * 3_600,
        numberOfEvaluationPeriods: 1,
        minFailingPeriodsToAlert: 1,
      }),
    ).toEqual(["windowSize may be at most 6 hours when the rule runs every minute"]);
    expect(
      logAlertScheduleViolations({
        evaluationFrequencySeconds: day,
        windowSizeSeconds: 3_600,
        numberOfEvaluationPeriods: 2,
        minFailingPeriodsToAlert: 3,
      }),
    ).toEqual([
      "minFailingPeriodsToAlert 3 must be 1–numberOfEvaluationPeriods (2)",
      "evaluationFrequency is longer than the lookback, so records would be skipped",
    ]);
  });

  it("the tripwires run every minute and use none of union, search, take/limit or ingestion_time()", () => {
    for (const key of TRIPWIRE_RULE_KEYS) {
      expect(ALERT_RULE_SCHEDULES[key].evaluationFrequency).toBe("PT1M");
      const query = ALERT_RULE_SCHEDULES[key].query(breakglassOf(3), monitoring);
      expect(logAlertQueryViolations(query, { evaluationFrequencySeconds: 60 })).toEqual([]);
      expect(query).not.toMatch(/\b(union|search|take|limit)\b|ingestion_time\s*\(/);
    }
  });

  it("the audit rules' ingestion_time() dedup would be rejected at one minute — the check is not vacuous", () => {
    const query = ALERT_RULE_SCHEDULES.breakglassAccountChanged.query(breakglassOf(2), monitoring);
    expect(logAlertQueryViolations(query, { evaluationFrequencySeconds: 60 })).toEqual([
      "ingestion_time() is not allowed in a rule evaluated every minute",
    ]);
  });

  it("flags each forbidden construct", () => {
    const at1m = (q: string) => logAlertQueryViolations(q, { evaluationFrequencySeconds: 60 });
    expect(at1m("union SigninLogs, AADNonInteractiveUserSignInLogs")).toEqual([
      "'union' is not allowed in a rule evaluated every minute",
    ]);
    expect(at1m('search "breakglass"')).toEqual(["'search' is not allowed in a rule evaluated every minute"]);
    expect(at1m("SigninLogs | take 10")).toEqual(["'take' is not allowed in a rule evaluated every minute"]);
    expect(at1m("SigninLogs | limit 10")).toEqual(["'limit' is not allowed in a rule evaluated every minute"]);
    expect(at1m("SigninLogs | extend i = ingestion_time()")).toEqual([
      "ingestion_time() is not allowed in a rule evaluated every minute",
    ]);
    const at5m = (q: string) => logAlertQueryViolations(q, { evaluationFrequencySeconds: 300 });
    expect(at5m("AuditLogs | evaluate bag_unpack(InitiatedBy)")).toEqual([
      "bag_unpack() is not supported in log alert queries",
    ]);
    expect(at5m("AuditLogs | evaluate pivot(Category)")).toEqual(["pivot() is not supported in log alert queries"]);
    expect(at5m("AuditLogs | evaluate narrow()")).toEqual(["narrow() is not supported in log alert queries"]);
    expect(at5m("let w = 5m; AuditLogs | where TimeGenerated > ago(w)")).toEqual([
      "ago(w) must take a timespan literal such as ago(5m)",
    ]);
    expect(at5m("AuditLogs | where TimeGenerated > ago(7d) and TimeGenerated < ago(90min)")).toEqual([]);
    expect(at5m(`AuditLogs | where OperationName == "${"x".repeat(MAX_ALERT_QUERY_BYTES)}"`)[0]).toMatch(
      /at most 65536/,
    );
  });

  it("ignores the forbidden words inside strings, comments and names (take_any is not take)", () => {
    const query = [
      "// union of nothing: search me",
      "SigninLogs",
      '| where UserPrincipalName in~ ("union@contoso.onmicrosoft.com", "take-5@contoso.onmicrosoft.com")',
      "| summarize take_any(UserId) by UserPrincipalName",
    ].join("\n");
    expect(logAlertQueryViolations(query, { evaluationFrequencySeconds: 60 })).toEqual([]);
    expect(analyzeKql(query).errors).toEqual([]);
  });

  it("no query anywhere uses bag_unpack/pivot/narrow or a non-literal ago(), and all stay under 64 KB", () => {
    const queries = [
      ...keys.map((k) => ALERT_RULE_SCHEDULES[k].query(breakglassOf(10), monitoring)),
      ...pimReviewWorkbookQueries(REVIEW_OPTIONS).map((w) => w.query),
    ];
    for (const q of queries) expect(logAlertQueryViolations(q, { evaluationFrequencySeconds: 86_400 })).toEqual([]);
  });
});

describe("the tripwire names every breakglass account", () => {
  const tables: SignInTable[] = ["SigninLogs", "AADNonInteractiveUserSignInLogs"];
  const WORKSPACE = "/subscriptions/s/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/w";
  const accountsOf = (bg: ReturnType<typeof breakglassOf>) =>
    bg.userPrincipalNames.map((upn, i) => ({ upn, objectId: bg.objectIds[i]! }));
  /** A rule that is the model's tripwire in every respect but, perhaps, its query. */
  const rule = (query: string, overrides: Partial<TripwireRuleFacts> = {}): TripwireRuleFacts => ({
    name: "breakglass-sign-in-tripwire",
    enabled: true,
    severity: TRIPWIRE.severity,
    evaluationFrequency: TRIPWIRE.evaluationFrequency,
    windowSize: TRIPWIRE.windowSize,
    query,
    conditions: [{ timeAggregation: "Count", operator: "GreaterThan", threshold: 0 }],
    scopes: [WORKSPACE],
    actionGroups: [{ key: "ag", known: true, enabled: true, receivers: 1 }],
    ...overrides,
  });
  const gaps = (
    query: string,
    accounts: readonly BreakglassAccountRef[],
    table: SignInTable = "SigninLogs",
    overrides: Partial<TripwireRuleFacts> = {},
  ) =>
    tripwireRuleGaps(rule(query, overrides), table, {
      accounts,
      workspaces: { SigninLogs: [WORKSPACE], AADNonInteractiveUserSignInLogs: [WORKSPACE] },
    });
  const NOT_CANONICAL = /^its query is not the model's tripwire for /;

  it.each(tables)("%s: a three-account config yields the canonical query, which the model accepts", (table) => {
    const bg = breakglassOf(3);
    const query = breakglassSignInQuery(table, bg);
    for (let i = 0; i < 3; i++) {
      expect(query).toContain(bg.userPrincipalNames[i]!);
      expect(query).toContain(bg.objectIds[i]!);
    }
    expect(gaps(query, accountsOf(bg), table)).toEqual([]);
    expect(analyzeKql(query).errors).toEqual([]);
  });

  it("a query that leaves an account out is not the tripwire", () => {
    const three = breakglassOf(3);
    const query = breakglassSignInQuery("SigninLogs", breakglassOf(2));
    const found = gaps(query, accountsOf(three));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(NOT_CANONICAL);
    expect(found[0]).toContain("breakglass-03@contoso.onmicrosoft.com");
  });

  it("a query matching only by UPN (or only by id) is not the tripwire; the accounts' order and case do not matter", () => {
    const bg = breakglassOf(2);
    const accounts = accountsOf(bg);
    const byUpn = `SigninLogs | where UserPrincipalName in~ (${accounts.map((a) => `"${a.upn}"`).join(", ")})`;
    const byId = `SigninLogs | where UserId in~ (${accounts.map((a) => `"${a.objectId}"`).join(", ")})`;
    expect(gaps(byUpn, accounts)).toEqual([expect.stringMatching(NOT_CANONICAL)]);
    expect(gaps(byId, accounts)).toEqual([expect.stringMatching(NOT_CANONICAL)]);
    const canonical = breakglassSignInQuery("SigninLogs", bg);
    const swap = (text: string, a: string, b: string) =>
      text.split(a).join("\u0000").split(b).join(a.toUpperCase()).split("\u0000").join(b);
    let reordered = swap(canonical, accounts[0]!.upn, accounts[1]!.upn);
    reordered = swap(reordered, accounts[0]!.objectId, accounts[1]!.objectId);
    expect(reordered).not.toBe(canonical);
    expect(gaps(reordered, accounts)).toEqual([]);
  });

  it("a UPN that only contains the account's UPN, or a mention in a comment, does not count", () => {
    const bg = breakglassOf(1);
    const accounts = accountsOf(bg);
    const canonical = breakglassSignInQuery("SigninLogs", bg);
    const longer = canonical.replace(accounts[0]!.upn, `x${accounts[0]!.upn}`);
    const commented = `// ${accounts[0]!.upn}\n${breakglassSignInQuery("SigninLogs", { ...bg, userPrincipalNames: ["someone@contoso.onmicrosoft.com"] })}`;
    expect(gaps(longer, accounts)).toEqual([expect.stringMatching(NOT_CANONICAL)]);
    expect(gaps(commented, accounts)).toEqual([expect.stringMatching(NOT_CANONICAL)]);
    // A comment alone changes nothing: comments are not part of the compared form.
    expect(gaps(`// reviewed 2026-11\n${canonical}`, accounts)).toEqual([]);
  });

  it("the rule facts the pack checks: Sev 0, enabled, every minute, the right table", () => {
    const bg = breakglassOf(2);
    const accounts = accountsOf(bg);
    const query = breakglassSignInQuery("SigninLogs", bg);
    expect(gaps(query, accounts)).toEqual([]);
    expect(gaps(query, accounts, "SigninLogs", { severity: 2 })).toEqual(["its severity is 2, not 0 (critical)"]);
    expect(gaps(query, accounts, "SigninLogs", { enabled: false })).toEqual(["it is not enabled (enabled false)"]);
    expect(gaps(query, accounts, "SigninLogs", { evaluationFrequency: "PT15M" })).toEqual([
      'it is evaluated every "PT15M", not every minute (PT1M)',
    ]);
    expect(gaps(query, accounts, "AADNonInteractiveUserSignInLogs")).toEqual([
      expect.stringMatching(/^its query is not the model's tripwire for AADNonInteractiveUserSignInLogs/),
    ]);
  });

  it("refuses to build a tripwire that names no account", () => {
    expect(() => breakglassSignInQuery("SigninLogs", { userPrincipalNames: [], objectIds: [] })).toThrow(
      /every emergency account/,
    );
  });
});
