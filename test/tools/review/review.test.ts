/**
 * The weekly PIM review: rows → review (pairing per admin and role, durations, working hours, per-role, per-admin
 * and per-role-and-admin counts), Markdown, the rows file's validation (files from before rows carried the role too), the CLI's exit codes, and the online path against a loopback Log Analytics fake (the tenant and
 * origin checks of the project's client included).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../../../src/cli/io";
import { runCommand } from "../../../src/cli/run";
import { pimEventsQuery } from "@entra-baseline/model";
import { main } from "../../../src/tools/review/cli";
import { renderReviewMarkdown } from "../../../src/tools/review/markdown";
import { queryPimEvents } from "../../../src/tools/review/query";
import { buildPimReview, isOutsideWorkingHours } from "../../../src/tools/review/review";
import { readRowsFile, rowsFromJson, RowsError, type PimEventRow } from "../../../src/tools/review/rows";
import { CLOUDS } from "@entra-baseline/model";
import {
  fakeAccessToken,
  OTHER_TENANT_ID,
  TEST_TENANT_ID,
  useFakeAzureCli,
  withAzureCliTenant,
} from "../../support/fakes/azureCli";
import { logAnalyticsTable, startLogAnalyticsFake, type LogAnalyticsFake } from "../../support/fakes/logAnalytics";
import { loopbackStackDir, STACK, STACK_DIR, stackText } from "../../support/stack";

const ROOT = path.join(__dirname, "../../..");
const SAMPLE = path.join(ROOT, "examples/pim-activations.sample.json");
const HOURS = { start: 8, end: 18, utcOffsetHours: 0 };
/** The managed roles of the stack the sample was made for (examples/Pulumi.example.yaml, as managedRoles lists them). */
const ROLES = ["Global Administrator", "Privileged Role Administrator", "Privileged Authentication Administrator"];
const GA = "Global Administrator";
const PRA = "Privileged Role Administrator";
const PAA = "Privileged Authentication Administrator";
const NOW = new Date("2025-06-09T07:00:00Z");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "review-test-"));

function row(partial: Partial<PimEventRow> & Pick<PimEventRow, "TimeGenerated" | "Event" | "Admin">): PimEventRow {
  return {
    Role: GA,
    AdminId: "",
    Actor: "",
    Justification: "",
    Ticket: "",
    TicketSource: "",
    Result: "success",
    CorrelationId: "",
    ...partial,
  };
}

