/**
 * entra-diagnostic-setting: the stack's diagnostic settings, workspaces, tables and transformation rules
 * (policies/lib/monitoring.ts) judged per workspace by src/model/logging.ts — one workspace receives every required
 * category, keeps it long enough table by table, with no daily cap and no ingestion-time transformation.
 */
import { describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { entraDiagnosticSetting } from "../../../policies/rules/entraDiagnosticSetting";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, urnOf, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(entraDiagnosticSetting);
const { run, stack } = world;
const SETTING = "monitoring-entra-logs";
const WORKSPACE = "law-entra-baseline-prod";
const WORKSPACE_URN = urnOf(providerTypes.workspace, "monitoring-workspace");
const logsOf = (s: PlannedResource[]) =>
  (byName(s, SETTING).inputs as any).logs as { category: string; enabled: boolean }[];

describe("entra-diagnostic-setting", () => {
  it.each(["update", "preview"] as Mode[])("passes (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  it("rejects a missing or disabled required category", async () => {
    const s = stack("update", (x) => {
      (byName(x, SETTING).inputs as any).logs = logsOf(x).filter((l) => l.category !== "NonInteractiveUserSignInLogs");
      logsOf(x).find((l) => l.category === "AuditLogs")!.enabled = false;
    });
    const out = await run(s);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      new RegExp(
        `^no workspace receives all of AuditLogs, SignInLogs, NonInteractiveUserSignInLogs \\(${WORKSPACE_URN.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: signinlogs, [a-z, ]+\\): the tripwires and the review read one workspace\\.$`,
        "i",
      ),
    );
    expect(out[0]).not.toContain("auditlogs");
  });

  it("requires configured categories besides the model's own, never fewer", async () => {
    expect(await run(stack("update"), { ...world.packConfig, requiredCategories: ["ADFSSignInLogs"] })).toEqual([
      expect.stringMatching(
        /^no workspace receives all of AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ADFSSignInLogs /,
      ),
    ]);
    const noAudit = stack(
      "update",
      (x) => ((byName(x, SETTING).inputs as any).logs = logsOf(x).filter((l) => l.category !== "AuditLogs")),
    );
    expect(await run(noAudit, { ...world.packConfig, requiredCategories: [] })).toHaveLength(1);
  });

  it("rejects short retention, at preview through the workspace the setting depends on", async () => {
    const s = stack("preview", (x) => (byName(x, "monitoring-workspace").inputs.retentionInDays = 30));
    expect(await run(s)).toEqual([`workspace ${WORKSPACE} keeps logs 30 days; at least 90 are required.`]);
  });

  it("follows a stricter retention from config, and never a looser one (limits only tighten)", async () => {
    expect(await run(stack("update"), { ...world.packConfig, minRetentionInDays: 365 })).toEqual([
      `workspace ${WORKSPACE} keeps logs 180 days; at least 365 are required.`,
    ]);
    const short = stack("update", (x) => (byName(x, "monitoring-workspace").inputs.retentionInDays = 30));
    expect(await run(short, { ...world.packConfig, minRetentionInDays: 7 })).toEqual([
      `workspace ${WORKSPACE} keeps logs 30 days; at least 90 are required.`,
    ]);
  });

  it("rejects a table of the sign-in or audit logs kept shorter than the workspace", async () => {
    const s = stack("update", (x) =>
      x.push(
        dependsOn(
          resource("azure-native:operationalinsights:Table", "signin-table", {
            tableName: "SigninLogs",
            workspaceName: WORKSPACE,
            retentionInDays: 30,
          }),
          "workspaceName",
          byName(x, "monitoring-workspace"),
        ),
        resource("azure-native:operationalinsights:Table", "other-table", {
          tableName: "AppTraces",
          workspaceName: WORKSPACE,
          retentionInDays: 30,
        }),
      ),
    );
    expect(await run(s)).toEqual([
      `table SigninLogs of workspace ${WORKSPACE} keeps rows 30 days; at least 90 are required.`,
    ]);
  });

  it("rejects a daily cap, and one unknown at preview", async () => {
    const capped = stack(
      "update",
      (x) => (byName(x, "monitoring-workspace").inputs.workspaceCapping = { dailyQuotaGb: 5 }),
    );
    expect(await run(capped)).toEqual([
      `workspace ${WORKSPACE} caps ingestion at 5 GB a day: once reached, sign-ins stop arriving and the tripwire goes blind.`,
    ]);
    const unknown = stack("preview", (x) => {
      byName(x, "monitoring-workspace").inputs.workspaceCapping = { dailyQuotaGb: unknownStringValue };
    });
    expect(await run(unknown)).toEqual([
      `workspace ${WORKSPACE} caps ingestion at 0 GB a day: once reached, sign-ins stop arriving and the tripwire goes blind.`,
    ]);
    const none = stack(
      "update",
      (x) => (byName(x, "monitoring-workspace").inputs.workspaceCapping = { dailyQuotaGb: -1 }),
    );
    expect(await run(none)).toEqual([]);
  });

  it("rejects an ingestion-time transformation of the sign-in tables, and one it cannot read", async () => {
    const DCR_ID = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/dcr-transform`;
    const s = stack("update", (x) => {
      x.push(
        resource("azure-native:monitor:DataCollectionRule", "transform", {
          dataCollectionRuleName: "dcr-transform",
          kind: "WorkspaceTransforms",
          dataFlows: [
            { streams: ["Microsoft-Table-SigninLogs"], transformKql: "source | where ResultType == '0'" },
            { streams: ["Microsoft-Table-AppTraces"], transformKql: "source | take 1" },
          ],
        }),
      );
      byName(x, "monitoring-workspace").inputs.defaultDataCollectionRuleResourceId = DCR_ID;
    });
    expect(await run(s)).toEqual([
      `an ingestion-time transformation rewrites SigninLogs in workspace ${WORKSPACE}: it can drop or change the rows the tripwire reads.`,
    ]);
    const elsewhere = stack("update", (x) => {
      byName(x, "monitoring-workspace").inputs.defaultDataCollectionRuleResourceId = DCR_ID;
    });
    expect(await run(elsewhere)).toEqual([
      `workspace ${WORKSPACE} has a transformation rule that cannot be read, so its effect on the sign-in and audit tables cannot be verified.`,
    ]);
  });

  it("rejects categories split over two workspaces (each workspace is judged on its own)", async () => {
    const s = stack("update", (x) => {
      const other = resource(providerTypes.workspace, "elsewhere", {
        workspaceName: "law-elsewhere",
        resourceGroupName: "rg-x",
        retentionInDays: 180,
      });
      const audit = resource(providerTypes.diagnosticSetting, "audit-elsewhere", {
        name: "audit-elsewhere",
        workspaceId: ids.workspace("rg-x", "law-elsewhere"),
        logs: [{ category: "AuditLogs", enabled: true }],
      });
      (byName(x, SETTING).inputs as any).logs = logsOf(x).filter((l) => l.category !== "AuditLogs");
      x.push(other, audit);
    });
    expect(await run(s)).toEqual([expect.stringMatching(/^no workspace receives all of /)]);
  });

  it("rejects two declarations of one diagnostic setting or workspace", async () => {
    const s = stack("update", (x) => {
      const copy = structuredClone(byName(x, SETTING));
      copy.name = "second-writer";
      copy.urn = urnOf(copy.type, copy.name);
      const ws = structuredClone(byName(x, "monitoring-workspace"));
      ws.name = "second-workspace";
      ws.urn = urnOf(ws.type, ws.name);
      x.push(copy, ws);
    });
    expect(await run(s)).toEqual([
      'diagnostic setting "entra-baseline" is declared more than once: two writers overwrite each other.',
      `workspace "rg-entra-baseline-prod/${WORKSPACE}" is declared more than once: two writers overwrite each other.`,
    ]);
  });

  it("rejects a stack without a diagnostic setting", async () => {
    expect(await run(stack("update").filter((r) => r.name !== SETTING))).toEqual([
      "no Entra diagnostic setting streams the sign-in and audit logs anywhere: the tripwire never fires.",
    ]);
  });

  it("at preview, cannot verify a setting whose workspace id came from no declared workspace", async () => {
    const s = stack("preview", (x) => (byName(x, SETTING).propertyDependencies = {}));
    expect(await run(s)).toEqual([
      expect.stringMatching(/^no workspace receives all of /),
      'diagnostic setting "entra-baseline" cannot be verified (unknown at preview or unread).',
    ]);
  });

  it("leaves a workspace the stack does not declare to where it is declared (monitoring.existingWorkspaceId)", async () => {
    const EXISTING = ids.workspace("rg-soc", "law-soc");
    const s = stack("update", (x) => {
      const setting = byName(x, SETTING);
      setting.inputs.workspaceId = EXISTING;
      setting.propertyDependencies = {};
    });
    expect(await run(s.filter((r) => r.name !== "monitoring-workspace"))).toEqual([]);
  });
});
