/**
 * The Conditional Access policy behind PIM's "require authentication context" rule, in Graph's JSON shape (the
 * shape of our `GraphConditionalAccessPolicy` dynamic resource's props and of a live `GET …/conditionalAccess/policies`
 * answer). PIM only names the context; the fresh phishing-resistant MFA comes from an enabled CA policy on it that
 * re-prompts every time and whose grant can only be met with the phishing-resistant MFA authentication strength.
 * One definition for the policy pack (ga-activation-policy) and the audit (AUD-ACTIVATION-CONTEXT-NOT-ENFORCED).
 */

import {
  STRENGTH_NAMES,
  STRENGTH_POLICY_IDS,
  strengthAtLeast,
  strengthOfPolicyId,
  type ActivationStrength,
} from "./strengths";

/**
 * Built-in authentication strength "Phishing-resistant MFA": a fixed id in every tenant (reference §3).
 * src/components/conditionalAccess/policies.ts writes the same id (test/policies/activationContextPolicy.test.ts keeps them equal).
 */
export const PHISHING_RESISTANT_MFA_STRENGTH_ID = "00000000-0000-0000-0000-000000000004";

function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function nonEmptyList(value: unknown): unknown[] {
  return Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined && v !== "") : [];
}

/** True when the policy's applications condition includes authentication context `contextId`. */
export function targetsAuthenticationContext(policy: unknown, contextId: string): boolean {
  const refs = field(policy, "conditions", "applications", "includeAuthenticationContextClassReferences");
  return Array.isArray(refs) && refs.includes(contextId);
}

/**
 * True when the grant can only be satisfied with the phishing-resistant MFA strength: it names that strength and,
 * under OR, offers no alternative (a built-in control such as compliantDevice, a custom factor or terms of use would
 * each satisfy the policy on their own). Under AND the other controls only add to it.
 */
export function grantRequiresPhishingResistantMfa(grantControls: unknown): boolean {
  return grantRequiresStrength(grantControls, "phishingResistant");
}

/** True when the grant can only be satisfied with a built-in strength at least `strength` (see above). */
export function grantRequiresStrength(grantControls: unknown, strength: ActivationStrength): boolean {
  const granted = strengthOfPolicyId(field(grantControls, "authenticationStrength", "id"));
  if (granted === undefined || !strengthAtLeast(granted, strength)) return false;
  const operator = field(grantControls, "operator");
  if (typeof operator === "string" && operator.toUpperCase() === "AND") return true;
  const alternatives = [
    ...nonEmptyList(field(grantControls, "builtInControls")),
    ...nonEmptyList(field(grantControls, "customAuthenticationFactors")),
    ...nonEmptyList(field(grantControls, "termsOfUse")),
  ];
  return alternatives.length === 0;
}

/** Why a CA policy on the activation context does not force a fresh MFA of `strength`; [] when it does. */
export function activationContextPolicyGaps(
  policy: unknown,
  strength: ActivationStrength = "phishingResistant",
): string[] {
  const gaps: string[] = [];
  const state = field(policy, "state");
  if (state !== "enabled") gaps.push(`state is ${JSON.stringify(state ?? null)}, not "enabled"`);
  const frequency = field(policy, "sessionControls", "signInFrequency");
  const interval = field(frequency, "frequencyInterval");
  if (interval !== "everyTime" || field(frequency, "isEnabled") === false) {
    gaps.push(
      `sign-in frequency is ${interval === undefined ? "not set" : JSON.stringify(interval)}${field(frequency, "isEnabled") === false ? " (disabled)" : ""}, not "everyTime"`,
    );
  }
  const grant = field(policy, "grantControls");
  if (!grantRequiresStrength(grant, strength)) {
    const granted = strengthOfPolicyId(field(grant, "authenticationStrength", "id"));
    gaps.push(
      granted !== undefined && strengthAtLeast(granted, strength)
        ? `its grant (operator OR) can be met without authentication strength ${STRENGTH_NAMES[strength]} (${describeGrant(grant)})`
        : `its grant does not require authentication strength ${STRENGTH_NAMES[strength]} (${STRENGTH_POLICY_IDS[strength]}) or a stronger one (${describeGrant(grant)})`,
    );
  }
  return gaps;
}

function describeGrant(grant: unknown): string {
  const strength = field(grant, "authenticationStrength", "id");
  const parts = [
    `operator ${JSON.stringify(field(grant, "operator") ?? null)}`,
    `authenticationStrength ${JSON.stringify(typeof strength === "string" ? strength : null)}`,
  ];
  for (const key of ["builtInControls", "customAuthenticationFactors", "termsOfUse"]) {
    const list = nonEmptyList(field(grant, key));
    if (list.length > 0) parts.push(`${key} ${JSON.stringify(list)}`);
  }
  return parts.join(", ");
}
