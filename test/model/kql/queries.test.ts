/**
 * Every query the project ships — the five alert rules, the workbook's sections and the review's base query — is
 * parsed and semantically analyzed by Kusto.Language against the documented table schemas: zero diagnostics and
 * the output columns the alert dimensions, the workbook and the review code rely on. The evaluator the behaviour
 * tests use computes the same output schema from the same definitions.
 */
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_CHANGED_COLUMNS,
  breakglassAccountChangedDefinition,
  evaluateKql,
  type KqlQuery,
  pimEventsDefinition,
  pimReviewWorkbookDefinitions,
  renderKql,
  roleAssignedOutsidePimDefinition,
  routineJitUseDefinition,
  tripwireQueryDefinition,
  ACCOUNT_CHANGED_DIMENSIONS,
  type AlertRuleKey,
  breakglassAccountChangedQuery,
  breakglassSignInQuery,
  OUTSIDE_PIM_COLUMNS,
  OUTSIDE_PIM_DIMENSIONS,
  ACTIVATION_COLUMNS,
  ADMIN_SUMMARY_COLUMNS,
  PIM_EVENT_COLUMNS,
  pimEventsQuery,
  pimReviewWorkbookQueries,
  ROLE_ADMIN_SUMMARY_COLUMNS,
  ROLE_SUMMARY_COLUMNS,
  roleAssignedOutsidePimQuery,
  ROUTINE_JIT_COLUMNS,
  ROUTINE_JIT_DIMENSIONS,
  routineJitUseQuery,
  SIGN_IN_ALERT_COLUMNS,
  SIGN_IN_ALERT_DIMENSIONS,
} from "@entra-baseline/model";
import { ALERT_RULE_SCHEDULES } from "../../../src/components/monitoring/alertRules";
import { monitoringSchema } from "../../../src/config/schema";
import { analyzeKql, describeErrors } from "../../support/kusto";
import { breakglassOf, logTables, REVIEW_OPTIONS } from "../../support/kqlFixtures";

const bg = breakglassOf(2);

function expectClean(query: string) {
  const analysis = analyzeKql(query);
  expect(analysis.diagnostics, describeErrors(query, analysis.diagnostics)).toEqual([]);
  return analysis;
}

function columnsOf(query: string) {
  return expectClean(query).columns;
}

/** Both tripwires project the same columns, whichever sign-in table they read (its detail columns parsed alike). */
const SIGN_IN_COLUMN_TYPES = {
  TimeGenerated: "datetime",
  CreatedDateTime: "datetime",
  UserPrincipalName: "string",
  UserId: "string",
  Outcome: "string",
  ResultType: "string",
  ResultDescription: "string",
  IPAddress: "string",
  Country: "string",
  AppDisplayName: "string",
  ClientAppUsed: "string",
  ConditionalAccessStatus: "string",
  CorrelationId: "string",
};

