/**
 * The weekly PIM activation review's queries. One base query returns every Global Administrator PIM event of the
 * last seven days, one row per event; `npm run review` runs exactly that query and builds the review from the rows,
 * and the workbook's sections are that same query followed by the grouping each section needs.
 */
import { GLOBAL_ADMINISTRATOR, roleName } from "../roles";
import {
  aggregate,
  call,
  caseOf,
  coalesce,
  column,
  datetime,
  eq,
  eqCi,
  extend,
  ge,
  gt,
  iff,
  isempty,
  join,
  type KqlQuery,
  long,
  lt,
  or,
  orderBy,
  type Pipeline,
  pipeline,
  project,
  str,
  summarize,
  timespan,
  where,
} from "./ast";
import {
  actorExpression,
  justificationAndTicket,
  PIM_OPERATIONS,
  pimRecords,
  pimTargets,
  type PimEvent,
} from "./common";
import { renderKql } from "./render";

export const PIM_EVENT_COLUMNS = [
  "TimeGenerated",
  "Event",
  "Admin",
  "AdminId",
  "Actor",
  "Justification",
  "Ticket",
  "TicketSource",
  "Result",
  "CorrelationId",
] as const;

export const PIM_EVENTS: readonly PimEvent[] = Object.keys(PIM_OPERATIONS) as PimEvent[];

export interface PimReviewOptions {
  /** Ticket references are extracted from the justification with this regular expression (when PIM has none). */
  ticketPattern: string;
  workingHours: { start: number; end: number; utcOffsetHours: number };
}

function pimEventsPipeline(options: Pick<PimReviewOptions, "ticketPattern">): Pipeline {
  return pipeline(
    "AuditLogs",
    where(gt(column("TimeGenerated"), call("ago", timespan("7d")))),
    ...pimRecords(PIM_EVENTS.map((e) => PIM_OPERATIONS[e])),
    pimTargets,
    where(eqCi(column("RoleName"), str(roleName(GLOBAL_ADMINISTRATOR)))),
    extend({
      Event: caseOf(
        PIM_EVENTS.map((e) => [eqCi(column("OperationName"), str(PIM_OPERATIONS[e])), str(e)]),
        str("other"),
      ),
    }),
    extend({ Actor: actorExpression }),
    extend({ Admin: coalesce(column("TargetUpn"), column("Actor")), AdminId: column("TargetId") }),
    ...justificationAndTicket(options.ticketPattern),
    project(...PIM_EVENT_COLUMNS),
    orderBy("TimeGenerated", "asc"),
  );
}

/** Every Global Administrator PIM activation event of the last 7 days (the rows `npm run review` reads). */
export function pimEventsDefinition(options: Pick<PimReviewOptions, "ticketPattern">): KqlQuery {
  return { body: pimEventsPipeline(options) };
}

