import { describe, expect, it } from "vitest";
import { activationPolicyBody } from "../../src/components/conditionalAccess/policies";
import {
  PHISHING_RESISTANT_MFA_STRENGTH_ID,
  activationContextPolicyGaps,
  grantRequiresPhishingResistantMfa,
  targetsAuthenticationContext,
} from "@entra-baseline/model";

describe("the activation context CA policy model (pack and audit)", () => {
  it("uses the documented built-in phishing-resistant strength, the one the program writes", () => {
    expect(PHISHING_RESISTANT_MFA_STRENGTH_ID).toBe("00000000-0000-0000-0000-000000000004");
    expect(activationPolicyBody("c1", "enabled", "phishingResistant").grantControls).toMatchObject({
      authenticationStrength: { id: PHISHING_RESISTANT_MFA_STRENGTH_ID },
    });
  });

  it("accepts the policy the program writes, and only on its context", () => {
    const body = activationPolicyBody("c1", "enabled", "phishingResistant");
    expect(activationContextPolicyGaps(body)).toEqual([]);
    expect(targetsAuthenticationContext(body, "c1")).toBe(true);
    expect(targetsAuthenticationContext(body, "c2")).toBe(false);
  });

  it("rejects the program's policy in report-only state", () => {
    expect(
      activationContextPolicyGaps(activationPolicyBody("c1", "enabledForReportingButNotEnforced", "phishingResistant")),
    ).toEqual(['state is "enabledForReportingButNotEnforced", not "enabled"']);
  });

  it.each<[string, unknown, boolean]>([
    [
      "the strength alone",
      { operator: "OR", authenticationStrength: { id: PHISHING_RESISTANT_MFA_STRENGTH_ID } },
      true,
    ],
    [
      "the strength AND a compliant device",
      {
        operator: "AND",
        builtInControls: ["compliantDevice"],
        authenticationStrength: { id: PHISHING_RESISTANT_MFA_STRENGTH_ID },
      },
      true,
    ],
    [
      "the strength OR terms of use",
      { operator: "OR", termsOfUse: ["tou-1"], authenticationStrength: { id: PHISHING_RESISTANT_MFA_STRENGTH_ID } },
      false,
    ],
    ["plain MFA", { operator: "OR", builtInControls: ["mfa"] }, false],
    ["no grant controls", undefined, false],
    ["a strength without id", { operator: "OR", authenticationStrength: {} }, false],
  ])("grant of %s requires phishing-resistant MFA: %s", (_, grant, expected) => {
    expect(grantRequiresPhishingResistantMfa(grant)).toBe(expected);
  });
});
