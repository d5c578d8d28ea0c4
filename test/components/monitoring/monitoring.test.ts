/**
 * The Monitoring component under Pulumi mocks, built directly (not through the other components) from the test
 * stack: what it sends to azure-native for the workspace, diagnostic setting, action group, the five alert rules
 * (each with its own identity and Log Analytics Reader assignment) and the workbook. Breakglass ids arrive as
 * Outputs, as they do from the Breakglass component.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  fakeObjectId,
  MOCK_SUBSCRIPTION_ID,
  setBaselineMocks,
  unwrap,
  type DeclaredResource,
  type MockState,
} from "../../support/pulumiMocks";
import type { BaselineConfig } from "../../../src/config/validate";
import {
  ALERT_RULE_KEYS,
  ALERT_RULES,
  componentTypes,
  durationSeconds,
  logAlertQueryViolations,
  providerTypes,
  renderKql,
  roleAssignedOutsidePimDefinition,
  type StandingException,
  TRIPWIRE_RULE_KEYS,
  canonicalTripwireQuery,
  normalizedQuery,
  TRIPWIRE_TABLES,
} from "@entra-baseline/model";
import { analyzeKql } from "../../support/kusto";
import { validConfig } from "../../support/stack";
import { LOG_ANALYTICS_READER_ROLE_ID } from "../../../src/components/monitoring/alertRules";
import { stableUuid } from "../../../src/components/monitoring/stableUuid";

const UPNS = ["breakglass-01@contoso.onmicrosoft.com", "breakglass-02@contoso.onmicrosoft.com"];
const IDS = ["0b1c2d3e-1111-4aaa-8bbb-000000000001", "0b1c2d3e-2222-4aaa-8bbb-000000000002"];
const GROUP = "0b1c2d3e-3333-4aaa-8bbb-000000000003";
const WEBHOOK = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SECRET";
const EXISTING =
  "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
/** A declared exception, as config holds it (the role by name). */
const SYNC_EXCEPTION: StandingException = {
  principal: "5a5a5a5a-0000-4000-8000-000000000001",
  principalType: "servicePrincipal",
  label: "Entra Connect sync",
  roles: ["Directory Synchronization Accounts"],
  reason: "Entra Connect synchronises on-premises identities",
  owner: "identity-team@contoso.com",
  expires: "2027-06-30",
};

let state: MockState;
let config: BaselineConfig;
let outputs: {
  workspaceId: string;
  tripwireRuleId: string;
  nonInteractiveTripwireRuleId: string;
  alertRuleIds: Record<string, string>;
  actionGroupId: string;
};
let existingOutputs: { workspaceId: string };

const of = (prefix: string, type: string) =>
  state.resources.filter((r) => r.type === type && r.name.startsWith(`${prefix}-`));
const one = (prefix: string, type: string): DeclaredResource => {
  const found = of(prefix, type);
  expect(found, `${type} under ${prefix}`).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  state = await setBaselineMocks({});
  config = validConfig();
  const { Monitoring } = await import("../../../src/components/monitoring");
  const breakglass = {
    userPrincipalNames: pulumi.output(UPNS),
    // Unknown until the users exist: delivered as Outputs.
    objectIds: pulumi.output(IDS).apply((ids) => ids),
    groupObjectId: pulumi.output(GROUP),
  };
  const monitoring = new Monitoring("monitoring", {
    monitoring: config.monitoring,
    pim: config.pim,
    exceptions: [SYNC_EXCEPTION],
    breakglass,
  });
  outputs = {
    workspaceId: await unwrap(monitoring.workspaceId),
    tripwireRuleId: await unwrap(monitoring.tripwireRuleId),
    nonInteractiveTripwireRuleId: await unwrap(monitoring.nonInteractiveTripwireRuleId),
    alertRuleIds: await unwrap(monitoring.alertRuleIds),
    actionGroupId: await unwrap(monitoring.actionGroupId),
  };
  await unwrap(monitoring.workbookId);

  const existing = validConfig((raw) => {
    raw.monitoring.existingWorkspaceId = EXISTING;
    raw.monitoring.resourceGroupName = "rg-entra-alerts";
    raw.monitoring.severities = { breakglassAccountChanged: 2, roleAssignedOutsidePim: 0 };
    raw.monitoring.logCategories = ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs"];
    raw.monitoring.actionGroup.webhooks = [WEBHOOK];
    raw.pim.roles = [
      { role: "Privileged Role Administrator", eligibleUsers: ["megan.bowen@contoso.com"] },
      { role: "Privileged Authentication Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] },
    ];
  });
  const second = new Monitoring("soc", { monitoring: existing.monitoring, pim: existing.pim, breakglass });
  existingOutputs = { workspaceId: await unwrap(second.workspaceId) };
  await unwrap(second.alertRuleIds);
  await unwrap(second.workbookId);
});

