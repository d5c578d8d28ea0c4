/**
 * The stack's active role holdings as the model's facts: one holding per way a principal holds a role — a direct
 * assignment (scoped or not), a legacy membership, a member or owner of a group that holds the role, an admin-assigned
 * PIM-for-Groups membership — and the groups holding a role whose members the stack cannot show.
 */
import { describe, expect, it } from "vitest";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
  USER_ADMINISTRATOR,
} from "@entra-baseline/model";
import { breakglassView } from "../../../policies/lib/breakglass";
import {
  declaredGroupMembers,
  groupGrants,
  isRoleAssignable,
  refersTo,
  stackHoldings,
} from "../../../policies/lib/holdings";
import { StackIndex } from "../../../policies/lib/stack";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import type { FixtureInputs } from "../../support/world/inputs";
import { dependsOn, resource } from "../../support/world/stack";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const B = "aaaaaaaa-0000-4000-8000-000000000002";
const C = "aaaaaaaa-0000-4000-8000-000000000003";
const GROUP = "9a000000-0000-4000-8000-00000000009a";
const UA_OBJECT = "ffffffff-0000-4000-8000-0000000000a1";

const assign = (
  name: string,
  roleId: string,
  principalObjectId: string,
  extra: FixtureInputs<typeof providerTypes.directoryRoleAssignment> = {},
) => resource(providerTypes.directoryRoleAssignment, name, { roleId, principalObjectId, ...extra });
const group = (extra: FixtureInputs<typeof providerTypes.group> = {}) =>
  resource(providerTypes.group, "admins", { displayName: "Admins", assignableToRole: true, objectId: GROUP, ...extra });

function holdingsOf(resources: PlannedResource[], pimGroups: Map<string, string[]> = new Map()) {
  const index = new StackIndex(policyResources(resources));
  const view = breakglassView(index, { breakglassUpns: [] });
  return { index, view, ...stackHoldings(index, view, pimGroups) };
}

const brief = (h: ReturnType<typeof holdingsOf>["holdings"][number]) => ({
  principal: h.principal.key,
  role: h.role,
  scope: h.scope,
  path: h.path,
  source: h.source,
  ...(h.viaGroup ? { viaGroup: h.viaGroup } : {}),
  ...(h.end ? { end: h.end } : {}),
});

