/**
 * Routine use of just-in-time Global Administrator: an admin who activated on `minActiveDays` or more of the last
 * seven days, or whose activation request's justification has no ticket reference matching `ticketPattern`.
 * Only admins with activity in the last day are reported, so a daily rule notifies about each lapse once.
 *
 * The seven-day lookback is the rule's windowSize (P1D) × numberOfEvaluationPeriods (7) (see alertRules.ts).
 */
import { kqlString } from "../../model/logAlertQuery";
import { GLOBAL_ADMINISTRATOR, roleName } from "../../roles";
import { actorExpression, PIM_OPERATIONS, PIM_TARGETS } from "./common";

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
  return [
    "// entra-baseline: Global Administrator activated routinely, or without a ticket reference.",
    "AuditLogs",
    "| where TimeGenerated > ago(7d)",
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
    `| where (ActiveDays >= ${options.minActiveDays} and LastActivation > ago(1d)) or TicketlessRequests > 0`,
    '| extend RoutineText = strcat("activated on ", ActiveDays, " of the last 7 days"),',
    '         TicketText = strcat(TicketlessRequests, " request(s) without a ticket reference")',
    "| extend Reason = case(",
    `    ActiveDays >= ${options.minActiveDays} and TicketlessRequests > 0, strcat(RoutineText, "; ", TicketText),`,
    `    ActiveDays >= ${options.minActiveDays}, RoutineText,`,
    "    TicketText)",
    "| extend TimeGenerated = LastActivity",
    `| project ${ROUTINE_JIT_COLUMNS.join(", ")}`,
  ].join("\n");
}
