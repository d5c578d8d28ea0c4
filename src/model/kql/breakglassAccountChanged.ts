/**
 * Any audit event that targets an emergency account or the exclusion group: password resets, authentication-method
 * changes, group membership changes, updates and deletions. It filters on the target, not on operation names, so
 * an operation nobody listed is still caught; `Change` only classifies for the reader.
 */
import {
  aggregate,
  call,
  caseOf,
  coalesce,
  column,
  contains,
  extend,
  gt,
  isInCi,
  type KqlQuery,
  long,
  member,
  mvApply,
  or,
  pipeline,
  project,
  str,
  summarize,
  tostring,
  where,
} from "./ast";
import { assertAccounts, type BreakglassPrincipals } from "./breakglassPrincipals";
import { actorExpression, canonicalValues, ingestedSince } from "./common";
import { renderKql } from "./render";

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

export function breakglassAccountChangedDefinition(
  breakglass: BreakglassPrincipals,
  evaluationFrequencyMinutes: number,
): KqlQuery {
  assertAccounts(breakglass);
  const ids = canonicalValues([...breakglass.objectIds, breakglass.groupObjectId]);
  const target = column("Target");
  const operation = column("OperationName");
  return {
    comments: ["entra-baseline: a breakglass account or the breakglass exclusion group was changed."],
    body: pipeline(
      "AuditLogs",
      ingestedSince(evaluationFrequencyMinutes),
      mvApply("Target", column("TargetResources"), [
        where(
          or(
            isInCi(tostring(member(target, "id")), ids),
            isInCi(tostring(member(target, "userPrincipalName")), canonicalValues(breakglass.userPrincipalNames)),
            // A membership change can name the group only inside the member's modified properties (Group.ObjectID).
            // `contains`, a substring match, because whether `has` matches a hyphenated GUID is unconfirmed.
            ...ids.map((id) => contains(tostring(member(target, "modifiedProperties")), str(id))),
          ),
        ),
        summarize({
          Matched: aggregate(
            "make_set",
            coalesce(
              tostring(member(target, "userPrincipalName")),
              tostring(member(target, "displayName")),
              tostring(member(target, "id")),
            ),
          ),
        }),
      ]),
      where(gt(call("array_length", column("Matched")), long(0))),
      extend({
        Change: caseOf(
          [
            [contains(operation, str("password")), str("password")],
            [
              or(contains(operation, str("authentication method")), contains(operation, str("security info"))),
              str("authentication method"),
            ],
            [contains(operation, str("member")), str("group membership")],
            [contains(operation, str("delete")), str("deletion")],
            [contains(operation, str("update")), str("update")],
          ],
          str("other"),
        ),
      }),
      extend({ Actor: actorExpression }),
      extend({ BreakglassTargets: call("strcat_array", column("Matched"), str(", ")) }),
      project(...ACCOUNT_CHANGED_COLUMNS),
    ),
  };
}

export function breakglassAccountChangedQuery(
  breakglass: BreakglassPrincipals,
  evaluationFrequencyMinutes: number,
): string {
  return renderKql(breakglassAccountChangedDefinition(breakglass, evaluationFrequencyMinutes));
}