describe("stackHoldings", () => {
  it("makes a holding of each direct assignment, with its scope (directory, administrative unit, application)", () => {
    const { holdings } = holdingsOf([
      assign("direct", GLOBAL_ADMINISTRATOR, A, { directoryScopeId: "/" }),
      assign("au", USER_ADMINISTRATOR, B, { directoryScopeId: "/administrativeUnits/au-1" }),
      assign("app", USER_ADMINISTRATOR, C, { appScopeId: "/app-1" }),
      assign("unknown-scope", USER_ADMINISTRATOR, C, { directoryScopeId: unknownStringValue }),
    ]);
    expect(holdings.map(brief)).toEqual([
      {
        principal: A,
        role: GLOBAL_ADMINISTRATOR,
        scope: "/",
        path: "directAssignment",
        source: 'DirectoryRoleAssignment "direct"',
      },
      {
        principal: B,
        role: USER_ADMINISTRATOR,
        scope: "/administrativeUnits/au-1",
        path: "directAssignment",
        source: 'DirectoryRoleAssignment "au"',
      },
      {
        principal: C,
        role: USER_ADMINISTRATOR,
        scope: "app:/app-1",
        path: "directAssignment",
        source: 'DirectoryRoleAssignment "app"',
      },
      {
        principal: C,
        role: USER_ADMINISTRATOR,
        scope: undefined,
        path: "directAssignment",
        source: 'DirectoryRoleAssignment "unknown-scope"',
      },
    ]);
  });

  it("makes a holding of each legacy membership, directory-wide or in an administrative unit", () => {
    const role = resource(providerTypes.directoryRole, "ua", { templateId: USER_ADMINISTRATOR, objectId: UA_OBJECT });
    const { holdings } = holdingsOf([
      role,
      resource(providerTypes.directoryRoleMember, "legacy", { roleObjectId: UA_OBJECT, memberObjectId: A }),
      resource(providerTypes.administrativeUnitRoleMember, "au-legacy", {
        roleObjectId: UA_OBJECT,
        memberObjectId: B,
        administrativeUnitObjectId: "au-1",
      }),
    ]);
    expect(holdings.map(brief)).toEqual([
      {
        principal: A,
        role: USER_ADMINISTRATOR,
        scope: "/",
        path: "legacyMembership",
        source: 'DirectoryRoleMember "legacy"',
      },
      {
        principal: B,
        role: USER_ADMINISTRATOR,
        scope: "/administrativeUnits/au-1",
        path: "legacyMembership",
        source: 'AdministrativeUnitRoleMember "au-legacy"',
      },
    ]);
  });

  it("gives a group's role to its members, owners and GroupMember principals, not to the group itself", () => {
    const { holdings, opaqueGroups } = holdingsOf([
      group({ members: [A], owners: [B] }),
      resource(providerTypes.groupMember, "extra", { groupObjectId: GROUP, memberObjectId: C }),
      assign("group-ga", GLOBAL_ADMINISTRATOR, GROUP),
    ]);
    const via = {
      role: GLOBAL_ADMINISTRATOR,
      scope: "/",
      path: "groupMembership",
      source: 'DirectoryRoleAssignment "group-ga"',
      viaGroup: 'Group "admins"',
    };
    expect(holdings.map(brief)).toEqual([
      { principal: A, ...via },
      { principal: B, ...via },
      { principal: C, ...via },
    ]);
    expect(opaqueGroups).toEqual([]);
  });

  it("makes an admin-assigned PIM-for-Groups membership a holding, with its end", () => {
    const g = group({ members: [] });
    const { holdings } = holdingsOf([
      g,
      assign("group-ga", GLOBAL_ADMINISTRATOR, GROUP),
      dependsOn(
        resource(providerTypes.privilegedAccessGroupAssignmentSchedule, "assigned", {
          groupId: unknownStringValue,
          principalId: A,
          assignmentType: "member",
          expirationDate: "2099-01-01T00:00:00Z",
        }),
        "groupId",
        g,
      ),
      resource(providerTypes.privilegedAccessGroupEligibilitySchedule, "eligible", {
        groupId: GROUP,
        principalId: B,
        assignmentType: "member",
      }),
    ]);
    expect(holdings.map(brief)).toEqual([
      {
        principal: A,
        role: GLOBAL_ADMINISTRATOR,
        scope: "/",
        path: "groupPimAssignment",
        source: 'PrivilegedAccessGroupAssignmentSchedule "assigned"',
        viaGroup: 'Group "admins"',
        end: "2099-01-01T00:00:00Z",
      },
    ]);
  });

  it("reports a group holding a role whose members it cannot show: undeclared, or declared without members", () => {
    const declaredEmpty = holdingsOf([group(), assign("group-ga", GLOBAL_ADMINISTRATOR, GROUP)]);
    expect(declaredEmpty.opaqueGroups).toEqual([
      {
        group: { key: GROUP, type: "group", label: GROUP, breakglass: false },
        role: GLOBAL_ADMINISTRATOR,
        source: 'DirectoryRoleAssignment "group-ga"',
        ref: "urn:pulumi:test::entra-baseline::azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::group-ga",
      },
    ]);
    // A configured PIM-for-Groups group is eligible-only by design: not opaque.
    expect(
      holdingsOf([group(), assign("group-ga", GLOBAL_ADMINISTRATOR, GROUP)], new Map([[GROUP, []]])).opaqueGroups,
    ).toEqual([]);
  });

  it("names a configured PIM group's roles once, whether the stack also assigns them or not", () => {
    const { index, view } = holdingsOf([
      group({ members: [] }),
      assign("group-pra", PRIVILEGED_ROLE_ADMINISTRATOR, GROUP),
    ]);
    const grants = groupGrants(index, view, new Map([[GROUP, [PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR]]]));
    expect(grants.get(GROUP)).toEqual([PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR]);
  });
});

describe("group membership helpers", () => {
  it("lists each declared group's members (owners on request), by key; at preview from the principals they came from", () => {
    const mallory = resource(providerTypes.user, "mallory", {
      userPrincipalName: "mallory@contoso.com",
      objectId: unknownStringValue,
    });
    const g = dependsOn(group({ members: [A, unknownStringValue], owners: [B] }), "members", mallory);
    const { index, view } = holdingsOf([mallory, g]);
    expect(declaredGroupMembers(index, view).get(GROUP)).toEqual([A, mallory.urn]);
    expect(declaredGroupMembers(index, view, true).get(GROUP)).toEqual([A, mallory.urn, B]);
  });

  it("tells whether a reference is a group, by known id or provenance, and whether a group is role-assignable", () => {
    const g = group({ assignableToRole: unknownStringValue });
    const byId = resource(providerTypes.groupMember, "by-id", { groupObjectId: GROUP.toUpperCase() });
    const byDep = dependsOn(
      resource(providerTypes.groupMember, "by-dep", { groupObjectId: unknownStringValue }),
      "groupObjectId",
      g,
    );
    const { index } = holdingsOf([g, byId, byDep]);
    const get = (r: PlannedResource) => index.byUrn.get(r.urn)!;
    expect(refersTo(get(byId), "groupObjectId", GROUP, get(g))).toBe(true);
    expect(refersTo(get(byDep), "groupObjectId", GROUP, get(g))).toBe(true);
    expect(refersTo(get(byDep), "groupObjectId", GROUP, undefined)).toBe(false);
    expect(isRoleAssignable(get(g))).toBeUndefined();
  });
});
