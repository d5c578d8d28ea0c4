/** Fragments the AuditLogs queries share, as definitions (ast.ts). */
import {
  aggregate,
  call,
  caseOf,
  coalesce,
  column,
  eqCi,
  extend,
  gt,
  isInCi,
  isnotempty,
  long,
  member,
  mvApply,
  nonEmptyArray,
  type Operator,
  type Scalar,
  str,
  summarize,
  timespan,
  tostring,
  where,
} from "./ast";

/** Who did it: a user's UPN, else the app's name (PIM and sync act as apps). */
export const actorExpression: Scalar = coalesce(
  tostring(member(column("InitiatedBy"), "user", "userPrincipalName")),
  tostring(member(column("InitiatedBy"), "app", "displayName")),
  str("unknown"),
);

/**
 * Count each record once although the rule's window (its lookback on TimeGenerated) is much longer than its
 * frequency: only records ingested since the previous run, plus one minute of overlap so that scheduling jitter
 * yields a rare duplicate rather than a gap. Not usable by the one-minute tripwires (ingestion_time() is not
 * allowed there), which rely on stateful alerting instead.
 */
export function ingestedSince(evaluationFrequencyMinutes: number): Operator {
  return where(gt(call("ingestion_time"), call("ago", timespan(`${evaluationFrequencyMinutes + 1}m`))));
}

/** Lower-case, trimmed, de-duplicated and sorted: the same accounts always give the same query text. */
export function canonicalValues(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim().toLowerCase()))].sort();
}

/** PIM activation events for Global Administrator (operation names from the reference, §6; docs/references.md, "Logs and KQL"). */
export const PIM_OPERATIONS = {
  requested: "Add member to role requested (PIM activation)",
  approvalRequested: "Add member to role approval requested (PIM activation)",
  approved: "Add member to role request approved (PIM activation)",
  denied: "Add member to role request denied (PIM activation)",
  activated: "Add member to role completed (PIM activation)",
  canceled: "Add member to role canceled (PIM activation)",
  expired: "Remove member from role (PIM activation expired)",
} as const;

export type PimEvent = keyof typeof PIM_OPERATIONS;

/**
 * The LoggedByService values of PIM's own records: Learn and Graph name the service "Privileged Identity
 * Management"; captured records say "PIM" (unconfirmed by Microsoft, docs/monitoring.md). Both are accepted.
 */
export const PIM_SERVICE_NAMES = ["PIM", "Privileged Identity Management"] as const;

/**
 * Directory-role PIM records with these operation names. The same names also exist for PIM for Groups
 * (GroupManagement) and Azure resources (ResourceManagement): the category keeps those out.
 */
export function pimRecords(operations: readonly string[]): Operator[] {
  return [
    where(eqCi(column("Category"), str("RoleManagement"))),
    where(isInCi(column("LoggedByService"), PIM_SERVICE_NAMES)),
    where(isInCi(column("OperationName"), operations)),
  ];
}

const targetType = tostring(member(column("Target"), "type"));

/**
 * From a PIM audit record: the role's display name and the user it is about (the requesting admin, also for
 * approvals, where the actor is the approver).
 */
export const pimTargets: Operator = mvApply("Target", column("TargetResources"), [
  summarize({
    RoleName: aggregate("take_anyif", tostring(member(column("Target"), "displayName")), eqCi(targetType, str("Role"))),
    TargetUpn: aggregate(
      "take_anyif",
      tostring(member(column("Target"), "userPrincipalName")),
      eqCi(targetType, str("User")),
    ),
    TargetId: aggregate("take_anyif", tostring(member(column("Target"), "id")), eqCi(targetType, str("User"))),
  }),
]);

/**
 * AdditionalDetails keys that might carry the ticket PIM records with a request (Graph's `ticketInfo.ticketNumber`).
 * UNCONFIRMED: no source shows PIM writing the ticket to the audit log at all; PIM's keys are the request's
 * property names in Pascal case (`Justification`, `StartTime`, `RoleAssignmentRequestId`), hence these guesses.
 * Matched case-insensitively. When none is present the ticket is extracted from the justification.
 */
export const PIM_TICKET_DETAIL_KEYS = ["TicketNumber", "Ticket Number"] as const;

/** Where PIM documents the requester's justification: AdditionalDetails key "Justification" (docs/references.md, "Logs and KQL"). */
export const PIM_JUSTIFICATION_DETAIL_KEY = "Justification";

/** The ticket came from PIM's own field, or was extracted from the justification; "" when there is none. */
export const TICKET_SOURCES = ["pim", "justification"] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number] | "";

/**
 * Justification and ticket of a PIM record: the justification from AdditionalDetails "Justification", else
 * ResultReason (which PIM fills with the same text in captured records, unconfirmed by Microsoft); the ticket from
 * a ticket key of AdditionalDetails, else the first match of `ticketPattern` in the justification. Adds the
 * columns Justification, Ticket and TicketSource.
 */
export function justificationAndTicket(ticketPattern: string): Operator[] {
  const detail = column("Detail");
  const detailKey = tostring(member(detail, "key"));
  return [
    mvApply("Detail", nonEmptyArray(column("AdditionalDetails")), [
      summarize({
        DetailJustification: aggregate(
          "take_anyif",
          tostring(member(detail, "value")),
          eqCi(detailKey, str(PIM_JUSTIFICATION_DETAIL_KEY)),
        ),
        DetailTicket: aggregate(
          "take_anyif",
          tostring(member(detail, "value")),
          isInCi(detailKey, PIM_TICKET_DETAIL_KEYS),
        ),
      }),
    ]),
    extend({ Justification: coalesce(column("DetailJustification"), column("ResultReason")) }),
    extend({
      Ticket: coalesce(column("DetailTicket"), call("extract", str(ticketPattern), long(0), column("Justification"))),
    }),
    extend({
      TicketSource: caseOf(
        [
          [isnotempty(column("DetailTicket")), str("pim")],
          [isnotempty(column("Ticket")), str("justification")],
        ],
        str(""),
      ),
    }),
  ];
}
