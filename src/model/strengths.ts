/**
 * Authentication strengths: the three built-in ones Conditional Access grants with (fixed ids in every tenant), the
 * method combinations each accepts (Graph `authenticationStrengthPolicy.allowedCombinations`, docs/references.md), and
 * which methods a user has registered satisfy which strength. One definition for the activation context's CA policy,
 * the Tier-0 admin policy, the preflight (can this admin activate?) and the enforcers' judgement of a strength.
 */

export const ACTIVATION_STRENGTHS = ["mfa", "passwordlessMfa", "phishingResistant"] as const;
export type ActivationStrength = (typeof ACTIVATION_STRENGTHS)[number];

/** Built-in authentication strength policy ids. */
export const STRENGTH_POLICY_IDS: Readonly<Record<ActivationStrength, string>> = {
  mfa: "00000000-0000-0000-0000-000000000002",
  passwordlessMfa: "00000000-0000-0000-0000-000000000003",
  phishingResistant: "00000000-0000-0000-0000-000000000004",
};

export const STRENGTH_NAMES: Readonly<Record<ActivationStrength, string>> = {
  mfa: "Multifactor authentication",
  passwordlessMfa: "Passwordless MFA",
  phishingResistant: "Phishing-resistant MFA",
};

/** The same, inside a sentence ("fresh phishing-resistant MFA"). */
export const STRENGTH_PHRASES: Readonly<Record<ActivationStrength, string>> = {
  mfa: "multifactor authentication",
  passwordlessMfa: "passwordless MFA",
  phishingResistant: "phishing-resistant MFA",
};

/**
 * The built-in strengths' allowed combinations (`authenticationMethodModes`, comma-joined as Graph returns them).
 * Each stronger strength's combinations are a subset of the weaker's.
 */
export const STRENGTH_COMBINATIONS: Readonly<Record<ActivationStrength, readonly string[]>> = {
  phishingResistant: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
  passwordlessMfa: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush"],
  mfa: [
    "windowsHelloForBusiness",
    "fido2",
    "x509CertificateMultiFactor",
    "deviceBasedPush",
    "temporaryAccessPassOneTime",
    "temporaryAccessPassMultiUse",
    "password,microsoftAuthenticatorPush",
    "password,softwareOath",
    "password,hardwareOath",
    "password,x509CertificateSingleFactor",
    "password,x509CertificateMultiFactor",
    "password,sms",
    "password,voice",
    "federatedMultiFactor",
    "microsoftAuthenticatorPush,federatedSingleFactor",
    "softwareOath,federatedSingleFactor",
    "hardwareOath,federatedSingleFactor",
    "sms,federatedSingleFactor",
    "voice,federatedSingleFactor",
  ],
};

/** Weakest first: a strength is at least another when it comes later in this order. */
const ORDER: readonly ActivationStrength[] = ["mfa", "passwordlessMfa", "phishingResistant"];

export function strengthRank(strength: ActivationStrength): number {
  return ORDER.indexOf(strength);
}

/** True when a grant of `granted` demands at least what `required` does. */
export function strengthAtLeast(granted: ActivationStrength, required: ActivationStrength): boolean {
  return strengthRank(granted) >= strengthRank(required);
}

/** The built-in strength an authentication strength policy id names, or undefined (a custom or unknown one). */
export function strengthOfPolicyId(id: unknown): ActivationStrength | undefined {
  if (typeof id !== "string") return undefined;
  const bare = id
    .trim()
    .toLowerCase()
    .replace(/^\/?policies\/authenticationstrengthpolicies\//, "");
  return ACTIVATION_STRENGTHS.find((s) => STRENGTH_POLICY_IDS[s] === bare);
}

/**
 * The authentication method modes a `userRegistrationDetails.methodsRegistered` string gives its user (docs/references.md:
 * Microsoft publishes examples, not a list, so this is our reading; unknown strings give nothing and are reported).
 * Passwords are assumed: every member user has one.
 */
export const REGISTERED_METHOD_MODES: Readonly<Record<string, readonly string[]>> = {
  passKeyDeviceBound: ["fido2"],
  passKeyDeviceBoundAuthenticator: ["fido2"],
  passKeyDeviceBoundWindowsHello: ["fido2"],
  passKeySynced: ["fido2"],
  fido2SecurityKey: ["fido2"],
  fido2: ["fido2"],
  windowsHelloForBusiness: ["windowsHelloForBusiness"],
  macOsSecureEnclaveKey: ["windowsHelloForBusiness"],
  microsoftAuthenticatorPasswordless: ["deviceBasedPush"],
  microsoftAuthenticatorPush: ["microsoftAuthenticatorPush"],
  softwareOneTimePasscode: ["softwareOath"],
  hardwareOneTimePasscode: ["hardwareOath"],
  mobilePhone: ["sms", "voice"],
  alternateMobilePhone: ["voice"],
  officePhone: ["voice"],
  temporaryAccessPass: ["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"],
};

/** Registered-method strings that satisfy no strength on their own (no mode), known so they are not "unknown". */
export const NON_MFA_METHODS: readonly string[] = ["email", "securityQuestion", "appPassword", "password"];

export interface StrengthCheck {
  satisfied: boolean;
  /** The registered methods that meet the strength, in the order given. */
  by: string[];
  /** Registered strings this model does not know (treated as meeting nothing). */
  unknown: string[];
}

/**
 * Whether a user with `methodsRegistered` can meet `strength`. A temporary access pass is left out on purpose:
 * it expires, so an admin who can activate only with one cannot activate next week.
 */
export function registeredMethodsSatisfy(
  methodsRegistered: readonly string[],
  strength: ActivationStrength,
): StrengthCheck {
  const allowed = STRENGTH_COMBINATIONS[strength];
  const by: string[] = [];
  const unknown: string[] = [];
  for (const method of methodsRegistered) {
    const modes = Object.entries(REGISTERED_METHOD_MODES).find(([k]) => k.toLowerCase() === method.toLowerCase())?.[1];
    if (!modes) {
      if (!NON_MFA_METHODS.some((m) => m.toLowerCase() === method.toLowerCase())) unknown.push(method);
      continue;
    }
    const lasting = modes.filter((m) => !m.startsWith("temporaryAccessPass"));
    if (lasting.some((mode) => allowed.includes(mode) || allowed.includes(`password,${mode}`))) by.push(method);
  }
  return { satisfied: by.length > 0, by, unknown };
}
