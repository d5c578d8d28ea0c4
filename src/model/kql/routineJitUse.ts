/**
 * Routine use of just-in-time Global Administrator, as far as a daily log alert can see it: an admin whose
 * activation request carries no ticket (PIM's ticket field, else a match of `ticketPattern` in the justification;
 * see justificationAndTicket), or who activated on `min(minActiveDays, 2)` of the last two days. Only admins with
 * activity in the last day are reported, so a daily rule notifies about each lapse once.
 *
 * Why two days, not seven: Azure Monitor caps a log alert's lookback (windowSize × numberOfEvaluationPeriods, with
 * at most 6 periods) and overrideQueryTimeRange at 48 hours, and clamps the query to that range whatever its
 * `ago()` says. "Activated on N of the last 7 days" needs a week of history, so that count is the weekly review's
 * per-admin `activeDays` (workbook and `npm run review`); this rule is the daily early signal. See alertRules.ts.
 */
import { GLOBAL_ADMINISTRATOR, roleName } from "../roles";
import {
  aggregate,
  and,
  call,
  caseOf,
  coalesce,
  column,
  eqCi,
  extend,
  ge,
  gt,
  isempty,
  type KqlQuery,
  long,
  or,
  pipeline,
  project,
  str,
  summarize,
  timespan,
  where,
} from "./ast";
import { actorExpression, justificationAndTicket, PIM_OPERATIONS, pimRecords, pimTargets } from "./common";
import { renderKql } from "./render";

/** The most a log alert can look back (48 hours), in days: the rule's windowSize is this many days. */
export const ROUTINE_JIT_LOOKBACK_DAYS = 2;

export const ROUTINE_JIT_DIMENSIONS = ["Admin"] as const;

export const ROUTINE_JIT_COLUMNS = ["TimeGenerated", "Admin", "ActiveDays", "TicketlessRequests", "Reason"] as const;

export interface RoutineJitUseOptions {
  minActiveDays: number;
  /** A regular expression (RE2 in KQL; keep to the common subset of JavaScript and RE2). */
  ticketPattern: string;
}

export function routineJitUseDefinition(options: RoutineJitUseOptions): KqlQuery {
  const isRequest = eqCi(column("OperationName"), str(PIM_OPERATIONS.requested));
  const isActivation = eqCi(column("OperationName"), str(PIM_OPERATIONS.activated));
  const minActiveDays = Math.min(options.minActiveDays, ROUTINE_JIT_LOOKBACK_DAYS);
  const lastDay = gt(column("TimeGenerated"), call("ago", timespan("1d")));
  const routine = ge(column("ActiveDays"), long(minActiveDays));
  const ticketless = gt(column("TicketlessRequests"), long(0));
  return {
    comments: ["entra-baseline: Global Administrator activated routinely, or without a ticket reference."],
    body: pipeline(
      "AuditLogs",
      where(gt(column("TimeGenerated"), call("ago", timespan(`${ROUTINE_JIT_LOOKBACK_DAYS}d`)))),
      ...pimRecords([PIM_OPERATIONS.requested, PIM_OPERATIONS.activated]),
      pimTargets,
      where(eqCi(column("RoleName"), str(roleName(GLOBAL_ADMINISTRATOR)))),
      extend({ Admin: coalesce(column("TargetUpn"), actorExpression) }),
      ...justificationAndTicket(options.ticketPattern),
      summarize(
        {
          ActiveDays: aggregate("dcountif", call("startofday", column("TimeGenerated")), isActivation),
          LastActivation: aggregate("maxif", column("TimeGenerated"), isActivation),
          TicketlessRequests: aggregate("countif", and(isRequest, isempty(column("Ticket")), lastDay)),
          LastActivity: aggregate("max", column("TimeGenerated")),
        },
        ["Admin"],
      ),
      where(or(and(routine, gt(column("LastActivation"), call("ago", timespan("1d")))), ticketless)),
      extend({
        RoutineText: call(
          "strcat",
          str("activated on "),
          column("ActiveDays"),
          str(` of the last ${ROUTINE_JIT_LOOKBACK_DAYS} days`),
        ),
        TicketText: call("strcat", column("TicketlessRequests"), str(" request(s) without a ticket reference")),
      }),
      extend({
        Reason: caseOf(
          [
            [and(routine, ticketless), call("strcat", column("RoutineText"), str("; "), column("TicketText"))],
            [routine, column("RoutineText")],
          ],
          column("TicketText"),
        ),
      }),
      extend({ TimeGenerated: column("LastActivity") }),
      project(...ROUTINE_JIT_COLUMNS),
    ),
  };
}

export function routineJitUseQuery(options: RoutineJitUseOptions): string {
  return renderKql(routineJitUseDefinition(options));
}