describe("logging", () => {
  it("is a component of the contract's type with the resource group from config", () => {
    expect(state.resources.some((r) => r.type === componentTypes.monitoring && r.name === "monitoring")).toBe(true);
    const rg = one("monitoring", "azure-native:resources:ResourceGroup");
    expect(rg.inputs).toMatchObject({ resourceGroupName: "rg-entra-baseline-prod", location: "westeurope" });
  });

  it("creates the workspace with the configured name, location and retention", () => {
    const ws = one("monitoring", providerTypes.workspace);
    expect(ws.inputs).toMatchObject({
      workspaceName: "law-entra-baseline-prod",
      resourceGroupName: "rg-entra-baseline-prod",
      location: "westeurope",
      retentionInDays: 180,
      sku: { name: "PerGB2018" },
    });
    expect(outputs.workspaceId).toBe(ws.id);
  });

  it("streams every configured Entra category to the workspace, tenant-wide", () => {
    const ds = one("monitoring", providerTypes.diagnosticSetting);
    expect(ds.inputs.name).toBe("entra-baseline");
    expect(ds.inputs.workspaceId).toBe(outputs.workspaceId);
    expect(ds.inputs.resourceGroupName).toBeUndefined();
    expect(ds.inputs.logs).toEqual(config.monitoring.logCategories.map((category) => ({ category, enabled: true })));
    expect(config.monitoring.logCategories).toEqual(
      expect.arrayContaining([
        "AuditLogs",
        "SignInLogs",
        "NonInteractiveUserSignInLogs",
        "ServicePrincipalSignInLogs",
        "ManagedIdentitySignInLogs",
        "ProvisioningLogs",
        "RiskyUsers",
        "UserRiskEvents",
      ]),
    );
  });

  it("with existingWorkspaceId: no workspace; the setting and every rule use the existing one", () => {
    expect(of("soc", providerTypes.workspace)).toEqual([]);
    expect(existingOutputs.workspaceId).toBe(EXISTING);
    const ds = one("soc", providerTypes.diagnosticSetting);
    expect(ds.inputs.workspaceId).toBe(EXISTING);
    expect(ds.inputs.logs).toEqual(
      ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs"].map((category) => ({ category, enabled: true })),
    );
    const rules = of("soc", providerTypes.scheduledQueryRule);
    expect(rules).toHaveLength(5);
    for (const r of rules) expect(r.inputs.scopes).toEqual([EXISTING]);
    expect(one("soc", "azure-native:resources:ResourceGroup").inputs.resourceGroupName).toBe("rg-entra-alerts");
  });
});

describe("action group", () => {
  it("is global, enabled, with the configured email and SMS receivers", () => {
    const ag = one("monitoring", providerTypes.actionGroup);
    expect(ag.inputs).toMatchObject({
      actionGroupName: "ag-entra-baseline-prod",
      groupShortName: "entrabg-prod",
      resourceGroupName: "rg-entra-baseline-prod",
      location: "Global",
      enabled: true,
      emailReceivers: [
        { name: "email-1", emailAddress: "secops@contoso.com", useCommonAlertSchema: true },
        { name: "email-2", emailAddress: "soc-oncall@contoso.com", useCommonAlertSchema: true },
      ],
      smsReceivers: [{ name: "sms-1", countryCode: "1", phoneNumber: "4255550100" }],
      webhookReceivers: [],
    });
    expect(outputs.actionGroupId).toBe(ag.id);
  });
});

