/**
 * Which directory role a stack's role reference names: a known id by what it names (a template id, or a declared
 * role's object or template id), an unknown one by the role resources it came from when they agree; anything that
 * cannot be resolved is undefined, which the model treats as Tier-0.
 */
import { describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR, providerTypes, TIER0_ROLE_IDS, USER_ADMINISTRATOR } from "@entra-baseline/model";
import { canonicalId, isPrivilegedCustomRole, roleAt, tier0Set } from "../../../policies/lib/roles";
import { StackIndex } from "../../../policies/lib/stack";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { dependsOn, resource, urnOf } from "../../support/world/stack";

const READER = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
const GA_OBJECT = "ffffffff-0000-4000-8000-0000000000a0";
const UA_OBJECT = "ffffffff-0000-4000-8000-0000000000a1";
const CUSTOM = "c0570000-0000-4000-8000-000000000c05";

const gaRole = resource(providerTypes.directoryRole, "ga", {
  displayName: "Global Administrator",
  objectId: GA_OBJECT,
});
const uaRole = resource(providerTypes.directoryRole, "ua", {
  templateId: ` ${USER_ADMINISTRATOR.toUpperCase()} `,
  objectId: UA_OBJECT,
});
const readerRole = resource(providerTypes.directoryRole, "reader", { templateId: READER });
const custom = (actions: string[] | undefined, objectId: string = CUSTOM) =>
  resource(providerTypes.customDirectoryRole, "custom", {
    displayName: "Helpdesk plus",
    permissions: actions === undefined ? undefined : [{ allowedResourceActions: actions }],
    objectId,
  });

/** A reference to a role by template id (an assignment's `roleId`) or by object id (a role member's `roleObjectId`). */
function reference(value: string, kind: "templateId" | "objectId") {
  return kind === "templateId"
    ? { r: resource(providerTypes.directoryRoleAssignment, "a", { roleId: value }), property: "roleId" }
    : { r: resource(providerTypes.directoryRoleMember, "a", { roleObjectId: value }), property: "roleObjectId" };
}

function roleIn(r: PlannedResource, property: string, kind: "templateId" | "objectId", roles: PlannedResource[]) {
  const index = new StackIndex(policyResources([...roles, r]));
  return roleAt(index.byUrn.get(r.urn)!, property, index, kind);
}

function roleOf(
  value: string,
  kind: "templateId" | "objectId",
  sources: PlannedResource[] = [],
  roles = [gaRole, uaRole, readerRole],
) {
  const { r, property } = reference(value, kind);
  return roleIn(dependsOn(r, property, ...sources), property, kind, roles);
}

describe("canonicalId", () => {
  it("folds case, braces and stray whitespace, which Entra ignores", () => {
    expect(canonicalId(` {${GLOBAL_ADMINISTRATOR.toUpperCase()}}\n`)).toBe(GLOBAL_ADMINISTRATOR);
  });
});

describe("roleAt", () => {
  it("takes a known template id as the role itself", () => {
    expect(roleOf(GLOBAL_ADMINISTRATOR.toUpperCase(), "templateId")).toBe(GLOBAL_ADMINISTRATOR);
    expect(roleOf(READER, "templateId")).toBe(READER);
  });

  it("takes a known id that a declared role carries as that role (by its templateId, or its built-in displayName)", () => {
    expect(roleOf(GA_OBJECT, "objectId")).toBe(GLOBAL_ADMINISTRATOR);
    expect(roleOf(GA_OBJECT, "templateId")).toBe(GLOBAL_ADMINISTRATOR);
    expect(roleOf(UA_OBJECT.toUpperCase(), "objectId")).toBe(USER_ADMINISTRATOR);
  });

  it("judges a known id by what it names, not by the role resources it was computed from", () => {
    expect(roleOf(UA_OBJECT, "objectId", [readerRole, uaRole])).toBe(USER_ADMINISTRATOR);
    expect(roleOf(GLOBAL_ADMINISTRATOR, "templateId", [readerRole])).toBe(GLOBAL_ADMINISTRATOR);
  });

  it("resolves a role object id no declared role carries through the role resource it came from, else not at all", () => {
    const unnamed = resource(providerTypes.directoryRole, "unnamed", { templateId: USER_ADMINISTRATOR });
    expect(roleOf("ffffffff-0000-4000-8000-0000000000ff", "objectId", [unnamed], [unnamed])).toBe(USER_ADMINISTRATOR);
    expect(roleOf("ffffffff-0000-4000-8000-0000000000ff", "objectId")).toBeUndefined();
  });

  it("at preview, resolves an unknown id through the role resources it came from only when they agree", () => {
    expect(roleOf(unknownStringValue, "templateId", [uaRole])).toBe(USER_ADMINISTRATOR);
    expect(roleOf(unknownStringValue, "objectId", [readerRole, uaRole])).toBeUndefined();
    expect(roleOf(unknownStringValue, "templateId")).toBeUndefined();
  });

  it("resolves a custom role to its object id, or its URN while that is unknown", () => {
    expect(roleOf(CUSTOM.toUpperCase(), "templateId", [], [custom(["x"])])).toBe(CUSTOM);
    const pending = custom(["x"], unknownStringValue);
    expect(roleOf(unknownStringValue, "templateId", [pending], [pending])).toBe(
      urnOf(providerTypes.customDirectoryRole, "custom"),
    );
  });

  it("gives nothing for a reference that is not a string", () => {
    // A number where the SDK takes a string: a shape no program declares, so put there past the builder's type.
    const { r, property } = reference(GLOBAL_ADMINISTRATOR, "templateId");
    r.inputs[property] = 42;
    expect(roleIn(r, property, "templateId", [gaRole, uaRole, readerRole])).toBeUndefined();
  });
});

describe("Tier-0 custom roles", () => {
  const index = (r: PlannedResource) => new StackIndex(policyResources([r]));

  it("counts a custom role as Tier-0 when it grants a permission Tier-0 rests on, or its permissions are unknown", () => {
    const privileged = custom(["microsoft.directory/roleAssignments/allProperties/allTasks"]);
    const harmless = custom(["microsoft.directory/users/basic/read"]);
    const unknown = custom([unknownStringValue]);
    const none = custom(undefined);
    for (const [r, expected] of [
      [privileged, true],
      [harmless, false],
      [unknown, true],
      [none, true],
    ] as const) {
      expect(isPrivilegedCustomRole(index(r).resources[0]!), JSON.stringify(r.inputs.permissions)).toBe(expected);
    }
  });

  it("adds a privileged custom role's ids and URN to the configured Tier-0 set", () => {
    const privileged = custom(["microsoft.directory/roleAssignments/allProperties/allTasks"]);
    const set = tier0Set(index(privileged));
    expect(set.has(CUSTOM)).toBe(true);
    expect(set.has(privileged.urn)).toBe(true);
    expect(TIER0_ROLE_IDS.every((id) => set.has(id))).toBe(true);
    expect(tier0Set(index(custom(["microsoft.directory/users/basic/read"]))).has(CUSTOM)).toBe(false);
  });
});