describe("alert rule queries analyze cleanly against the documented schemas", () => {
  const cases: { name: string; query: string; columns: Record<string, string>; dimensions: readonly string[] }[] = [
    {
      name: "breakglass sign-in (SigninLogs)",
      query: breakglassSignInQuery("SigninLogs", bg),
      columns: SIGN_IN_COLUMN_TYPES,
      dimensions: SIGN_IN_ALERT_DIMENSIONS,
    },
    {
      name: "breakglass non-interactive sign-in (AADNonInteractiveUserSignInLogs)",
      query: breakglassSignInQuery("AADNonInteractiveUserSignInLogs", bg),
      columns: SIGN_IN_COLUMN_TYPES,
      dimensions: SIGN_IN_ALERT_DIMENSIONS,
    },
    {
      name: "breakglass account changed",
      query: breakglassAccountChangedQuery(bg, 5),
      columns: {
        TimeGenerated: "datetime",
        OperationName: "string",
        Change: "string",
        Category: "string",
        Result: "string",
        Actor: "string",
        BreakglassTargets: "string",
        CorrelationId: "string",
      },
      dimensions: ACCOUNT_CHANGED_DIMENSIONS,
    },
    {
      name: "privileged role assigned outside PIM",
      query: roleAssignedOutsidePimQuery(bg, 5),
      columns: {
        TimeGenerated: "datetime",
        OperationName: "string",
        RoleName: "string",
        RoleTemplateId: "string",
        PrincipalName: "string",
        PrincipalId: "string",
        PrincipalType: "string",
        Actor: "string",
        Result: "string",
        CorrelationId: "string",
      },
      dimensions: OUTSIDE_PIM_DIMENSIONS,
    },
    {
      name: "routine JIT use",
      query: routineJitUseQuery(REVIEW_OPTIONS),
      columns: {
        TimeGenerated: "datetime",
        Admin: "string",
        ActiveDays: "long",
        TicketlessRequests: "long",
        Reason: "string",
      },
      dimensions: ROUTINE_JIT_DIMENSIONS,
    },
  ];

  it.each(cases)("$name: zero diagnostics, expected columns and types", ({ query, columns }) => {
    const out = columnsOf(query);
    expect(Object.fromEntries(out.map((c) => [c.name, c.type]))).toEqual(columns);
  });

  it.each(cases)("$name: every alert dimension is an output column of type string", ({ query, dimensions }) => {
    const out = columnsOf(query);
    for (const d of dimensions) expect(out.find((c) => c.name === d)?.type, d).toBe("string");
  });

  it("the exported column lists are what the queries produce (the review and dimensions rely on them)", () => {
    expect(columnsOf(breakglassSignInQuery("SigninLogs", bg)).map((c) => c.name)).toEqual([...SIGN_IN_ALERT_COLUMNS]);
    expect(columnsOf(breakglassAccountChangedQuery(bg, 5)).map((c) => c.name)).toEqual([...ACCOUNT_CHANGED_COLUMNS]);
    expect(columnsOf(roleAssignedOutsidePimQuery(bg, 5)).map((c) => c.name)).toEqual([...OUTSIDE_PIM_COLUMNS]);
    expect(columnsOf(routineJitUseQuery(REVIEW_OPTIONS)).map((c) => c.name)).toEqual([...ROUTINE_JIT_COLUMNS]);
  });

  it("each rule's schedule builds the query the cases above check, from the bundled defaults", () => {
    const monitoring = monitoringSchema.parse({ actionGroup: { emails: ["soc@contoso.com"] } });
    for (const key of Object.keys(ALERT_RULE_SCHEDULES) as AlertRuleKey[]) {
      expectClean(ALERT_RULE_SCHEDULES[key].query(bg, monitoring));
    }
  });
});

