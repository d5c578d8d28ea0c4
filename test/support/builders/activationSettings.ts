/** The activation settings the PIM rule and provider tests start from: the model's shape, one user and one group approver. */
import { type ActivationPolicySettings, GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";

export const APPROVER_USER = "3f1a6c2e-7b44-4a51-9d7e-0c2b8e5f9a10";
export const APPROVER_GROUP = "8d2e4b6a-1c3f-4e5d-a7b9-c0d1e2f3a4b5";

export function activationSettings(overrides: Partial<ActivationPolicySettings> = {}): ActivationPolicySettings {
  return {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    maxActivationDuration: "PT4H",
    requireJustification: true,
    requireTicket: true,
    requireMfa: false,
    authenticationContextId: "c1",
    approval: {
      required: true,
      approvers: [
        { kind: "user", id: APPROVER_USER },
        { kind: "group", id: APPROVER_GROUP },
      ],
    },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
    ...overrides,
  };
}
