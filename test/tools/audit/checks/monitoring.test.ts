/**
 * checks/monitoring.ts: the Entra diagnostic settings, the workspaces they send to (retention, tables, daily cap,
 * workspace-transformation rule) judged per workspace by `loggingVerdict` (guarantee 6), and the scheduled query
 * rules with the action groups they name judged by `tripwireVerdicts` against the canonical tripwire (guarantee 5).
 */
import { describe, expect, it } from "vitest";
import {
  ACTION_GROUP_ID,
  actionGroup,
  guid,
  SENTINEL_LIST_ROUTE,
  table,
  testConfig,
  workspace,
  WORKSPACE_ID,
  type Json,
  type TenantData,
} from "../../../support/fakes/tenant";
import { validConfig } from "../../../support/stack";
import { canonicalTripwireQuery, SENTINEL_ALERT_RULE_IDS, SENTINEL_NRT_API_VERSION } from "@entra-baseline/model";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const BG2 = guid(2, "b0000000");
const DCR_ID = `/subscriptions/22222222-3333-4444-5555-666666666666/resourceGroups/rg-entra-baseline-prod/providers/Microsoft.Insights/dataCollectionRules/dcr-workspace`;

type Log = { category: string; enabled: boolean };
const settingProps = (t: TenantData) =>
  t.diagnosticSettings[0]!.properties as { logs: Log[]; workspaceId: string } & Json;
const rule = (t: TenantData, i = 0) => t.scheduledQueryRules[i] as { name: string; properties: Record<string, any> };
const atRisk = (audit: Awaited<ReturnType<typeof auditOf>>) =>
  findingsOf(audit, "AUD-LOGS-AT-RISK").map((f) => [f.severity, f.actual]);
const weak = (audit: Awaited<ReturnType<typeof auditOf>>) =>
  findingsOf(audit, "AUD-TRIPWIRE-WEAK").map((f) => f.actual);

