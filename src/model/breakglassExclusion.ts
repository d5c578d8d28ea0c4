/**
 * Maester MT.1005 / ZTA 21835: every Conditional Access policy, in any state, excludes the emergency accounts —
 * through the exclusion group or by listing every account. One definition for the policy pack (over declared
 * resources) and the audit (over live Graph policies).
 */

export interface CaExclusions {
  /** Object ids of the excluded groups (azuread `excludedGroups`, Graph `excludeGroups`). */
  excludedGroupIds: readonly string[];
  /** Object ids of the excluded users (azuread `excludedUsers`, Graph `excludeUsers`). */
  excludedUserIds: readonly string[];
}

export interface BreakglassIdentities {
  /** The exclusion group(s). Excluding any one covers every account. */
  groupIds: readonly string[];
  userIds: readonly string[];
}

/**
 * The breakglass user ids a CA policy leaves exposed: [] when it excludes a breakglass group or every breakglass
 * user. Comparison is case-insensitive (Graph returns lower-case GUIDs, config may not).
 */
export function breakglassExclusionGaps(policy: CaExclusions, breakglass: BreakglassIdentities): string[] {
  if (excludesBreakglassGroup(policy, breakglass.groupIds)) return [];
  const users = new Set(policy.excludedUserIds.map((u) => u.toLowerCase()));
  return breakglass.userIds.filter((u) => !users.has(u.toLowerCase()));
}

/** True when the policy excludes one of the breakglass exclusion groups. */
export function excludesBreakglassGroup(
  policy: Pick<CaExclusions, "excludedGroupIds">,
  groupIds: readonly string[],
): boolean {
  const groups = new Set(policy.excludedGroupIds.map((g) => g.toLowerCase()));
  return groupIds.some((g) => groups.has(g.toLowerCase()));
}
