/**
 * Sentinel under Pulumi mocks, through the whole program (declareBaseline) from the test stack with
 * `monitoring.sentinel.enabled`: the onboarding (retained on delete), the tripwires as near-real-time rules over the
 * ARM API (the stack's ARM host and tenant) or as 5-minute scheduled rules, the other alerts as scheduled rules from
 * the same KQL definitions, the watchlist of the emergency accounts, and the automation rule that adds the runbook to
 * every incident of these rules. Every query passes Microsoft's Kusto analyzer; the tripwires' equal the canonical
 * tripwire query. With Sentinel off (the default) nothing of it is declared and the log alerts are unchanged.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALERT_RULE_KEYS,
  ALERT_RULES,
  CLOUDS,
  canonicalTripwireQuery,
  dynamicTypeToken,
  normalizedQuery,
  providerTypes,
  SENTINEL_ALERT_RULE_IDS,
  SENTINEL_AUTOMATION_RULE_ID,
  TRIPWIRE_RULE_KEYS,
  TRIPWIRE_TABLES,
} from "@entra-baseline/model";
import { runProgram, unwrap, type ProgramRun, type Registered } from "../../support/pulumiMocks";
import { validConfig } from "../../support/stack";
import { analyzeKql, describeErrors } from "../../support/kusto";
import { TEST_TENANT_ID } from "../../support/fakes/azureCli";
import type { BaselineConfig } from "../../../src/config/validate";

const NRT = dynamicTypeToken("sentinelNrtAlertRule");
/** Each run of the whole program under mocks (≈10 s alone, far more on a loaded machine). */
const SLOW = 180_000;
const PLAYBOOK =
  "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-soc/providers/Microsoft.Logic/workflows/notify-soc";
const EXISTING =
  "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc";

async function plan(mutate: (sentinel: Record<string, unknown>, raw: Record<string, any>) => void) {
  const config = validConfig((raw) => {
    raw.monitoring.sentinel = { enabled: true };
    mutate(raw.monitoring.sentinel, raw);
  });
  const { declareBaseline } = await import("../../../src/components/baseline");
  let ruleIds: Record<string, string> | undefined;
  const run = await runProgram(async () => {
    const baseline = await declareBaseline(config);
    ruleIds = baseline.monitoring.sentinelRuleIds ? await unwrap(baseline.monitoring.sentinelRuleIds) : undefined;
  });
  return { run, config, ruleIds };
}

function accountsOf(run: ProgramRun, config: BaselineConfig) {
  const users = run.ofType("azuread:index/user:User");
  expect(users).toHaveLength(config.breakglass.accounts.length);
  return users.map((u) => ({ upn: String(u.inputs.userPrincipalName), objectId: u.id }));
}

