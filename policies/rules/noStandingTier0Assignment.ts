/**
 * no-standing-tier0-assignment — severity critical, mandatory.
 * Controls: CISA MS.AAD.7.4 (no permanent active assignments to privileged roles; emergency accounts and service
 * accounts excepted), MS.AAD.7.5 (no assignments outside PIM), Maester MT.1025–1028, ZTA 21815/21816.
 * Catalogue: TIER0-NO-STANDING, TIER0-EXCEPTION-EXPIRED (src/model/catalogue.ts).
 *
 * Adapter only: the stack's role holdings (policies/lib/holdings.ts) are judged by the model's one definition of
 * standing access (src/model/standing.ts), with the declared exceptions (src/model/exceptions.ts). Preview: a
 * principal whose id is unknown is identified by the resource it came from; one that cannot be identified is not an
 * emergency account, and a role that cannot be resolved is Tier-0.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  describeException,
  durationSeconds,
  effectiveLimits,
  exceptionRefusals,
  expiredExceptions,
  judgeHolding,
  policyNames,
  roleName,
  TIER0_ROLE_IDS,
} from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import {
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  exceptionsSchema,
  maxActivationMinutesSchema,
  pimGroupsSchema,
  policyConfig,
  schema,
  standingExceptions,
  tier0RoleIdsSchema,
  type ExceptionConfig,
} from "../lib/config";
import { stackHoldings } from "../lib/holdings";
import { tier0Set } from "../lib/roles";
import { indexStack } from "../lib/stack";

export interface NoStandingTier0Config {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  tier0RoleIds: string[];
  exceptions: ExceptionConfig[];
  maxActivationMinutes: number;
  pimGroups: { group: string; roles: string[] }[];
}

export const noStandingTier0Assignment: StackValidationPolicy = {
  name: policyNames.noStandingTier0Assignment,
  description:
    "No standing access to Global Administrator or another Tier-0 role — direct, legacy, scoped, or through a role-assignable group — except the emergency accounts' Global Administrator and declared, unexpired exceptions (CISA MS.AAD.7.4/7.5).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    tier0RoleIds: tier0RoleIdsSchema,
    exceptions: exceptionsSchema,
    maxActivationMinutes: maxActivationMinutesSchema,
    pimGroups: pimGroupsSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<NoStandingTier0Config>(args, noStandingTier0Assignment.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const now = new Date();
    const exceptions = standingExceptions(cfg.exceptions);
    const limits = effectiveLimits({ activationDuration: { max: `PT${cfg.maxActivationMinutes}M` } });
    const pimGroups = new Map(cfg.pimGroups.map((g) => [g.group.toLowerCase(), g.roles.map((r) => r.toLowerCase())]));
    // The model's Tier-0 list is a floor: a config can add roles to it, never take one away.
    const tier0 = tier0Set(index, [...TIER0_ROLE_IDS, ...cfg.tier0RoleIds]);
    const ctx = { tier0, maxActivationSeconds: durationSeconds(limits.activationDuration.max)!, exceptions, now };

    for (const e of exceptions) {
      for (const problem of exceptionRefusals(e, view.objectIds)) {
        reportViolation(`Exception for ${e.label ?? e.principal}: ${problem.path} ${problem.message}.`);
      }
    }
    for (const e of expiredExceptions(exceptions, now)) {
      reportViolation(
        `Exception expired: ${describeException(e)}. Renew it with a reason, or make the principal eligible.`,
      );
    }

    const { holdings, opaqueGroups } = stackHoldings(index, view, pimGroups);
    for (const h of holdings) {
      const verdict = judgeHolding(h, ctx);
      if (verdict.kind === "standing") reportViolation(`${h.source}: ${verdict.message}.`, h.ref);
    }
    for (const g of opaqueGroups) {
      const verdict = judgeHolding(
        {
          principal: g.group,
          role: g.role,
          scope: "/",
          path: "groupMembership",
          source: g.source,
          viaGroup: g.group.label,
        },
        ctx,
      );
      if (verdict.kind !== "standing") continue;
      reportViolation(
        `${g.source} gives ${g.role ? roleName(g.role) : "a role it cannot resolve"} to group ${g.group.label}, whose members the stack cannot show: declare the group and its members, or list it in pim.groups with eligible members only.`,
        g.ref,
      );
    }
  },
};
