/**
 * The tripwire query: every sign-in attempt (success or failure) by an emergency account, matched by object id
 * (survives renames) or UPN (catches attempts against the name). Kept to what a rule evaluated every minute may
 * use: no union/search/take/ingestion_time(), no ago() (the rule's window bounds the time range).
 *
 * Its rendered text is the tripwire's canonical form: `renderKql(tripwireQueryDefinition(table, accounts))` is
 * what the program deploys and what a deployed rule can be compared with. It depends only on the table and the set
 * of accounts (lower-cased, de-duplicated, sorted), never on their order.
 */
import {
  column,
  eq,
  extend,
  iff,
  isInCi,
  type KqlQuery,
  member,
  or,
  pipeline,
  project,
  str,
  call,
  tostring,
  where,
} from "./ast";
import { assertAccounts, type BreakglassPrincipals } from "./breakglassPrincipals";
import { canonicalValues } from "./common";
import { renderKql } from "./render";

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

export function tripwireQueryDefinition(
  table: SignInTable,
  accounts: Pick<BreakglassPrincipals, "userPrincipalNames" | "objectIds">,
): KqlQuery {
  assertAccounts(accounts);
  // LocationDetails is dynamic in SigninLogs but a JSON string in AADNonInteractiveUserSignInLogs (docs/references.md, "Tables and columns").
  const location = table === "SigninLogs" ? column("LocationDetails") : call("parse_json", column("LocationDetails"));
  return {
    comments: [`entra-baseline tripwire: any sign-in attempt by a breakglass account, success or failure (${table}).`],
    body: pipeline(
      table,
      where(
        or(
          isInCi(column("UserId"), canonicalValues(accounts.objectIds)),
          isInCi(column("UserPrincipalName"), canonicalValues(accounts.userPrincipalNames)),
        ),
      ),
      // ResultType is a string: "0" is success, anything else a failure.
      extend({ Outcome: iff(eq(column("ResultType"), str("0")), str("success"), str("failure")) }),
      extend({ Country: tostring(member(location, "countryOrRegion")) }),
      project(...SIGN_IN_ALERT_COLUMNS),
    ),
  };
}

export function breakglassSignInQuery(
  table: SignInTable,
  accounts: Pick<BreakglassPrincipals, "userPrincipalNames" | "objectIds">,
): string {
  return renderKql(tripwireQueryDefinition(table, accounts));
}
