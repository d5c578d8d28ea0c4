/**
 * The review from PIM's own records: a loopback Log Analytics answers the review's query by evaluating its
 * definition over a week of PIM records shaped like the documented ones, and the review (rows → pairing →
 * Markdown) finds each ticket where PIM recorded it or in the justification, saying which, and each activation's
 * role; a role the stack does not manage stays out. The workbook's sections, evaluated over the same records, agree
 * with the review.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  evaluateKql,
  type KqlResult,
  pimEventsDefinition,
  pimEventsQuery,
  pimReviewWorkbookDefinitions,
} from "@entra-baseline/model";
import { renderReviewMarkdown } from "../../../src/tools/review/markdown";
import { queryPimEvents } from "../../../src/tools/review/query";
import { buildPimReview, type PimReview } from "../../../src/tools/review/review";
import { TEST_TENANT_ID } from "../../support/fakes/azureCli";
import { staticCredential } from "../../support/fakes/token";
import { CLOUDS } from "@entra-baseline/model";
import { startLogAnalyticsFake, type LogAnalyticsFake } from "../../support/fakes/logAnalytics";
import {
  logTables,
  type LogRecord,
  pimActivationEvent,
  PRIVILEGED_ROLE_ADMIN_ROLE,
  type RoleRefFixture,
} from "../../support/kqlFixtures";

const NOW = new Date("2025-06-09T07:00:00Z");
const ROLES = ["Global Administrator", "Privileged Role Administrator"];
const OPTIONS = {
  roles: ROLES,
  ticketPattern: "(INC|CHG)[0-9]{6,}",
  workingHours: { start: 8, end: 18, utcOffsetHours: 0 },
};
const EXCHANGE_ADMIN_ROLE = { templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" };
const ADELE = { id: "adele000-0000-4000-8000-000000000001", upn: "adele.vance@contoso.com" };
const MEGAN = { id: "megan000-0000-4000-8000-000000000002", upn: "megan.bowen@contoso.com" };
const LIDIA = { id: "lidia000-0000-4000-8000-000000000003", upn: "lidia.holloway@contoso.com" };

/** Request, approval (by Lidia), activation and — unless still active — expiry of one activation (of Global Administrator unless said). */
function activation(
  admin: typeof ADELE,
  correlationId: string,
  start: string,
  options: {
    justification: string;
    ticket?: { key: string; value: string };
    expiresAfterMinutes?: number;
    role?: RoleRefFixture;
  },
): LogRecord[] {
  const at = (minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();
  const base = { admin, correlationId, justification: options.justification, role: options.role };
  return [
    pimActivationEvent({ ...base, event: "requested", time: at(0), ticket: options.ticket }),
    // Sentinel reads the requester's UPN from the User target of approvals and denials (docs/references.md, "Logs and KQL").
    pimActivationEvent({ ...base, event: "approved", time: at(5), actor: LIDIA, targetUpn: true }),
    pimActivationEvent({ ...base, event: "activated", time: at(6), ticket: options.ticket }),
    ...(options.expiresAfterMinutes
      ? [pimActivationEvent({ ...base, event: "expired", time: at(6 + options.expiresAfterMinutes), targetUpn: true })]
      : []),
  ];
}

const RECORDS: LogRecord[] = [
  ...activation(ADELE, "c1", "2025-06-02T09:00:00Z", {
    justification: "INC0012345 restore the break-fix CA policy",
    expiresAfterMinutes: 240,
  }),
  // Adele holds Privileged Role Administrator too while her Global Administrator is active: each expires on its own.
  ...activation(ADELE, "c6", "2025-06-02T10:00:00Z", {
    justification: "CHG0045700 remove a stale assignment",
    expiresAfterMinutes: 60,
    role: PRIVILEGED_ROLE_ADMIN_ROLE,
  }),
  // A role the stack does not manage: not reviewed.
  ...activation(MEGAN, "c7", "2025-06-05T09:00:00Z", {
    justification: "INC0013000 mailbox move",
    expiresAfterMinutes: 60,
    role: EXCHANGE_ADMIN_ROLE,
  }),
  ...activation(ADELE, "c2", "2025-06-03T10:00:00Z", {
    justification: "quarterly access review",
    ticket: { key: "TicketNumber", value: "SN-4711" },
    expiresAfterMinutes: 120,
  }),
  ...activation(ADELE, "c3", "2025-06-04T21:00:00Z", { justification: "urgent", expiresAfterMinutes: 60 }),
  ...activation(MEGAN, "c4", "2025-06-08T06:30:00Z", { justification: "CHG0046000 rotate the sync account" }),
  pimActivationEvent({
    event: "requested",
    time: "2025-06-06T14:00:00Z",
    admin: MEGAN,
    correlationId: "c5",
    justification: "license change",
  }),
  pimActivationEvent({
    event: "denied",
    time: "2025-06-06T14:20:00Z",
    admin: MEGAN,
    actor: LIDIA,
    correlationId: "c5",
    justification: "Use License Administrator for this",
    targetUpn: true,
  }),
];

const tables = logTables({ AuditLogs: RECORDS });

function apiAnswer(result: KqlResult): unknown {
  return {
    tables: [
      {
        name: "PrimaryResult",
        columns: result.columns,
        rows: result.rows.map((r) => result.columns.map((c) => r[c.name])),
      },
    ],
  };
}

let fake: LogAnalyticsFake;
let review: PimReview;
const previousTls = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
const credential = staticCredential(TEST_TENANT_ID);

beforeAll(async () => {
  // The fake's certificate is self-signed; this worker process talks to nothing else.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // It answers the review's query — and only that text — by evaluating its definition over the records.
  fake = await startLogAnalyticsFake((req) =>
    req.body.query === pimEventsQuery(OPTIONS)
      ? { status: 200, body: apiAnswer(evaluateKql(pimEventsDefinition(OPTIONS), tables, { now: NOW })) }
      : { status: 400, body: { error: { code: "BadArgumentError", message: "not the review's query" } } },
  );
  const rows = await queryPimEvents({
    workspace: "6e2a1c3b-0000-4000-8000-00000000abcd",
    query: pimEventsQuery(OPTIONS),
    credential,
    endpoints: { logAnalytics: fake.endpoint, login: CLOUDS.public.login },
    tenantId: TEST_TENANT_ID,
  });
  review = buildPimReview(rows, { roles: ROLES, workingHours: OPTIONS.workingHours, now: NOW, minActiveDays: 3 });
});

afterAll(async () => {
  await fake.close();
  if (previousTls === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTls;
});

describe("the review over PIM's records", () => {
  it("pairs each activation with its approver and its role's expiry, and finds its ticket where PIM recorded it", () => {
    expect(
      review.activations.map((a) => [
        a.role,
        a.admin,
        a.durationMinutes,
        a.ticket,
        a.ticketSource,
        a.approvedBy,
        a.outsideWorkingHours,
      ]),
    ).toEqual([
      ["Global Administrator", MEGAN.upn, null, "CHG0046000", "justification", LIDIA.upn, true],
      ["Global Administrator", ADELE.upn, 60, "", "", LIDIA.upn, true],
      ["Global Administrator", ADELE.upn, 120, "SN-4711", "pim", LIDIA.upn, false],
      ["Privileged Role Administrator", ADELE.upn, 60, "CHG0045700", "justification", LIDIA.upn, false],
      ["Global Administrator", ADELE.upn, 240, "INC0012345", "justification", LIDIA.upn, false],
    ]);
    expect(review.denied).toEqual([
      {
        deniedAt: "2025-06-06T14:20:00.000Z",
        role: "Global Administrator",
        admin: MEGAN.upn,
        deniedBy: LIDIA.upn,
        justification: "Use License Administrator for this",
      },
    ]);
    expect(review.perAdmin.find((a) => a.admin === ADELE.upn)).toMatchObject({
      activations: 4,
      activeDays: 3,
      withoutTicket: 1,
      routine: true,
    });
  });

  it("counts per role, every managed role, and nothing of a role the stack does not manage", () => {
    expect(review.perRole).toEqual([
      {
        role: "Global Administrator",
        managed: true,
        activations: 4,
        admins: 2,
        withoutTicket: 1,
        outsideWorkingHours: 2,
        denied: 1,
      },
      {
        role: "Privileged Role Administrator",
        managed: true,
        activations: 1,
        admins: 1,
        withoutTicket: 0,
        outsideWorkingHours: 0,
        denied: 0,
      },
    ]);
    expect(review.perRoleAdmin.map((a) => [a.role, a.admin, a.activations, a.activeDays])).toEqual([
      ["Global Administrator", ADELE.upn, 3, 3],
      ["Global Administrator", MEGAN.upn, 1, 1],
      ["Privileged Role Administrator", ADELE.upn, 1, 1],
    ]);
    expect(review.activations.some((a) => a.justification.includes("mailbox move"))).toBe(false);
  });

  it("says in the Markdown where each ticket came from", () => {
    const md = renderReviewMarkdown(review);
    expect(md).toContain("| SN-4711 (PIM) |");
    expect(md).toContain("| INC0012345 (from justification) |");
    expect(md).toContain("| urgent | **none** |");
  });
});

describe("the workbook agrees with the review", () => {
  const sections = Object.fromEntries(
    pimReviewWorkbookDefinitions(OPTIONS).map((s) => [s.name, evaluateKql(s.definition, tables, { now: NOW }).rows]),
  );

  it("activations: the same admins, durations, tickets, approvers and working-hours flags, newest first", () => {
    expect(sections.activations).toEqual(
      review.activations.map((a) => ({
        ActivatedAt: a.activatedAt,
        Role: a.role,
        Admin: a.admin,
        DurationMinutes: a.durationMinutes,
        Justification: a.justification,
        Ticket: a.ticket,
        ApprovedBy: a.approvedBy ?? "",
        OutsideWorkingHours: a.outsideWorkingHours,
      })),
    );
    expect(sections["outside-working-hours"]).toEqual(sections.activations!.filter((a) => a.OutsideWorkingHours));
  });

  it("per admin: the same counts", () => {
    expect(sections["per-admin"]).toEqual(
      review.perAdmin.map((a) => ({
        Admin: a.admin,
        Activations: a.activations,
        ActiveDays: a.activeDays,
        WithoutTicket: a.withoutTicket,
        OutsideWorkingHours: a.outsideWorkingHours,
        Denied: a.denied,
      })),
    );
  });

  // Ties in the count order are the engine's to break: compare in a fixed order.
  const byKeys = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]) =>
    [...rows].sort((a, b) => keys.map((k) => String(a[k]).localeCompare(String(b[k]))).find((c) => c !== 0) ?? 0);

  it("per role: the same counts, for the roles with events", () => {
    expect(byKeys(sections["per-role"]!, "Role")).toEqual(
      byKeys(
        review.perRole
          .filter((r) => r.activations > 0 || r.denied > 0)
          .map((r) => ({
            Role: r.role,
            Activations: r.activations,
            Admins: r.admins,
            WithoutTicket: r.withoutTicket,
            OutsideWorkingHours: r.outsideWorkingHours,
            Denied: r.denied,
          })),
        "Role",
      ),
    );
  });

  it("per role and admin: the same counts", () => {
    expect(byKeys(sections["per-role-admin"]!, "Role", "Admin")).toEqual(
      byKeys(
        review.perRoleAdmin.map((a) => ({
          Role: a.role,
          Admin: a.admin,
          Activations: a.activations,
          ActiveDays: a.activeDays,
          WithoutTicket: a.withoutTicket,
          OutsideWorkingHours: a.outsideWorkingHours,
          Denied: a.denied,
        })),
        "Role",
        "Admin",
      ),
    );
  });

  it("denied requests: the same", () => {
    expect(sections.denied).toEqual(
      review.denied.map((d) => ({
        DeniedAt: d.deniedAt,
        Role: d.role,
        Admin: d.admin,
        DeniedBy: d.deniedBy,
        Justification: d.justification,
      })),
    );
  });
});