describe("buildPimReview", () => {
  const review = buildPimReview(readRowsFile(SAMPLE), { roles: ROLES, workingHours: HOURS, now: NOW });

  it("lists every activation with role, duration, justification, ticket and approver, newest first", () => {
    expect(review.activations.map((a) => [a.role, a.admin, a.durationMinutes, a.ticket, a.approvedBy])).toEqual([
      [PRA, "megan.bowen@contoso.com", 240, "CHG0046000", "adele.vance@contoso.com"],
      // Still active or ended early: the Privileged Role Administrator expiry at 15:53 is not this one's.
      [GA, "megan.bowen@contoso.com", null, "CHG0046000", "adele.vance@contoso.com"],
      [PAA, "nestor.wilke@contoso.com", 120, "INC0012450", "lidia.holloway@contoso.com"],
      [GA, "adele.vance@contoso.com", 120, "INC0012400", "lidia.holloway@contoso.com"],
      [GA, "adele.vance@contoso.com", 240, "", "lidia.holloway@contoso.com"],
      [PRA, "megan.bowen@contoso.com", 240, "CHG0045710", "adele.vance@contoso.com"],
      [GA, "adele.vance@contoso.com", 120, "CHG0045678", "lidia.holloway@contoso.com"],
      [GA, "adele.vance@contoso.com", 240, "INC0012345", "lidia.holloway@contoso.com"],
    ]);
    expect(review.roles).toEqual(ROLES);
  });

  it("flags routine use against monitoring.routineJitUse.minActiveDays", () => {
    const strict = buildPimReview(readRowsFile(SAMPLE), {
      roles: ROLES,
      workingHours: HOURS,
      now: NOW,
      minActiveDays: 5,
    });
    expect(strict.perAdmin.map((a) => [a.admin, a.routine])).toEqual([
      ["adele.vance@contoso.com", false],
      ["megan.bowen@contoso.com", false],
      ["nestor.wilke@contoso.com", false],
    ]);
    expect(renderReviewMarkdown(review)).toMatch(
      /\| adele\.vance@contoso\.com \| 4 \| 4 \| \*\*yes\*\* \(≥ 4 days\) \|/,
    );
    expect(renderReviewMarkdown(review)).toContain("**1** admin using JIT routinely (active on 4+ days)");
  });

  it("counts per role: activations, distinct admins, without ticket, outside working hours, denied", () => {
    expect(review.perRole).toEqual([
      { role: GA, managed: true, activations: 5, admins: 2, withoutTicket: 1, outsideWorkingHours: 1, denied: 1 },
      { role: PRA, managed: true, activations: 2, admins: 1, withoutTicket: 0, outsideWorkingHours: 0, denied: 0 },
      { role: PAA, managed: true, activations: 1, admins: 1, withoutTicket: 0, outsideWorkingHours: 1, denied: 0 },
    ]);
  });

  it("counts per role and admin, in the roles' order, the most active first", () => {
    expect(review.perRoleAdmin).toEqual([
      {
        role: GA,
        admin: "adele.vance@contoso.com",
        activations: 4,
        activeDays: 4,
        withoutTicket: 1,
        outsideWorkingHours: 1,
        denied: 0,
      },
      {
        role: GA,
        admin: "megan.bowen@contoso.com",
        activations: 1,
        activeDays: 1,
        withoutTicket: 0,
        outsideWorkingHours: 0,
        denied: 1,
      },
      {
        role: PRA,
        admin: "megan.bowen@contoso.com",
        activations: 2,
        activeDays: 2,
        withoutTicket: 0,
        outsideWorkingHours: 0,
        denied: 0,
      },
      {
        role: PAA,
        admin: "nestor.wilke@contoso.com",
        activations: 1,
        activeDays: 1,
        withoutTicket: 0,
        outsideWorkingHours: 1,
        denied: 0,
      },
    ]);
  });

  it("lists a managed role without events with zeros, and a role the stack does not manage as such", () => {
    const rows = [
      row({ TimeGenerated: "2025-06-02T09:00:00Z", Event: "activated", Admin: "a@contoso.com", Ticket: "INC0000001" }),
      row({
        TimeGenerated: "2025-06-02T10:00:00Z",
        Event: "activated",
        Admin: "a@contoso.com",
        Role: "Exchange Administrator",
      }),
    ];
    const r = buildPimReview(rows, { roles: [GA, PRA], workingHours: HOURS, now: NOW });
    expect(r.perRole.map((s) => [s.role, s.managed, s.activations, s.admins])).toEqual([
      [GA, true, 1, 1],
      [PRA, true, 0, 0],
      ["Exchange Administrator", false, 1, 1],
    ]);
    const md = renderReviewMarkdown(r);
    expect(md).toContain("| Privileged Role Administrator | 0 | 0 | 0 | 0 | 0 |");
    expect(md).toContain("| Exchange Administrator (not managed by this stack) | 1 | 1 | 1 | 0 | 0 |");
  });

  it("counts per admin: activations, active days, without ticket, outside working hours, denied", () => {
    expect(review.perAdmin).toEqual([
      {
        admin: "adele.vance@contoso.com",
        activations: 4,
        activeDays: 4,
        withoutTicket: 1,
        outsideWorkingHours: 1,
        denied: 0,
        routine: true,
      },
      {
        admin: "megan.bowen@contoso.com",
        activations: 3,
        activeDays: 2,
        withoutTicket: 0,
        outsideWorkingHours: 0,
        denied: 1,
        routine: false,
      },
      {
        admin: "nestor.wilke@contoso.com",
        activations: 1,
        activeDays: 1,
        withoutTicket: 0,
        outsideWorkingHours: 1,
        denied: 0,
        routine: false,
      },
    ]);
    expect(review.outsideWorkingHours.map((a) => [a.role, a.activatedAt])).toEqual([
      [PAA, "2025-06-05T19:21:50.000Z"],
      [GA, "2025-06-04T21:59:01.000Z"],
    ]);
    expect(review.denied).toEqual([
      {
        deniedAt: "2025-06-06T14:22:40.000Z",
        role: GA,
        admin: "megan.bowen@contoso.com",
        deniedBy: "lidia.holloway@contoso.com",
        justification: "Use License Administrator for this, not Global Administrator",
      },
    ]);
    expect(review.period).toEqual({ from: "2025-06-02T09:12:31.000Z", to: "2025-06-08T07:10:00.000Z" });
  });

  it("takes the justification and ticket from the request when the activation record has none", () => {
    const rows = [
      row({
        TimeGenerated: "2025-06-02T09:00:00Z",
        Event: "requested",
        Admin: "a@contoso.com",
        Justification: "INC1234567 fix",
        Ticket: "INC1234567",
        CorrelationId: "c1",
      }),
      row({ TimeGenerated: "2025-06-02T09:05:00Z", Event: "activated", Admin: "a@contoso.com", CorrelationId: "c1" }),
    ];
    const [activation] = buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW }).activations;
    expect(activation).toMatchObject({
      justification: "INC1234567 fix",
      ticket: "INC1234567",
      approvedBy: null,
      durationMinutes: null,
    });
  });

  it("carries where the ticket was found, from the activation or its request", () => {
    const rows = [
      row({
        TimeGenerated: "2025-06-02T09:00:00Z",
        Event: "requested",
        Admin: "a@contoso.com",
        Ticket: "SN-4711",
        TicketSource: "pim",
        CorrelationId: "c1",
      }),
      row({ TimeGenerated: "2025-06-02T09:05:00Z", Event: "activated", Admin: "a@contoso.com", CorrelationId: "c1" }),
      row({
        TimeGenerated: "2025-06-03T09:05:00Z",
        Event: "activated",
        Admin: "a@contoso.com",
        Justification: "INC0012345 fix",
        Ticket: "INC0012345",
        TicketSource: "justification",
        CorrelationId: "c2",
      }),
    ];
    const review = buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW });
    expect(review.activations.map((a) => [a.ticket, a.ticketSource])).toEqual([
      ["INC0012345", "justification"],
      ["SN-4711", "pim"],
    ]);
    const md = renderReviewMarkdown(review);
    expect(md).toContain("| INC0012345 (from justification) |");
    expect(md).toContain("| SN-4711 (PIM) |");
    expect(md).toContain("Which audit key PIM writes the ticket to is unconfirmed.");
  });

  it("ends an activation at the expiry of the same admin's same role: another role held at the same time expires on its own", () => {
    const rows = [
      row({ TimeGenerated: "2025-06-02T09:00:00Z", Event: "activated", Admin: "a@contoso.com", AdminId: "id-a" }),
      row({
        TimeGenerated: "2025-06-02T09:30:00Z",
        Event: "activated",
        Role: PRA,
        Admin: "a@contoso.com",
        AdminId: "id-a",
      }),
      row({
        TimeGenerated: "2025-06-02T10:30:00Z",
        Event: "expired",
        Role: PRA,
        Admin: "a@contoso.com",
        AdminId: "id-a",
      }),
      // The role's name as logged may differ in case from the managed role's: the query matched it regardless.
      row({
        TimeGenerated: "2025-06-02T13:00:00Z",
        Event: "expired",
        Role: "global administrator",
        Admin: "a@contoso.com",
        AdminId: "id-a",
      }),
    ];
    const review = buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW });
    expect(review.activations.map((a) => [a.role, a.durationMinutes])).toEqual([
      [PRA, 60],
      [GA, 240],
    ]);
  });

  it("refuses to review no role at all", () => {
    expect(() => buildPimReview([], { roles: [], workingHours: HOURS, now: NOW })).toThrow(/none given/);
  });

  it("ends an activation at the admin's next expiry, not an earlier one", () => {
    const rows = [
      row({ TimeGenerated: "2025-06-02T08:00:00Z", Event: "expired", Admin: "a@contoso.com", AdminId: "id-a" }),
      row({ TimeGenerated: "2025-06-02T09:00:00Z", Event: "activated", Admin: "a@contoso.com", AdminId: "id-a" }),
      row({ TimeGenerated: "2025-06-02T10:30:00Z", Event: "expired", Admin: "b@contoso.com", AdminId: "id-b" }),
      row({ TimeGenerated: "2025-06-02T11:00:00Z", Event: "expired", Admin: "a@contoso.com", AdminId: "id-a" }),
    ];
    expect(buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW }).activations[0]!.durationMinutes).toBe(
      120,
    );
  });

  it("applies the UTC offset to working hours, as the workbook does", () => {
    const india = { start: 8, end: 18, utcOffsetHours: 5.5 };
    expect(isOutsideWorkingHours("2025-06-02T05:00:00Z", india)).toBe(false); // 10:30 local
    expect(isOutsideWorkingHours("2025-06-02T13:00:00Z", india)).toBe(true); // 18:30 local
    expect(isOutsideWorkingHours("2025-06-02T01:00:00Z", { start: 8, end: 18, utcOffsetHours: -8 })).toBe(false); // 17:00 local
    expect(isOutsideWorkingHours("2025-06-02T02:00:00Z", { start: 8, end: 18, utcOffsetHours: -8 })).toBe(true); // 18:00 local
  });
});

