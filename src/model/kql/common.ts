/** Fragments the AuditLogs queries share. */

/** Who did it: a user's UPN, else the app's name (PIM and sync act as apps). */
export const actorExpression =
  'coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.app.displayName), "unknown")';

/**
 * Count each record once although the rule's window (its lookback on TimeGenerated) is much longer than its
 * frequency: only records ingested since the previous run, plus one minute of overlap so that scheduling jitter
 * yields a rare duplicate rather than a gap. Not usable by the one-minute tripwires (ingestion_time() is not
 * allowed there), which rely on stateful alerting instead.
 */
export function ingestedSince(evaluationFrequencyMinutes: number): string {
  return `| where ingestion_time() > ago(${evaluationFrequencyMinutes + 1}m)`;
}

/** PIM activation events for Global Administrator (operation names from the reference, §6). */
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
 * From a PIM audit record: the role's display name and the user it is about (the requesting admin, also for
 * approvals, where the actor is the approver).
 */
export const PIM_TARGETS = [
  "| mv-apply Target = TargetResources on (",
  '    summarize RoleName = take_anyif(tostring(Target.displayName), tostring(Target.type) =~ "Role"),',
  '              TargetUpn = take_anyif(tostring(Target.userPrincipalName), tostring(Target.type) =~ "User"),',
  '              TargetId = take_anyif(tostring(Target.id), tostring(Target.type) =~ "User")',
  "  )",
].join("\n");
