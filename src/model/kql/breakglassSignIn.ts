/**
 * The tripwire query: every sign-in attempt (success or failure) by an emergency account, matched by object id
 * (survives renames) or UPN (catches attempts against the name). Kept to what a rule evaluated every minute may
 * use: no union/search/take/ingestion_time(), no ago() (the rule's window bounds the time range).
 */
import { kqlStringList } from "../logAlertQuery";
import { assertAccounts, type BreakglassPrincipals } from "./breakglassPrincipals";

export type SignInTable = "SigninLogs" | "AADNonInteractiveUserSignInLogs";

/**
 * The alert splits by these columns. Together with a stateful rule they make one notification per account and
 * outcome per incident: a second failure does not re-notify, but the first success after failures does.
 */
export const SIGN_IN_ALERT_DIMENSIONS = ["UserPrincipalName", "UserId", "Outcome"] as const;

export const SIGN_IN_ALERT_COLUMNS = [
  "TimeGenerated",
  "CreatedDateTime",
  "UserPrincipalName",
  "UserId",
  "Outcome",
  "ResultType",
  "ResultDescription",
  "IPAddress",
  "Country",
  "AppDisplayName",
  "ClientAppUsed",
  "ConditionalAccessStatus",
  "CorrelationId",
] as const;

export function breakglassSignInQuery(
  table: SignInTable,
  accounts: Pick<BreakglassPrincipals, "userPrincipalNames" | "objectIds">,
): string {
  assertAccounts(accounts);
  // LocationDetails is dynamic in SigninLogs but a JSON string in AADNonInteractiveUserSignInLogs (reference §6).
  const location = table === "SigninLogs" ? "LocationDetails" : "parse_json(LocationDetails)";
  return [
    `// entra-baseline tripwire: any sign-in attempt by a breakglass account, success or failure (${table}).`,
    table,
    `| where UserId in~ ${kqlStringList(accounts.objectIds)}`,
    `    or UserPrincipalName in~ ${kqlStringList(accounts.userPrincipalNames)}`,
    `| extend Outcome = iff(ResultType == "0", "success", "failure")`,
    `| extend Country = tostring(${location}.countryOrRegion)`,
    `| project ${SIGN_IN_ALERT_COLUMNS.join(", ")}`,
  ].join("\n");
}
