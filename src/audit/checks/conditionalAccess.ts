/**
 * Every Conditional Access policy of the tenant, in any state and whoever made it, must exclude every breakglass
 * account — directly or through a group the account is (transitively) a member of — and must not target them
 * (Maester MT.1005, ZTA 21835). The exclusion rule itself is the shared model's (breakglassExclusion.ts).
 */
import { breakglassExclusionGaps, excludesBreakglassGroup } from "../../model/breakglassExclusion";
import { asRecord, breakglassLabel, lower, stringList, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

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
          finding("AUD-CA-NO-BREAKGLASS-EXCLUSION", { object: describePolicy(policy), expected: `excludes group "${groupName}"`, actual: "does not exclude it" }, { severity }),
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
      ...ctx.breakglass.filter((b) => b.user && c.includeUsers.includes(lower(b.user.id) ?? "")).map((b) => `user ${breakglassLabel(b)}`),
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
