/**
 * The Sentinel NRT rule provider against a loopback ARM speaking the 2024-10-01-preview alert-rule shapes
 * (test/support/fakes/sentinel.ts): the exact PUT body and path, the read-back that must show the rule as written,
 * refresh showing someone's change, delete tolerating a rule already gone, a 403 naming the Azure role, and no
 * request at all for props without the stack's connection or with hosts of no Microsoft cloud.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ALERT_RULE_KEYS,
  canonicalTripwireQuery,
  SENTINEL_ALERT_RULE_IDS,
  SENTINEL_NRT_API_VERSION,
} from "@entra-baseline/model";
import {
  nrtRuleId,
  sentinelNrtRuleProvider,
  type SentinelNrtRuleProps,
} from "../../../src/components/monitoring/sentinelNrtRuleProvider";
import { sentinelRuleProperties } from "../../../src/components/monitoring/sentinel";
import { FakeSentinel, SENTINEL_RULE_ROUTE } from "../../support/fakes/sentinel";
import { graphError } from "../../support/fakes/graphServer";
import { useLoopbackGraph } from "../../support/fakes/loopbackGraph";
import { TEST_TENANT_ID } from "../../support/fakes/azureCli";
import { WORKSPACE_ID } from "../../support/fakes/azureMonitor";
import { validConfig } from "../../support/stack";

const ACCOUNTS = [
  { upn: "breakglass-01@contoso.onmicrosoft.com", objectId: "0b1c2d3e-1111-4aaa-8bbb-000000000001" },
  { upn: "breakglass-02@contoso.onmicrosoft.com", objectId: "0b1c2d3e-2222-4aaa-8bbb-000000000002" },
];
const RULE = SENTINEL_ALERT_RULE_IDS.breakglassSignIn;

const arm = useLoopbackGraph();
const sentinel = new FakeSentinel();
beforeAll(() => {
  sentinel.install(arm);
});
beforeEach(() => {
  arm.requests.length = 0;
  sentinel.rules.clear();
  sentinel.dropOnPut = undefined;
});

function props(overrides: Partial<SentinelNrtRuleProps> = {}): SentinelNrtRuleProps {
  const properties = sentinelRuleProperties(
    "breakglassSignIn",
    canonicalTripwireQuery("SigninLogs", ACCOUNTS),
    validConfig().monitoring,
  );
  return {
    ...properties,
    armEndpoint: arm.url,
    loginEndpoint: "https://login.microsoftonline.com",
    tenantId: TEST_TENANT_ID,
    workspaceId: WORKSPACE_ID,
    ruleId: RULE,
    ...overrides,
  };
}

const RULE_PATH = `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/alertRules/${RULE}`;

describe("SentinelNrtAlertRule", () => {
  it("has a fixed GUID per alert", () => {
    const ids = ALERT_RULE_KEYS.map((k) => SENTINEL_ALERT_RULE_IDS[k]);
    expect(new Set(ids).size).toBe(ALERT_RULE_KEYS.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("creates the rule with one PUT of kind NRT at the preview version, then reads it back", async () => {
    const created = await sentinelNrtRuleProvider.create(props());
    expect(created.id).toBe(nrtRuleId(WORKSPACE_ID, RULE));
    expect(arm.requests.map((r) => `${r.method} ${r.url.pathname}?${r.url.search.slice(1)}`)).toEqual([
      `PUT ${RULE_PATH}?api-version=${SENTINEL_NRT_API_VERSION}`,
      `GET ${RULE_PATH}?api-version=${SENTINEL_NRT_API_VERSION}`,
    ]);
    const body = arm.requests[0]!.body as Record<string, any>;
    expect(Object.keys(body).sort()).toEqual(["kind", "properties"]);
    expect(body.kind).toBe("NRT");
    // Only the rule's own properties: the connection and the placement are not part of the ARM body.
    for (const k of ["armEndpoint", "loginEndpoint", "tenantId", "workspaceId", "ruleId"])
      expect(body.properties).not.toHaveProperty(k);
    expect(body.properties).toMatchObject({
      displayName: "Breakglass sign-in (tripwire)",
      severity: "High",
      enabled: true,
      suppressionEnabled: false,
      suppressionDuration: "PT1H",
      query: canonicalTripwireQuery("SigninLogs", ACCOUNTS),
      incidentConfiguration: { createIncident: true },
      eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    });
    expect(sentinel.rules.get(RULE_PATH.toLowerCase())?.kind).toBe("NRT");
  });

  it("fails a write the service acknowledged but did not persist, naming what differs", async () => {
    sentinel.dropOnPut = ["query"];
    await expect(sentinelNrtRuleProvider.create(props())).rejects.toThrow(/reading it back shows different query/);
  });

  it("updates in place, and replaces only when the workspace or the rule id changes", async () => {
    const before = props();
    const after = props({ enabled: true, description: "changed" });
    expect(await sentinelNrtRuleProvider.diff!("id", before, after)).toMatchObject({
      changes: true,
      replaces: [],
      detailedKeys: ["description"],
    });
    expect((await sentinelNrtRuleProvider.diff!("id", before, props({ ruleId: "x" }))).replaces).toEqual(["ruleId"]);
    // A new ARM host is an update (the stack moved cloud endpoints), never a replacement.
    const moved = await sentinelNrtRuleProvider.diff!("id", before, props({ armEndpoint: "http://127.0.0.1:1" }));
    expect(moved).toMatchObject({ changes: true, replaces: [], detailedKeys: ["armEndpoint"] });
    await sentinelNrtRuleProvider.create(before);
    await sentinelNrtRuleProvider.update!(nrtRuleId(WORKSPACE_ID, RULE), before, after);
    expect(sentinel.rules.get(RULE_PATH.toLowerCase())?.properties.description).toBe("changed");
  });

  it("refresh shows a rule someone changed, and a deleted rule as gone", async () => {
    const id = (await sentinelNrtRuleProvider.create(props())).id;
    sentinel.rules.get(RULE_PATH.toLowerCase())!.properties.enabled = false;
    const read = await sentinelNrtRuleProvider.read!(id, props());
    expect(read.props).toMatchObject({ enabled: false, tenantId: TEST_TENANT_ID, armEndpoint: arm.url, ruleId: RULE });
    sentinel.rules.clear();
    expect(await sentinelNrtRuleProvider.read!(id, props())).toEqual({});
  });

  it("deletes the rule, and a rule already gone is fine", async () => {
    const id = (await sentinelNrtRuleProvider.create(props())).id;
    await sentinelNrtRuleProvider.delete!(id, props());
    expect(sentinel.rules.size).toBe(0);
    await sentinelNrtRuleProvider.delete!(id, props());
    expect(arm.requestsTo("DELETE", RULE_PATH)).toHaveLength(2);
  });

  it("names the Azure role when ARM denies the write", async () => {
    arm.failNext("PUT", SENTINEL_RULE_ROUTE, {
      status: 403,
      body: graphError("AuthorizationFailed", "The client does not have authorization to perform action"),
    });
    await expect(sentinelNrtRuleProvider.create(props())).rejects.toThrow(/Microsoft Sentinel Contributor/);
  });

  it("sends nothing without the stack's connection or to hosts of no Microsoft cloud", async () => {
    const { tenantId: _t, ...noTenant } = props();
    await expect(sentinelNrtRuleProvider.create(noTenant as SentinelNrtRuleProps)).rejects.toThrow(
      /record no tenantId/,
    );
    await expect(
      sentinelNrtRuleProvider.create(props({ armEndpoint: "https://management.example.com" })),
    ).rejects.toThrow(/not the ARM and login hosts of one Microsoft cloud/);
    await expect(
      sentinelNrtRuleProvider.create(
        props({ armEndpoint: "https://management.azure.com", loginEndpoint: "https://login.chinacloudapi.cn" }),
      ),
    ).rejects.toThrow(/one Microsoft cloud/);
    expect(arm.requests).toEqual([]);
  });
});
