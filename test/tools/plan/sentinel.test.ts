/**
 * `npm run plan` of the test stack with monitoring.sentinel.enabled, end to end: the program under the plan's mocks
 * declares the Sentinel resources beside the log alerts, and the policy pack, run over its real protocol with the
 * config the plan derives (`sentinel-tripwire` required), finds the Sentinel tripwires matching the log alerts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { dynamicTypeToken, policyNames, providerTypes } from "@entra-baseline/model";
import { runCli, stackText, tempDir, type CliResult } from "../../support/cli";

let result: CliResult;
let plan: any;
let policyConfig: Record<string, any>;

beforeAll(async () => {
  const dir = tempDir("plan-sentinel-");
  const doc = parse(stackText()) as { config: Record<string, any> };
  doc.config["entra-baseline:monitoring"] = { ...doc.config["entra-baseline:monitoring"], sentinel: { enabled: true } };
  fs.writeFileSync(path.join(dir, "Pulumi.sentinel.yaml"), stringify(doc));
  const configFile = path.join(dir, "policy-config.json");
  result = await runCli("plan", ["--stack", "sentinel", "--cwd", dir, "--json", "--write-policy-config", configFile]);
  plan = JSON.parse(result.stdout);
  policyConfig = JSON.parse(fs.readFileSync(configFile, "utf8"));
}, 180_000);

describe("plan with Sentinel enabled", () => {
  it("declares the Sentinel resources beside the log alerts", () => {
    expect(result.code).toBe(0);
    const count = (type: string) => plan.resources.filter((r: any) => r.type === type).length;
    expect(count(providerTypes.scheduledQueryRule)).toBe(5);
    expect(count(dynamicTypeToken("sentinelNrtAlertRule"))).toBe(2);
    expect(count(providerTypes.sentinelScheduledAlertRule)).toBe(3);
    expect(count(providerTypes.sentinelOnboardingState)).toBe(1);
    expect(count(providerTypes.sentinelWatchlist)).toBe(1);
    expect(count(providerTypes.sentinelAutomationRule)).toBe(1);
  });

  it("passes the pack, which requires the Sentinel tripwires", () => {
    expect(policyConfig[policyNames.sentinelTripwire]).toMatchObject({ required: true });
    expect(plan.policy.mandatory).toBe(0);
    expect(plan.policy.violations.filter((v: any) => v.policyName === policyNames.sentinelTripwire)).toEqual([]);
  });
});
