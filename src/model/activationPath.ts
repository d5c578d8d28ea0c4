/**
 * "Can this admin still get the role once it is no longer standing?" — the check a move to just-in-time waits on, so
 * that nobody is made eligible for a role they then cannot activate. Three things must hold, each judged by the rule
 * that already owns it:
 * - the role's PIM policy is what the stack declares (settingsDifferences) and meets the role's requirement
 *   (activationPolicyWeaknesses), with an approver other than the admin;
 * - when activation requires an authentication context, a CA policy on it is the model's canonical form for the
 *   role's strength (activationContextGaps: enabled, every requester in, fresh MFA every time);
 * - the admin has registered a method that satisfies that strength (registeredMethodsSatisfy).
 */
import {
  activationPolicyWeaknesses,
  type ActivationPolicySettings,
  type ActivationRequirement,
} from "./activationPolicy";
import { activationContextGaps, type BreakglassKeys, type CaPolicyFacts } from "./caPolicy";
import { settingsDifferences } from "./pimPolicyRules";
import { registeredMethodsSatisfy, STRENGTH_NAMES, type ActivationStrength } from "./strengths";

export interface RoleActivationFacts {
  roleName: string;
  /** The live policy as settings; undefined when it could not be read or mapped. */
  live: ActivationPolicySettings | undefined;
  /** What the stack declares for the role (approvers resolved to object ids). */
  declared: ActivationPolicySettings;
  requirement: ActivationRequirement;
  strength: ActivationStrength;
  /** The tenant's CA policies (any state); the ones on the context are picked here. */
  policies: readonly CaPolicyFacts[];
  breakglass: BreakglassKeys;
  /** Members of approver groups, where known. */
  groupMembers?: ReadonlyMap<string, readonly string[]>;
}

export interface AdminActivationFacts {
  /** Object id, lower-case. */
  id: string;
  label: string;
  /** userRegistrationDetails.methodsRegistered; undefined when it could not be read. */
  methodsRegistered: readonly string[] | undefined;
}

/** Why `admin` could not activate the role after the move; [] when the path works. */
export function activationPathProblems(role: RoleActivationFacts, admin: AdminActivationFacts): string[] {
  const problems: string[] = [];
  const live = role.live;
  if (!live) {
    problems.push(`the ${role.roleName} PIM policy could not be read`);
  } else {
    const differ = settingsDifferences(role.declared, live);
    if (differ.length > 0)
      problems.push(`the ${role.roleName} PIM policy is not what the stack declares (${differ.join(", ")} differ)`);
    for (const w of activationPolicyWeaknesses(live, role.requirement, {
      requesters: [admin.id],
      ...(role.groupMembers ? { groupMembers: role.groupMembers } : {}),
    })) {
      problems.push(`${role.roleName} PIM policy: ${w}`);
    }
  }
  const contextId = live?.authenticationContextId ?? role.declared.authenticationContextId;
  if (contextId) {
    const req = { contextId, strength: role.strength, breakglass: role.breakglass, requesters: [admin.id] };
    const onContext = role.policies.filter((p) => p.applications.contexts.includes(contextId.toLowerCase()));
    if (onContext.length === 0) {
      problems.push(`no Conditional Access policy targets authentication context ${contextId}`);
    } else if (!onContext.some((p) => activationContextGaps(p, req).length === 0)) {
      for (const p of onContext)
        problems.push(`CA policy "${p.name}" on ${contextId}: ${activationContextGaps(p, req).join("; ")}`);
    }
  }
  if (admin.methodsRegistered === undefined) {
    problems.push(`${admin.label}'s registered authentication methods could not be read`);
  } else {
    const check = registeredMethodsSatisfy(admin.methodsRegistered, role.strength);
    if (!check.satisfied) {
      const have = admin.methodsRegistered.length > 0 ? admin.methodsRegistered.join(", ") : "none";
      problems.push(
        `${admin.label} has no registered method that satisfies ${STRENGTH_NAMES[role.strength]} (registered: ${have})`,
      );
    }
  }
  return problems;
}
