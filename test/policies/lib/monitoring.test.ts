/**
 * The stack's logging and alerting as the model's facts: diagnostic settings, workspaces with their tables and
 * transformation rules, scheduled query rules and their action groups. A declared resource is keyed by its index key
 * (its URN, unique even when lower-cased); an ARM id names a declared resource only when its type, name and resource
 * group are that resource's.
 */
import { describe, expect, it } from "vitest";
import { canonicalTripwireQuery, providerTypes, REQUIRED_LOG_CATEGORIES } from "@entra-baseline/model";
import { stackLogging, tripwireFacts } from "../../../policies/lib/monitoring";
import { StackIndex } from "../../../policies/lib/stack";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import type { FixtureInputs } from "../../support/world/inputs";
import { dependsOn, ids, resource } from "../../support/world/stack";

const RG = "rg-logs";
const workspace = (extra: FixtureInputs<typeof providerTypes.workspace> = {}, name = "workspace") =>
  resource(providerTypes.workspace, name, {
    workspaceName: "law",
    resourceGroupName: RG,
    retentionInDays: 180,
    ...extra,
  });
const setting = (workspaceId: string | undefined, extra: FixtureInputs<typeof providerTypes.diagnosticSetting> = {}) =>
  resource(providerTypes.diagnosticSetting, "setting", {
    name: "entra",
    workspaceId,
    logs: REQUIRED_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
    ...extra,
  });
const index = (resources: PlannedResource[]) => new StackIndex(policyResources(resources));

describe("stackLogging", () => {
  it("keys a setting's workspace by the declared workspace its ARM id names (type, name, resource group)", () => {
    const w = workspace();
    const facts = stackLogging(index([w, setting(ids.workspace(RG.toUpperCase(), "LAW"))]));
    expect(facts.settings).toEqual([
      { name: "entra", workspace: w.urn, categories: [...REQUIRED_LOG_CATEGORIES], complete: true, elsewhere: false },
    ]);
    expect(facts.workspaces).toEqual([
      {
        key: w.urn,
        name: "law",
        retentionInDays: 180,
        dailyQuotaGb: undefined,
        tables: [],
        transformedTables: [],
        transformationsUnknown: false,
      },
    ]);
  });

  it("does not take a workspace of the same name in another resource group, or another resource type, for the declared one", () => {
    const w = workspace();
    const other = ids.workspace("rg-other", "law");
    const notAWorkspace = `/subscriptions/x/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/law`;
    expect(stackLogging(index([w, setting(other)])).settings[0]!.workspace).toBe(other.toLowerCase());
    expect(stackLogging(index([w, setting(notAWorkspace)])).settings[0]!.workspace).toBe(notAWorkspace.toLowerCase());
  });

  it("at preview, takes an unknown workspace id from the workspace it came from; without one the setting is incomplete", () => {
    const w = workspace();
    const wired = stackLogging(index([w, dependsOn(setting(unknownStringValue), "workspaceId", w)]));
    expect(wired.settings[0]).toMatchObject({ workspace: w.urn, complete: true });
    const lost = stackLogging(index([w, setting(unknownStringValue)]));
    expect(lost.settings[0]).toMatchObject({ workspace: undefined, complete: false });
  });

  it("streams only the enabled categories, and notes other destinations", () => {
    const s = setting(undefined, {
      logs: [
        { category: "AuditLogs", enabled: true },
        { category: "SignInLogs", enabled: false },
      ],
      storageAccountId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z",
    });
    expect(stackLogging(index([s])).settings[0]).toMatchObject({ categories: ["AuditLogs"], elsewhere: true });
  });

  it("reads the workspace's cap, its tables' retention, and the transformations of its declared DCR", () => {
    const w = workspace({
      workspaceCapping: { dailyQuotaGb: 10 },
      defaultDataCollectionRuleResourceId: `/subscriptions/x/resourceGroups/${RG}/providers/Microsoft.Insights/dataCollectionRules/dcr`,
    });
    const table = dependsOn(
      resource("azure-native:operationalinsights:Table", "t", {
        tableName: "SigninLogs",
        workspaceName: unknownStringValue,
        retentionInDays: 30,
      }),
      "workspaceName",
      w,
    );
    const dcr = resource("azure-native:monitor:DataCollectionRule", "dcr", {
      dataCollectionRuleName: "dcr",
      resourceGroupName: RG,
      dataFlows: [
        { streams: ["Microsoft-Table-SigninLogs", "Microsoft-Table-AuditLogs"], transformKql: "source | where true" },
        { streams: ["Microsoft-Table-AppTraces"], transformKql: "source" },
      ],
    });
    const [facts] = stackLogging(index([w, table, dcr])).workspaces;
    expect(facts).toMatchObject({
      dailyQuotaGb: 10,
      tables: [{ name: "SigninLogs", retentionInDays: 30 }],
      transformedTables: ["SigninLogs", "AuditLogs"],
      transformationsUnknown: false,
    });
    const undeclared = workspace({
      defaultDataCollectionRuleResourceId: `/subscriptions/x/resourceGroups/${RG}/providers/Microsoft.Insights/dataCollectionRules/elsewhere`,
    });
    expect(stackLogging(index([undeclared])).workspaces[0]!.transformationsUnknown).toBe(true);
  });

  it("names settings and workspaces declared twice", () => {
    const facts = stackLogging(
      index([
        workspace(),
        workspace({}, "again"),
        setting(undefined),
        { ...setting(undefined), name: "s2", urn: "urn:s2" },
      ]),
    );
    expect(facts.duplicateSettings).toEqual(["entra"]);
    expect(facts.duplicateWorkspaces).toEqual([`${RG}/law`]);
  });

  it("keeps two workspaces whose resource names differ only in case apart, even lower-cased", () => {
    const w = workspace();
    const twin = workspace({ workspaceName: "law-twin" }, "WORKSPACE");
    const facts = stackLogging(index([w, twin]));
    const keys = facts.workspaces.map((x) => x.key.toLowerCase());
    expect(new Set(keys).size).toBe(2);
    expect(facts.workspaces[1]!.key).toBe(`${twin.urn}#2`);
  });
});

