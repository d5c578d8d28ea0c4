/**
 * A role's activation policy as this project models it: the settings the PIM dynamic resource writes for each
 * managed role (its props carry exactly these fields plus where to act: Graph host, login authority, tenant), the live settings it reads back,
 * what the model requires of a role (Tier-0: at most 4 h, justification, ticket, approval by someone else, the fresh
 * MFA of an authentication context, notifications), and the one definition of "weakened" shared by the policy pack
 * and the live-tenant audit.
 */
import { describeSeconds, durationSeconds } from "./duration";
import { MODEL_BOUNDS } from "./limits";
import { EMAIL, isGuid } from "./identifiers";
import { roleName } from "./roles";

export interface ApproverRef {
  kind: "user" | "group";
  /** Object id of the user or group. */
  id: string;
}

export interface ActivationPolicySettings {
  /** Role template id. */
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

/** What the model requires of one managed role's activation policy. */
export interface ActivationRequirement {
  roleDefinitionId: string;
  /** Tier-0 roles are held to the model's bounds whatever the requirement says. */
  tier0: boolean;
  /** Longest activation allowed, in seconds. */
  maxActivationSeconds: number;
  requireJustification: boolean;
  requireTicket: boolean;
  requireApproval: boolean;
  /** The authentication context activation must require; "" = any context; null = none required. */
  authenticationContextId: string | null;
  /** Assignment and activation alerts must reach someone (CISA MS.AAD.7.7–7.9). */
  requireNotifications: boolean;
}

/** The Tier-0 requirement at the model's bounds (what a pack run without config judges every Tier-0 role by). */
export function tier0Requirement(
  roleDefinitionId: string,
  maxActivationSeconds: number = MODEL_BOUNDS.tier0MaxActivationSeconds,
): ActivationRequirement {
  return {
    roleDefinitionId: roleDefinitionId.toLowerCase(),
    tier0: true,
    maxActivationSeconds: Math.min(maxActivationSeconds, MODEL_BOUNDS.tier0MaxActivationSeconds),
    requireJustification: true,
    requireTicket: true,
    requireApproval: true,
    authenticationContextId: "",
    requireNotifications: true,
  };
}

/** A requirement as it may be declared, tightened to the model's bounds for Tier-0 (a config cannot relax them). */
export function effectiveRequirement(req: ActivationRequirement): ActivationRequirement {
  if (!req.tier0)
    return { ...req, maxActivationSeconds: Math.min(req.maxActivationSeconds, MODEL_BOUNDS.maxActivationSeconds) };
  const floor = tier0Requirement(req.roleDefinitionId, req.maxActivationSeconds);
  return { ...floor, authenticationContextId: req.authenticationContextId ? req.authenticationContextId : "" };
}

export interface ActivationPeople {
  /** Object ids of everyone who may activate the role (eligible users, and members of eligible groups where known). */
  requesters: readonly string[];
  /** Members of approver groups, where known (an approver group whose members are unknown counts as someone else). */
  groupMembers?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Every way `settings` falls short of `requirement`, as messages; [] when it holds. Each requester must have an
 * approver other than themselves: a requester never approves their own request, and approver groups count through
 * their members where membership is known.
 */
export function activationPolicyWeaknesses(
  settings: ActivationPolicySettings,
  requirement: ActivationRequirement,
  people: ActivationPeople = { requesters: [] },
): string[] {
  const req = effectiveRequirement(requirement);
  const problems: string[] = [];
  const seconds = durationSeconds(settings.maxActivationDuration);
  if (seconds === undefined) {
    problems.push(`activation maximum duration "${settings.maxActivationDuration}" is not an ISO 8601 duration`);
  } else if (seconds > req.maxActivationSeconds) {
    problems.push(
      `activation maximum duration ${settings.maxActivationDuration} (${describeSeconds(seconds)}) exceeds the allowed ${describeSeconds(req.maxActivationSeconds)}`,
    );
  }
  if (req.requireJustification && !settings.requireJustification)
    problems.push("activation does not require a justification");
  if (req.requireTicket && !settings.requireTicket) problems.push("activation does not require a ticket reference");
  if (req.authenticationContextId !== null) {
    if (!settings.authenticationContextId) {
      problems.push("activation does not require an authentication context, so no fresh MFA challenge is forced");
    } else if (
      req.authenticationContextId !== "" &&
      settings.authenticationContextId.toLowerCase() !== req.authenticationContextId.toLowerCase()
    ) {
      problems.push(
        `activation requires authentication context "${settings.authenticationContextId}", not the configured "${req.authenticationContextId}"`,
      );
    }
  }
  // Only a well-formed user or group object id is an approver: "" or a UPN would count as "someone else" here
  // while Graph refuses (or nobody receives) the request.
  const malformed = settings.approval.approvers.filter(
    (a) => (a.kind !== "user" && a.kind !== "group") || typeof a.id !== "string" || !isGuid(a.id.trim()),
  );
  const approvers = settings.approval.approvers.filter((a) => !malformed.includes(a));
  for (const a of malformed) problems.push(`approver ${JSON.stringify(a)} is not a user or group object id`);
  if (req.requireApproval) {
    if (!settings.approval.required) {
      problems.push(`activation does not require approval (CISA MS.AAD.7.6)`);
    } else if (approvers.length === 0) {
      problems.push("approval is required but no approver is configured");
    } else {
      for (const requester of requestersWithoutApprover(approvers, people)) {
        problems.push(`eligible admin ${requester} has no approver other than themselves`);
      }
    }
  }
  const recipients = settings.notificationRecipients.filter((r) => typeof r === "string" && EMAIL.test(r.trim()));
  const badRecipients = settings.notificationRecipients.filter((r) => !recipients.includes(r));
  if (badRecipients.length > 0)
    problems.push(
      `notification recipients ${badRecipients.map((r) => JSON.stringify(r)).join(", ")} are not e-mail addresses`,
    );
  if (req.requireNotifications && recipients.length === 0) {
    problems.push(
      `no notification recipients: assignments and activations of ${roleName(req.roleDefinitionId)} alert nobody (CISA MS.AAD.7.7–7.9)`,
    );
  }
  return problems;
}

/**
 * The requesters who have no approver but themselves (a requester never approves their own request): approver users
 * other than them, or an approver group with a member other than them (a group whose members are unknown counts as
 * someone else). With no approver at all, every requester is returned. The preflight passes only the approvers who
 * can act (existing, enabled); the activation-policy judgement passes the configured ones.
 */
export function requestersWithoutApprover(approvers: readonly ApproverRef[], people: ActivationPeople): string[] {
  return people.requesters.filter((requester) => {
    const me = requester.trim().toLowerCase();
    return !approvers.some((a) => {
      if (a.kind === "user") return a.id.trim().toLowerCase() !== me;
      const members = people.groupMembers?.get(a.id.trim().toLowerCase());
      return members === undefined || members.some((m) => m.toLowerCase() !== me);
    });
  });
}