describe.concurrent("Entra logs (AUD-DIAGNOSTICS-MISSING, AUD-LOGS-AT-RISK, AUD-LOGS-ELSEWHERE)", () => {
  it("reports a required category that is not streamed (high) and a configured one (medium)", async () => {
    const audit = await auditOf(config, (t) => {
      const p = settingProps(t);
      p.logs.find((l) => l.category === "SignInLogs")!.enabled = false;
      p.logs = p.logs.filter((l) => l.category !== "RiskyUsers");
    });
    const found = findingsOf(audit, "AUD-LOGS-AT-RISK");
    expect(found.map((f) => f.severity)).toEqual(["high", "medium"]);
    expect(found[0]!.actual).toMatch(
      /^no workspace receives all of AuditLogs, SignInLogs, NonInteractiveUserSignInLogs/,
    );
    expect(found[0]!.actual).not.toMatch(/workspaces\/law-entra-baseline-prod: [^;]*\bsigninlogs/);
    expect(found[1]!.object).toBe("Entra diagnostic settings (microsoft.aadiam): category RiskyUsers");
    // Without SigninLogs the interactive tripwire reads a workspace that receives nothing for it.
    expect(weak(audit)).toEqual([expect.stringContaining("not the workspace that receives SigninLogs (none does)")]);
  });

  it("does not let a missing optional category blind the checks of the tripwires' workspace", async () => {
    const audit = await auditOf(config, (t) => {
      const p = settingProps(t);
      p.logs = p.logs.filter((l) => l.category !== "RiskyUsers");
      t.workspaces[0]!.properties = { ...(t.workspaces[0]!.properties as Json), workspaceCapping: { dailyQuotaGb: 5 } };
    });
    expect(atRisk(audit)).toEqual([
      ["high", expect.stringContaining("caps ingestion at 5 GB a day")],
      ["medium", "no setting streams it there"],
    ]);
    expect(findingsOf(audit, "AUD-TRIPWIRE-WEAK")).toEqual([]);
  });

  it('reports no diagnostic setting at all, and one that streams to storage only (ARM\'s workspaceId "")', async () => {
    expect(
      findingsOf(await auditOf(config, (t) => void (t.diagnosticSettings = [])), "AUD-DIAGNOSTICS-MISSING"),
    ).toHaveLength(1);
    const audit = await auditOf(config, (t) => {
      Object.assign(settingProps(t), {
        workspaceId: "",
        storageAccountId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z",
      });
    });
    expect(findingsOf(audit, "AUD-DIAGNOSTICS-MISSING")[0]!.actual).toBe("1 settings, none sending to a workspace");
  });

  it.each<[string, (t: TenantData) => void, string]>([
    [
      "a workspace that keeps logs 30 days",
      (t) => void ((t.workspaces[0]!.properties as Json).retentionInDays = 30),
      "keeps logs 30 days; at least 90 are required",
    ],
    [
      "a table-level retention of 30 days on SigninLogs",
      (t) => void (t.tables[WORKSPACE_ID.toLowerCase()]![0] = table(WORKSPACE_ID, "SigninLogs", 30)),
      "table SigninLogs of workspace law-entra-baseline-prod keeps rows 30 days",
    ],
    [
      "a daily cap",
      (t) => void ((t.workspaces[0]!.properties as Json).workspaceCapping = { dailyQuotaGb: 1 }),
      "caps ingestion at 1 GB a day",
    ],
    [
      "an ingestion-time transformation of SigninLogs",
      (t) => {
        (t.workspaces[0]!.properties as Json).defaultDataCollectionRuleResourceId = DCR_ID;
        t.dataCollectionRules.push({
          id: DCR_ID,
          name: "dcr-workspace",
          kind: "WorkspaceTransforms",
          properties: {
            dataFlows: [
              {
                streams: ["Microsoft-Table-SigninLogs"],
                destinations: ["ws"],
                transformKql: "source | where ResultType == 0",
              },
            ],
          },
        });
      },
      "an ingestion-time transformation rewrites SigninLogs",
    ],
    [
      "a transformation rule that cannot be read (named, but not found)",
      (t) => void ((t.workspaces[0]!.properties as Json).defaultDataCollectionRuleResourceId = DCR_ID),
      "has a transformation rule that cannot be read",
    ],
    [
      "a workspace the settings send to that cannot be found",
      (t) => void (t.workspaces = []),
      "not found (deleted, or in a subscription the identity cannot read)",
    ],
  ])("reports %s", async (_, change, actual) => {
    const audit = await auditOf(config, change);
    expect(atRisk(audit)).toEqual([["high", expect.stringContaining(actual)]]);
  });

  it('accepts a transformation that passes every row through ("source")', async () => {
    const audit = await auditOf(config, (t) => {
      (t.workspaces[0]!.properties as Json).defaultDataCollectionRuleResourceId = DCR_ID;
      t.dataCollectionRules.push({
        id: DCR_ID,
        name: "dcr-workspace",
        properties: { dataFlows: [{ streams: ["Microsoft-Table-SigninLogs"], transformKql: "source" }] },
      });
    });
    expect(described(audit)).toEqual([]);
  });

  it("judges per workspace: the categories split over two workspaces is no workspace receiving them all", async () => {
    const other = `/subscriptions/22222222-3333-4444-5555-666666666666/resourceGroups/rg-entra-baseline-prod/providers/Microsoft.OperationalInsights/workspaces/law-audit`;
    const audit = await auditOf(config, (t) => {
      const p = settingProps(t);
      p.logs.find((l) => l.category === "AuditLogs")!.enabled = false;
      t.diagnosticSettings.push({
        id: "/providers/microsoft.aadiam/diagnosticSettings/audit-elsewhere",
        name: "audit-elsewhere",
        properties: { workspaceId: other, logs: [{ category: "AuditLogs", enabled: true }] },
      });
      t.workspaces.push(workspace(other, { retentionInDays: 365 }));
      t.tables[other.toLowerCase()] = ["SigninLogs", "AADNonInteractiveUserSignInLogs", "AuditLogs"].map((n) =>
        table(other, n),
      );
    });
    expect(atRisk(audit)).toEqual([["high", expect.stringMatching(/^no workspace receives all of/)]]);
  });

  it("notes a second destination as information only", async () => {
    const audit = await auditOf(config, (t) =>
      Object.assign(settingProps(t), {
        storageAccountId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/archive",
      }),
    );
    expect(audit.result.findings.map((f) => [f.id, f.severity])).toEqual([["AUD-LOGS-ELSEWHERE", "info"]]);
  });
});