describe("action group webhooks", () => {
  // The engine's marker for a secret value in serialized inputs.
  const SECRET_SIG = "4dabf18193072939515e22adb298388d";

  it("sends webhook receivers with the common alert schema, as secrets (their URLs carry keys)", () => {
    const receivers = one("soc", providerTypes.actionGroup).inputs.webhookReceivers as Record<string, unknown>;
    expect(receivers[SECRET_SIG]).toBeDefined();
    expect(receivers.value).toEqual([{ name: "webhook-1", serviceUri: WEBHOOK, useCommonAlertSchema: true }]);
  });
});

describe("alert rules", () => {
  const rules = () => of("monitoring", providerTypes.scheduledQueryRule);
  const rule = (key: (typeof ALERT_RULE_KEYS)[number]) =>
    rules().find((r) => r.inputs.ruleName === ALERT_RULES[key].ruleName)!;
  const query = (r: DeclaredResource) => (r.inputs.criteria as { allOf: { query: string }[] }).allOf[0]!.query;

  it("declares the five rules under the names the policy pack looks for", () => {
    expect(
      rules()
        .map((r) => r.name)
        .sort(),
    ).toEqual(ALERT_RULE_KEYS.map((k) => `monitoring-${ALERT_RULES[k].ruleName}`).sort());
    for (const key of ALERT_RULE_KEYS) expect(rule(key).inputs.displayName).toBe(ALERT_RULES[key].displayName);
  });

  it("every rule is an enabled log alert on the workspace, wired to the action group", () => {
    for (const r of rules()) {
      expect(r.inputs, r.name).toMatchObject({
        kind: "LogAlert",
        enabled: true,
        scopes: [outputs.workspaceId],
        resourceGroupName: "rg-entra-baseline-prod",
        location: "westeurope",
        actions: { actionGroups: [outputs.actionGroupId] },
      });
      const condition = (r.inputs.criteria as { allOf: Record<string, unknown>[] }).allOf[0]!;
      expect(condition).toMatchObject({ timeAggregation: "Count", operator: "GreaterThan", threshold: 0 });
      expect(analyzeKql(String(condition.query)).errors, r.name).toEqual([]);
      for (const d of condition.dimensions as { name: string }[]) expect(String(condition.query)).toContain(d.name);
    }
  });

  it("severities come from config: tripwires 0 by default, the others as configured", () => {
    expect(rule("breakglassSignIn").inputs.severity).toBe(0);
    expect(rule("breakglassNonInteractiveSignIn").inputs.severity).toBe(0);
    expect(rule("breakglassAccountChanged").inputs.severity).toBe(1);
    expect(rule("roleAssignedOutsidePim").inputs.severity).toBe(1);
    expect(rule("routineJitUse").inputs.severity).toBe(3);
    const changed = of("soc", providerTypes.scheduledQueryRule);
    expect(
      changed.find((r) => r.inputs.ruleName === ALERT_RULES.breakglassAccountChanged.ruleName)!.inputs.severity,
    ).toBe(2);
    expect(
      changed.find((r) => r.inputs.ruleName === ALERT_RULES.roleAssignedOutsidePim.ruleName)!.inputs.severity,
    ).toBe(0);
  });

  it("the tripwires: every minute over a 15-minute window, stateful, naming both accounts by id and UPN", () => {
    const accounts = UPNS.map((upn, i) => ({ upn, objectId: IDS[i]! }));
    for (const key of TRIPWIRE_RULE_KEYS) {
      const r = rule(key);
      expect(r.inputs).toMatchObject({ evaluationFrequency: "PT1M", windowSize: "PT15M", autoMitigate: true });
      expect(r.inputs.muteActionsDuration).toBeUndefined();
      // Allow-list: exactly the model's query for the table and these accounts.
      expect(normalizedQuery(query(r))).toBe(normalizedQuery(canonicalTripwireQuery(TRIPWIRE_TABLES[key], accounts)));
    }
    expect(query(rule("breakglassSignIn"))).toMatch(/^SigninLogs$/m);
    expect(query(rule("breakglassNonInteractiveSignIn"))).toMatch(/^AADNonInteractiveUserSignInLogs$/m);
    expect(outputs.tripwireRuleId).toBe(rule("breakglassSignIn").id);
    expect(outputs.nonInteractiveTripwireRuleId).toBe(rule("breakglassNonInteractiveSignIn").id);
  });

  it("the window of every rule is larger than its frequency and within Azure's allowed granularities", () => {
    const allowedMinutes = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880];
    for (const r of rules()) {
      const window = durationSeconds(r.inputs.windowSize as string)!;
      expect(window, r.name).toBeGreaterThanOrEqual(durationSeconds(r.inputs.evaluationFrequency as string)!);
      expect(allowedMinutes, r.name).toContain(window / 60);
      expect(
        logAlertQueryViolations(query(r), {
          evaluationFrequencySeconds: durationSeconds(r.inputs.evaluationFrequency as string)!,
        }),
      ).toEqual([]);
    }
  });

  it("the account-changed rule watches both accounts and the exclusion group", () => {
    const changed = query(rule("breakglassAccountChanged"));
    for (const id of [...IDS, GROUP]) expect(changed).toContain(`"${id}"`);
  });

  it("outside PIM deploys exactly the definition the model's tests evaluate, with the declared exceptions", () => {
    const outside = query(rule("roleAssignedOutsidePim"));
    const bg = { userPrincipalNames: UPNS, objectIds: IDS, groupObjectId: GROUP };
    expect(outside).toBe(renderKql(roleAssignedOutsidePimDefinition(bg, 5, [SYNC_EXCEPTION])));
    expect(outside).toContain(`PrincipalId =~ "${SYNC_EXCEPTION.principal}"`);
    // The second stack declares no exception: nothing is excluded but the breakglass accounts' Global Administrator.
    const soc = of("soc", providerTypes.scheduledQueryRule).find(
      (r) => r.inputs.ruleName === ALERT_RULES.roleAssignedOutsidePim.ruleName,
    )!;
    expect(query(soc)).toBe(renderKql(roleAssignedOutsidePimDefinition(bg, 5, [])));
  });

  it("routine JIT use: daily over Azure's longest lookback (P2D, one period), the configured ticket pattern, day count capped at two", () => {
    const r = rule("routineJitUse");
    expect(r.inputs).toMatchObject({ evaluationFrequency: "P1D", windowSize: "P2D", autoMitigate: false });
    expect((r.inputs.criteria as { allOf: { failingPeriods: unknown }[] }).allOf[0]!.failingPeriods).toEqual({
      numberOfEvaluationPeriods: 1,
      minFailingPeriodsToAlert: 1,
    });
    expect(query(r)).toContain('extract("(INC|CHG)[0-9]{6,}", 0, Justification)');
    expect(query(r)).toContain("| where TimeGenerated > ago(2d)");
    // minActiveDays (4 of 7) needs a week of history the alert cannot query: two consecutive days is its signal.
    expect(query(r)).toContain("ActiveDays >= 2 and LastActivation > ago(1d)");
  });
});

