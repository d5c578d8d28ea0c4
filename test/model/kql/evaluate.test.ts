/**
 * The evaluator's Kusto semantics, case by case, for what the queries rely on: each case is a small definition whose
 * rendering the analyzer accepts and whose rows follow the documented rule (null values, string operators,
 * summarize over no rows, join column names, mv-apply).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateKql, kqlAst as q, type KqlQuery, renderKql } from "@entra-baseline/model";
import { analyzeKql, describeErrors } from "../../support/kusto";
import { logTables } from "../../support/kqlFixtures";

const NOW = new Date("2025-06-09T12:00:00Z");

// Loading Kusto.Language takes seconds on a busy machine: do it once, outside the tests' time limit.
beforeAll(() => void analyzeKql("AuditLogs"), 120_000);

function run(query: KqlQuery, records: Record<string, unknown>[]) {
  const text = renderKql(query);
  const analysis = analyzeKql(text);
  expect(analysis.errors, describeErrors(text, analysis.errors)).toEqual([]);
  const result = evaluateKql(query, logTables({ AuditLogs: records }), { now: NOW });
  // The evaluator's output schema is the analyzer's, name for name and type for type.
  expect(result.columns).toEqual(analysis.columns);
  return result.rows;
}

const audit = (body: q.Operator[]): KqlQuery => ({ body: q.pipeline("AuditLogs", ...body) });
const record = (r: Record<string, unknown>) => ({ TimeGenerated: "2025-06-09T11:00:00Z", ...r });

describe("null values and strings", () => {
  it("a missing string column is empty, not null; a missing dynamic property is null and tostring() makes it empty", () => {
    const rows = run(
      audit([
        q.extend({
          Empty: q.isempty(q.column("ResultReason")),
          Upn: q.tostring(q.member(q.column("InitiatedBy"), "user", "userPrincipalName")),
        }),
        q.project("ResultReason", "Empty", "Upn"),
      ]),
      [record({ InitiatedBy: { user: null, app: { displayName: "MS-PIM" } } })],
    );
    expect(rows).toEqual([{ ResultReason: "", Empty: true, Upn: "" }]);
  });

  it("where keeps a row only when its predicate is true: a comparison with a null datetime drops it", () => {
    const rows = run(
      audit([
        q.extend({ Missing: q.datetime(null) }),
        q.where(q.lt(q.column("Missing"), q.column("TimeGenerated"))),
        q.project("TimeGenerated"),
      ]),
      [record({})],
    );
    expect(rows).toEqual([]);
  });

  it("and/or are three-valued: false decides an and, true decides an or, whatever the null", () => {
    const unknown = q.lt(q.datetime(null), q.column("TimeGenerated"));
    const rows = run(
      audit([
        q.extend({
          OrTrue: q.or(unknown, q.bool(true)),
          AndFalse: q.and(unknown, q.bool(false)),
          NotUnknown: q.isempty(q.tostring(q.not(unknown))),
        }),
        q.project("OrTrue", "AndFalse", "NotUnknown"),
      ]),
      [record({})],
    );
    expect(rows).toEqual([{ OrTrue: true, AndFalse: false, NotUnknown: true }]);
  });

  it("=~, in~, contains and startswith ignore case; == and in do not; !in keeps what is not listed", () => {
    const op = q.column("OperationName");
    const rows = run(
      audit([
        q.extend({
          EqCi: q.eqCi(op, q.str("add MEMBER to role")),
          Eq: q.eq(op, q.str("add MEMBER to role")),
          InCi: q.isInCi(op, ["ADD MEMBER TO ROLE"]),
          In: q.isIn(op, ["ADD MEMBER TO ROLE"]),
          NotIn: q.notIn(q.column("Identity"), ["MS-PIM", "MS-PIM-Fairfax"]),
          Contains: q.contains(op, q.str("MEMBER")),
          Starts: q.startswith(op, q.str("ADD member")),
        }),
        q.project("EqCi", "Eq", "InCi", "In", "NotIn", "Contains", "Starts"),
      ]),
      [record({ OperationName: "Add member to role", Identity: "Jane Admin" })],
    );
    expect(rows).toEqual([{ EqCi: true, Eq: false, InCi: true, In: false, NotIn: true, Contains: true, Starts: true }]);
  });

  it("coalesce skips nulls and empty strings; trim removes every leading and trailing match; extract finds the first match", () => {
    const rows = run(
      audit([
        q.extend({
          First: q.coalesce(
            q.column("ResultReason"),
            q.tostring(q.member(q.column("InitiatedBy"), "x")),
            q.str("fallback"),
          ),
          Trimmed: q.call("trim", q.str('"'), q.str('""Global Administrator"')),
          Ticket: q.call("extract", q.str("(INC|CHG)[0-9]{6,}"), q.long(0), q.str("see CHG0012345 and INC0099999")),
          NoTicket: q.call("extract", q.str("(INC|CHG)[0-9]{6,}"), q.long(0), q.str("urgent")),
        }),
        q.project("First", "Trimmed", "Ticket", "NoTicket"),
      ]),
      [record({ InitiatedBy: {} })],
    );
    expect(rows).toEqual([{ First: "fallback", Trimmed: "Global Administrator", Ticket: "CHG0012345", NoTicket: "" }]);
  });
});

describe("tabular operators", () => {
  it("summarize without keys returns one row even for no input; with keys, one row per group, keys first", () => {
    const none = run(
      audit([q.summarize({ N: q.aggregate("count"), Last: q.aggregate("max", q.column("TimeGenerated")) })]),
      [],
    );
    expect(none).toEqual([{ N: 0, Last: null }]);
    const grouped = run(audit([q.summarize({ N: q.aggregate("count") }, ["Result"])]), [
      record({ Result: "success" }),
      record({ Result: "failure" }),
      record({ Result: "success" }),
    ]);
    expect(grouped).toEqual([
      { Result: "success", N: 2 },
      { Result: "failure", N: 1 },
    ]);
  });

  it("mv-apply runs its body per record; a record whose array is empty yields nothing unless the array is guarded", () => {
    const count = (array: q.Scalar) =>
      run(audit([q.mvApply("Target", array, [q.summarize({ N: q.aggregate("count") })]), q.project("Id", "N")]), [
        record({ Id: "two", TargetResources: [{ type: "User" }, { type: "Role" }] }),
        record({ Id: "none", TargetResources: [] }),
      ]);
    expect(count(q.column("TargetResources"))).toEqual([{ Id: "two", N: 2 }]);
    expect(count(q.nonEmptyArray(q.column("TargetResources")))).toEqual([
      { Id: "two", N: 2 },
      { Id: "none", N: 1 },
    ]);
  });

  it("join names the right side's clashing columns with the suffix 1 and keeps unmatched rows (leftouter)", () => {
    const query: KqlQuery = {
      lets: [
        {
          name: "approvals",
          query: q.pipeline(
            "AuditLogs",
            q.where(q.eq(q.column("Result"), q.str("approved"))),
            q.project("CorrelationId", "Identity"),
          ),
        },
      ],
      body: q.pipeline(
        "AuditLogs",
        q.where(q.eq(q.column("Result"), q.str("activated"))),
        q.project("CorrelationId", "Identity"),
        q.join("leftouter", "approvals", "CorrelationId"),
      ),
    };
    const rows = run(query, [
      record({ Result: "activated", CorrelationId: "c1", Identity: "admin" }),
      record({ Result: "approved", CorrelationId: "c1", Identity: "approver" }),
      record({ Result: "activated", CorrelationId: "c2", Identity: "admin" }),
    ]);
    expect(rows).toEqual([
      { CorrelationId: "c1", Identity: "admin", CorrelationId1: "c1", Identity1: "approver" },
      { CorrelationId: "c2", Identity: "admin", CorrelationId1: "", Identity1: "" },
    ]);
  });

  it("join on two columns matches rows equal in both, and suffixes both right-side keys (fullouter keeps the rest)", () => {
    const query: KqlQuery = {
      lets: [
        {
          name: "expiries",
          query: q.pipeline(
            "AuditLogs",
            q.where(q.eq(q.column("Result"), q.str("expired"))),
            q.project("Identity", "OperationName", "Id"),
          ),
        },
      ],
      body: q.pipeline(
        "AuditLogs",
        q.where(q.eq(q.column("Result"), q.str("activated"))),
        q.project("Identity", "OperationName"),
        q.join("fullouter", "expiries", ["Identity", "OperationName"]),
      ),
    };
    expect(renderKql(query)).toContain("| join kind=fullouter expiries on Identity, OperationName");
    const rows = run(query, [
      record({ Result: "activated", Identity: "adele", OperationName: "Global Administrator" }),
      record({ Result: "expired", Identity: "adele", OperationName: "Privileged Role Administrator", Id: "e1" }),
      record({ Result: "expired", Identity: "adele", OperationName: "Global Administrator", Id: "e2" }),
    ]);
    expect(rows).toEqual([
      {
        Identity: "adele",
        OperationName: "Global Administrator",
        Identity1: "adele",
        OperationName1: "Global Administrator",
        Id: "e2",
      },
      {
        Identity: "",
        OperationName: "",
        Identity1: "adele",
        OperationName1: "Privileged Role Administrator",
        Id: "e1",
      },
    ]);
  });

  it("ingestion_time() is the record's ingestion (TimeGenerated unless given); ago() counts back from now", () => {
    const rows = run(
      audit([q.where(q.gt(q.call("ingestion_time"), q.call("ago", q.timespan("6m")))), q.project("Id")]),
      [
        record({
          Id: "late but just ingested",
          TimeGenerated: "2025-06-09T11:00:00Z",
          $ingestionTime: "2025-06-09T11:58:00Z",
        }),
        record({ Id: "ingested long ago", TimeGenerated: "2025-06-09T11:00:00Z" }),
      ],
    );
    expect(rows).toEqual([{ Id: "late but just ingested" }]);
  });

  it("refuses a record with a column the documented schema does not have, naming it", () => {
    expect(() => evaluateKql(audit([]), logTables({ AuditLogs: [{ TargetResource: [] }] }), { now: NOW })).toThrow(
      /AuditLogs record 1 has "TargetResource", which is not a column of AuditLogs/,
    );
  });

  it("refuses a reference to a column the rows do not have, as the analyzer does", () => {
    expect(() => evaluateKql(audit([q.project("TargetResource")]), logTables({ AuditLogs: [] }), { now: NOW })).toThrow(
      /TargetResource/,
    );
    expect(analyzeKql(renderKql(audit([q.project("TargetResource")]))).errors.map((e) => e.code)).toContain("KS142");
  });
});
