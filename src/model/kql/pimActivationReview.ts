/**
 * The weekly PIM activation review's queries. One base query returns every Global Administrator PIM event of the
 * last seven days, one row per event; `npm run review` runs exactly that query and builds the review from the rows,
 * and the workbook's sections are that same query followed by the grouping each section needs.
 */
import { kqlString } from "../logAlertQuery";
import { GLOBAL_ADMINISTRATOR, roleName } from "../roles";
import { actorExpression, PIM_OPERATIONS, PIM_TARGETS, type PimEvent } from "./common";

export const PIM_EVENT_COLUMNS = [
  "TimeGenerated",
  "Event",
  "Admin",
  "AdminId",
  "Actor",
  "Justification",
  "Ticket",
  "Result",
  "CorrelationId",
] as const;

export const PIM_EVENTS: readonly PimEvent[] = Object.keys(PIM_OPERATIONS) as PimEvent[];

export interface PimReviewOptions {
  /** Ticket references are extracted from the justification with this regular expression. */
  ticketPattern: string;
  workingHours: { start: number; end: number; utcOffsetHours: number };
}

/** Every Global Administrator PIM activation event of the last 7 days (the rows `npm run review` reads). */
export function pimEventsQuery(options: Pick<PimReviewOptions, "ticketPattern">): string {
  const eventCase = PIM_EVENTS.map(
    (e) => `    OperationName =~ ${kqlString(PIM_OPERATIONS[e])}, ${kqlString(e)},`,
  ).join("\n");
  return [
    "AuditLogs",
    "| where TimeGenerated > ago(7d)",
    '| where LoggedByService =~ "PIM"',
    `| where OperationName in~ (${PIM_EVENTS.map((e) => kqlString(PIM_OPERATIONS[e])).join(", ")})`,
    PIM_TARGETS,
    `| where RoleName =~ ${kqlString(roleName(GLOBAL_ADMINISTRATOR))}`,
    "| extend Event = case(",
    eventCase,
    '    "other")',
    `| extend Actor = ${actorExpression}`,
    "| extend Admin = coalesce(TargetUpn, Actor), AdminId = TargetId",
    "| extend Justification = ResultReason",
    `| extend Ticket = extract(${kqlString(options.ticketPattern)}, 0, ResultReason)`,
    `| project ${PIM_EVENT_COLUMNS.join(", ")}`,
    "| order by TimeGenerated asc",
  ].join("\n");
}

export const ACTIVATION_COLUMNS = [
  "ActivatedAt",
  "Admin",
  "DurationMinutes",
  "Justification",
  "Ticket",
  "ApprovedBy",
  "OutsideWorkingHours",
] as const;
export const ADMIN_SUMMARY_COLUMNS = [
  "Admin",
  "Activations",
  "ActiveDays",
  "WithoutTicket",
  "OutsideWorkingHours",
  "Denied",
] as const;

/**
 * One row per activation: justification and ticket from the activation or its request, the approver from the
 * approval with the same correlation id, the duration up to the activation's expiry (empty while still active or
 * when it ended early, which these operations do not show).
 */
function activationsLet(options: PimReviewOptions): string {
  const { start, end, utcOffsetHours } = options.workingHours;
  const offsetMinutes = Math.round(utcOffsetHours * 60);
  return [
    `let events = ${pimEventsQuery(options)};`,
    'let requests = events | where Event == "requested" | project CorrelationId, RequestJustification = Justification, RequestTicket = Ticket;',
    'let approvals = events | where Event == "approved" | summarize ApprovedBy = take_any(Actor) by CorrelationId;',
    'let expiries = events | where Event == "expired" | project AdminId, ExpiredAt = TimeGenerated;',
    "let activations = events",
    '| where Event == "activated"',
    "| join kind=leftouter requests on CorrelationId",
    "| join kind=leftouter approvals on CorrelationId",
    "| join kind=leftouter expiries on AdminId",
    "| extend ExpiredAt = iff(ExpiredAt > TimeGenerated, ExpiredAt, datetime(null))",
    "| summarize EndedAt = min(ExpiredAt) by ActivatedAt = TimeGenerated, Admin, Justification = coalesce(Justification, RequestJustification),",
    "    Ticket = coalesce(Ticket, RequestTicket), ApprovedBy, CorrelationId",
    '| extend DurationMinutes = datetime_diff("minute", EndedAt, ActivatedAt)',
    `| extend LocalHour = hourofday(datetime_add("minute", ${offsetMinutes}, ActivatedAt))`,
    `| extend OutsideWorkingHours = LocalHour < ${start} or LocalHour >= ${end};`,
  ].join("\n");
}

export interface WorkbookQuery {
  name: string;
  title: string;
  query: string;
}

/** The workbook's sections, in order. */
export function pimReviewWorkbookQueries(options: PimReviewOptions): WorkbookQuery[] {
  const activations = activationsLet(options);
  return [
    {
      name: "activations",
      title: "Global Administrator activations (last 7 days)",
      query: `${activations}\nactivations\n| project ${ACTIVATION_COLUMNS.join(", ")}\n| order by ActivatedAt desc`,
    },
    {
      name: "per-admin",
      title: "Activations per admin",
      query: [
        activations,
        'let denied = events | where Event == "denied" | summarize Denied = count() by Admin;',
        "activations",
        "| summarize Activations = count(), ActiveDays = dcount(startofday(ActivatedAt)), WithoutTicket = countif(isempty(Ticket)),",
        "    OutsideWorkingHours = countif(OutsideWorkingHours) by Admin",
        "| join kind=fullouter denied on Admin",
        "| extend Admin = coalesce(Admin, Admin1), Denied = coalesce(Denied, 0)",
        "| extend Activations = coalesce(Activations, 0), ActiveDays = coalesce(ActiveDays, 0), WithoutTicket = coalesce(WithoutTicket, 0), OutsideWorkingHours = coalesce(OutsideWorkingHours, 0)",
        `| project ${ADMIN_SUMMARY_COLUMNS.join(", ")}`,
        "| order by Activations desc",
      ].join("\n"),
    },
    {
      name: "outside-working-hours",
      title: `Activations outside working hours (${options.workingHours.start}:00–${options.workingHours.end}:00, UTC${formatOffset(options.workingHours.utcOffsetHours)})`,
      query: `${activations}\nactivations\n| where OutsideWorkingHours\n| project ${ACTIVATION_COLUMNS.join(", ")}\n| order by ActivatedAt desc`,
    },
    {
      name: "denied",
      title: "Denied activation requests",
      query: [
        `let events = ${pimEventsQuery(options)};`,
        "events",
        '| where Event == "denied"',
        "| project DeniedAt = TimeGenerated, Admin, DeniedBy = Actor, Justification",
        "| order by DeniedAt desc",
      ].join("\n"),
    },
  ];
}

export function formatOffset(hours: number): string {
  if (hours === 0) return "";
  const sign = hours < 0 ? "-" : "+";
  const abs = Math.abs(hours);
  const h = Math.floor(abs);
  const m = Math.round((abs - h) * 60);
  return `${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}
