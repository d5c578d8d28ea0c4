/** The bundled Pulumi.prod.yaml, planned offline and run through the real pack: zero violations (issue 5). */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkPlan, exportPlan, loadStackConfig, planBaseline, plannedResources } from "../../src/tools/plan/plan";

describe("the bundled prod stack", () => {
  it("passes every rule of the pack", async () => {
    const stack = loadStackConfig(path.resolve(__dirname, "../.."), "prod");
    if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
    const resources = plannedResources(exportPlan(await planBaseline(stack.stackFile, stack.config)));
    const run = await checkPlan(resources, stack.config);
    expect(run.violations.map((v) => `${v.policyName} ${v.resourceName ?? ""}: ${v.message}`)).toEqual([]);
  }, 120_000);
});
