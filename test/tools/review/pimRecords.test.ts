/**
 * The review from PIM's own records: a loopback Log Analytics answers the review's query by evaluating its
 * definition over a week of PIM records shaped like the documented ones, and the review (rows → pairing →
 * Markdown) finds each ticket where PIM recorded it or in the justification, saying which. The workbook's sections,
 * evaluated over the same records, agree with the review.
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
import { logTables, type LogRecord, pimActivationEvent } from "../../support/kqlFixtures";

const NOW = new Date("2025-06-09T07:00:00Z");
const OPTIONS = { ticketPattern: "(INC|CHG)[0-9]{6,}", workingHours: { start: 8, end: 18, utcOffsetHours: 0 } };
const ADELE = { id: "adele000-0000-4000-8000-000000000001", upn: "adele.vance@contoso.com" };
const MEGAN = { id: "megan000-0000-4000-8000-000000000002", upn: "megan.bowen@contoso.com" };
const LIDIA = { id: "lidia000-0000-4000-8000-000000000003", upn: "lidia.holloway@contoso.com" };

/** Request, approval (by Lidia), activation and — unless still active — expiry of one activation. */
function activation(
  admin: typeof ADELE,
  correlationId: string,
  start: string,
  options: { justification: string; ticket?: { key: string; value: string }; expiresAfterMinutes?: number },
): LogRecord[] {
  const at = (minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();
  const base = { admin, correlationId, justification: options.justification };
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
  review = buildPimReview(rows, { workingHours: OPTIONS.workingHours, now: NOW, minActiveDays: 3 });
});

afterAll(async () => {
  await fake.close();
  if (previousTls === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTls;
});

describe("the review over PIM's records", () => {
  it("pairs each activation with its approver and expiry, and finds its ticket where PIM recorded it", () => {
    expect(
      review.activations.map((a) => [
        a.admin,
        a.durationMinutes,
        a.ticket,
        a.ticketSource,
        a.approvedBy,
        a.outsideWorkingHours,
      ]),
    ).toEqual([
      [MEGAN.upn, null, "CHG0046000", "justification", LIDIA.upn, true],
      [ADELE.upn, 60, "", "", LIDIA.upn, true],
      [ADELE.upn, 120, "SN-4711", "pim", LIDIA.upn, false],
      [ADELE.upn, 240, "INC0012345", "justification", LIDIA.upn, false],
    ]);
    expect(review.denied).toEqual([
      {
        deniedAt: "2025-06-06T14:20:00.000Z",
        admin: MEGAN.upn,
        deniedBy: LIDIA.upn,
        justification: "Use License Administrator for this",
      },
    ]);
    expect(review.perAdmin.find((a) => a.admin === ADELE.upn)).toMatchObject({
      activations: 3,
      withoutTicket: 1,
      routine: true,
    });
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

  it("denied requests: the same", () => {
    expect(sections.denied).toEqual(
      review.denied.map((d) => ({
        DeniedAt: d.deniedAt,
        Admin: d.admin,
        DeniedBy: d.deniedBy,
        Justification: d.justification,
      })),
    );
  });
});