export function pimEventsQuery(options: Pick<PimReviewOptions, "ticketPattern">): string {
  return renderKql(pimEventsDefinition(options));
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
function activationLets(options: PimReviewOptions): NonNullable<KqlQuery["lets"]> {
  const { start, end, utcOffsetHours } = options.workingHours;
  const offsetMinutes = Math.round(utcOffsetHours * 60);
  const event = (e: PimEvent) => where(eq(column("Event"), str(e)));
  return [
    { name: "events", query: pimEventsPipeline(options) },
    {
      name: "requests",
      query: pipeline(
        "events",
        event("requested"),
        project("CorrelationId", { RequestJustification: column("Justification"), RequestTicket: column("Ticket") }),
      ),
    },
    {
      name: "approvals",
      query: pipeline(
        "events",
        event("approved"),
        summarize({ ApprovedBy: aggregate("take_any", column("Actor")) }, ["CorrelationId"]),
      ),
    },
    {
      name: "expiries",
      query: pipeline("events", event("expired"), project("AdminId", { ExpiredAt: column("TimeGenerated") })),
    },
    {
      name: "activations",
      query: pipeline(
        "events",
        event("activated"),
        join("leftouter", "requests", "CorrelationId"),
        join("leftouter", "approvals", "CorrelationId"),
        join("leftouter", "expiries", "AdminId"),
        extend({
          ExpiredAt: iff(gt(column("ExpiredAt"), column("TimeGenerated")), column("ExpiredAt"), datetime(null)),
        }),
        summarize({ EndedAt: aggregate("min", column("ExpiredAt")) }, [
          { ActivatedAt: column("TimeGenerated") },
          "Admin",
          { Justification: coalesce(column("Justification"), column("RequestJustification")) },
          { Ticket: coalesce(column("Ticket"), column("RequestTicket")) },
          "ApprovedBy",
          "CorrelationId",
        ]),
        extend({ DurationMinutes: call("datetime_diff", str("minute"), column("EndedAt"), column("ActivatedAt")) }),
        extend({
          LocalHour: call("hourofday", call("datetime_add", str("minute"), long(offsetMinutes), column("ActivatedAt"))),
        }),
        extend({ OutsideWorkingHours: or(lt(column("LocalHour"), long(start)), ge(column("LocalHour"), long(end))) }),
      ),
    },
  ];
}

export interface WorkbookSection {
  name: string;
  title: string;
  definition: KqlQuery;
}

export interface WorkbookQuery {
  name: string;
  title: string;
  query: string;
}

/** The workbook's sections, in order, as definitions. */
export function pimReviewWorkbookDefinitions(options: PimReviewOptions): WorkbookSection[] {
  const lets = activationLets(options);
  const activationTable = (...filter: ReturnType<typeof where>[]): KqlQuery => ({
    lets,
    body: pipeline("activations", ...filter, project(...ACTIVATION_COLUMNS), orderBy("ActivatedAt", "desc")),
  });
  const countOr0 = (c: string) => ({ [c]: coalesce(column(c), long(0)) });
  return [
    {
      name: "activations",
      title: "Global Administrator activations (last 7 days)",
      definition: activationTable(),
    },
    {
      name: "per-admin",
      title: "Activations per admin",
      definition: {
        lets: [
          ...lets,
          {
            name: "denied",
            query: pipeline(
              "events",
              where(eq(column("Event"), str("denied"))),
              summarize({ Denied: aggregate("count") }, ["Admin"]),
            ),
          },
        ],
        body: pipeline(
          "activations",
          summarize(
            {
              Activations: aggregate("count"),
              ActiveDays: aggregate("dcount", call("startofday", column("ActivatedAt"))),
              WithoutTicket: aggregate("countif", isempty(column("Ticket"))),
              OutsideWorkingHours: aggregate("countif", column("OutsideWorkingHours")),
            },
            ["Admin"],
          ),
          join("fullouter", "denied", "Admin"),
          extend({ Admin: coalesce(column("Admin"), column("Admin1")), ...countOr0("Denied") }),
          extend({
            ...countOr0("Activations"),
            ...countOr0("ActiveDays"),
            ...countOr0("WithoutTicket"),
            ...countOr0("OutsideWorkingHours"),
          }),
          project(...ADMIN_SUMMARY_COLUMNS),
          orderBy("Activations", "desc"),
        ),
      },
    },
    {
      name: "outside-working-hours",
      title: `Activations outside working hours (${options.workingHours.start}:00–${options.workingHours.end}:00, UTC${formatOffset(options.workingHours.utcOffsetHours)})`,
      definition: activationTable(where(column("OutsideWorkingHours"))),
    },
    {
      name: "denied",
      title: "Denied activation requests",
      definition: {
        lets: [lets[0]!],
        body: pipeline(
          "events",
          where(eq(column("Event"), str("denied"))),
          project({ DeniedAt: column("TimeGenerated") }, "Admin", { DeniedBy: column("Actor") }, "Justification"),
          orderBy("DeniedAt", "desc"),
        ),
      },
    },
  ];
}

/** The workbook's sections, in order, as the KQL text the workbook holds. */
export function pimReviewWorkbookQueries(options: PimReviewOptions): WorkbookQuery[] {
  return pimReviewWorkbookDefinitions(options).map((s) => ({
    name: s.name,
    title: s.title,
    query: renderKql(s.definition),
  }));
}

export function formatOffset(hours: number): string {
  if (hours === 0) return "";
  const sign = hours < 0 ? "-" : "+";
  const abs = Math.abs(hours);
  const h = Math.floor(abs);
  const m = Math.round((abs - h) * 60);
  return `${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}