describe("review and workbook queries analyze cleanly", () => {
  it("the review's base query returns the PIM event columns the review code reads", () => {
    const out = columnsOf(pimEventsQuery(REVIEW_OPTIONS));
    expect(out).toEqual([
      { name: "TimeGenerated", type: "datetime" },
      { name: "Event", type: "string" },
      { name: "Role", type: "string" },
      { name: "Admin", type: "string" },
      { name: "AdminId", type: "string" },
      { name: "Actor", type: "string" },
      { name: "Justification", type: "string" },
      { name: "Ticket", type: "string" },
      { name: "TicketSource", type: "string" },
      { name: "Result", type: "string" },
      { name: "CorrelationId", type: "string" },
    ]);
    expect(out.map((c) => c.name)).toEqual([...PIM_EVENT_COLUMNS]);
  });

  const expected: Record<string, Record<string, string>> = {
    activations: {
      ActivatedAt: "datetime",
      Role: "string",
      Admin: "string",
      DurationMinutes: "long",
      Justification: "string",
      Ticket: "string",
      ApprovedBy: "string",
      OutsideWorkingHours: "bool",
    },
    "per-role": {
      Role: "string",
      Activations: "long",
      Admins: "long",
      WithoutTicket: "long",
      OutsideWorkingHours: "long",
      Denied: "long",
    },
    "per-admin": {
      Admin: "string",
      Activations: "long",
      ActiveDays: "long",
      WithoutTicket: "long",
      OutsideWorkingHours: "long",
      Denied: "long",
    },
    "outside-working-hours": {
      ActivatedAt: "datetime",
      Role: "string",
      Admin: "string",
      DurationMinutes: "long",
      Justification: "string",
      Ticket: "string",
      ApprovedBy: "string",
      OutsideWorkingHours: "bool",
    },
    "per-role-admin": {
      Role: "string",
      Admin: "string",
      Activations: "long",
      ActiveDays: "long",
      WithoutTicket: "long",
      OutsideWorkingHours: "long",
      Denied: "long",
    },
    denied: { DeniedAt: "datetime", Role: "string", Admin: "string", DeniedBy: "string", Justification: "string" },
  };

  it.each(pimReviewWorkbookQueries(REVIEW_OPTIONS))(
    "workbook section $name: zero diagnostics, expected columns",
    ({ name, query }) => {
      const out = columnsOf(query);
      expect(Object.fromEntries(out.map((c) => [c.name, c.type]))).toEqual(expected[name]);
    },
  );

  it("the sections are the ones listed above, and their columns are the exported lists", () => {
    const sections = pimReviewWorkbookQueries(REVIEW_OPTIONS);
    expect(sections.map((q) => q.name)).toEqual([
      "activations",
      "per-role",
      "per-admin",
      "per-role-admin",
      "outside-working-hours",
      "denied",
    ]);
    const columns = (name: string) => columnsOf(sections.find((q) => q.name === name)!.query).map((c) => c.name);
    expect(columns("activations")).toEqual([...ACTIVATION_COLUMNS]);
    expect(columns("per-role")).toEqual([...ROLE_SUMMARY_COLUMNS]);
    expect(columns("per-admin")).toEqual([...ADMIN_SUMMARY_COLUMNS]);
    expect(columns("per-role-admin")).toEqual([...ROLE_ADMIN_SUMMARY_COLUMNS]);
  });

  it("the base query names every managed role it is given, and only those", () => {
    const query = pimEventsQuery({
      ...REVIEW_OPTIONS,
      roles: ["Global Administrator", "Privileged Role Administrator"],
    });
    expect(query).toContain('| where RoleName in~ ("Global Administrator", "Privileged Role Administrator")');
    expect(pimEventsQuery({ ...REVIEW_OPTIONS, roles: ["Global Administrator"] })).toContain(
      '| where RoleName in~ ("Global Administrator")',
    );
  });

  it("every workbook section starts from the review's base query", () => {
    const base = pimEventsQuery(REVIEW_OPTIONS);
    for (const section of pimReviewWorkbookQueries(REVIEW_OPTIONS)) expect(section.query).toContain(base);
  });

  it("a negative UTC offset and a backslash in the ticket pattern still analyze cleanly", () => {
    const options = {
      roles: REVIEW_OPTIONS.roles,
      ticketPattern: "\\b(INC|CHG)\\d{6,}\\b",
      workingHours: { start: 9, end: 17, utcOffsetHours: -8 },
    };
    for (const section of pimReviewWorkbookQueries(options)) expectClean(section.query);
    expectClean(routineJitUseQuery({ ...options, minActiveDays: 3 }));
    // A one-day threshold is kept; anything above the two days the alert can see is capped at two.
    expect(routineJitUseQuery({ ...options, minActiveDays: 1 })).toContain("ActiveDays >= 1 and");
    expect(routineJitUseQuery({ ...options, minActiveDays: 7 })).toContain("ActiveDays >= 2 and");
  });
});

