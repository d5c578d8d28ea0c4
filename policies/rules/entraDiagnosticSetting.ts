/**
 * entra-diagnostic-setting — severity high, mandatory (without the logs the tripwire and the PIM review are blind).
 * Controls: CISA MS.AAD.4.1 (stream AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, … to the SOC),
 * ZTA 21860 (diagnostic settings configured). Catalogue: LOGS-ARRIVE-AND-STAY.
 *
 * Adapter only: the stack's diagnostic settings, workspaces, tables and transformation rules
 * (policies/lib/monitoring.ts) are judged per workspace by src/model/logging.ts. A workspace this stack does not
 * declare (monitoring.existingWorkspaceId) is governed where it is declared; the audit reads its settings live.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  effectiveLimits,
  loggingVerdict,
  MODEL_BOUNDS,
  policyNames,
  REQUIRED_LOG_CATEGORIES,
  type LogCategory,
} from "@entra-baseline/model";
import { policyConfig, schema } from "../lib/config";
import { stackLogging } from "../lib/monitoring";
import { indexStack } from "../lib/stack";

export interface EntraDiagnosticSettingConfig {
  requiredCategories: string[];
  minRetentionInDays: number;
}

export const entraDiagnosticSetting: StackValidationPolicy = {
  name: policyNames.entraDiagnosticSetting,
  description:
    "The workspace the tripwires read receives SignInLogs, NonInteractiveUserSignInLogs and AuditLogs, keeps them long enough table by table, with no daily cap and no ingestion-time transformation (CISA MS.AAD.4.1).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    requiredCategories: {
      type: "array",
      items: { type: "string" },
      default: [...REQUIRED_LOG_CATEGORIES],
      description:
        "Categories that must reach the workspace besides the model's own (src/model/logCategories.ts, always required).",
    },
    minRetentionInDays: {
      type: "integer",
      minimum: MODEL_BOUNDS.minRetentionInDays,
      default: MODEL_BOUNDS.minRetentionInDays,
      description:
        "Minimum retention of the sign-in and audit logs (limits.minRetentionInDays; at least 90 by the model).",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<EntraDiagnosticSettingConfig>(args, entraDiagnosticSetting.configSchema);
    const facts = stackLogging(indexStack(args));
    const categories = [...new Set([...REQUIRED_LOG_CATEGORIES, ...cfg.requiredCategories])] as LogCategory[];
    const { minRetentionInDays } = effectiveLimits({ minRetentionInDays: cfg.minRetentionInDays });
    for (const problem of loggingVerdict(facts, { categories, minRetentionInDays }).problems)
      reportViolation(`${problem}.`);
  },
};
