/**
 * The stack's active role holdings as the model's facts (src/model/standing.ts). A stack can grant a role actively
 * in these ways, and each becomes a holding the one judgement decides on:
 * - azuread.DirectoryRoleAssignment (a permanent direct assignment, maybe scoped to an administrative unit);
 * - azuread.DirectoryRoleMember and AdministrativeUnitRoleMember (legacy memberships);
 * - a role-assignable group that holds a role actively: its inline members, GroupMember resources and owners
 *   (an owner can make anyone a member) hold the role permanently; PrivilegedAccessGroupAssignmentSchedule gives an
 *   admin-assigned active membership. PrivilegedAccessGroupEligibilitySchedule (eligible membership) holds nothing.
 * Eligibilities are not holdings; activations happen at run time and never appear in a stack.
 */
import type { PolicyResource } from "@pulumi/policy";
import { providerTypes, type ActiveHolding, type PrincipalFacts } from "@entra-baseline/model";
import type { BreakglassView } from "./breakglass";
import { principalAt, principalOfResource } from "./principals";
import { roleAt } from "./roles";
import { dependenciesOf, describeResource, type StackIndex } from "./stack";
import { UNKNOWN, readArray, readBoolean, readString } from "./values";

export interface StackHoldings {
  holdings: ActiveHolding[];
  /** Groups holding a role actively whose membership the stack cannot show (not declared, not a configured PIM group). */
  opaqueGroups: { group: PrincipalFacts; role: string | undefined; source: string; ref?: string }[];
}

/** A group holding a role: the group's key and the roles, from assignments in the stack or the pack config. */
interface GroupGrant {
  key: string;
  roles: (string | undefined)[];
  source: string;
  ref?: string;
}

function scopeOf(r: PolicyResource): string | undefined {
  const dir = readString(r.props, "directoryScopeId");
  const app = readString(r.props, "appScopeId");
  if (dir === UNKNOWN || app === UNKNOWN) return undefined;
  if (typeof app === "string" && app.trim() !== "") return `app:${app.trim()}`;
  return typeof dir === "string" && dir.trim() !== "" ? dir.trim() : "/";
}

/**
 * `pimGroups` are the configured PIM-for-Groups groups (object id → roles): their membership is eligible-only by
 * design, so an active assignment to one is not opaque; any permanent member the stack declares still is standing.
 */
export function stackHoldings(
  index: StackIndex,
  view: BreakglassView,
  pimGroups: ReadonlyMap<string, string[]> = new Map(),
): StackHoldings {
  const holdings: ActiveHolding[] = [];
  const opaqueGroups: StackHoldings["opaqueGroups"] = [];
  const add = (
    principal: PrincipalFacts | undefined,
    role: string | undefined,
    r: PolicyResource,
    path: ActiveHolding["path"],
    scope: string | undefined,
  ) => {
    const p: PrincipalFacts = principal ?? {
      key: `missing:${r.urn}`,
      type: "unknown",
      label: `no principal (${r.name})`,
      breakglass: false,
    };
    holdings.push({ principal: p, role, scope, path, source: describeResource(r), ref: r.urn });
  };

  for (const r of index.of(providerTypes.directoryRoleAssignment)) {
    const principal = principalAt(r, "principalObjectId", index, view);
    if (principal && isGroupPrincipal(principal, pimGroups)) continue; // a group grant: its members hold the role
    add(principal, roleAt(r, "roleId", index, "templateId"), r, "directAssignment", scopeOf(r));
  }
  for (const r of index.of(providerTypes.directoryRoleMember)) {
    add(
      principalAt(r, "memberObjectId", index, view),
      roleAt(r, "roleObjectId", index, "objectId"),
      r,
      "legacyMembership",
      "/",
    );
  }
  for (const r of index.of(providerTypes.administrativeUnitRoleMember)) {
    const au = readString(r.props, "administrativeUnitObjectId");
    add(
      principalAt(r, "memberObjectId", index, view),
      roleAt(r, "roleObjectId", index, "objectId"),
      r,
      "legacyMembership",
      typeof au === "string" ? `/administrativeUnits/${au}` : "/administrativeUnits/(unknown)",
    );
  }

  // Members, owners and active PIM-for-Groups assignments of each group that holds a role.
  const groupsByKey = groupResources(index, view);
  const memberFacts = groupMemberPrincipals(index, view, true);
  for (const grant of groupGrantList(index, view, pimGroups)) {
    const group = groupsByKey.get(grant.key);
    const label = group ? describeResource(group) : grant.key;
    const principals = memberFacts.get(grant.key) ?? [];
    for (const role of grant.roles) {
      for (const member of principals) {
        holdings.push({
          principal: member,
          role,
          scope: "/",
          path: "groupMembership",
          source: grant.source,
          ref: group?.urn ?? grant.ref,
          viaGroup: label,
        });
      }
      for (const s of index.of(providerTypes.privilegedAccessGroupAssignmentSchedule)) {
        if (!refersTo(s, "groupId", grant.key, group)) continue;
        const end = readString(s.props, "expirationDate");
        holdings.push({
          principal: principalAt(s, "principalId", index, view) ?? {
            key: `missing:${s.urn}`,
            type: "unknown",
            label: s.name,
            breakglass: false,
          },
          role,
          scope: "/",
          path: "groupPimAssignment",
          ...(typeof end === "string" ? { end } : {}),
          source: describeResource(s),
          ref: s.urn,
          viaGroup: label,
        });
      }
      // A group whose membership the stack does not hold (not declared, or declared without members and without
      // GroupMember resources) may contain anyone: its role counts as given to people the pack cannot see.
      const managedElsewhere =
        group !== undefined && readArray(group.props, "members") === undefined && principals.length === 0;
      if ((!group || managedElsewhere) && !pimGroups.has(grant.key)) {
        opaqueGroups.push({
          group: { key: grant.key, type: "group", label: grant.key, breakglass: false },
          role,
          source: grant.source,
          ...(grant.ref ? { ref: grant.ref } : {}),
        });
      }
    }
  }
  return { holdings, opaqueGroups };
}

