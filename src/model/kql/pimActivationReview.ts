/**
 * The weekly PIM activation review's queries. One base query returns every PIM event of the managed roles (Global
 * Administrator and each `pim.roles` role) of the last seven days, one row per event with its role; `npm run review`
 * runs exactly that query and builds the review from the rows, and the workbook's sections are that same query
 * followed by the grouping each section needs.
 */
import {
  aggregate,
  type AggregateFunction,
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
  isInCi,
  join,
  type KqlQuery,
  long,
  lt,
  or,
  orderBy,
  type Pipeline,
  pipeline,
  project,
  type Scalar,
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
  /** The role's display name, as PIM's Role target names it. */
  "Role",
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
  /**
   * The managed roles' display names, Global Administrator first (`managedRoles(config.pim).map((r) => r.name)`):
   * the review covers the events of these roles, matched case-insensitively against the Role target's display name.
   */
  roles: readonly string[];
  /** Ticket references are extracted from the justification with this regular expression (when PIM has none). */
  ticketPattern: string;
  workingHours: { start: number; end: number; utcOffsetHours: number };
}

export type PimEventsOptions = Pick<PimReviewOptions, "roles" | "ticketPattern">;

/**
 * The role names the query matches: trimmed, each once (case-insensitively, as `in~` compares), in the order given.
 * None is an error: a review of no role would report an empty week as a quiet one.
 */
export function reviewedRoleNames(roles: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const role of roles) {
    const name = role.trim();
    if (name && !byKey.has(name.toLowerCase())) byKey.set(name.toLowerCase(), name);
  }
  if (byKey.size === 0)
    throw new Error("the PIM review needs the managed roles' display names (managedRoles(config.pim)): none given");
  return [...byKey.values()];
}

function pimEventsPipeline(options: PimEventsOptions): Pipeline {
  return pipeline(
    "AuditLogs",
    where(gt(column("TimeGenerated"), call("ago", timespan("7d")))),
    ...pimRecords(PIM_EVENTS.map((e) => PIM_OPERATIONS[e])),
    pimTargets,
    where(isInCi(column("RoleName"), reviewedRoleNames(options.roles))),
    extend({
      Event: caseOf(
        PIM_EVENTS.map((e) => [eqCi(column("OperationName"), str(PIM_OPERATIONS[e])), str(e)]),
        str("other"),
      ),
    }),
    extend({ Actor: actorExpression }),
    extend({
      Role: column("RoleName"),
      Admin: coalesce(column("TargetUpn"), column("Actor")),
      AdminId: column("TargetId"),
    }),
    ...justificationAndTicket(options.ticketPattern),
    project(...PIM_EVENT_COLUMNS),
    orderBy("TimeGenerated", "asc"),
  );
}

/** Every PIM activation event of the managed roles of the last 7 days (the rows `npm run review` reads). */
export function pimEventsDefinition(options: PimEventsOptions): KqlQuery {
  return { body: pimEventsPipeline(options) };
}

export function pimEventsQuery(options: PimEventsOptions): string {
  return renderKql(pimEventsDefinition(options));
}

