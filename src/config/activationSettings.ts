/**
 * The activation policy settings the stack declares, from validated config. Pure (no Pulumi imports) so that the
 * component and the live-tenant audit build the same desired settings; `approvers` is whatever the caller resolved
 * (Pulumi outputs in the program, object ids in the audit).
 *
 * Fixed decisions (docs/pim.md):
 * - requireMfa is off whenever an authentication context is required: the portal treats them as alternatives, the
 *   API may reject both (unconfirmed), and the context's CA policy is what forces a *fresh* phishing-resistant MFA;
 * - eligibility never has to expire: azuread's eligibility request always asks for noExpiration and fails otherwise;
 * - permanent active assignment stays allowed, so the breakglass accounts' permanent GA keeps working; the policy
 *   pack, the audit and the "assigned outside PIM" alert allow it for breakglass only.
 */
import { GLOBAL_ADMINISTRATOR, type ActivationPolicySettings, type ActivationStrength } from "@entra-baseline/model";
import type { PimConfig } from "./schema";
import type { BaselineConfig } from "./validate";

export type ActivationPolicySettingsWith<A> = Omit<ActivationPolicySettings, "approval"> & {
  approval: { required: true; approvers: A };
};

export function activationPolicySettings<A>(pim: PimConfig, approvers: A): ActivationPolicySettingsWith<A> {
  return {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    maxActivationDuration: pim.maxActivationDuration,
    requireJustification: pim.requireJustification,
    requireTicket: pim.requireTicket,
    requireMfa: !pim.authenticationContextId,
    authenticationContextId: pim.authenticationContextId ?? null,
    approval: { required: true, approvers },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: [...pim.notificationRecipients],
  };
}

/**
 * The authentication contexts the stack's activation rules require, one per strength (its CA policy demands that
 * strength every time).
 */
export function activationContexts(
  config: Pick<BaselineConfig, "pim">,
): { contextId: string; strength: ActivationStrength }[] {
  return [{ contextId: config.pim.authenticationContextId, strength: config.pim.activationStrength }];
}
