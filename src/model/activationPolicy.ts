/**
 * The Global Administrator activation policy as this project models it: the desired settings the PIM dynamic
 * resource writes (its props carry exactly these fields plus where to act: Graph host, login authority, tenant),
 * the live settings it reads back, and the one definition of "weakened" shared by the policy pack and the audit.
 */
import { describeSeconds, durationSeconds } from "./duration";
import { EMAIL, isGuid } from "./identifiers";

export interface ApproverRef {
  kind: "user" | "group";
  /** Object id of the user or group. */
  id: string;
}

export interface ActivationPolicySettings {
  /** Role template id (Global Administrator). */
  roleDefinitionId: string;
  /** Expiration_EndUser_Assignment.maximumDuration (ISO 8601). */
  maxActivationDuration: string;
  /** Enablement_EndUser_Assignment.enabledRules ∋ Justification. */
  requireJustification: boolean;
  /** Enablement_EndUser_Assignment.enabledRules ∋ Ticketing. */
  requireTicket: boolean;
  /** Enablement_EndUser_Assignment.enabledRules ∋ MultiFactorAuthentication. */
  requireMfa: boolean;
  /** AuthenticationContext_EndUser_Assignment: claimValue when enabled, null when disabled. */
  authenticationContextId: string | null;
  /** Approval_EndUser_Assignment. */
  approval: { required: boolean; approvers: ApproverRef[] };
  /** Expiration_Admin_Eligibility. */
  eligibilityExpiration: { required: boolean; maximumDuration: string | null };
  /** Expiration_Admin_Assignment. */
  activeAssignmentExpiration: { required: boolean; maximumDuration: string | null };
  /**
   * Recipients of the three "Admin" notification rules (Notification_Admin_{Admin_Eligibility,Admin_Assignment,
   * EndUser_Assignment}: the role assignment and activation alerts). Requestor/approver mails keep their defaults.
   */
  notificationRecipients: string[];
}

export interface ActivationLimits {
  /** Longest allowed activation (ISO 8601), e.g. limits.activationDuration.max. */
  maxActivationDuration: string;
}

/**
 * Every way `settings` falls short of the model, as messages. `requesterIds` are the object ids of the eligible
 * admins: each must have at least one approver other than themselves (a requester never approves their own
 * request). Approver groups count as "someone else" because their membership is not known here.
 */
export function activationPolicyWeaknesses(
  settings: ActivationPolicySettings,
  limits: ActivationLimits,
  requesterIds: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const seconds = durationSeconds(settings.maxActivationDuration);
  const maxSeconds = durationSeconds(limits.maxActivationDuration) ?? 4 * 3600;
  if (seconds === undefined) {
    problems.push(`activation maximum duration "${settings.maxActivationDuration}" is not an ISO 8601 duration`);
  } else if (seconds > maxSeconds) {
    problems.push(
      `activation maximum duration ${settings.maxActivationDuration} (${describeSeconds(seconds)}) exceeds the allowed ${describeSeconds(maxSeconds)}`,
    );
  }
  if (!settings.requireJustification) problems.push("activation does not require a justification");
  if (!settings.requireTicket) problems.push("activation does not require a ticket reference");
  if (!settings.authenticationContextId) {
    problems.push(
      "activation does not require an authentication context, so no fresh phishing-resistant MFA challenge is forced",
    );
  }
  // Only a well-formed user or group object id is an approver: "" or a UPN would count as "someone else" here
  // while Graph refuses (or nobody receives) the request.
  const malformed = settings.approval.approvers.filter(
    (a) => (a.kind !== "user" && a.kind !== "group") || typeof a.id !== "string" || !isGuid(a.id.trim()),
  );
  const approvers = settings.approval.approvers.filter((a) => !malformed.includes(a));
  for (const a of malformed) problems.push(`approver ${JSON.stringify(a)} is not a user or group object id`);
  if (!settings.approval.required) {
    problems.push("activation does not require approval (CISA MS.AAD.7.6)");
  } else if (approvers.length === 0) {
    problems.push("approval is required but no approver is configured");
  } else if (!approvers.some((a) => a.kind === "group")) {
    const approverIds = new Set(approvers.map((a) => a.id.trim().toLowerCase()));
    for (const requester of requesterIds) {
      const others = [...approverIds].filter((a) => a !== requester.trim().toLowerCase());
      if (others.length === 0) problems.push(`eligible admin ${requester} has no approver other than themselves`);
    }
  }
  const recipients = settings.notificationRecipients.filter((r) => typeof r === "string" && EMAIL.test(r.trim()));
  const badRecipients = settings.notificationRecipients.filter((r) => !recipients.includes(r));
  if (badRecipients.length > 0)
    problems.push(
      `notification recipients ${badRecipients.map((r) => JSON.stringify(r)).join(", ")} are not e-mail addresses`,
    );
  if (recipients.length === 0) {
    problems.push("no notification recipients: assignments and activations alert nobody (CISA MS.AAD.7.7/7.8)");
  }
  return problems;
}