describe("renderReviewMarkdown", () => {
  it("has the review's sections and flags activations without a ticket", () => {
    const md = renderReviewMarkdown(
      buildPimReview(readRowsFile(SAMPLE), { roles: ROLES, workingHours: HOURS, now: NOW }),
    );
    for (const heading of [
      "## Activations",
      "## Per role",
      "## Per admin",
      "## Per role and admin",
      "## Outside working hours (8:00–18:00 UTC)",
      "## Denied requests",
    ])
      expect(md).toContain(heading);
    expect(md).toContain(
      "| 2025-06-04T21:59:01.000Z | Global Administrator | adele.vance@contoso.com | 240 min | urgent fix for the payroll app consent | **none** | lidia.holloway@contoso.com |",
    );
    expect(md).toContain(
      "Roles reviewed: Global Administrator, Privileged Role Administrator, Privileged Authentication Administrator.",
    );
    expect(md).toContain(
      "**8** activations of **3** roles by **3** admins, **1** without a ticket reference, **2** outside working hours, **1** denied request, **1** admin using JIT routinely (active on 4+ days).",
    );
    expect(md).toContain(
      [
        "| Role | Activations | Admins | Without ticket | Outside working hours | Denied |",
        "| --- | --- | --- | --- | --- | --- |",
        "| Global Administrator | 5 | 2 | 1 | 1 | 1 |",
        "| Privileged Role Administrator | 2 | 1 | 0 | 0 | 0 |",
        "| Privileged Authentication Administrator | 1 | 1 | 0 | 1 | 0 |",
      ].join("\n"),
    );
    expect(md).toContain("| Privileged Role Administrator | megan.bowen@contoso.com | 2 | 2 | 0 | 0 | 0 |");
  });

  it("counts in the singular when there is one of a thing", () => {
    const rows = [
      row({
        TimeGenerated: "2025-06-02T09:05:00Z",
        Event: "activated",
        Admin: "a@contoso.com",
        Justification: "CHG-1 fix",
        Ticket: "CHG-1",
        CorrelationId: "x",
      }),
      row({
        TimeGenerated: "2025-06-03T09:05:00Z",
        Event: "denied",
        Admin: "a@contoso.com",
        Actor: "b@contoso.com",
        CorrelationId: "y",
      }),
    ];
    const md = renderReviewMarkdown(
      buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW, minActiveDays: 1 }),
    );
    expect(md).toMatch(/^2 PIM events from /m);
    expect(md).toContain(
      "**1** activation of **1** role by **1** admin, **0** without a ticket reference, **0** outside working hours, **1** denied request, **1** admin using JIT routinely (active on 1+ days).",
    );
  });

  it("keeps free-text justifications inside their table cell", () => {
    const rows = [
      row({
        TimeGenerated: "2025-06-02T09:05:00Z",
        Event: "activated",
        Admin: "a@contoso.com",
        Justification: "fix | the\nthing",
      }),
    ];
    const md = renderReviewMarkdown(buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW }));
    expect(md).toContain("| fix \\| the thing |");
  });

  it("says so when there is nothing to review", () => {
    const md = renderReviewMarkdown(buildPimReview([], { roles: ROLES, workingHours: HOURS, now: NOW }));
    expect(md).toContain("No PIM events of the managed roles in the period");
    expect(md).toContain("_None._");
  });
});