function isGroupPrincipal(principal: PrincipalFacts, pimGroups: ReadonlyMap<string, string[]>): boolean {
  return principal.type === "group" || (principal.objectId !== undefined && pimGroups.has(principal.objectId));
}

function groupResources(index: StackIndex, view: BreakglassView): Map<string, PolicyResource> {
  const out = new Map<string, PolicyResource>();
  for (const g of index.of(providerTypes.group)) out.set(principalOfResource(g, view).key, g);
  return out;
}

/** Groups that hold a role actively: assignments to a group in the stack, and the configured PIM groups. */
function groupGrantList(
  index: StackIndex,
  view: BreakglassView,
  pimGroups: ReadonlyMap<string, string[]>,
): GroupGrant[] {
  const grants = new Map<string, GroupGrant>();
  for (const r of index.of(providerTypes.directoryRoleAssignment)) {
    const principal = principalAt(r, "principalObjectId", index, view);
    if (!principal || !isGroupPrincipal(principal, pimGroups)) continue;
    const grant: GroupGrant = grants.get(principal.key) ?? {
      key: principal.key,
      roles: [],
      source: describeResource(r),
      ref: r.urn,
    };
    grant.roles.push(roleAt(r, "roleId", index, "templateId"));
    grants.set(principal.key, grant);
  }
  for (const [id, roles] of pimGroups) {
    const grant: GroupGrant = grants.get(id) ?? { key: id, roles: [], source: "pim.groups" };
    grant.roles.push(...roles);
    grants.set(id, grant);
  }
  // A configured PIM group usually holds its role by an assignment the stack declares too: one role, once.
  for (const grant of grants.values()) grant.roles = [...new Set(grant.roles)];
  return [...grants.values()];
}

/** Group key → the roles it holds actively (undefined: a role that cannot be resolved). */
export function groupGrants(
  index: StackIndex,
  view: BreakglassView,
  pimGroups: ReadonlyMap<string, string[]>,
): Map<string, (string | undefined)[]> {
  return new Map(groupGrantList(index, view, pimGroups).map((g) => [g.key, g.roles]));
}

/**
 * The members of each group the stack declares (inline `members`, GroupMember resources), by group key; with
 * `withOwners`, owners too (an owner can make anyone a member). Keys of principals: object ids lower-case, preview
 * stand-ins (URNs) exactly as they are.
 */
export function declaredGroupMembers(
  index: StackIndex,
  view: BreakglassView,
  withOwners = false,
): Map<string, string[]> {
  const principals = groupMemberPrincipals(index, view, withOwners);
  return new Map([...principals].map(([k, ps]) => [k, ps.map((p) => p.key)]));
}

function groupMemberPrincipals(
  index: StackIndex,
  view: BreakglassView,
  withOwners: boolean,
): Map<string, PrincipalFacts[]> {
  const out = new Map<string, PrincipalFacts[]>();
  const groups = groupResources(index, view);
  for (const [key, group] of groups) {
    out.set(key, [
      ...groupListPrincipals(group, "members", index, view),
      ...(withOwners ? groupListPrincipals(group, "owners", index, view) : []),
    ]);
  }
  for (const m of index.of(providerTypes.groupMember)) {
    const principal = principalAt(m, "memberObjectId", index, view);
    if (!principal) continue;
    const value = readString(m.props, "groupObjectId");
    const target =
      typeof value === "string"
        ? value.trim().toLowerCase()
        : [...groups].find(([, g]) => dependenciesOf(m, "groupObjectId").some((d) => d.urn === g.urn))?.[0];
    if (target === undefined) continue;
    out.set(target, [...(out.get(target) ?? []), principal]);
  }
  return out;
}

/** Principals of a group's inline list (`members`, `owners`): known ids, else the resources the list came from. */
function groupListPrincipals(
  group: PolicyResource,
  property: string,
  index: StackIndex,
  view: BreakglassView,
): PrincipalFacts[] {
  const list = readArray(group.props, property);
  if (list === undefined) return [];
  const known = list === UNKNOWN ? [] : list.filter((v): v is string => typeof v === "string");
  const unknownCount = list === UNKNOWN ? 1 : list.filter((v) => v === UNKNOWN).length;
  const fromIds = known.map((id) =>
    principalAt({ ...group, props: { [property]: id } } as PolicyResource, property, index, view)!,
  );
  if (unknownCount === 0) return fromIds;
  const deps = dependenciesOf(group, property).map((d) => principalOfResource(d, view));
  return deps.length > 0
    ? [...fromIds, ...deps]
    : [
        ...fromIds,
        {
          key: `unknown:${group.urn}:${property}`,
          type: "unknown",
          label: `${property} of ${group.name} unknown at preview`,
          breakglass: false,
        },
      ];
}

/** Whether `r.props[property]` is the group with key `key` (known id, or provenance from its resource). */
export function refersTo(r: PolicyResource, property: string, key: string, group: PolicyResource | undefined): boolean {
  const value = readString(r.props, property);
  if (typeof value === "string") return value.trim().toLowerCase() === key;
  return value === UNKNOWN && group !== undefined && dependenciesOf(r, property).some((d) => d.urn === group.urn);
}

/** Whether a group is role-assignable (false, true, or undefined when unknown). */
export function isRoleAssignable(group: PolicyResource): boolean | undefined {
  const v = readBoolean(group.props, "assignableToRole");
  return v === UNKNOWN ? undefined : v;
}