const ruleOf = (run: ProgramRun, key: string): Registered => {
  const found = run.registered.filter(
    (r) => (r.type === NRT || r.type === providerTypes.sentinelScheduledAlertRule) && r.inputs.ruleId === key,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe("Sentinel off (the default)", () => {
  it("declares nothing of Sentinel, and the log alerts stay", { timeout: SLOW }, async () => {
    const config = validConfig();
    expect(config.monitoring.sentinel.enabled).toBe(false);
    const { declareBaseline } = await import("../../../src/components/baseline");
    const run = await runProgram(() => declareBaseline(config));
    expect(run.registered.filter((r) => r.type.includes(":securityinsights:") || r.type === NRT)).toEqual([]);
    expect(run.ofType(providerTypes.scheduledQueryRule)).toHaveLength(ALERT_RULE_KEYS.length);
  });
});

describe("Sentinel on, near-real-time tripwires (default)", () => {
  let result: Awaited<ReturnType<typeof plan>>;
  // The whole program under mocks: slow on a loaded machine.
  beforeAll(async () => {
    result = await plan((s) => Object.assign(s, { playbooks: [PLAYBOOK] }));
  }, SLOW);
  const get = async () => result;

  it("onboards the workspace, retained on delete", async () => {
    const { run } = await get();
    const onboarding = run.ofType(providerTypes.sentinelOnboardingState);
    expect(onboarding).toHaveLength(1);
    expect(onboarding[0]!.inputs).toEqual({
      resourceGroupName: "rg-entra-baseline-prod",
      workspaceName: "law-entra-baseline-prod",
      sentinelOnboardingStateName: "default",
    });
    const constructed = run.constructed.find((c) => c.type === providerTypes.sentinelOnboardingState)!;
    expect(constructed.opts.retainOnDelete).toBe(true);
  });

  it("keeps the log alerts: Sentinel is in addition", async () => {
    const { run } = await get();
    expect(run.ofType(providerTypes.scheduledQueryRule)).toHaveLength(ALERT_RULE_KEYS.length);
  });

  it("declares each tripwire as an NRT rule with the canonical query, High, unsuppressed, creating incidents", async () => {
    const { run, config } = await get();
    const accounts = accountsOf(run, config);
    for (const key of TRIPWIRE_RULE_KEYS) {
      const rule = ruleOf(run, SENTINEL_ALERT_RULE_IDS[key]);
      expect(rule.type).toBe(NRT);
      expect(rule.inputs).toMatchObject({
        armEndpoint: CLOUDS.public.arm,
        loginEndpoint: CLOUDS.public.login,
        tenantId: TEST_TENANT_ID,
        displayName: ALERT_RULES[key].displayName,
        severity: "High",
        enabled: true,
        suppressionEnabled: false,
        eventGroupingSettings: { aggregationKind: "AlertPerResult" },
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: true, matchingMethod: "Selected", groupByEntities: ["Account"] },
        },
      });
      expect(rule.inputs.workspaceId).toBe(run.ofType(providerTypes.workspace)[0]!.id);
      expect(normalizedQuery(String(rule.inputs.query))).toBe(
        normalizedQuery(canonicalTripwireQuery(TRIPWIRE_TABLES[key], accounts)),
      );
      expect(String(rule.inputs.description)).toContain("Runbook: docs/operations.md");
    }
  });

  it("declares the other alerts as scheduled rules from the same definitions, every 5 minutes at the fastest", async () => {
    const { run, config } = await get();
    const logAlerts = run.ofType(providerTypes.scheduledQueryRule);
    for (const key of ALERT_RULE_KEYS.filter((k) => !(TRIPWIRE_RULE_KEYS as readonly string[]).includes(k))) {
      const rule = ruleOf(run, SENTINEL_ALERT_RULE_IDS[key]);
      expect(rule.type).toBe(providerTypes.sentinelScheduledAlertRule);
      const logAlert = logAlerts.find((r) => r.inputs.ruleName === ALERT_RULES[key].ruleName)!;
      expect(rule.inputs).toMatchObject({
        kind: "Scheduled",
        resourceGroupName: "rg-entra-baseline-prod",
        workspaceName: "law-entra-baseline-prod",
        queryPeriod: logAlert.inputs.windowSize,
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
        suppressionEnabled: false,
        incidentConfiguration: { createIncident: true },
      });
      expect(["PT5M", "P1D"]).toContain(rule.inputs.queryFrequency);
      const logQuery = String((logAlert.inputs.criteria as any).allOf[0].query);
      // The same KQL: the AuditLogs rules differ only in the "ingested since" span, which covers Sentinel's delay.
      expect(String(rule.inputs.query).replace(/ago\(11m\)/, "ago(6m)")).toBe(logQuery);
      expect(rule.inputs.severity).toBe(
        ["High", "High", "Medium", "Low", "Informational"][config.monitoring.severities[key]],
      );
    }
  });

  it("writes queries Microsoft's Kusto analyzer accepts", { timeout: SLOW }, async () => {
    const { run } = await get();
    for (const key of ALERT_RULE_KEYS) {
      const query = String(ruleOf(run, SENTINEL_ALERT_RULE_IDS[key]).inputs.query);
      const analysis = analyzeKql(query);
      expect(analysis.errors, describeErrors(query, analysis.errors)).toEqual([]);
    }
  });

  it("declares the watchlist of exactly the emergency accounts, keyed by object id", async () => {
    const { run, config } = await get();
    const [watchlist] = run.ofType(providerTypes.sentinelWatchlist);
    expect(watchlist!.inputs).toMatchObject({
      watchlistAlias: "BreakglassAccounts",
      itemsSearchKey: "ObjectId",
      contentType: "text/csv",
      sourceType: "Local",
      numberOfLinesToSkip: 0,
      provider: "entra-baseline",
    });
    const rows = String(watchlist!.inputs.rawContent).trim().split("\n");
    expect(rows[0]).toBe("UserPrincipalName,ObjectId");
    expect(rows.slice(1).sort()).toEqual(
      accountsOf(run, config)
        .map((a) => `${a.upn},${a.objectId}`)
        .sort(),
    );
  });

  it("adds the runbook to every incident of these rules and runs the configured playbook", async () => {
    const { run, ruleIds } = await get();
    const [automation] = run.ofType(providerTypes.sentinelAutomationRule);
    expect(automation!.inputs).toMatchObject({
      automationRuleId: SENTINEL_AUTOMATION_RULE_ID,
      order: 1,
      triggeringLogic: { isEnabled: true, triggersOn: "Incidents", triggersWhen: "Created" },
    });
    const condition = (automation!.inputs.triggeringLogic as any).conditions[0];
    expect(condition).toMatchObject({
      conditionType: "Property",
      conditionProperties: { propertyName: "IncidentRelatedAnalyticRuleIds", operator: "Contains" },
    });
    expect([...condition.conditionProperties.propertyValues].sort()).toEqual(Object.values(ruleIds!).sort());
    const actions = automation!.inputs.actions as any[];
    expect(actions[0]).toMatchObject({ order: 1, actionType: "AddIncidentTask" });
    expect(actions[0].actionConfiguration.description).toContain("Runbook: docs/operations.md");
    expect(actions[1]).toEqual({
      order: 2,
      actionType: "RunPlaybook",
      actionConfiguration: { logicAppResourceId: PLAYBOOK, tenantId: TEST_TENANT_ID },
    });
  });
});

