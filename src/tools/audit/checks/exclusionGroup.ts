/**
 * Guarantee 4, the exclusion group in the live tenant: the groups named breakglass.groupName, their transitive
 * members and their owners, judged by the model's `exclusionGroupProblems` (exactly one role-assignable security
 * group, members exactly the emergency accounts, owners exactly the declared ones).
 */
import { exclusionGroupProblems, type ExclusionGroupProblemKind } from "@entra-baseline/model";
import { lower, type AuditContext } from "../context";
import { finding, type Finding, type FindingId } from "../findings";

const KINDS: Readonly<Record<ExclusionGroupProblemKind, FindingId>> = {
  missing: "AUD-BREAKGLASS-GROUP-MISSING",
  missingMembers: "AUD-BREAKGLASS-GROUP-MEMBERSHIP",
  notRoleAssignable: "AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE",
  notSecurityGroup: "AUD-EXCLUSION-GROUP-NOT-EXACT",
  namesake: "AUD-EXCLUSION-GROUP-NOT-EXACT",
  extraMembers: "AUD-EXCLUSION-GROUP-NOT-EXACT",
  membersUnverified: "AUD-EXCLUSION-GROUP-NOT-EXACT",
  extraOwners: "AUD-EXCLUSION-GROUP-NOT-EXACT",
  missingOwners: "AUD-EXCLUSION-GROUP-NOT-EXACT",
  ownersUnverified: "AUD-EXCLUSION-GROUP-NOT-EXACT",
};

export function exclusionGroupFindings(ctx: AuditContext): Finding[] {
  const s = ctx.snapshot.sources;
  const name = ctx.config.breakglass.groupName;
  const accounts = ctx.breakglass
    .filter((b) => typeof b.user?.id === "string")
    .map((b) => ({ key: String(b.user!.id).toLowerCase(), name: String(b.user!.userPrincipalName ?? b.name) }));
  const declared = ctx.config.breakglass.groupOwners;
  const owners = declared && declared.length > 0 ? declared.map((o) => ({ key: o.toLowerCase(), name: o })) : accounts;
  const label = (m: Record<string, unknown>) => lower(m.id) ?? "(no id)";
  const groups = ctx.breakglassGroups.map((g) => {
    const id = lower(g.id) ?? "";
    const members = (s.groupMembers ?? {})[id];
    const groupOwners = (s.groupOwners ?? {})[id];
    return {
      name: `"${String(g.displayName ?? name)}"`,
      key: id,
      roleAssignable: g.isAssignableToRole === true ? true : g.isAssignableToRole === false ? false : undefined,
      securityEnabled: g.securityEnabled === false ? false : g.securityEnabled === true ? true : undefined,
      members: { keys: (members ?? []).map(label), complete: members !== undefined },
      owners: { keys: (groupOwners ?? []).map(label), complete: groupOwners !== undefined },
    };
  });
  return exclusionGroupProblems(groups, { groupName: name, accounts, owners }).map((p) =>
    finding(KINDS[p.kind], {
      object: p.group ? `exclusion group "${name}" (${p.group})` : `group "${name}"`,
      expected:
        "one role-assignable security group; members exactly the emergency accounts; owners exactly the declared ones (breakglass.groupOwners, default the accounts)",
      actual: p.message,
    }),
  );
}