describe("rows", () => {
  it("accepts the Log Analytics API shape as well as an array of rows", () => {
    const objects = JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as Record<string, unknown>[];
    expect(rowsFromJson(logAnalyticsTable(objects), "api.json")).toEqual(rowsFromJson(objects, "rows.json"));
  });

  it("names the file, the row and the column of each bad value", () => {
    const bad = [
      { TimeGenerated: "last tuesday", Event: "activated", Admin: "a@contoso.com" },
      { TimeGenerated: "2025-06-02T09:00:00Z", Event: "elevated", Admin: "" },
    ];
    expect(() => rowsFromJson(bad, "week.json")).toThrow(RowsError);
    expect(() => rowsFromJson(bad, "week.json")).toThrow(
      /^week\.json: 3 invalid values in the PIM event rows:\n {2}row 1: TimeGenerated: "last tuesday" is not an ISO 8601 date-time\n {2}row 2: Event: "elevated" is not one of .*activated.*\n {2}row 2: Admin: "" is empty \(expected the admin's UPN\)$/,
    );
    expect(() =>
      rowsFromJson([{ TimeGenerated: "2025-06-02T09:00:00Z", Event: "activated", Admin: 42, Ticket: 7 }], "week.json"),
    ).toThrow(/row 1: Admin: 42 is not the admin's UPN \(a string\)\n {2}row 1: Ticket: 7 is not a string$/);
    expect(() => rowsFromJson({ rows: [] }, "week.json")).toThrow(
      /^week\.json: expected a JSON array of rows with columns TimeGenerated, Event/,
    );
  });

  it("reports a renamed column once, naming the missing and the unknown columns, in both file shapes", () => {
    const objects = (JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as Record<string, unknown>[]).map(
      ({ Event, Ticket, ...rest }) => ({ ...rest, EventType: Event, TicketRef: Ticket }),
    );
    const expected =
      "week.json: the PIM event rows do not have the query's columns: missing required column Event; unknown columns EventType, TicketRef (expected TimeGenerated, Event, Role, Admin, AdminId, Actor, Justification, Ticket, TicketSource, Result, CorrelationId; required: TimeGenerated, Event, Admin)";
    expect(() => rowsFromJson(objects, "week.json")).toThrow(new RowsError(expected));
    expect(() => rowsFromJson(logAnalyticsTable(objects), "week.json")).toThrow(new RowsError(expected));
  });

  it("accepts the ticket source the query writes, and names a value it never writes", () => {
    const base = { TimeGenerated: "2025-06-02T09:00:00Z", Event: "activated", Admin: "a@contoso.com", Ticket: "X-1" };
    expect(rowsFromJson([{ ...base, TicketSource: "pim" }], "week.json")[0]!.TicketSource).toBe("pim");
    expect(() => rowsFromJson([{ ...base, TicketSource: "servicenow" }], "week.json")).toThrow(
      /row 1: TicketSource: "servicenow" is not one of "", "pim", "justification"$/,
    );
  });

  it("loads a rows file from before rows carried the role: Role reads as empty, pairing by admin as before", () => {
    const objects = (JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as Record<string, unknown>[])
      .filter((r) => r.Role === GA)
      .map(({ Role: _role, ...rest }) => rest);
    expect(objects.every((o) => !("Role" in o))).toBe(true);
    for (const rows of [rowsFromJson(objects, "old.json"), rowsFromJson(logAnalyticsTable(objects), "old.json")]) {
      expect(rows.every((r) => r.Role === "")).toBe(true);
      const old = buildPimReview(rows, { roles: ROLES, workingHours: HOURS, now: NOW });
      expect(old.activations.map((a) => [a.role, a.durationMinutes])).toEqual([
        ["", null],
        ["", 120],
        ["", 240],
        ["", 120],
        ["", 240],
      ]);
      expect(old.perRole.map((r) => [r.role, r.managed, r.activations])).toEqual([
        [GA, true, 0],
        [PRA, true, 0],
        [PAA, true, 0],
        ["", false, 5],
      ]);
      expect(renderReviewMarkdown(old)).toContain("| (not recorded) | 5 | 2 | 1 | 1 | 1 |");
    }
  });

  it("reads a column an export dropped everywhere as empty, and still reports a row that lacks a required one", () => {
    const noTicket = [{ TimeGenerated: "2025-06-02T09:00:00Z", Event: "activated", Admin: "a@contoso.com" }];
    expect(rowsFromJson(noTicket, "week.json")[0]).toMatchObject({ Ticket: "", TicketSource: "", Justification: "" });
    expect(() =>
      rowsFromJson([...noTicket, { TimeGenerated: "2025-06-02T10:00:00Z", Admin: "a@contoso.com" }], "week.json"),
    ).toThrow(/^week\.json: 1 invalid value in the PIM event rows:\n {2}row 2: Event: is missing$/);
  });
});

describe("npm run review (cli main)", () => {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const run = async (...args: string[]) => {
    const io = memoryIo();
    const code = await runCommand(main, [...project, ...args], io);
    stderr.splice(0, stderr.length, io.err);
    stdout.splice(0, stdout.length, io.out);
    return code;
  };
  // The test stack, never the bundled Pulumi.prod.yaml (the user's to edit): its ticket pattern and limits are fixed.
  const stack = STACK;
  const project = ["--cwd", STACK_DIR];

  it("writes Markdown and JSON from the sample rows file", async () => {
    const out = path.join(tmp, "review.md");
    const json = path.join(tmp, "review.json");
    expect(await run("--rows", SAMPLE, "--stack", stack, "--out", out, "--json", json)).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toContain("# PIM activation review");
    const review = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(review.activations).toHaveLength(8);
    expect(review.perAdmin[0]).toMatchObject({ admin: "adele.vance@contoso.com", activeDays: 4 });
    // The test stack manages Global Administrator only: the sample's other roles are reported as not managed.
    expect(review.roles).toEqual([GA]);
    expect(review.perRole.map((r: { role: string; managed: boolean }) => [r.role, r.managed])).toEqual([
      [GA, true],
      [PAA, false],
      [PRA, false],
    ]);
    expect(fs.readFileSync(out, "utf8")).toContain("| Privileged Role Administrator (not managed by this stack) | 2 |");
  });

  it("prints to stdout without --out", async () => {
    expect(await run("--rows", SAMPLE, "--stack", stack)).toBe(0);
    expect(stdout.join("")).toContain("## Denied requests");
  });

  it.each([
    [
      "a missing rows file",
      [path.join(tmp, "absent.json")],
      /absent\.json: cannot read the rows file: no such file or directory/,
    ],
    ["invalid JSON", ["{not json"], /bad-\d\.json: the rows file is not valid JSON/],
    [
      "a row with a bad date",
      [JSON.stringify([{ TimeGenerated: "soon", Event: "activated", Admin: "a@contoso.com" }])],
      /bad-\d\.json: 1 invalid value in the PIM event rows:\n {2}row 1: TimeGenerated: "soon"/,
    ],
  ])("exits 2 naming the file for %s", async (_label, [content], message) => {
    let file = content!;
    if (!content!.startsWith("/")) {
      file = path.join(tmp, `bad-${stderr.length % 10}.json`);
      fs.writeFileSync(file, content!);
    }
    expect(await run("--rows", file, "--stack", stack)).toBe(2);
    expect(stderr.join("")).toMatch(message);
  });

  it("exits 2 without a workspace, and for --rows with --workspace", async () => {
    expect(await run("--stack", stack)).toBe(2);
    expect(stderr.join("")).toContain("no workspace: pass --workspace <id>");
    expect(await run("--stack", stack, "--rows", SAMPLE, "--workspace", "00000000-0000-0000-0000-000000000000")).toBe(
      2,
    );
    expect(await run("--bogus")).toBe(2);
  });

  it("exits 2 naming the stack file when its config is invalid", async () => {
    const bad = path.join(tmp, "Pulumi.bad.yaml");
    fs.writeFileSync(bad, stackText().replace('ticketPattern: "(INC|CHG)[0-9]{6,}"', 'ticketPattern: "(INC"'));
    expect(await run("--rows", SAMPLE, "--cwd", tmp, "--stack", "bad")).toBe(2);
    expect(stderr.join("")).toMatch(
      /^error: \S*Pulumi\.bad\.yaml: invalid entra-baseline configuration \(1 problem\)\n {2}- monitoring\.routineJitUse\.ticketPattern/,
    );
  });

  it("--json without a file prints only the JSON on stdout, as plan/check/audit --json do; --json - is stdout, not a file named -", async () => {
    expect(await run("--rows", SAMPLE, "--stack", stack, "--json")).toBe(0);
    const review = JSON.parse(stdout.join(""));
    expect(review.activations).toHaveLength(8);
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      expect(await run("--rows", SAMPLE, "--stack", stack, "--json", "-")).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(JSON.parse(stdout.join("")).eventCount).toBe(43);
    expect(fs.existsSync(path.join(tmp, "-"))).toBe(false);
    expect(await run("--rows", SAMPLE, "--stack", stack, "--json", "--out", "-")).toBe(2);
    expect(stderr.join("")).toContain("--json and --out - would both print on stdout");
  });

  it("an output file that cannot be written is bad input (exit 2, named), not a crash", async () => {
    expect(await run("--rows", SAMPLE, "--stack", stack, "--out", tmp)).toBe(2);
    expect(stderr.join("")).toBe(`error: --out ${tmp}: cannot be written: is a directory, not a file\n`);
  });

  it("a --cwd that does not exist is named as such", async () => {
    expect(await run("--rows", SAMPLE, "--cwd", path.join(tmp, "nope"))).toBe(2);
    expect(stderr.join("")).toContain(
      `${path.join(tmp, "nope")}: no such directory (--cwd names the project directory)`,
    );
  });

  it("--help names the npm script and lists the exit codes plan and check use", async () => {
    expect(await run("--help")).toBe(0);
    const help = stdout.join("");
    expect(help).toMatch(/^Usage: npm run review -- \[options\]/);
    expect(help).toMatch(
      /Exit codes:\n {2}0 {2}review written\n {2}2 {2}bad input.*\n {2}3 {2}the workspace query failed/,
    );
  });

  it("--print-query prints the workbook's base query with the stack's managed roles and ticket pattern", async () => {
    expect(await run("--stack", stack, "--print-query")).toBe(0);
    expect(stdout.join("")).toBe(`${pimEventsQuery({ roles: [GA], ticketPattern: "(INC|CHG)[0-9]{6,}" })}\n`);
    // A stack with pim.roles: the query names each of them, Global Administrator first.
    const io = memoryIo();
    expect(
      await runCommand(main, ["--cwd", path.join(ROOT, "examples"), "--stack", "example", "--print-query"], io),
    ).toBe(0);
    expect(io.out).toContain(`| where RoleName in~ (${ROLES.map((r) => JSON.stringify(r)).join(", ")})`);
  });
});

describe("online: the workspace query through the project's client against a loopback Log Analytics", () => {
  let fake: LogAnalyticsFake;
  /** Where a redirect may point: another origin, which must never see a request. */
  let elsewhere: LogAnalyticsFake;
  const sample = JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as Record<string, unknown>[];
  const target = () => ({
    endpoints: { logAnalytics: fake.endpoint, login: CLOUDS.public.login },
    tenantId: TEST_TENANT_ID,
  });
  const credential = (tenantId = TEST_TENANT_ID) => ({
    getToken: async () => ({ token: fakeAccessToken(tenantId), expiresOnTimestamp: Date.now() + 3_600_000 }),
  });

  beforeAll(async () => {
    elsewhere = await startLogAnalyticsFake(() => ({ status: 200, body: logAnalyticsTable(sample) }));
    fake = await startLogAnalyticsFake((req) =>
      req.path.includes("broken")
        ? {
            status: 200,
            body: {
              ...(logAnalyticsTable(sample) as object),
              error: { code: "PartialError", message: "shard timed out" },
            },
          }
        : req.path.includes("moved")
          ? { status: 307, headers: { Location: `${elsewhere.endpoint}${req.path}` } }
          : { status: 200, body: logAnalyticsTable(sample) },
    );
  });
  afterAll(async () => {
    await fake.close();
    await elsewhere.close();
  });

  it("queries a workspace id for the last 7 days with the review's KQL and a bearer token", async () => {
    const query = pimEventsQuery({ roles: [GA], ticketPattern: "(INC|CHG)[0-9]{6,}" });
    const rows = await queryPimEvents({
      workspace: "6e2a1c3b-0000-4000-8000-00000000abcd",
      query,
      credential: credential(),
      ...target(),
    });
    expect(rows).toEqual(rowsFromJson(sample, "sample"));
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe("/v1/workspaces/6e2a1c3b-0000-4000-8000-00000000abcd/query");
    expect(request.body).toEqual({ query, timespan: "P7D" });
    expect(request.authorization).toBe(`Bearer ${fakeAccessToken()}`);
  });

  it("queries by resource id when given the workspace's ARM id", async () => {
    const id =
      "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law";
    await queryPimEvents({ workspace: id, query: "AuditLogs", credential: credential(), ...target() });
    expect(fake.requests.at(-1)!.path).toBe(`/v1${id}/query`);
  });

  it("refuses a workspace that is neither a GUID nor a workspace resource id, sending nothing", async () => {
    const before = fake.requests.length;
    await expect(
      queryPimEvents({ workspace: "../../elsewhere", query: "x", credential: credential(), ...target() }),
    ).rejects.toThrow(/workspace "\.\.\/\.\.\/elsewhere" is neither a workspace id/);
    expect(fake.requests.length).toBe(before);
  });

  it("refuses a partial result rather than reviewing half a week", async () => {
    const id =
      "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/broken";
    await expect(
      queryPimEvents({ workspace: id, query: "AuditLogs", credential: credential(), ...target() }),
    ).rejects.toThrow(/partial result: PartialError: shard timed out/);
  });

  it("refuses a token of another tenant before the query is sent, naming both tenants", async () => {
    const before = fake.requests.length;
    await expect(
      queryPimEvents({
        workspace: "6e2a1c3b-0000-4000-8000-00000000abcd",
        query: "AuditLogs",
        credential: credential(OTHER_TENANT_ID),
        ...target(),
      }),
    ).rejects.toThrow(
      `The credential signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID} (tenant.tenantId): nothing was sent to Log Analytics.`,
    );
    expect(fake.requests.length).toBe(before);
  });

  it("never follows a redirect to another origin: the token stays with the workspace's host", async () => {
    const id =
      "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/moved";
    await expect(
      queryPimEvents({ workspace: id, query: "AuditLogs", credential: credential(), ...target() }),
    ).rejects.toThrow(`was redirected to ${elsewhere.endpoint}, not ${fake.endpoint}`);
    expect(elsewhere.requests).toEqual([]);
  });

  it("npm run review takes the host from the stack's cloud and the tenant from the stack (no --endpoint)", async () => {
    const dir = loopbackStackDir({ logAnalytics: fake.endpoint });
    const io = memoryIo();
    const restore = useFakeAzureCli();
    try {
      const code = await runCommand(
        main,
        ["--cwd", dir, "--stack", STACK, "--workspace", "6e2a1c3b-0000-4000-8000-00000000abcd", "--json"],
        io,
      );
      expect(io.err).toBe("");
      expect(code).toBe(0);
      expect(JSON.parse(io.out).eventCount).toBe(43);
      expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${fakeAccessToken()}`);
      const wrong = memoryIo();
      const before = fake.requests.length;
      const refused = await withAzureCliTenant(OTHER_TENANT_ID, () =>
        runCommand(
          main,
          ["--cwd", dir, "--stack", STACK, "--workspace", "6e2a1c3b-0000-4000-8000-00000000abcd"],
          wrong,
        ),
      );
      expect(refused).toBe(2);
      expect(wrong.err).toContain(
        `signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID}`,
      );
      expect(fake.requests.length).toBe(before);
      expect(await runCommand(main, ["--cwd", dir, "--endpoint", fake.endpoint, "--rows", SAMPLE], memoryIo())).toBe(2);
      // A partial result is a failed query (exit 3), never half a week's review.
      const partial = memoryIo();
      const broken =
        "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/broken";
      expect(await runCommand(main, ["--cwd", dir, "--workspace", broken], partial)).toBe(3);
      expect(partial.err).toContain("the query returned a partial result: PartialError: shard timed out");
      expect(partial.out).toBe("");
    } finally {
      restore();
    }
  });
});
