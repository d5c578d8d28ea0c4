/**
 * entra-diagnostic-setting — severity high, mandatory (without the logs the tripwire and the PIM review are blind).
 * Controls: CISA MS.AAD.4.1 (stream AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, … to the SOC),
 * ZTA 21860 (diagnostic settings configured).
 *
 * An Entra (aadiam) diagnostic setting must stream at least the required categories, enabled, to a Log Analytics
 * workspace whose retention is at least the configured minimum. The workspace is found through the setting's
 * `workspaceId` propertyDependencies (preview) or by resource name (stack export). A workspace this stack does not
 * declare (monitoring.existingWorkspaceId) is accepted: its retention is governed where it is declared.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { policyNames, providerTypes, REQUIRED_LOG_CATEGORIES } from "@entra-baseline/model";
import { policyConfig, schema } from "../lib/config";
import { dependenciesOf, describeResource, indexStack, type StackIndex } from "../lib/stack";
import { UNKNOWN, isUnknown, readArray, readBoolean, readNumber, readString } from "../lib/values";

export interface EntraDiagnosticSettingConfig {
  requiredCategories: string[];
  minRetentionInDays: number;
}

// azure-native types are matched by token (providerTypes): importing the azure-native SDK costs the pack ~0.4 s.
const types = { setting: providerTypes.diagnosticSetting, workspace: providerTypes.workspace };

export const entraDiagnosticSetting: StackValidationPolicy = {
  name: policyNames.entraDiagnosticSetting,
  description:
    "An Entra diagnostic setting streams SignInLogs, NonInteractiveUserSignInLogs and AuditLogs to a Log Analytics workspace with enough retention (CISA MS.AAD.4.1).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    requiredCategories: {
      type: "array",
      items: { type: "string" },
      default: [...REQUIRED_LOG_CATEGORIES],
      description: "Log categories that must be streamed (src/model/logCategories.ts REQUIRED_LOG_CATEGORIES).",
    },
    minRetentionInDays: {
      type: "integer",
      minimum: 30,
      default: 90,
      description: "Minimum workspace retention (limits.minRetentionInDays).",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<EntraDiagnosticSettingConfig>(args, entraDiagnosticSetting.configSchema);
    const index = indexStack(args);
    const settings = index.of(types.setting);
    if (settings.length === 0) {
      reportViolation(
        `No Entra diagnostic setting (${types.setting}) is declared: sign-in and audit logs reach no workspace, so the tripwire never fires.`,
      );
      return;
    }
    const verdicts = settings.map((s) => ({ s, problems: settingProblems(s, cfg, index) }));
    // One complete setting is enough; others may stream elsewhere (e.g. to a SIEM event hub).
    if (verdicts.some((v) => v.problems.length === 0)) return;
    for (const { s, problems } of verdicts) {
      for (const p of problems) reportViolation(`${describeResource(s)}: ${p}.`, s.urn);
    }
  },
};

function settingProblems(s: PolicyResource, cfg: EntraDiagnosticSettingConfig, index: StackIndex): string[] {
  const problems: string[] = [];
  const logs = readArray(s.props, "logs");
  if (logs === UNKNOWN) {
    problems.push("its logs are unknown at preview, so the streamed categories cannot be verified");
  } else {
    const enabled = new Set<string>();
    for (const log of logs ?? []) {
      const category = readString(log, "category");
      if (typeof category === "string" && readBoolean(log, "enabled") === true) enabled.add(category.toLowerCase());
    }
    const missing = cfg.requiredCategories.filter((c) => !enabled.has(c.toLowerCase()));
    if (missing.length > 0)
      problems.push(`does not stream ${missing.join(", ")} (enabled); the tripwire and the PIM review read them`);
  }
  const workspaceId = readString(s.props, "workspaceId");
  const fromDeps = dependenciesOf(s, "workspaceId", types.workspace);
  if (workspaceId === undefined || workspaceId === "") {
    problems.push("sends to no Log Analytics workspace (workspaceId)");
    return problems;
  }
  if (workspaceId === UNKNOWN && fromDeps.length === 0) {
    problems.push("its workspaceId is unknown at preview and does not come from a workspace in this stack");
    return problems;
  }
  const workspaces =
    fromDeps.length > 0
      ? fromDeps
      : index.of(types.workspace).filter((w) => {
          const name = readString(w.props, "workspaceName") ?? readString(w.props, "name");
          return (
            typeof name === "string" &&
            typeof workspaceId === "string" &&
            workspaceId.toLowerCase().endsWith(`/workspaces/${name.toLowerCase()}`)
          );
        });
  for (const w of workspaces) {
    const retention = readNumber(w.props, "retentionInDays");
    if (isUnknown(retention) || retention === undefined)
      problems.push(
        `workspace ${describeResource(w)} has no known retentionInDays (the default, 30 days, is below ${cfg.minRetentionInDays})`,
      );
    else if (retention < cfg.minRetentionInDays)
      problems.push(
        `workspace ${describeResource(w)} keeps logs ${retention} days; at least ${cfg.minRetentionInDays} are required`,
      );
  }
  return problems;
}
