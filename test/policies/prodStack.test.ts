/**
 * The bundled Pulumi.prod.yaml, planned offline and run through the real pack: no mandatory violation (issue 5), and
 * the one advisory its choice of plain MFA for activation earns (phishing-resistant is one setting away).
 */
import { describe, expect, it } from "vitest";
import { checkPlan, exportPlan, loadStackConfig, planBaseline, plannedResources } from "../../src/tools/plan/plan";
import { ROOT } from "../support/stack";

describe("the bundled prod stack", () => {
  it("passes every mandatory rule of the pack, with the advisory for its activation strength", async () => {
    const stack = loadStackConfig(ROOT, "prod");
    if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
    const resources = plannedResources(exportPlan(await planBaseline(stack.stackFile, stack.config)));
    const run = await checkPlan(resources, stack.config);
    const said = (level: string) =>
      run.violations
        .filter((v) => v.enforcementLevel === level)
        .map((v) => `${v.policyName} ${v.resourceName ?? ""}: ${v.message}`);
    expect(said("mandatory")).toEqual([]);
    expect(said("advisory")).toEqual([
      'baseline-advisories : Tier-0 activation (pim.activationStrength) demands Multifactor authentication, below the phishing-resistant MFA CISA MS.AAD.3.6 asks of privileged roles; move to "phishingResistant" once every admin holds a FIDO2 key, Windows Hello or a certificate.',
    ]);
    expect(run.violations).toHaveLength(1);
  }, 120_000);
});
