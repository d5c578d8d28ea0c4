/**
 * What each Conditional Access policy of the baseline says, as plain data (no resources), so tests, docs and the
 * component read one definition. Every policy leaves the breakglass exclusion to src/components/conditionalAccess/exclusion.ts.
 */
import type * as azuread from "@pulumi/azuread";
import type { CaPolicyState } from "../../config/schema";
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  STRENGTH_PHRASES,
  STRENGTH_POLICY_IDS,
  TIER0_ROLE_IDS,
  type ActivationStrength,
} from "@entra-baseline/model";
import { DISPLAY_NAME_PREFIX } from "./displayName";
import type { GraphCaPolicyBody } from "./graphPolicyProvider";

/** How azuread wants an authentication strength reference. */
export function strengthPolicyReference(strength: ActivationStrength): string {
  return `/policies/authenticationStrengthPolicies/${STRENGTH_POLICY_IDS[strength]}`;
}

export { DISPLAY_NAME_PREFIX };

/**
 * Roles the admin policy covers: Tier-0 without Directory Synchronization Accounts, whose holder is Entra Connect's
 * service account — it cannot perform MFA, so requiring it would stop directory synchronisation.
 */
export const TIER0_ADMIN_ROLE_IDS: readonly string[] = TIER0_ROLE_IDS.filter(
  (id) => id !== DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
);

export type BaselinePolicyKey = "adminMfa" | "blockLegacyAuthentication" | "mfaAllUsers";

/**
 * The azuread policies, keyed by their config key (`conditionalAccess.<key>`). Exclusions are added later.
 * `strength` is the admin policy's (conditionalAccess.adminMfa.strength); the others ignore it.
 */
export function baselinePolicyArgs(
  key: BaselinePolicyKey,
  state: CaPolicyState,
  strength: ActivationStrength = "phishingResistant",
): azuread.ConditionalAccessPolicyArgs {
  switch (key) {
    case "adminMfa":
      return {
        // The CISA control is named only when the policy meets it (MS.AAD.3.6 asks for phishing-resistant MFA).
        displayName: `${DISPLAY_NAME_PREFIX} ${STRENGTH_PHRASES[strength]} for Tier-0 admin roles${strength === "phishingResistant" ? " (CISA MS.AAD.3.6)" : ""}`,
        state,
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users: { includedRoles: [...TIER0_ADMIN_ROLE_IDS] },
        },
        grantControls: { operator: "OR", authenticationStrengthPolicyId: strengthPolicyReference(strength) },
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
          // Entra Connect's sync account cannot do MFA (see TIER0_ADMIN_ROLE_IDS).
          users: { includedUsers: ["All"], excludedRoles: [DIRECTORY_SYNCHRONIZATION_ACCOUNTS] },
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      };
  }
}

export const BASELINE_POLICY_KEYS: readonly BaselinePolicyKey[] = [
  "adminMfa",
  "blockLegacyAuthentication",
  "mfaAllUsers",
];

/**
 * The policy behind PIM's activation rule: on the authentication context, everyone (but the breakglass group) must
 * present MFA of the configured strength, every time — "require MFA on activation" alone does not re-prompt
 * (docs/references.md, "PIM activation and authentication context"). Whatever the strength, sign-in frequency stays
 * "every time": the strength decides which methods count, never whether the challenge is fresh.
 */
export function activationPolicyBody(
  contextId: string,
  state: CaPolicyState,
  strength: ActivationStrength,
): GraphCaPolicyBody {
  return {
    displayName: `${DISPLAY_NAME_PREFIX} fresh ${STRENGTH_PHRASES[strength]} on authentication context ${contextId} (PIM activation)`,
    state,
    conditions: {
      clientAppTypes: ["all"],
      applications: { includeAuthenticationContextClassReferences: [contextId] },
      users: { includeUsers: ["All"] },
    },
    grantControls: { operator: "OR", authenticationStrength: { id: STRENGTH_POLICY_IDS[strength] } },
    sessionControls: {
      signInFrequency: {
        isEnabled: true,
        frequencyInterval: "everyTime",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
    },
  };
}
