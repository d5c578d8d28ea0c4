/**
 * The `pulumi import --file` JSON adopt writes: each entry names what the program declares (its URN, rebuilt as the
 * Pulumi CLI does from type, logical name and the parents' types, is the planned resource's), with the azuread
 * provider's id formats; dynamic resources are listed as adopted in create, never imported.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { dynamicTypeToken, providerTypes } from "@entra-baseline/model";
import type { AdoptResult } from "../../../src/tools/adopt/adopt";
import type { ImportSpec } from "../../../src/tools/adopt/imports";
import { BG_ALPHA_ID, BG_BRAVO_ID, BREAKGLASS_GROUP_ID, CA } from "../../support/fakes/brownfield";
import { adoptBrownfield } from "../../support/adopt/harness";

let result: AdoptResult;
beforeAll(async () => {
  result = await adoptBrownfield();
}, 60_000);

/** The URN `pulumi import` gives an entry (pkg/cmd/pulumi/operations/import.go: NewURN(stack, project, parentType, type, name)). */
function urnOf(spec: ImportSpec, all: ImportSpec[], stack = "prod"): string {
  const chain: string[] = [];
  for (let p = spec.parent; p; p = all.find((s) => s.name === p)!.parent)
    chain.unshift(all.find((s) => s.name === p)!.type);
  return `urn:pulumi:${stack}::entra-baseline::${[...chain, spec.type].join("$")}::${spec.logicalName}`;
}

describe("the import file", () => {
  it("gives every entry the URN of the planned resource it adopts", () => {
    const { resources } = result.imports.file;
    const custom = resources.filter((r) => !r.component);
    expect(custom.map((r) => urnOf(r, resources)).sort()).toEqual(result.imports.imported.map((i) => i.urn).sort());
    // Every parent is in the file, as a component (no id), so pulumi import can resolve it.
    for (const r of resources.filter((x) => x.parent))
      expect(
        resources.find((p) => p.name === r.parent),
        r.name,
      ).toMatchObject({ component: true });
    for (const c of resources.filter((x) => x.component)) expect(c).not.toHaveProperty("id");
  });

  it("imports the emergency accounts, their permanent GA, the exclusion group, the adopted CA policies and eligibilities", () => {
    const byName = Object.fromEntries(result.imports.file.resources.map((r) => [r.name, r]));
    expect(byName["breakglass-bg-alpha"]).toEqual({
      type: providerTypes.user,
      name: "breakglass-bg-alpha",
      logicalName: "breakglass-bg-alpha",
      id: `/users/${BG_ALPHA_ID}`,
      parent: "breakglass",
    });
    expect(byName["breakglass-bg-bravo"]!.id).toBe(`/users/${BG_BRAVO_ID}`);
    // The role assignment id (roleAssignmentOriginId of its instance), which DirectoryRoleAssignment imports by.
    expect(byName["breakglass-bg-alpha-global-administrator"]).toMatchObject({
      type: providerTypes.directoryRoleAssignment,
      id: "a2000000-0000-4000-8000-000000000001",
    });
    expect(byName["breakglass-group"]).toMatchObject({
      type: providerTypes.group,
      id: `/groups/${BREAKGLASS_GROUP_ID}`,
    });
    expect(byName["conditional-access-block-legacy-authentication"]).toMatchObject({
      type: providerTypes.conditionalAccessPolicy,
      id: `/identity/conditionalAccess/policies/${CA.blockLegacy}`,
      parent: "conditional-access",
    });
    expect(byName["conditional-access-mfa-all-users"]!.id).toBe(
      `/identity/conditionalAccess/policies/${CA.mfaAllUsers}`,
    );
    expect(byName["conditional-access-admin-mfa"]!.id).toBe(`/identity/conditionalAccess/policies/${CA.adminMfa}`);
    // Existing GA eligibilities, by their schedule id (the GUID the provider imports by).
    const eligibilities = result.imports.file.resources.filter(
      (r) => r.type === providerTypes.directoryRoleEligibilityScheduleRequest,
    );
    expect(eligibilities.map((e) => [e.name, e.id])).toEqual([
      ["jit-global-admin-eligible-lidia-holloway-fabrikam-com", "e2000000-0000-4000-8000-000000000001"],
      ["jit-global-admin-eligible-lynne-robbins-fabrikam-com", "e2000000-0000-4000-8000-000000000002"],
    ]);
    expect(eligibilities.every((e) => e.parent === "jit-global-admin")).toBe(true);
  });

  it("never imports a password generator or a dynamic resource", () => {
    const types = result.imports.file.resources.map((r) => r.type);
    expect(types).not.toContain(providerTypes.randomPassword);
    expect(types.some((t) => t.startsWith("pulumi-nodejs:dynamic/"))).toBe(false);
  });

  it("lists the objects the model's own dynamic resources adopt in create", () => {
    const adopted = result.imports.adoptedInCreate.map((a) => a.type);
    expect([...new Set(adopted)].sort()).toEqual(
      [
        dynamicTypeToken("fido2MethodPolicy"),
        dynamicTypeToken("roleManagementPolicy"),
        dynamicTypeToken("roleEligibility"),
      ].sort(),
    );
    // Every role's one policy (Global Administrator's and each proposed pim.roles role's) exists already.
    const planned = result.imports.created.concat(result.imports.adoptedInCreate);
    expect(adopted.filter((t) => t === dynamicTypeToken("roleManagementPolicy")).length).toBe(
      planned.filter((p) => p.type === dynamicTypeToken("roleManagementPolicy")).length,
    );
    // An eligibility the tenant already has is taken over by RoleEligibility; a standing admin's is created (later,
    // by transition's order: eligible first).
    for (const a of result.imports.adoptedInCreate.filter((x) => x.type === dynamicTypeToken("roleEligibility")))
      expect(a.what).toMatch(/^the eligibility of \S+ for [A-Z]/);
    // The new context c2 and its policy are created: nothing of that name exists.
    const created = result.imports.created.map((c) => c.type);
    expect(created).toContain(dynamicTypeToken("authenticationContext"));
    expect(created).toContain(dynamicTypeToken("graphConditionalAccessPolicy"));
    expect(result.imports.conflicts).toEqual([]);
  });
});
