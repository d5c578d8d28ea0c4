/**
 * Guarantee 4, the exclusion group is exactly the emergency accounts (allow-list): one role-assignable security group
 * of the configured name (no namesake a CA exclusion could point at by mistake), whose members are exactly the
 * emergency accounts and whose owners are exactly the declared ones. Anyone else in the group is exempt from every
 * Conditional Access policy; anyone else owning it can put anyone in.
 */
import { isGuid } from "./identifiers";

export interface MemberSet {
  /**
   * Keys of the members or owners: object ids (compared case-insensitively, as Entra does) or preview stand-ins
   * (compared exactly: two Pulumi resources may have names that differ only in case, so their URNs must not meet).
   */
  keys: readonly string[];
  /** False when the adapter could not see all of them (an unknown at preview, a failed read): fails closed. */
  complete: boolean;
}

export interface ExclusionGroupFacts {
  /** For messages. */
  name: string;
  key: string;
  roleAssignable: boolean | undefined;
  securityEnabled: boolean | undefined;
  members: MemberSet;
  owners: MemberSet;
}

export interface ExclusionGroupExpectation {
  /** breakglass.groupName. */
  groupName: string;
  /** The emergency accounts' keys, with names for messages. */
  accounts: readonly { key: string; name: string }[];
  /** The declared owners' keys (breakglass.groupOwners, or the emergency accounts), with names for messages. */
  owners: readonly { key: string; name: string }[];
}

export type ExclusionGroupProblemKind =
  | "missing"
  | "namesake"
  | "notRoleAssignable"
  | "notSecurityGroup"
  | "missingMembers"
  | "extraMembers"
  | "membersUnverified"
  | "extraOwners"
  | "missingOwners"
  | "ownersUnverified";

export interface ExclusionGroupProblem {
  kind: ExclusionGroupProblemKind;
  /** The group concerned (absent for "missing" and "namesake"). */
  group?: string;
  message: string;
}

/** How keys compare: an object id case-insensitively, anything else (a preview stand-in) exactly. */
function sameKey(key: string): string {
  const k = key.trim();
  return isGuid(k) ? k.toLowerCase() : k;
}

/** Every way the group(s) of the configured name differ from the model's one exclusion group; [] when they do not. */
export function exclusionGroupProblems(
  groups: readonly ExclusionGroupFacts[],
  want: ExclusionGroupExpectation,
): ExclusionGroupProblem[] {
  if (groups.length === 0) {
    return [
      {
        kind: "missing",
        message: `no group named "${want.groupName}" exists: every CA policy's exclusion of the emergency accounts rests on it`,
      },
    ];
  }
  const problems: ExclusionGroupProblem[] = [];
  if (groups.length > 1) {
    problems.push({
      kind: "namesake",
      message: `${groups.length} groups are named "${want.groupName}" (${groups.map((g) => g.key).join(", ")}): an exclusion may point at the wrong one; keep exactly one`,
    });
  }
  const named = (keys: readonly string[], known: readonly { key: string; name: string }[]) =>
    keys.map((k) => known.find((a) => sameKey(a.key) === k)?.name ?? k);
  for (const g of groups) {
    const say = (kind: ExclusionGroupProblemKind, m: string) =>
      problems.push({ kind, group: g.key, message: `group ${g.name} (${g.key}) ${m}` });
    if (g.roleAssignable !== true)
      say("notRoleAssignable", "is not role-assignable, so a Groups or User Administrator can change its members");
    if (g.securityEnabled === false) say("notSecurityGroup", "is not a security group");
    const accounts = new Set(want.accounts.map((a) => sameKey(a.key)));
    const members = new Set(g.members.keys.map(sameKey));
    const missing = want.accounts.filter((a) => !members.has(sameKey(a.key))).map((a) => a.name);
    const extra = [...members].filter((k) => !accounts.has(k));
    if (missing.length > 0)
      say("missingMembers", `does not contain emergency account${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
    if (extra.length > 0)
      say(
        "extraMembers",
        `also contains ${named(extra, want.accounts).join(", ")}, who would be exempt from every Conditional Access policy`,
      );
    if (!g.members.complete)
      say(
        "membersUnverified",
        "has members that cannot be verified (unknown at preview or unread), so it may exempt someone else",
      );
    const owners = new Set(want.owners.map((o) => sameKey(o.key)));
    const have = new Set(g.owners.keys.map(sameKey));
    const extraOwners = [...have].filter((k) => !owners.has(k));
    const missingOwners = want.owners.filter((o) => !have.has(sameKey(o.key))).map((o) => o.name);
    if (extraOwners.length > 0)
      say(
        "extraOwners",
        `is also owned by ${extraOwners.join(", ")}: an owner can add anyone, exempting them from every CA policy`,
      );
    if (missingOwners.length > 0)
      say("missingOwners", `is not owned by ${missingOwners.join(", ")} (the declared owners)`);
    if (!g.owners.complete)
      say("ownersUnverified", "has owners that cannot be verified (unknown at preview or unread)");
  }
  return problems;
}
