/**
 * Guarantee 4 for the tenant's Conditional Access policies, whoever made them (Microsoft-managed ones included), in
 * any state: each is read into the model's facts (`caPolicyFromGraph`) and judged by `breakglassExclusion` — a policy
 * that can apply to users excludes the exclusion group or every emergency account (directly or through a group the
 * account is transitively in); one that provably applies to no user need not; none targets them by name.
 */
import { appliesToNoUser, breakglassExclusion, caPolicyFromGraph, type BreakglassKeys } from "@entra-baseline/model";
import { lower, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

export function describePolicy(policy: RawObject): string {
  return `CA policy "${String(policy.displayName ?? "(no name)")}" (${String(policy.id)}, ${String(policy.state ?? "unknown state")})`;
}

/**
 * The emergency principals as the model's keys: the live accounts, each with the groups it is transitively in, and
 * the exclusion group(s) that really hold every one of them. A group of the configured name that misses an account
 * (the account was taken out, or a namesake was made) exempts nobody the audit can count on: excluding it is judged
 * account by account, through the groups each account is really in. With no account found there is nothing to
 * judge by, and every group of the name stands for the exclusion group.
 */
export function breakglassKeysOf(ctx: AuditContext): BreakglassKeys {
  const memberships = ctx.snapshot.sources.transitiveMemberOf ?? {};
  const accounts = ctx.breakglass
    .filter((b) => typeof b.user?.id === "string")
    .map((b) => {
      const id = String(b.user!.id);
      return {
        name: String(b.user!.userPrincipalName ?? b.name),
        key: id.toLowerCase(),
        memberOf: (memberships[id] ?? []).map((g) => String(g.id).toLowerCase()),
      };
    });
  const named = ctx.breakglassGroups.map((g) => lower(g.id)!).filter(Boolean);
  return {
    groupKeys: accounts.length === 0 ? named : named.filter((g) => accounts.every((a) => a.memberOf.includes(g))),
    accounts,
  };
}

export function caExclusionFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const bg = breakglassKeysOf(ctx);
  const groupName = ctx.config.breakglass.groupName;
  for (const policy of ctx.snapshot.sources.caPolicies ?? []) {
    const facts = caPolicyFromGraph(policy);
    if (appliesToNoUser(facts)) continue;
    const severity = policy.state === "enabled" ? "critical" : "high";
    if (bg.accounts.length === 0) {
      // No account to test against (all missing: reported separately): the group exclusion is what is left.
      if (bg.groupKeys.length > 0 && !bg.groupKeys.some((g) => facts.users.excludeGroups.includes(g))) {
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
    const { exposed } = breakglassExclusion(facts, bg);
    if (exposed.length === 0) continue;
    out.push(
      finding(
        "AUD-CA-NO-BREAKGLASS-EXCLUSION",
        {
          object: describePolicy(policy),
          expected: `excludes every breakglass account, directly or through group "${groupName}"`,
          actual: `does not exclude ${exposed.join(", ")}`,
        },
        { severity },
      ),
    );
  }
  return out;
}

export function caTargetsBreakglassFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const bg = breakglassKeysOf(ctx);
  for (const policy of ctx.snapshot.sources.caPolicies ?? []) {
    const { included } = breakglassExclusion(caPolicyFromGraph(policy), bg);
    if (included.length === 0) continue;
    out.push(
      finding("AUD-CA-TARGETS-BREAKGLASS", {
        object: describePolicy(policy),
        expected: "does not include the breakglass group or accounts",
        actual: `includes ${included.map((x) => (x === "the exclusion group" ? `group "${ctx.config.breakglass.groupName}"` : `user ${x}`)).join(", ")}`,
      }),
    );
  }
  return out;
}
