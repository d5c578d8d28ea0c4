/**
 * What Azure Monitor accepts in a log alert (reference §7), and the tripwire's promise to name every breakglass
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
  tripwireQueryCoversAccount,
  tripwireRuleProblems,
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

  it.each(tables)("%s: a three-account config yields a query naming all three by object id and UPN", (table) => {
    const bg = breakglassOf(3);
    const query = breakglassSignInQuery(table, bg);
    for (let i = 0; i < 3; i++) {
      expect(tripwireQueryCoversAccount(query, { upn: bg.userPrincipalNames[i]!, objectId: bg.objectIds[i]! })).toBe(
        true,
      );
    }
    expect(analyzeKql(query).errors).toEqual([]);
  });

  it("an account the query does not name is reported, by what is missing", () => {
    const three = breakglassOf(3);
    const query = breakglassSignInQuery("SigninLogs", breakglassOf(2));
    const third = { upn: three.userPrincipalNames[2]!, objectId: three.objectIds[2]! };
    expect(tripwireQueryCoversAccount(query, third)).toBe(false);
    const accounts = three.userPrincipalNames.map((upn, i) => ({ upn, objectId: three.objectIds[i]! }));
    expect(
      tripwireRuleProblems(
        "breakglassSignIn",
        { query, severity: 0, enabled: true, evaluationFrequency: "PT1M" },
        accounts,
      ),
    ).toEqual([
      "Breakglass sign-in (tripwire): the query does not name breakglass account breakglass-03@contoso.onmicrosoft.com by objectId and upn",
    ]);
  });

  it("a query matching only by UPN (or only by id) does not cover the account", () => {
    const bg = breakglassOf(1);
    const account = { upn: bg.userPrincipalNames[0]!, objectId: bg.objectIds[0]! };
    expect(tripwireQueryCoversAccount(`SigninLogs | where UserPrincipalName =~ "${account.upn}"`, account)).toBe(false);
    expect(tripwireQueryCoversAccount(`SigninLogs | where UserId == "${account.objectId}"`, account)).toBe(false);
    expect(
      tripwireQueryCoversAccount(
        `SigninLogs | where UserId == "${account.objectId.toUpperCase()}" or UserPrincipalName =~ "${account.upn}"`,
        account,
      ),
    ).toBe(true);
  });

  it("a UPN that only contains the account's UPN, or a mention in a comment, does not count", () => {
    const account = { upn: "breakglass-01@contoso.onmicrosoft.com", objectId: "11111111-aaaa-4bbb-8ccc-111111111111" };
    const longer = `SigninLogs | where UserId == "${account.objectId}" or UserPrincipalName =~ "x${account.upn}"`;
    const comment = `// ${account.upn}\nSigninLogs | where UserId == "${account.objectId}"`;
    expect(tripwireQueryCoversAccount(longer, account)).toBe(false);
    expect(tripwireQueryCoversAccount(comment, account)).toBe(false);
  });

  it("the rule facts the pack checks: Sev 0, enabled, every minute, the right table", () => {
    const bg = breakglassOf(2);
    const accounts = bg.userPrincipalNames.map((upn, i) => ({ upn, objectId: bg.objectIds[i]! }));
    const query = breakglassSignInQuery("SigninLogs", bg);
    const good = {
      query,
      severity: TRIPWIRE.severity,
      enabled: true,
      evaluationFrequency: TRIPWIRE.evaluationFrequency,
    };
    expect(tripwireRuleProblems("breakglassSignIn", good, accounts, "PT5M")).toEqual([]);
    expect(tripwireRuleProblems("breakglassSignIn", { ...good, severity: 2 }, accounts)).toEqual([
      "Breakglass sign-in (tripwire): severity is 2, must be 0 (critical)",
    ]);
    expect(tripwireRuleProblems("breakglassSignIn", { ...good, enabled: false }, accounts)).toEqual([
      "Breakglass sign-in (tripwire): the rule is not enabled",
    ]);
    expect(
      tripwireRuleProblems("breakglassSignIn", { ...good, evaluationFrequency: "PT15M" }, accounts, "PT5M"),
    ).toEqual(["Breakglass sign-in (tripwire): evaluationFrequency PT15M is slower than PT5M"]);
    expect(tripwireRuleProblems("breakglassNonInteractiveSignIn", good, accounts)).toEqual([
      "Breakglass non-interactive sign-in (tripwire): the query reads SigninLogs, must read AADNonInteractiveUserSignInLogs",
    ]);
  });

  it("refuses to build a tripwire that names no account", () => {
    expect(() => breakglassSignInQuery("SigninLogs", { userPrincipalNames: [], objectIds: [] })).toThrow(
      /every emergency account/,
    );
  });
});
