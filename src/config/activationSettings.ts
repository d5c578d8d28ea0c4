/**
 * The activation policy settings the stack declares, from validated config. Pure (no Pulumi imports) so that the
 * component and the live-tenant audit build the same desired settings; `approvers` is whatever the caller resolved
 * (Pulumi outputs in the program, object ids in the audit).
 *
 * Fixed decisions (docs/pim.md):
 * - requireMfa is off whenever an authentication context is required: the portal treats them as alternatives, the
 *   API may reject both (unconfirmed), and the context's CA policy is what forces a *fresh* phishing-resistant MFA;
 * - eligibility expires only when the role says so (eligibilityDuration): the model's eligibility resource asks for
 *   the expiry, where azuread's request always asked for noExpiration;
 * - permanent active assignment stays allowed, so the breakglass accounts' permanent GA keeps working; the policy
 *   pack, the audit and the "assigned outside PIM" alert allow it for breakglass only.
 */
import {
  durationSeconds,
  effectiveRequirement,
  GLOBAL_ADMINISTRATOR,
  MODEL_BOUNDS,
  type ActivationPolicySettings,
  type ActivationRequirement,
  type ActivationStrength,
} from "@entra-baseline/model";
import { managedRoles, type ManagedRole } from "./managedRoles";
import type { PimConfig } from "./schema";
import type { BaselineConfig } from "./validate";

export type ActivationPolicySettingsWith<A> = Omit<ActivationPolicySettings, "approval"> & {
  approval: { required: true; approvers: A };
};

export function activationPolicySettings<A>(pim: PimConfig, approvers: A): ActivationPolicySettingsWith<A> {
  return roleActivationSettings(
    managedRoles(pim).find((r) => r.roleDefinitionId === GLOBAL_ADMINISTRATOR)!,
    approvers,
  );
}

/** The settings the PIM policy resource of one managed role writes (and the audit compares the live policy with). */
export function roleActivationSettings<A>(role: ManagedRole, approvers: A): ActivationPolicySettingsWith<A> {
  const rules = role.rules;
  return {
    roleDefinitionId: role.roleDefinitionId,
    maxActivationDuration: rules.maxActivationDuration,
    requireJustification: rules.requireJustification,
    requireTicket: rules.requireTicket,
    requireMfa: !rules.authenticationContextId,
    authenticationContextId: rules.authenticationContextId ?? null,
    approval: { required: rules.requireApproval, approvers } as { required: true; approvers: A },
    eligibilityExpiration: role.eligibilityDuration
      ? { required: true, maximumDuration: role.eligibilityDuration }
      : { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: [...rules.notificationRecipients],
  };
}

/** What the model requires of a managed role's policy (Tier-0 roles: the model's bounds, whatever the config says). */
export function roleRequirement(role: ManagedRole, maxTier0ActivationSeconds: number): ActivationRequirement {
  const declared: ActivationRequirement = {
    roleDefinitionId: role.roleDefinitionId,
    tier0: role.tier0,
    maxActivationSeconds: Math.min(
      durationSeconds(role.rules.maxActivationDuration) ?? MODEL_BOUNDS.maxActivationSeconds,
      role.tier0 ? maxTier0ActivationSeconds : MODEL_BOUNDS.maxActivationSeconds,
    ),
    requireJustification: role.rules.requireJustification,
    requireTicket: role.rules.requireTicket,
    requireApproval: role.rules.requireApproval,
    authenticationContextId: role.rules.authenticationContextId ?? null,
    requireNotifications: role.rules.notificationRecipients.length > 0,
  };
  return effectiveRequirement(declared);
}

/**
 * The authentication contexts the stack's activation rules require, one per strength (its CA policy demands that
 * strength every time); config validation rejects one context asked for two strengths.
 */
export function activationContexts(
  config: Pick<BaselineConfig, "pim">,
): { contextId: string; strength: ActivationStrength }[] {
  const out: { contextId: string; strength: ActivationStrength }[] = [];
  for (const role of managedRoles(config.pim)) {
    const contextId = role.rules.authenticationContextId;
    if (contextId && !out.some((c) => c.contextId === contextId))
      out.push({ contextId, strength: role.rules.activationStrength });
  }
  return out;
}