describe("the evaluator and the analyzer agree on every definition's output schema", () => {
  const exceptions = [
    {
      principal: "5a5a5a5a-0000-4000-8000-000000000001",
      principalType: "servicePrincipal" as const,
      roles: ["Directory Synchronization Accounts"],
      reason: "Entra Connect sync account",
      owner: "identity-team@contoso.com",
      expires: "2027-06-30",
    },
  ];
  const definitions: [string, KqlQuery][] = [
    ["tripwire (SigninLogs)", tripwireQueryDefinition("SigninLogs", bg)],
    ["tripwire (AADNonInteractiveUserSignInLogs)", tripwireQueryDefinition("AADNonInteractiveUserSignInLogs", bg)],
    ["account changed", breakglassAccountChangedDefinition(bg, 5)],
    ["outside PIM, with an exception", roleAssignedOutsidePimDefinition(bg, 5, exceptions)],
    ["routine JIT use", routineJitUseDefinition(REVIEW_OPTIONS)],
    ["PIM events", pimEventsDefinition(REVIEW_OPTIONS)],
    ...pimReviewWorkbookDefinitions(REVIEW_OPTIONS).map((s): [string, KqlQuery] => [
      `workbook ${s.name}`,
      s.definition,
    ]),
  ];

  it.each(definitions)("%s", (_name, definition) => {
    const evaluated = evaluateKql(definition, logTables({}), { now: new Date() });
    expect(evaluated.columns).toEqual(expectClean(renderKql(definition)).columns);
  });

  it("the exported string builders are exactly the definitions rendered", () => {
    expect(breakglassSignInQuery("SigninLogs", bg)).toBe(renderKql(tripwireQueryDefinition("SigninLogs", bg)));
    expect(roleAssignedOutsidePimQuery(bg, 5, exceptions)).toBe(
      renderKql(roleAssignedOutsidePimDefinition(bg, 5, exceptions)),
    );
    expect(pimEventsQuery(REVIEW_OPTIONS)).toBe(renderKql(pimEventsDefinition(REVIEW_OPTIONS)));
    expect(pimReviewWorkbookQueries(REVIEW_OPTIONS).map((w) => w.query)).toEqual(
      pimReviewWorkbookDefinitions(REVIEW_OPTIONS).map((w) => renderKql(w.definition)),
    );
  });
});

describe("the same check catches mistakes", () => {
  it("a typo'd column is reported (KS142)", () => {
    const query = breakglassSignInQuery("SigninLogs", bg).replace("| where UserId in~", "| where UserIdd in~");
    const { errors } = analyzeKql(query);
    expect(errors.map((e) => e.code)).toContain("KS142");
    expect(errors.map((e) => e.message).join("\n")).toContain("UserIdd");
  });

  it("a typo'd table is reported", () => {
    const query = breakglassSignInQuery("SigninLogs", bg).replace(/^SigninLogs$/m, "SignInLogs");
    expect(query).toContain("\nSignInLogs\n");
    const { errors } = analyzeKql(query);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join("\n")).toContain("SignInLogs");
  });

  it("a column that is not in the reference schema is reported (no undocumented columns)", () => {
    const query = `${breakglassSignInQuery("SigninLogs", bg)}\n| extend Tenant = AADTenantId`;
    expect(analyzeKql(query).errors.map((e) => e.code)).toContain("KS142");
  });

  it("dynamic access on the non-interactive table's string LocationDetails is a type error; the builder parses it", () => {
    const wrong = breakglassSignInQuery("AADNonInteractiveUserSignInLogs", bg).replace(
      "parse_json(LocationDetails)",
      "LocationDetails",
    );
    expect(analyzeKql(wrong).errors.length).toBeGreaterThan(0);
    expect(analyzeKql(breakglassSignInQuery("AADNonInteractiveUserSignInLogs", bg)).errors).toEqual([]);
  });

  it("treating ResultType (a string) as a number is a type error (KS106)", () => {
    const wrong = breakglassSignInQuery("SigninLogs", bg).replace(
      'iff(ResultType == "0", "success", "failure")',
      'iff(ResultType > 0, "failure", "success")',
    );
    expect(wrong).not.toEqual(breakglassSignInQuery("SigninLogs", bg));
    expect(analyzeKql(wrong).errors.map((e) => e.code)).toContain("KS106");
  });
});