describe.concurrent("the breakglass tripwire (AUD-TRIPWIRE-MISSING, AUD-TRIPWIRE-WEAK)", () => {
  it("reports a missing tripwire, a disabled one, and one that no longer names an account", async () => {
    const audit = await auditOf(config, (t) => {
      t.scheduledQueryRules = [rule(t, 0)];
      rule(t).properties.enabled = false;
      const criteria = rule(t).properties.criteria.allOf[0];
      criteria.query = String(criteria.query).replace(BG2, "00000000-0000-0000-0000-000000000000");
    });
    expect(findingsOf(audit, "AUD-TRIPWIRE-MISSING").map((f) => [f.object, f.actual])).toEqual([
      ["tripwire for AADNonInteractiveUserSignInLogs", "none among 1 scheduled query rules"],
    ]);
    const [f, ...rest] = findingsOf(audit, "AUD-TRIPWIRE-WEAK");
    expect(rest).toEqual([]);
    expect(f!.object).toContain("breakglass-sign-in-tripwire");
    expect(f!.actual).toContain("it is not enabled (enabled false)");
    expect(f!.actual).toContain(
      "its query is not the model's tripwire for SigninLogs and exactly the emergency accounts",
    );
  });

  it("reports both tripwires missing when the monitoring resource group does not exist (ARM 404), not a failed read", async () => {
    const elsewhere = validConfig((raw) => (raw.monitoring.resourceGroupName = "rg-gone"));
    const audit = await auditOf(elsewhere);
    expect(audit.result.complete).toBe(true);
    expect(findingsOf(audit, "AUD-TRIPWIRE-MISSING")).toHaveLength(2);
  });

  it("reports a tripwire weaker than the model (severity, frequency, no action group)", async () => {
    const audit = await auditOf(config, (t) =>
      Object.assign(rule(t).properties, { severity: 3, evaluationFrequency: "PT30M", actions: { actionGroups: [] } }),
    );
    const [gaps] = weak(audit);
    expect(gaps).toContain("its severity is 3, not 0 (critical)");
    expect(gaps).toContain('it is evaluated every "PT30M", not every minute (PT1M)');
    expect(gaps).toContain("it has no action group: a tripwire nobody hears");
  });

  it("reports a tripwire scoped to another workspace as critical", async () => {
    const elsewhere = `/subscriptions/${guid(7, "77777777")}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/law-elsewhere`;
    let name = "";
    const audit = await auditOf(config, (t) => {
      rule(t).properties.scopes = [elsewhere];
      name = rule(t).name;
    });
    const found = findingsOf(audit, "AUD-TRIPWIRE-WEAK");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "critical" });
    expect(found[0]!.actual).toBe(
      `it reads ${elsewhere.toLowerCase()}, not the workspace that receives SigninLogs (${WORKSPACE_ID.toLowerCase()})`,
    );
    expect(found[0]!.object).toContain(name);
  });

  it("reports a tripwire that names the accounts but cannot fire (negated filter, threshold, muted)", async () => {
    const audit = await auditOf(config, (t) => {
      const c = rule(t).properties.criteria.allOf[0];
      c.query = String(c.query).replace(/ in~ /g, " !in~ ");
      c.threshold = 50;
      rule(t).properties.muteActionsDuration = "PT6H";
    });
    const [gaps, ...rest] = weak(audit);
    expect(rest).toEqual([]);
    expect(gaps).toContain("its query is not the model's tripwire for SigninLogs");
    expect(gaps).toContain("it fires when the count is GreaterThan 50");
    expect(gaps).toContain('it mutes its actions for "PT6H"');
  });

  it.each<[string, (t: TenantData) => void, string]>([
    [
      "an action group that is disabled",
      (t) => void ((t.actionGroups[0]!.properties as Json).enabled = false),
      `none of its action groups (${ACTION_GROUP_ID.toLowerCase()}) is known, enabled and has a receiver`,
    ],
    [
      "an action group without a receiver",
      (t) => void (t.actionGroups = [actionGroup(ACTION_GROUP_ID, { emailReceivers: [] })]),
      "is known, enabled and has a receiver",
    ],
    [
      "an action group that no longer exists",
      (t) => void (t.actionGroups = []),
      "is known, enabled and has a receiver",
    ],
  ])("reports a tripwire heard by nobody: %s", async (_, change, gap) => {
    const audit = await auditOf(config, change);
    const found = weak(audit);
    expect(found).toHaveLength(2);
    for (const g of found) expect(g).toContain(gap);
  });

  it("accepts a longer window and more receivers", async () => {
    const audit = await auditOf(config, (t) => {
      rule(t).properties.windowSize = "PT1H";
      (t.actionGroups[0]!.properties as Json).smsReceivers = [
        { name: "ciso", countryCode: "1", phoneNumber: "4255550101" },
      ];
    });
    expect(described(audit)).toEqual([]);
  });
});

