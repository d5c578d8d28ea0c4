/**
 * baseline-advisories — advisory (reported, never blocking).
 * Catalogue: ADVISORY-STRENGTH, ADVISORY-KEPT-PASSWORD (src/model/catalogue.ts).
 *
 * What the stack declares soundly but below the recommendation, said on every preview so nobody forgets it: an
 * activation strength below phishing-resistant MFA (CISA MS.AAD.3.6 asks it of privileged roles), and emergency
 * accounts adopted with their own password, which the pack cannot verify (its length and randomness are unknown;
 * rotate it through the custody runbook when you can).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { policyNames, STRENGTH_NAMES, strengthAtLeast, type ActivationStrength } from "@entra-baseline/model";
import { activationStrengthSchema, keptPasswordsSchema, policyConfig, schema } from "../lib/config";

export interface BaselineAdvisoriesConfig {
  activationStrength: ActivationStrength;
  adminMfaStrength: ActivationStrength;
  keptPasswords: string[];
}

export const baselineAdvisories: StackValidationPolicy = {
  name: policyNames.advisories,
  description:
    "Advisories: activation or admin MFA below phishing-resistant strength, emergency accounts whose kept password cannot be verified.",
  enforcementLevel: "advisory",
  configSchema: schema({
    activationStrength: activationStrengthSchema,
    adminMfaStrength: {
      ...activationStrengthSchema,
      description: "Strength the admin MFA policy demands (conditionalAccess.adminMfa.strength).",
    },
    keptPasswords: keptPasswordsSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<BaselineAdvisoriesConfig>(args, baselineAdvisories.configSchema);
    const say = (what: string, strength: ActivationStrength) => {
      if (!strengthAtLeast(strength, "phishingResistant")) {
        reportViolation(
          `${what} demands ${STRENGTH_NAMES[strength]}, below the phishing-resistant MFA CISA MS.AAD.3.6 asks of privileged roles; move to "phishingResistant" once every admin holds a FIDO2 key, Windows Hello or a certificate.`,
        );
      }
    };
    say("Tier-0 activation (pim.activationStrength)", cfg.activationStrength);
    say("The admin MFA policy (conditionalAccess.adminMfa.strength)", cfg.adminMfaStrength);
    for (const account of cfg.keptPasswords) {
      reportViolation(
        `Emergency account ${account} keeps its existing password (password: keepExisting): its length and randomness cannot be verified; rotate it to a generated 256-character secret through the custody runbook.`,
      );
    }
  },
};
