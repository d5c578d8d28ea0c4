/**
 * ca-policies-exclude-breakglass — severity critical, mandatory (a CA policy that catches the emergency accounts
 * can lock the tenant out).
 * Controls: Maester MT.1005 (every CA policy, any state, excludes the emergency user or group), MT.1034,
 * ZTA 21835 (emergency accounts excluded from all CA policies).
 * Catalogue: CA-EXCLUDES-BREAKGLASS (src/model/catalogue.ts).
 *
 * Adapter only: every declared CA policy (azuread's and the Graph-written one) becomes the model's facts
 * (policies/lib/caPolicies.ts), judged by src/model/caPolicy.ts `breakglassExclusion`: a policy that can apply to
 * users, in any state, excludes the exclusion group or every emergency account; one that provably applies to no
 * user (workload identities only) need not. Preview: an unknown id in an exclusion list counts as an emergency
 * principal only when nothing else unknown could be it; users conditions unknown as a whole cannot be verified.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { appliesToNoUser, breakglassExclusion, policyNames } from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import { breakglassKeys, stackCaPolicies } from "../lib/caPolicies";
import {
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  policyConfig,
  schema,
} from "../lib/config";
import { describeResource, indexStack } from "../lib/stack";

export interface CaPoliciesExcludeBreakglassConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
  breakglassGroupObjectIds: string[];
}

export const caPoliciesExcludeBreakglass: StackValidationPolicy = {
  name: policyNames.caPoliciesExcludeBreakglass,
  description:
    "Every Conditional Access policy that can apply to users, in any state, excludes the breakglass group or every breakglass account (Maester MT.1005, ZTA 21835).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
    breakglassGroupObjectIds: {
      type: "array",
      items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      default: [],
      description: "Object ids of an exclusion group not declared in this stack.",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<CaPoliciesExcludeBreakglassConfig>(args, caPoliciesExcludeBreakglass.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    for (const id of cfg.breakglassGroupObjectIds) view.groupObjectIds.add(id.toLowerCase());
    const policies = stackCaPolicies(index, view);
    if (policies.length === 0) return;
    const keys = breakglassKeys(view);
    const external = [...view.objectIds].filter((id) => !keys.accounts.some((a) => a.key === id));
    const bg = { ...keys, accounts: [...keys.accounts, ...external.map((id) => ({ name: id, key: id }))] };
    if (bg.accounts.length === 0 && bg.groupKeys.length === 0) {
      reportViolation(
        `No breakglass account or exclusion group is known (breakglassUpns, breakglassObjectIds, breakglassGroupName), so none of the ${policies.length} Conditional Access policies can be shown to exclude them.`,
      );
      return;
    }
    for (const p of policies) {
      if (p.unresolved.includes("conditions.users")) {
        reportViolation(
          `${describeResource(p.resource)} has user conditions that are unknown at preview, so its breakglass exclusion cannot be verified; build \`conditions.users\` from plain values and Outputs, not inside apply().`,
          p.resource.urn,
        );
        continue;
      }
      if (appliesToNoUser(p.facts)) continue;
      const { exposed } = breakglassExclusion(p.facts, bg);
      if (exposed.length === 0 && bg.accounts.length > 0) continue;
      if (exposed.length === 0 && bg.groupKeys.some((g) => p.facts.users.excludeGroups.includes(g.toLowerCase())))
        continue;
      reportViolation(
        `${describeResource(p.resource)} does not exclude the breakglass group${exposed.length > 0 ? ` nor breakglass account(s) ${exposed.join(", ")}` : ""}; a policy that catches the emergency accounts can lock the tenant out (Maester MT.1005).`,
        p.resource.urn,
      );
    }
  },
};
