/**
 * Routine use of just-in-time Global Administrator, as far as a daily log alert can see it: an admin whose
 * activation request's justification has no ticket reference matching `ticketPattern`, or who activated on
 * `min(minActiveDays, 2)` of the last two days. Only admins with activity in the last day are reported, so a daily
 * rule notifies about each lapse once.
 *
 * Why two days, not seven: Azure Monitor caps a log alert's lookback (windowSize × numberOfEvaluationPeriods, with
 * at most 6 periods) and overrideQueryTimeRange at 48 hours, and clamps the query to that range whatever its
 * `ago()` says. "Activated on N of the last 7 days" needs a week of history, so that count is the weekly review's
 * per-admin `activeDays` (workbook and `npm run review`); this rule is the daily early signal. See alertRules.ts.
 */
import { kqlString } from "../logAlertQuery";
import { GLOBAL_ADMINISTRATOR, roleName } from "../roles";
import { actorExpression, PIM_OPERATIONS, PIM_TARGETS } from "./common";

/** The most a log alert can look back (48 hours), in days: the rule's windowSize is this many days. */
export const ROUTINE_JIT_LOOKBACK_DAYS = 2;

export const ROUTINE_JIT_DIMENSIONS = ["Admin"] as const;

export const ROUTINE_JIT_COLUMNS = ["TimeGenerated", "Admin", "ActiveDays", "TicketlessRequests", "Reason"] as const;

export interface RoutineJitUseOptions {
  minActiveDays: number;
  /** A regular expression (RE2 in KQL; keep to the common subset of JavaScript and RE2). */
  ticketPattern: string;
}

export function routineJitUseQuery(options: RoutineJitUseOptions): string {
  const requested = kqlString(PIM_OPERATIONS.requested);
  const activated = kqlString(PIM_OPERATIONS.activated);
  const minActiveDays = Math.min(options.minActiveDays, ROUTINE_JIT_LOOKBACK_DAYS);
  return [
    "// entra-baseline: Global Administrator activated routinely, or without a ticket reference.",
    "AuditLogs",
    `| where TimeGenerated > ago(${ROUTINE_JIT_LOOKBACK_DAYS}d)`,
    '| where LoggedByService =~ "PIM"',
    `| where OperationName in~ (${requested}, ${activated})`,
    PIM_TARGETS,
    `| where RoleName =~ ${kqlString(roleName(GLOBAL_ADMINISTRATOR))}`,
    `| extend Admin = coalesce(TargetUpn, ${actorExpression})`,
    `| extend HasTicket = ResultReason matches regex ${kqlString(options.ticketPattern)}`,
    "| summarize",
    `    ActiveDays = dcountif(startofday(TimeGenerated), OperationName =~ ${activated}),`,
    `    LastActivation = maxif(TimeGenerated, OperationName =~ ${activated}),`,
    `    TicketlessRequests = countif(OperationName =~ ${requested} and not(HasTicket) and TimeGenerated > ago(1d)),`,
    "    LastActivity = max(TimeGenerated)",
    "    by Admin",
    `| where (ActiveDays >= ${minActiveDays} and LastActivation > ago(1d)) or TicketlessRequests > 0`,
    `| extend RoutineText = strcat("activated on ", ActiveDays, " of the last ${ROUTINE_JIT_LOOKBACK_DAYS} days"),`,
    '         TicketText = strcat(TicketlessRequests, " request(s) without a ticket reference")',
    "| extend Reason = case(",
    `    ActiveDays >= ${minActiveDays} and TicketlessRequests > 0, strcat(RoutineText, "; ", TicketText),`,
    `    ActiveDays >= ${minActiveDays}, RoutineText,`,
    "    TicketText)",
    "| extend TimeGenerated = LastActivity",
    `| project ${ROUTINE_JIT_COLUMNS.join(", ")}`,
  ].join("\n");
}
