/**
 * Any audit event that targets an emergency account or the exclusion group: password resets, authentication-method
 * changes, group membership changes, updates and deletions. It filters on the target, not on operation names, so
 * an operation nobody listed is still caught; `Change` only classifies for the reader.
 */
import { kqlStringList } from "../logAlertQuery";
import { assertAccounts, type BreakglassPrincipals } from "./breakglassPrincipals";
import { actorExpression, ingestedSince } from "./common";

export const ACCOUNT_CHANGED_DIMENSIONS = ["BreakglassTargets", "OperationName", "Actor"] as const;

export const ACCOUNT_CHANGED_COLUMNS = [
  "TimeGenerated",
  "OperationName",
  "Change",
  "Category",
  "Result",
  "Actor",
  "BreakglassTargets",
  "CorrelationId",
] as const;

export function breakglassAccountChangedQuery(
  breakglass: BreakglassPrincipals,
  evaluationFrequencyMinutes: number,
): string {
  assertAccounts(breakglass);
  const ids = kqlStringList([...breakglass.objectIds, breakglass.groupObjectId]);
  return [
    "// entra-baseline: a breakglass account or the breakglass exclusion group was changed.",
    "AuditLogs",
    ingestedSince(evaluationFrequencyMinutes),
    "| mv-apply Target = TargetResources on (",
    `    where tostring(Target.id) in~ ${ids}`,
    `        or tostring(Target.userPrincipalName) in~ ${kqlStringList(breakglass.userPrincipalNames)}`,
    // A membership change can name the group only inside the member's modified properties.
    `        or tostring(Target.modifiedProperties) has_any ${ids}`,
    "    | summarize Matched = make_set(coalesce(tostring(Target.userPrincipalName), tostring(Target.displayName), tostring(Target.id)))",
    "  )",
    "| where array_length(Matched) > 0",
    "| extend Change = case(",
    '    OperationName contains "password", "password",',
    '    OperationName contains "authentication method" or OperationName contains "security info", "authentication method",',
    '    OperationName contains "member", "group membership",',
    '    OperationName contains "delete", "deletion",',
    '    OperationName contains "update", "update",',
    '    "other")',
    `| extend Actor = ${actorExpression}`,
    '| extend BreakglassTargets = strcat_array(Matched, ", ")',
    `| project ${ACCOUNT_CHANGED_COLUMNS.join(", ")}`,
  ].join("\n");
}
