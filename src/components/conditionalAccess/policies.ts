/**
 * What each Conditional Access policy of the baseline says, as plain data (no resources), so tests, docs and the
 * component read one definition. Every policy leaves the breakglass exclusion to src/components/conditionalAccess/exclusion.ts.
 */
import type * as azuread from "@pulumi/azuread";
import type { CaPolicyState } from "../../config/schema";
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  PHISHING_RESISTANT_MFA_STRENGTH_ID,
  TIER0_ROLE_IDS,
} from "@entra-baseline/model";
import type { GraphCaPolicyBody } from "./graphPolicy";

export { PHISHING_RESISTANT_MFA_STRENGTH_ID };
/** How azuread wants an authentication strength reference. */
export const PHISHING_RESISTANT_MFA_STRENGTH_POLICY_ID = `/policies/authenticationStrengthPolicies/${PHISHING_RESISTANT_MFA_STRENGTH_ID}`;

export const DISPLAY_NAME_PREFIX = "entra-baseline:";

/**
 * Roles the admin policy covers: Tier-0 without Directory Synchronization Accounts, whose holder is Entra Connect's
 * service account — it cannot perform MFA, so requiring it would stop directory synchronisation.
 */
export const PHISHING_RESISTANT_ADMIN_ROLE_IDS: readonly string[] = TIER0_ROLE_IDS.filter(
  (id) => id !== DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
);

export type BaselinePolicyKey = "adminPhishingResistantMfa" | "blockLegacyAuthentication" | "mfaAllUsers";

/** The azuread policies, keyed by their config key (`conditionalAccess.<key>.state`). Exclusions are added later. */
export function baselinePolicyArgs(key: BaselinePolicyKey, state: CaPolicyState): azuread.ConditionalAccessPolicyArgs {
  switch (key) {
    case "adminPhishingResistantMfa":
      return {
        displayName: `${DISPLAY_NAME_PREFIX} phishing-resistant MFA for Tier-0 admin roles (CISA MS.AAD.3.6)`,
        state,
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users: { includedRoles: [...PHISHING_RESISTANT_ADMIN_ROLE_IDS] },
        },
        grantControls: { operator: "OR", authenticationStrengthPolicyId: PHISHING_RESISTANT_MFA_STRENGTH_POLICY_ID },
      };
    case "blockLegacyAuthentication":
      return {
        displayName: `${DISPLAY_NAME_PREFIX} block legacy authentication (CISA MS.AAD.1.1)`,
        state,
        conditions: {
          // Legacy protocols: Exchange ActiveSync and "other clients" (IMAP, POP, SMTP AUTH, older Office).
          clientAppTypes: ["exchangeActiveSync", "other"],
          applications: { includedApplications: ["All"] },
          users: { includedUsers: ["All"] },
        },
        grantControls: { operator: "OR", builtInControls: ["block"] },
      };
    case "mfaAllUsers":
      return {
        displayName: `${DISPLAY_NAME_PREFIX} MFA for all users (CISA MS.AAD.3.2)`,
        state,
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          // Entra Connect's sync account cannot do MFA (see PHISHING_RESISTANT_ADMIN_ROLE_IDS).
          users: { includedUsers: ["All"], excludedRoles: [DIRECTORY_SYNCHRONIZATION_ACCOUNTS] },
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      };
  }
}

export const BASELINE_POLICY_KEYS: readonly BaselinePolicyKey[] = [
  "adminPhishingResistantMfa",
  "blockLegacyAuthentication",
  "mfaAllUsers",
];

/**
 * The policy behind PIM's activation rule: on the authentication context, everyone (but the breakglass group) must
 * present phishing-resistant MFA, every time — "require MFA on activation" alone does not re-prompt (reference §1).
 */
export function activationPolicyBody(contextId: string, state: CaPolicyState): GraphCaPolicyBody {
  return {
    displayName: `${DISPLAY_NAME_PREFIX} fresh phishing-resistant MFA on authentication context ${contextId} (PIM activation)`,
    state,
    conditions: {
      clientAppTypes: ["all"],
      applications: { includeAuthenticationContextClassReferences: [contextId] },
      users: { includeUsers: ["All"] },
    },
    grantControls: { operator: "OR", authenticationStrength: { id: PHISHING_RESISTANT_MFA_STRENGTH_ID } },
    sessionControls: {
      signInFrequency: {
        isEnabled: true,
        frequencyInterval: "everyTime",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
    },
  };
}
