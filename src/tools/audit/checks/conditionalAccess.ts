/**
 * Every Conditional Access policy of the tenant, in any state and whoever made it, must exclude every breakglass
 * account — directly or through a group the account is (transitively) a member of — and must not target them
 * (Maester MT.1005, ZTA 21835). The exclusion rule itself is the shared model's (breakglassExclusion.ts).
 * The authentication context the live GA activation policy requires must be enforced by an enabled CA policy with
 * every-time sign-in and a phishing-resistant MFA grant (activationContextPolicy.ts, the pack's definition too).
 */
import {
  activationContextPolicyGaps,
  breakglassExclusionGaps,
  excludesBreakglassGroup,
  targetsAuthenticationContext,
  STRENGTH_NAMES,
} from "@entra-baseline/model";
import { asRecord, breakglassLabel, lower, stringList, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";
import { liveActivationSettings } from "./pimPolicy";

export function describePolicy(policy: RawObject): string {
  return `CA policy "${String(policy.displayName ?? "(no name)")}" (${String(policy.id)}, ${String(policy.state ?? "unknown state")})`;
}

function userConditions(policy: RawObject) {
  const users = asRecord(asRecord(policy.conditions).users);
  return {
    excludedUserIds: stringList(users.excludeUsers),
    excludedGroupIds: stringList(users.excludeGroups),
    includeUsers: stringList(users.includeUsers).map((u) => u.toLowerCase()),
    includeGroups: stringList(users.includeGroups).map((g) => g.toLowerCase()),
  };
}

export function caExclusionFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const memberships = ctx.snapshot.sources.transitiveMemberOf ?? {};
  const accounts = ctx.breakglass.filter((b) => b.user && typeof b.user.id === "string");
  const groupIds = ctx.breakglassGroups.map((g) => String(g.id));
  const groupName = ctx.config.breakglass.groupName;
  for (const policy of ctx.snapshot.sources.caPolicies ?? []) {
    const conditions = userConditions(policy);
    const severity = policy.state === "enabled" ? "critical" : "high";
    if (accounts.length === 0) {
      // No account to test against (all missing: reported separately): the group exclusion is what is left.
      if (groupIds.length > 0 && !excludesBreakglassGroup(conditions, groupIds)) {
        out.push(
          finding(
            "AUD-CA-NO-BREAKGLASS-EXCLUSION",
            {
              object: describePolicy(policy),
              expected: `excludes group "${groupName}"`,
              actual: "does not exclude it",
            },
            { severity },
          ),
        );
      }
      continue;
    }
    const exposed = accounts.filter((b) => {
      const id = String(b.user!.id);
      const groups = (memberships[id] ?? []).map((g) => String(g.id));
      return breakglassExclusionGaps(conditions, { groupIds: groups, userIds: [id] }).length > 0;
    });
    if (exposed.length > 0) {
      out.push(
        finding(
          "AUD-CA-NO-BREAKGLASS-EXCLUSION",
          {
            object: describePolicy(policy),
            expected: `excludes every breakglass account, directly or through group "${groupName}"`,
            actual: `does not exclude ${exposed.map(breakglassLabel).join(", ")}`,
          },
          { severity },
        ),
      );
    }
  }
  return out;
}

export function caTargetsBreakglassFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const groupIds = new Set(ctx.breakglassGroups.map((g) => lower(g.id)));
  for (const policy of ctx.snapshot.sources.caPolicies ?? []) {
    const c = userConditions(policy);
    const targeted = [
      ...c.includeGroups.filter((g) => groupIds.has(g)).map(() => `group "${ctx.config.breakglass.groupName}"`),
      ...ctx.breakglass
        .filter((b) => b.user && c.includeUsers.includes(lower(b.user.id) ?? ""))
        .map((b) => `user ${breakglassLabel(b)}`),
    ];
    if (targeted.length === 0) continue;
    out.push(
      finding("AUD-CA-TARGETS-BREAKGLASS", {
        object: describePolicy(policy),
        expected: "does not include the breakglass group or accounts",
        actual: `includes ${targeted.join(", ")}`,
      }),
    );
  }
  return out;
}

/**
 * The live GA activation policy's authentication context must be enforced. No context (or no readable policy) is
 * reported by the PIM policy check; here only the CA side: no policy on the context, or none that is enabled with
 * every-time sign-in and a grant only phishing-resistant MFA satisfies (each such policy's gaps are listed).
 */
export function activationContextFindings(ctx: AuditContext): Finding[] {
  const contextId = liveActivationSettings(ctx)?.authenticationContextId;
  if (!contextId) return [];
  const targeting = (ctx.snapshot.sources.caPolicies ?? []).filter((p) => targetsAuthenticationContext(p, contextId));
  if (targeting.some((p) => activationContextPolicyGaps(p, ctx.config.pim.activationStrength).length === 0)) return [];
  return [
    finding("AUD-ACTIVATION-CONTEXT-NOT-ENFORCED", {
      object: `authentication context "${contextId}" (required by the Global Administrator activation policy)`,
      expected: `an enabled CA policy on the context with sign-in frequency "everyTime" and authentication strength ${STRENGTH_NAMES[ctx.config.pim.activationStrength]} (or a stronger one) as its grant`,
      actual:
        targeting.length === 0
          ? "no CA policy targets the context, so activation forces no fresh MFA"
          : targeting
              .map(
                (p) =>
                  `${describePolicy(p)}: ${activationContextPolicyGaps(p, ctx.config.pim.activationStrength).join("; ")}`,
              )
              .join(" | "),
    }),
  ];
}