describe("tripwireFacts", () => {
  const accounts = [{ upn: "breakglass-01@contoso.onmicrosoft.com", objectId: "3e51fb47-f7df-52c0-94d6-6be4c366fee9" }];
  const actionGroup = (extra: FixtureInputs<typeof providerTypes.actionGroup> = {}) =>
    resource(providerTypes.actionGroup, "ag", {
      actionGroupName: "ag",
      resourceGroupName: RG,
      enabled: true,
      emailReceivers: [{ name: "e", emailAddress: "soc@contoso.com" }],
      smsReceivers: [{ name: "s", countryCode: "1", phoneNumber: "5550100" }],
      ...extra,
    });
  const rule = (extra: FixtureInputs<typeof providerTypes.scheduledQueryRule> = {}) =>
    resource(providerTypes.scheduledQueryRule, "rule", {
      ruleName: "breakglass-sign-in-tripwire",
      displayName: "Breakglass sign-in (tripwire)",
      enabled: true,
      severity: 0,
      evaluationFrequency: "PT1M",
      windowSize: "PT15M",
      scopes: [ids.workspace(RG, "law")],
      criteria: {
        allOf: [
          {
            query: canonicalTripwireQuery("SigninLogs", accounts),
            timeAggregation: "Count",
            operator: "GreaterThan",
            threshold: 0,
          },
        ],
      },
      actions: { actionGroups: [ids.actionGroup(RG, "ag")] },
      ...extra,
    });
  const factsOf = (resources: PlannedResource[], fromAccounts = () => false) => {
    const i = index(resources);
    return tripwireFacts(i.byUrn.get(resources.find((r) => r.name === "rule")!.urn)!, i, fromAccounts);
  };

  it("reads a rule's settings, its query, its one condition without the query, its scopes and its action groups", () => {
    const w = workspace();
    const ag = actionGroup();
    const facts = factsOf([w, ag, rule()]);
    expect(facts).toMatchObject({
      name: "breakglass-sign-in-tripwire",
      displayName: "Breakglass sign-in (tripwire)",
      enabled: true,
      severity: 0,
      evaluationFrequency: "PT1M",
      windowSize: "PT15M",
      query: canonicalTripwireQuery("SigninLogs", accounts),
      queryFromAccounts: false,
      conditions: [{ timeAggregation: "Count", operator: "GreaterThan", threshold: 0, query: undefined }],
      scopes: [w.urn],
      actionGroups: [{ key: ag.urn, known: true, enabled: true, receivers: 2 }],
    });
  });

  it("keeps an action group the stack does not declare as unknown to it", () => {
    const facts = factsOf([rule({ actions: { actionGroups: [ids.actionGroup("rg-x", "ag")] } })]);
    expect(facts.actionGroups).toEqual([{ key: ids.actionGroup("rg-x", "ag").toLowerCase(), known: false }]);
  });

  it("at preview, marks what it cannot know, and asks where an unknown query came from", () => {
    const w = workspace();
    const user = resource(providerTypes.user, "bg", {
      userPrincipalName: accounts[0]!.upn,
      objectId: unknownStringValue,
    });
    const r = dependsOn(
      dependsOn(
        rule({
          severity: unknownStringValue,
          scopes: [unknownStringValue],
          criteria: {
            allOf: [{ query: unknownStringValue, timeAggregation: "Count", operator: "GreaterThan", threshold: 0 }],
          },
        }),
        "criteria",
        user,
      ),
      "scopes",
      w,
    );
    const asked: string[][] = [];
    const facts = factsOf([w, user, r], ((sources: { urn: string }[]) => {
      asked.push(sources.map((s) => s.urn));
      return true;
    }) as never);
    expect(facts).toMatchObject({
      severity: "(unknown at preview)",
      query: undefined,
      queryFromAccounts: true,
      scopes: [w.urn],
    });
    expect(asked).toEqual([[user.urn]]);
    const lost = factsOf([rule({ scopes: [unknownStringValue] })]);
    expect(lost.scopes).toEqual(["(unknown at preview)"]);
  });
});
