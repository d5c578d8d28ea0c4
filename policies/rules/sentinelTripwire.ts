/**
 * sentinel-tripwire — severity high, mandatory.
 * Controls: Microsoft Learn emergency-access monitoring, Microsoft Sentinel near-real-time rules, ZTA 21835.
 * Catalogue: SENTINEL-MATCHES-TRIPWIRE.
 *
 * With `monitoring.sentinel.enabled` (pack config `required`) each tripwire also runs as a Sentinel analytics rule, and
 * that rule must match the log-alert tripwire: the model's canonical query for exactly the stack's emergency accounts,
 * enabled, High, unsuppressed, creating incidents, near-real-time or every 5 minutes over the tripwire's window, in the
 * workspace that receives the sign-ins (src/model/sentinel.ts, allow-list). A Sentinel tripwire the stack declares is
 * judged whether or not it is required: one that cannot fire must not look like a second detector. The log-alert
 * tripwire stays the guarantee (breakglass-tripwire); this rule adds nothing to it and never replaces it.
 *
 * Preview: the query is unknown when built from the accounts' object ids; it is accepted when it came from the
 * emergency accounts alone, and the update-time run compares the text.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  LOG_CATEGORY_TABLES,
  policyNames,
  sentinelTripwireVerdicts,
  workspacesReceiving,
  type SignInTable,
} from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import { breakglassObjectIdsSchema, breakglassUpnsSchema, policyConfig, schema } from "../lib/config";
import { SENTINEL_RULE_TYPES, sentinelRuleFacts, stackLogging, tripwireAccounts } from "../lib/monitoring";
import { indexStack } from "../lib/stack";

export interface SentinelTripwireConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  /** `monitoring.sentinel.enabled`: a missing Sentinel tripwire is a violation. */
  required: boolean;
}

export const sentinelTripwire: StackValidationPolicy = {
  name: policyNames.sentinelTripwire,
  description:
    "With Sentinel enabled, each tripwire also runs as a Sentinel analytics rule matching the log alert: the canonical query for exactly the emergency accounts, enabled, High, unsuppressed, creating incidents, near-real-time or every 5 minutes, in the workspace that receives the sign-ins.",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    required: {
      type: "boolean",
      default: false,
      description: "monitoring.sentinel.enabled: the stack must declare the Sentinel tripwires.",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<SentinelTripwireConfig>(args, sentinelTripwire.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const { known, fromAccounts } = tripwireAccounts(view);
    const logging = stackLogging(index);
    const receiving = (table: SignInTable) => {
      const category = Object.entries(LOG_CATEGORY_TABLES).find(([, t]) => t === table)![0];
      return workspacesReceiving(logging.settings, category);
    };
    const workspaces = {
      SigninLogs: receiving("SigninLogs"),
      AADNonInteractiveUserSignInLogs: receiving("AADNonInteractiveUserSignInLogs"),
    };
    const allWorkspaces = [...workspaces.SigninLogs, ...workspaces.AADNonInteractiveUserSignInLogs];
    const rules = SENTINEL_RULE_TYPES.flatMap((type) => index.of(type)).map((r) => ({
      r,
      facts: sentinelRuleFacts(r, index, fromAccounts, allWorkspaces),
    }));
    const accounts = view.users.length === known.length ? known : [];
    const verdicts = sentinelTripwireVerdicts(
      rules.map((x) => x.facts),
      { accounts, workspaces },
    );
    for (const v of verdicts) {
      if (v.holding.length > 0) continue;
      if (v.candidates.length === 0) {
        if (cfg.required) {
          reportViolation(
            `Sentinel is enabled (monitoring.sentinel.enabled) but no Sentinel analytics rule is the tripwire for ${v.table}: declare the model's rule for it.`,
          );
        }
        continue;
      }
      for (const c of v.candidates) {
        const urn = rules.find((x) => x.facts.name === c.name)?.r.urn;
        reportViolation(
          `Sentinel analytics rule ${c.name} does not match the log-alert tripwire for ${v.table}: ${c.gaps.join("; ")}.`,
          urn,
        );
      }
    }
  },
};
