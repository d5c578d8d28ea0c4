/**
 * The PIM queries (the review's base query and the routine-use alert) over PIM records shaped like the documented
 * ones: every managed role's events and no other role's, each with its role; the justification from
 * AdditionalDetails "Justification", else ResultReason; the ticket from PIM's own field when a record carries one
 * (the key is unconfirmed), else extracted from the justification, saying which.
 */
import { describe, expect, it } from "vitest";
import {
  evaluateKql,
  PIM_TICKET_DETAIL_KEYS,
  pimEventsDefinition,
  pimReviewWorkbookDefinitions,
  routineJitUseDefinition,
} from "@entra-baseline/model";
import {
  logTables,
  type LogRecord,
  pimActivationEvent,
  PRIVILEGED_ROLE_ADMIN_ROLE,
  REVIEW_OPTIONS,
} from "../../support/kqlFixtures";

const NOW = new Date("2025-06-09T12:00:00Z");
const ADELE = { id: "adele000-0000-4000-8000-000000000001", upn: "adele.vance@contoso.com" };
const LIDIA = { id: "lidia000-0000-4000-8000-000000000002", upn: "lidia.holloway@contoso.com" };

const EXCHANGE_ADMIN_ROLE = { templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" };

function events(records: LogRecord[]) {
  return evaluateKql(pimEventsDefinition(REVIEW_OPTIONS), logTables({ AuditLogs: records }), { now: NOW }).rows;
}

describe("the review's PIM events", () => {
  it("one row per Global Administrator event, the admin from the User target or, without a UPN there, the actor", () => {
    const rows = events([
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T09:00:00Z",
        admin: ADELE,
        correlationId: "c1",
        justification: "CHG0045678 patch",
      }),
      pimActivationEvent({
        event: "approved",
        time: "2025-06-09T09:05:00Z",
        admin: ADELE,
        actor: LIDIA,
        correlationId: "c1",
        targetUpn: true,
      }),
      pimActivationEvent({
        event: "activated",
        time: "2025-06-09T09:06:00Z",
        admin: ADELE,
        correlationId: "c1",
        justification: "CHG0045678 patch",
      }),
    ]);
    expect(rows.map((r) => [r.Event, r.Admin, r.AdminId, r.Actor])).toEqual([
      ["requested", ADELE.upn, ADELE.id, ADELE.upn],
      ["approved", ADELE.upn, ADELE.id, LIDIA.upn],
      ["activated", ADELE.upn, ADELE.id, ADELE.upn],
    ]);
  });

  it("takes the ticket from PIM's ticket field when the record has one, else from the justification, and says which", () => {
    const [fromPim, fromJustification, none] = events([
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T09:00:00Z",
        admin: ADELE,
        correlationId: "c1",
        justification: "quarterly access review",
        ticket: { key: PIM_TICKET_DETAIL_KEYS[0], value: "SN-4711" },
      }),
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T10:00:00Z",
        admin: ADELE,
        correlationId: "c2",
        justification: "fix INC0012345 now",
      }),
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T11:00:00Z",
        admin: ADELE,
        correlationId: "c3",
        justification: "urgent",
      }),
    ]);
    expect(fromPim).toMatchObject({ Ticket: "SN-4711", TicketSource: "pim", Justification: "quarterly access review" });
    expect(fromJustification).toMatchObject({ Ticket: "INC0012345", TicketSource: "justification" });
    expect(none).toMatchObject({ Ticket: "", TicketSource: "" });
  });

  it("reads the justification from AdditionalDetails, falling back to ResultReason", () => {
    const [details, resultReason] = events([
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T09:00:00Z",
        admin: ADELE,
        correlationId: "c1",
        justification: "INC0011111 from details",
        copyJustificationToResultReason: false,
      }),
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T10:00:00Z",
        admin: ADELE,
        correlationId: "c2",
        justification: "INC0022222 from result reason",
        justificationInDetails: false,
      }),
    ]);
    expect(details).toMatchObject({ Justification: "INC0011111 from details", Ticket: "INC0011111" });
    expect(resultReason).toMatchObject({ Justification: "INC0022222 from result reason", Ticket: "INC0022222" });
  });

  it("returns every managed role's events with the role, and no other role's", () => {
    const base = { event: "activated" as const, admin: ADELE };
    const rows = events([
      pimActivationEvent({ ...base, time: "2025-06-09T09:00:00Z", correlationId: "c1" }),
      pimActivationEvent({
        ...base,
        time: "2025-06-09T09:10:00Z",
        correlationId: "c2",
        role: PRIVILEGED_ROLE_ADMIN_ROLE,
      }),
      pimActivationEvent({ ...base, time: "2025-06-09T09:20:00Z", correlationId: "c3", role: EXCHANGE_ADMIN_ROLE }),
      // The Role target's display name is matched as PIM's own filter would: whatever its case.
      pimActivationEvent({
        ...base,
        time: "2025-06-09T09:30:00Z",
        correlationId: "c4",
        role: { ...PRIVILEGED_ROLE_ADMIN_ROLE, name: "privileged role administrator" },
      }),
    ]);
    expect(rows.map((r) => [r.CorrelationId, r.Role])).toEqual([
      ["c1", "Global Administrator"],
      ["c2", "Privileged Role Administrator"],
      ["c4", "privileged role administrator"],
    ]);
    // Global Administrator alone is what a stack that manages no other role asks for.
    const gaOnly = evaluateKql(
      pimEventsDefinition({ ...REVIEW_OPTIONS, roles: ["Global Administrator"] }),
      logTables({
        AuditLogs: [
          pimActivationEvent({ ...base, time: "2025-06-09T09:00:00Z", correlationId: "c1" }),
          pimActivationEvent({
            ...base,
            time: "2025-06-09T09:10:00Z",
            correlationId: "c2",
            role: PRIVILEGED_ROLE_ADMIN_ROLE,
          }),
        ],
      }),
      { now: NOW },
    ).rows;
    expect(gaOnly.map((r) => r.CorrelationId)).toEqual(["c1"]);
  });

  it("refuses to build a query for no role rather than report an empty week", () => {
    expect(() => pimEventsDefinition({ ...REVIEW_OPTIONS, roles: [] })).toThrow(/managed roles' display names/);
    expect(() => pimEventsDefinition({ ...REVIEW_OPTIONS, roles: [" "] })).toThrow(/none given/);
  });

  it("keeps out other roles, PIM for Groups and records older than seven days; accepts either PIM service name", () => {
    const base = { event: "activated" as const, admin: ADELE, correlationId: "c1" };
    const rows = events([
      pimActivationEvent({ ...base, time: "2025-06-09T09:00:00Z", role: EXCHANGE_ADMIN_ROLE }),
      pimActivationEvent({ ...base, time: "2025-06-09T09:00:00Z", category: "GroupManagement" }),
      pimActivationEvent({ ...base, time: "2025-06-01T09:00:00Z" }),
      pimActivationEvent({ ...base, time: "2025-06-09T10:00:00Z", loggedByService: "Privileged Identity Management" }),
    ]);
    expect(rows.map((r) => r.TimeGenerated)).toEqual(["2025-06-09T10:00:00.000Z"]);
  });
});