describe("alert rules run as themselves", () => {
  const rules = (prefix: string) => of(prefix, providerTypes.scheduledQueryRule);
  const readers = (prefix: string) => of(prefix, ROLE_ASSIGNMENT);

  it("every rule has a system-assigned identity, and a rule name a rule with an identity may have (no ';')", () => {
    for (const r of [...rules("monitoring"), ...rules("soc")]) {
      expect(r.inputs.identity, r.name).toEqual({ type: "SystemAssigned" });
      expect(r.inputs.ruleName, r.name).not.toContain(";");
    }
  });

  it.each([
    ["monitoring", () => outputs.workspaceId, MOCK_SUBSCRIPTION_ID],
    ["soc", () => EXISTING, "00000000-1111-2222-3333-444444444444"],
  ])(
    "%s: each rule's identity holds Log Analytics Reader on the workspace it queries (created or existing)",
    (prefix, workspace, subscription) => {
      expect(readers(prefix)).toHaveLength(5);
      for (const r of rules(prefix)) {
        const reader = readers(prefix).find((a) => a.name === `${r.name}-log-analytics-reader`)!;
        const principalId = fakeObjectId(`identity/${r.name}`);
        expect(reader.inputs, r.name).toEqual({
          scope: workspace(),
          principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${LOG_ANALYTICS_READER_ROLE_ID}`,
          roleAssignmentName: stableUuid(`${workspace().toLowerCase()}|${principalId}|${LOG_ANALYTICS_READER_ROLE_ID}`),
          description: `entra-baseline: the log alert rule ${r.inputs.ruleName as string} queries the workspace as itself.`,
        });
      }
      const names = readers(prefix).map((a) => a.inputs.roleAssignmentName as string);
      expect(new Set(names).size).toBe(5);
      for (const n of names) expect(n).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    },
  );

  it("Log Analytics Reader is the built-in role's id (docs/references.md, Azure Resource Manager)", () => {
    expect(LOG_ANALYTICS_READER_ROLE_ID).toBe("73c42c96-874c-492b-b04d-ab87d138a893");
  });
});

describe("PIM activation review workbook", () => {
  it("is a shared workbook on the workspace whose sections are KQL over the workspace", () => {
    const wb = one("monitoring", providerTypes.workbook);
    expect(wb.inputs).toMatchObject({
      displayName: "PIM activation review",
      kind: "shared",
      category: "workbook",
      sourceId: outputs.workspaceId,
      resourceGroupName: "rg-entra-baseline-prod",
      location: "westeurope",
    });
    expect(wb.inputs.resourceName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const content = JSON.parse(wb.inputs.serializedData as string) as {
      version: string;
      items: { type: number; name: string; content: { query?: string } }[];
      fallbackResourceIds: string[];
    };
    expect(content.version).toBe("Notebook/1.0");
    expect(content.fallbackResourceIds).toEqual([outputs.workspaceId]);
    const kql = content.items.filter((i) => i.type === 3);
    expect(kql.map((i) => i.name)).toEqual([
      "activations",
      "per-role",
      "per-admin",
      "per-role-admin",
      "outside-working-hours",
      "denied",
    ]);
    for (const item of kql) expect(analyzeKql(item.content.query!).errors, item.name).toEqual([]);
  });

  it("every section covers the stack's managed roles: Global Administrator alone, or with each pim.roles role", () => {
    const sections = (prefix: string) =>
      (
        JSON.parse(one(prefix, providerTypes.workbook).inputs.serializedData as string) as {
          items: { type: number; name: string; content: { query?: string; json?: string } }[];
        }
      ).items;
    for (const item of sections("monitoring").filter((i) => i.type === 3))
      expect(item.content.query, item.name).toContain('| where RoleName in~ ("Global Administrator")\n');
    const soc = sections("soc");
    for (const item of soc.filter((i) => i.type === 3))
      expect(item.content.query, item.name).toContain(
        '| where RoleName in~ ("Global Administrator", "Privileged Role Administrator", "Privileged Authentication Administrator")\n',
      );
    expect(soc.find((i) => i.name === "intro")!.content.json).toContain(
      "(Global Administrator, Privileged Role Administrator, Privileged Authentication Administrator)",
    );
  });

  it("keeps its resource name across runs and differs between stacks' resource groups", () => {
    const a = one("monitoring", providerTypes.workbook).inputs.resourceName;
    const b = one("soc", providerTypes.workbook).inputs.resourceName;
    expect(a).not.toEqual(b);
  });
});
