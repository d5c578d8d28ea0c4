/**
 * The drill's Log Analytics query: every sign-in row of the breakglass accounts in the window, interactive and
 * non-interactive, with the three times the drill measures: CreatedDateTime (the sign-in; TimeGenerated is when Log
 * Analytics received the entry), `_TimeReceived` (received by the data collection endpoint) and `ingestion_time()`
 * (stored and queryable). `ingestion_time()` is allowed here: this is the query API, not a 1-minute alert rule.
 */
import { kqlString } from "@entra-baseline/model";

export const DRILL_SIGN_IN_COLUMNS = [
  "SourceTable",
  "CreatedDateTime",
  "TimeGenerated",
  "TimeReceived",
  "IngestedAt",
  "UserPrincipalName",
  "UserId",
  "ResultType",
  "AppDisplayName",
  "ConditionalAccessStatus",
  "CorrelationId",
] as const;

export function drillSignInsQuery(options: {
  upns: readonly string[];
  objectIds: readonly string[];
  since: string;
  until: string;
}): string {
  const list = (values: readonly string[]) => values.map(kqlString).join(", ");
  const identity = [
    options.objectIds.length > 0 ? `UserId in~ (${list(options.objectIds)})` : undefined,
    `UserPrincipalName in~ (${list(options.upns)})`,
  ]
    .filter(Boolean)
    .join(" or ");
  return [
    "union withsource=SourceTable SigninLogs, AADNonInteractiveUserSignInLogs",
    // TimeGenerated is the receipt time, never before the sign-in: a window on it with an hour's margin for late rows.
    `| where TimeGenerated between (datetime(${options.since}) .. (datetime(${options.until}) + 1h))`,
    `| where CreatedDateTime between (datetime(${options.since}) .. datetime(${options.until}))`,
    `| where ${identity}`,
    "| extend TimeReceived = _TimeReceived, IngestedAt = ingestion_time()",
    `| project ${DRILL_SIGN_IN_COLUMNS.join(", ")}`,
    "| order by CreatedDateTime asc",
  ].join("\n");
}