describe("the workbook's activations, per admin and role", () => {
  const activations = (records: LogRecord[]) =>
    evaluateKql(pimReviewWorkbookDefinitions(REVIEW_OPTIONS)[0]!.definition, logTables({ AuditLogs: records }), {
      now: NOW,
    }).rows;

  it("ends each activation at the expiry of the same admin's same role, not another role held at the same time", () => {
    const pra = PRIVILEGED_ROLE_ADMIN_ROLE;
    const rows = activations([
      pimActivationEvent({ event: "activated", time: "2025-06-09T06:00:00Z", admin: ADELE, correlationId: "ga" }),
      pimActivationEvent({
        event: "activated",
        time: "2025-06-09T06:30:00Z",
        admin: ADELE,
        correlationId: "pra",
        role: pra,
      }),
      pimActivationEvent({
        event: "expired",
        time: "2025-06-09T07:30:00Z",
        admin: ADELE,
        correlationId: "pra",
        role: pra,
      }),
      pimActivationEvent({ event: "expired", time: "2025-06-09T10:00:00Z", admin: ADELE, correlationId: "ga" }),
    ]);
    expect(rows.map((r) => [r.Role, r.Admin, r.DurationMinutes])).toEqual([
      ["Privileged Role Administrator", ADELE.upn, 60],
      ["Global Administrator", ADELE.upn, 240],
    ]);
  });
});

describe("routine JIT use (the daily alert)", () => {
  const alert = (records: LogRecord[]) =>
    evaluateKql(routineJitUseDefinition(REVIEW_OPTIONS), logTables({ AuditLogs: records }), { now: NOW }).rows;

  it("flags a request without a ticket, not one whose ticket PIM recorded or the justification names", () => {
    const rows = alert([
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T09:00:00Z",
        admin: ADELE,
        correlationId: "c1",
        justification: "urgent",
      }),
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T09:00:00Z",
        admin: LIDIA,
        correlationId: "c2",
        justification: "see the ticket field",
        ticket: { key: "TicketNumber", value: "SN-1" },
      }),
      pimActivationEvent({
        event: "requested",
        time: "2025-06-09T10:00:00Z",
        admin: LIDIA,
        correlationId: "c3",
        justification: "INC0012345",
      }),
    ]);
    expect(rows.map((r) => [r.Admin, r.TicketlessRequests, r.Reason])).toEqual([
      [ADELE.upn, 1, "1 request(s) without a ticket reference"],
    ]);
  });

  it("flags activations on two consecutive days (the most a daily alert can see), reported once on the second", () => {
    const activation = (time: string, correlationId: string) =>
      pimActivationEvent({ event: "activated", time, admin: ADELE, correlationId, justification: "INC0012345" });
    const rows = alert([activation("2025-06-08T09:00:00Z", "c1"), activation("2025-06-09T09:00:00Z", "c2")]);
    expect(rows).toEqual([
      {
        TimeGenerated: "2025-06-09T09:00:00.000Z",
        Admin: ADELE.upn,
        ActiveDays: 2,
        TicketlessRequests: 0,
        Reason: "activated on 2 of the last 2 days",
      },
    ]);
    expect(alert([activation("2025-06-09T09:00:00Z", "c2")])).toEqual([]);
  });
});