export const ACTIVATION_COLUMNS = [
  "ActivatedAt",
  "Role",
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
/** Per role: its activations, how many admins activated it, and its denied requests. */
export const ROLE_SUMMARY_COLUMNS = [
  "Role",
  "Activations",
  "Admins",
  "WithoutTicket",
  "OutsideWorkingHours",
  "Denied",
] as const;
/** Per role and admin: the per-admin counts of one role. */
export const ROLE_ADMIN_SUMMARY_COLUMNS = ["Role", ...ADMIN_SUMMARY_COLUMNS] as const;

type Lets = NonNullable<KqlQuery["lets"]>;

/**
 * One row per activation: justification and ticket from the activation or its request, the approver from the
 * approval with the same correlation id, the duration up to the expiry of the same admin's same role (empty while
 * still active or when it ended early, which these operations do not show). Pairing the expiry by admin alone would
 * end one role's activation at the expiry of another role the admin held at the same time.
 */
function activationLets(options: PimReviewOptions): Lets {
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
      query: pipeline("events", event("expired"), project("AdminId", "Role", { ExpiredAt: column("TimeGenerated") })),
    },
    {
      name: "activations",
      query: pipeline(
        "events",
        event("activated"),
        join("leftouter", "requests", "CorrelationId"),
        join("leftouter", "approvals", "CorrelationId"),
        join("leftouter", "expiries", ["AdminId", "Role"]),
        extend({
          ExpiredAt: iff(gt(column("ExpiredAt"), column("TimeGenerated")), column("ExpiredAt"), datetime(null)),
        }),
        summarize({ EndedAt: aggregate("min", column("ExpiredAt")) }, [
          { ActivatedAt: column("TimeGenerated") },
          "Role",
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

/**
 * Counts of the activations grouped by `keys`, with the denied requests of the same keys: a full outer join, so a
 * key with only denials (or only activations) still has its row, every count 0 where it has none.
 */
function summaryDefinition(
  lets: Lets,
  keys: readonly string[],
  counts: Record<string, { fn: AggregateFunction; args: Scalar[] }>,
  columns: readonly string[],
): KqlQuery {
  const or0 = (c: string) => coalesce(column(c), long(0));
  return {
    lets: [
      ...lets,
      {
        name: "denied",
        query: pipeline(
          "events",
          where(eq(column("Event"), str("denied"))),
          summarize({ Denied: aggregate("count") }, [...keys]),
        ),
      },
    ],
    body: pipeline(
      "activations",
      summarize(counts, [...keys]),
      join("fullouter", "denied", keys),
      // The right side's keys are Role1, Admin1: a key only the denials have is there.
      extend({
        ...Object.fromEntries(keys.map((k) => [k, coalesce(column(k), column(`${k}1`))])),
        Denied: or0("Denied"),
      }),
      extend(Object.fromEntries(Object.keys(counts).map((c) => [c, or0(c)]))),
      project(...columns),
      orderBy("Activations", "desc"),
    ),
  };
}

/** The workbook's sections, in order, as definitions. */
export function pimReviewWorkbookDefinitions(options: PimReviewOptions): WorkbookSection[] {
  const lets = activationLets(options);
  const activationTable = (...filter: ReturnType<typeof where>[]): KqlQuery => ({
    lets,
    body: pipeline("activations", ...filter, project(...ACTIVATION_COLUMNS), orderBy("ActivatedAt", "desc")),
  });
  const withoutTicket = aggregate("countif", isempty(column("Ticket")));
  const outsideWorkingHours = aggregate("countif", column("OutsideWorkingHours"));
  // Per admin and per role and admin count alike; the per-role summary counts admins instead of days.
  const adminCounts = {
    Activations: aggregate("count"),
    ActiveDays: aggregate("dcount", call("startofday", column("ActivatedAt"))),
    WithoutTicket: withoutTicket,
    OutsideWorkingHours: outsideWorkingHours,
  };
  return [
    {
      name: "activations",
      title: "Activations of the managed roles (last 7 days)",
      definition: activationTable(),
    },
    {
      name: "per-role",
      title: "Activations per role",
      definition: summaryDefinition(
        lets,
        ["Role"],
        {
          Activations: aggregate("count"),
          Admins: aggregate("dcount", column("Admin")),
          WithoutTicket: withoutTicket,
          OutsideWorkingHours: outsideWorkingHours,
        },
        ROLE_SUMMARY_COLUMNS,
      ),
    },
    {
      name: "per-admin",
      title: "Activations per admin (all roles)",
      definition: summaryDefinition(lets, ["Admin"], adminCounts, ADMIN_SUMMARY_COLUMNS),
    },
    {
      name: "per-role-admin",
      title: "Activations per role and admin",
      definition: summaryDefinition(lets, ["Role", "Admin"], adminCounts, ROLE_ADMIN_SUMMARY_COLUMNS),
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
          project(
            { DeniedAt: column("TimeGenerated") },
            "Role",
            "Admin",
            { DeniedBy: column("Actor") },
            "Justification",
          ),
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
