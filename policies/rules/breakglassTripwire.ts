/**
 * breakglass-tripwire — severity critical, mandatory.
 * Controls: Microsoft Learn emergency-access monitoring (alert on any sign-in of the accounts, Sev 0, action group),
 * Azure-Sentinel breakglass hunting queries, ZTA 21835. Catalogue: TRIPWIRE-FIRES.
 *
 * Adapter only: each scheduled query rule becomes tripwire facts (policies/lib/monitoring.ts) and the model's
 * allow-list (src/model/tripwire.ts) decides: for each sign-in table the emergency accounts can appear in, one rule
 * whose query is the model's canonical tripwire for exactly the stack's accounts, enabled, severity 0, evaluated every
 * minute over a window long enough for late records, on the workspace that receives that table, wired to a declared,
 * enabled action group with a receiver.
 *
 * Preview: the query is unknown when built from the accounts' object ids. It is then accepted when it came from the
 * emergency accounts alone (propertyDependencies) — everything else about the rule is still verified, and the
 * update-time run, when the ids are known, compares the text itself.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  LOG_CATEGORY_TABLES,
  policyNames,
  providerTypes,
  tripwireVerdicts,
  workspacesReceiving,
  type SignInTable,
} from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import { breakglassObjectIdsSchema, breakglassUpnsSchema, policyConfig, schema } from "../lib/config";
import { stackLogging, tripwireAccounts, tripwireFacts } from "../lib/monitoring";
import { indexStack } from "../lib/stack";

export interface BreakglassTripwireConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
}

export const breakglassTripwire: StackValidationPolicy = {
  name: policyNames.breakglassTripwire,
  description:
    "For each sign-in table, a tripwire that is the model's canonical rule for exactly the emergency accounts: enabled, severity 0, every minute, on the workspace that receives the sign-ins, heard by a declared action group.",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<BreakglassTripwireConfig>(args, breakglassTripwire.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const { known, fromAccounts } = tripwireAccounts(view);
    const rules = index
      .of(providerTypes.scheduledQueryRule)
      .map((r) => ({ r, facts: tripwireFacts(r, index, fromAccounts) }));
    const logging = stackLogging(index);
    const receiving = (table: SignInTable) => {
      const category = Object.entries(LOG_CATEGORY_TABLES).find(([, t]) => t === table)![0];
      return workspacesReceiving(logging.settings, category);
    };
    const accounts = view.users.length === known.length ? known : [];
    const verdicts = tripwireVerdicts(
      rules.map((x) => x.facts),
      {
        accounts,
        workspaces: {
          SigninLogs: receiving("SigninLogs"),
          AADNonInteractiveUserSignInLogs: receiving("AADNonInteractiveUserSignInLogs"),
        },
      },
    );
    for (const v of verdicts) {
      if (v.holding.length > 0) continue;
      if (v.candidates.length === 0) {
        reportViolation(
          `No tripwire watches ${v.table}: a sign-in of an emergency account there would go unnoticed (declare the model's rule for it).`,
        );
        continue;
      }
      for (const c of v.candidates) {
        const urn = rules.find((x) => x.facts.name === c.name)?.r.urn;
        reportViolation(
          `Scheduled query rule ${c.name} is not the tripwire for ${v.table}: ${c.gaps.join("; ")}.`,
          urn,
        );
      }
    }
  },
};
