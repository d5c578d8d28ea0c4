/**
 * baseline-advisories (advisory, never blocking): what the stack declares soundly but below the recommendation — an
 * activation or admin MFA strength below phishing-resistant MFA, emergency accounts keeping a password the pack
 * cannot verify — said on every run, from the pack config `npm run plan` derives.
 */
import { describe, expect, it } from "vitest";
import { baselineAdvisories } from "../../../policies/rules/baselineAdvisories";
import { ruleOnWorld } from "../../support/pack/harness";

const activation =
  'Tier-0 activation (pim.activationStrength) demands Multifactor authentication, below the phishing-resistant MFA CISA MS.AAD.3.6 asks of privileged roles; move to "phishingResistant" once every admin holds a FIDO2 key, Windows Hello or a certificate.';

describe("baseline-advisories", () => {
  it("is advisory: it reports, it never blocks a deploy", () => {
    expect(baselineAdvisories.enforcementLevel).toBe("advisory");
  });

  it("advises on the world's MFA-strength activation, and on nothing else", async () => {
    const world = ruleOnWorld(baselineAdvisories);
    expect(world.packConfig).toEqual({
      activationStrength: "mfa",
      adminMfaStrength: "phishingResistant",
      keptPasswords: [],
    });
    expect(await world.run(world.stack("update"))).toEqual([activation]);
  });

  it("says nothing once both strengths are phishing-resistant", async () => {
    const world = ruleOnWorld(baselineAdvisories, (raw) => (raw.pim.activationStrength = "phishingResistant"));
    expect(await world.run(world.stack("preview"))).toEqual([]);
  });

  it("advises on a weaker admin MFA policy, and passwordless MFA is below phishing-resistant too", async () => {
    const world = ruleOnWorld(baselineAdvisories, (raw) => {
      raw.pim.activationStrength = "passwordlessMfa";
      raw.conditionalAccess.adminMfa.strength = "mfa";
    });
    expect(await world.run(world.stack("update"))).toEqual([
      activation.replace("demands Multifactor authentication", "demands Passwordless MFA"),
      'The admin MFA policy (conditionalAccess.adminMfa.strength) demands Multifactor authentication, below the phishing-resistant MFA CISA MS.AAD.3.6 asks of privileged roles; move to "phishingResistant" once every admin holds a FIDO2 key, Windows Hello or a certificate.',
    ]);
  });

  it("names each emergency account that keeps its own password (keptPasswords)", async () => {
    const world = ruleOnWorld(baselineAdvisories);
    const out = await world.run(world.stack("update"), {
      ...world.packConfig,
      keptPasswords: ["breakglass-01@contoso.onmicrosoft.com"],
    });
    expect(out).toEqual([
      activation,
      "Emergency account breakglass-01@contoso.onmicrosoft.com keeps its existing password (password: keepExisting): its length and randomness cannot be verified; rotate it to a generated 256-character secret through the custody runbook.",
    ]);
  });

  it("without config, takes the schema's defaults (MFA activation is advised on)", async () => {
    const world = ruleOnWorld(baselineAdvisories);
    expect(await world.run(world.stack("update"), {})).toEqual([
      activation,
      activation.replace(
        "Tier-0 activation (pim.activationStrength)",
        "The admin MFA policy (conditionalAccess.adminMfa.strength)",
      ),
    ]);
  });
});