describe.concurrent("Sentinel tripwire (AUD-SENTINEL-TRIPWIRE)", () => {
  const sentinelConfig = validConfig((raw) => (raw.monitoring.sentinel = { enabled: true }));
  const sentinelRule = (t: TenantData, i = 0) =>
    t.sentinelAlertRules![i] as { name: string; kind: string; properties: Record<string, any> };
  const mismatches = (audit: Awaited<ReturnType<typeof auditOf>>) =>
    findingsOf(audit, "AUD-SENTINEL-TRIPWIRE").map((f) => [f.severity, f.object, f.actual]);

  it("passes a tenant whose Sentinel tripwires match the log alerts, read at the preview API version", async () => {
    const audit = await auditOf(sentinelConfig);
    expect(described(audit)).toEqual([]);
    expect(audit.snapshot.sources.sentinelAlertRules).toHaveLength(2);
    const reads = audit.requests.arm.filter((r) => SENTINEL_LIST_ROUTE.test(r.url.pathname));
    expect(reads.map((r) => r.url.searchParams.get("api-version"))).toEqual([SENTINEL_NRT_API_VERSION]);
    expect(reads[0]!.url.pathname.toLowerCase()).toBe(
      `${WORKSPACE_ID.toLowerCase()}/providers/microsoft.securityinsights/alertrules`,
    );
  });

  it("reports nothing of Sentinel, and reads nothing of it, when Sentinel is off", async () => {
    const audit = await auditOf(config, (t) => void (t.sentinelAlertRules = []));
    expect(findingsOf(audit, "AUD-SENTINEL-TRIPWIRE")).toEqual([]);
    expect(audit.snapshot.sources.sentinelAlertRules).toBeUndefined();
    expect(audit.requests.arm.filter((r) => /SecurityInsights/i.test(r.url.pathname))).toEqual([]);
  });

  it("reports both tripwires missing in a workspace not onboarded", async () => {
    const audit = await auditOf(sentinelConfig, (t) => void delete t.sentinelAlertRules);
    expect(mismatches(audit).sort()).toEqual([
      [
        "high",
        "Sentinel tripwire for AADNonInteractiveUserSignInLogs",
        "none among 0 analytics rules of the receiving workspace(s)",
      ],
      ["high", "Sentinel tripwire for SigninLogs", "none among 0 analytics rules of the receiving workspace(s)"],
    ]);
    // The log-alert tripwire is untouched: it stays the guarantee.
    expect(findingsOf(audit, "AUD-TRIPWIRE-MISSING")).toEqual([]);
  });

  it.each<[string, (t: TenantData) => void, string]>([
    ["a disabled rule", (t) => void (sentinelRule(t).properties.enabled = false), "it is not enabled (enabled false)"],
    [
      "suppression",
      (t) => void (sentinelRule(t).properties.suppressionEnabled = true),
      "its suppression is true: a suppressed rule stops after the first alert",
    ],
    [
      "no incident",
      (t) => void (sentinelRule(t).properties.incidentConfiguration = { createIncident: false }),
      "it creates no incident (createIncident false)",
    ],
    [
      "a query that misses an account",
      (t) =>
        void (sentinelRule(t).properties.query = canonicalTripwireQuery("SigninLogs", [
          { upn: "breakglass-01@contoso.onmicrosoft.com", objectId: guid(1, "b0000000") },
        ])),
      "its query is not the log-alert tripwire's for SigninLogs",
    ],
    [
      "a scheduled rule once an hour",
      (t) => {
        const r = sentinelRule(t);
        r.kind = "Scheduled";
        Object.assign(r.properties, {
          queryFrequency: "PT1H",
          queryPeriod: "PT1H",
          triggerOperator: "GreaterThan",
          triggerThreshold: 0,
        });
      },
      'it runs every "PT1H"; a scheduled tripwire runs every 5 minutes',
    ],
  ])("reports a Sentinel tripwire that does not match: %s", async (_, change, gap) => {
    const audit = await auditOf(sentinelConfig, change);
    const found = mismatches(audit);
    expect(found).toHaveLength(1);
    expect(found[0]![1]).toContain(`Sentinel analytics rule ${SENTINEL_ALERT_RULE_IDS.breakglassSignIn}`);
    expect(found[0]![2]).toContain(gap);
  });

  it("reports a failed read of the Sentinel rules and skips only its check", async () => {
    const audit = await auditOf(sentinelConfig, undefined, {
      maxRetries: 0,
      setup: (tenant) =>
        void tenant.arm.failNext("GET", SENTINEL_LIST_ROUTE, {
          status: 500,
          body: { error: { code: "InternalServerError", message: "boom" } },
        }),
    });
    expect(findingsOf(audit, "AUD-READ-FAILED").map((f) => f.object)).toEqual(["source sentinelAlertRules"]);
    expect(audit.result.skippedChecks).toEqual(["Sentinel tripwire"]);
  });
});