describe("Sentinel on, other settings", () => {
  it(
    "with nearRealTime false declares the tripwires as scheduled rules every 5 minutes over 15, same query",
    { timeout: SLOW },
    async () => {
      const { run, config } = await plan((s) => Object.assign(s, { nearRealTime: false }));
      expect(run.ofType(NRT)).toEqual([]);
      const accounts = accountsOf(run, config);
      for (const key of TRIPWIRE_RULE_KEYS) {
        const rule = ruleOf(run, SENTINEL_ALERT_RULE_IDS[key]);
        expect(rule.inputs).toMatchObject({
          kind: "Scheduled",
          queryFrequency: "PT5M",
          queryPeriod: "PT15M",
          severity: "High",
        });
        expect(normalizedQuery(String(rule.inputs.query))).toBe(
          normalizedQuery(canonicalTripwireQuery(TRIPWIRE_TABLES[key], accounts)),
        );
      }
    },
  );

  it(
    "on an existing, already onboarded workspace: its group and name, no onboarding, the runbook URL",
    { timeout: SLOW },
    async () => {
      const { run } = await plan((s, raw) => {
        Object.assign(s, { onboard: false, runbookUrl: "https://wiki.contoso.com/breakglass" });
        raw.monitoring.existingWorkspaceId = EXISTING;
      });
      expect(run.ofType(providerTypes.sentinelOnboardingState)).toEqual([]);
      const [watchlist] = run.ofType(providerTypes.sentinelWatchlist);
      expect(watchlist!.inputs).toMatchObject({ resourceGroupName: "rg-soc", workspaceName: "law-soc" });
      const nrt = run.ofType(NRT);
      expect(nrt.map((r) => r.inputs.workspaceId)).toEqual([EXISTING, EXISTING]);
      expect(String(nrt[0]!.inputs.description)).toContain("Runbook: https://wiki.contoso.com/breakglass");
      const [automation] = run.ofType(providerTypes.sentinelAutomationRule);
      expect((automation!.inputs.actions as any[]).map((a) => a.actionType)).toEqual(["AddIncidentTask"]);
    },
  );
});
