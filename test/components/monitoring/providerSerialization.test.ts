/**
 * The Sentinel NRT rule provider as the engine runs it: serialized to text (from vitest and from a plain CommonJS
 * load), then run in a fresh `node` against a loopback ARM (test/support/fakes/sentinel.ts): create and read from its
 * text, no secrets or tokens in it, a credential of another tenant refused before anything is sent.
 */
import * as fs from "node:fs";
import { beforeAll, describe } from "vitest";
import { canonicalTripwireQuery, SENTINEL_ALERT_RULE_IDS } from "@entra-baseline/model";
import { sentinelRuleProperties } from "../../../src/components/monitoring/sentinel";
import { FakeSentinel } from "../../support/fakes/sentinel";
import { graphTest as it } from "../../support/fakes/loopbackGraph";
import type { FakeGraph } from "../../support/fakes/graphServer";
import {
  expectPortableProviderText,
  runSerialized,
  serializeProviders,
  SERIALIZED_FROM,
  type SerializedFrom,
} from "../../support/fakes/serializedProvider";
import { OTHER_TENANT_ID, TEST_TENANT_ID } from "../../support/fakes/azureCli";
import { WORKSPACE_ID } from "../../support/fakes/azureMonitor";
import { validConfig } from "../../support/stack";

const PROVIDERS = ["sentinelNrtAlertRule"] as const;

let files: Record<SerializedFrom, Record<"sentinelNrtAlertRule", string>>;

beforeAll(async () => {
  files = await serializeProviders(PROVIDERS);
}, 120_000);

function inputs(arm: FakeGraph): Record<string, unknown> {
  const accounts = [{ upn: "breakglass-01@contoso.onmicrosoft.com", objectId: "0b1c2d3e-1111-4aaa-8bbb-000000000001" }];
  return {
    ...sentinelRuleProperties(
      "breakglassSignIn",
      canonicalTripwireQuery("SigninLogs", accounts),
      validConfig().monitoring,
    ),
    armEndpoint: arm.url,
    loginEndpoint: "https://login.microsoftonline.com",
    tenantId: TEST_TENANT_ID,
    workspaceId: WORKSPACE_ID,
    ruleId: SENTINEL_ALERT_RULE_IDS.breakglassSignIn,
  };
}

describe.concurrent.each(SERIALIZED_FROM)("the Sentinel NRT rule provider under closure serialization (%s)", (from) => {
  it("serializes without secrets or tokens, loading only packages by name", () => {
    expectPortableProviderText(fs.readFileSync(files[from].sentinelNrtAlertRule, "utf8"), "sentinelNrtAlertRule");
  });

  it("runs from its text in a fresh node process: create, read", { timeout: 60_000 }, async ({ graph, expect }) => {
    const sentinel = new FakeSentinel().install(graph);
    const { code, stdout, stderr } = await runSerialized(files[from].sentinelNrtAlertRule, inputs(graph));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { read } = JSON.parse(stdout) as { read: { props: Record<string, unknown> } };
    expect(read.props).toMatchObject(inputs(graph));
    expect(sentinel.rules.size).toBe(1);
  });

  it("refuses a credential of another tenant, and sends nothing", { timeout: 60_000 }, async ({ graph, expect }) => {
    new FakeSentinel().install(graph);
    const { code, stderr } = await runSerialized(files[from].sentinelNrtAlertRule, inputs(graph), {
      FAKE_AZ_TENANT: OTHER_TENANT_ID,
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID}`);
    expect(graph.requests).toEqual([]);
  });
});
