import { describe, expect, it } from "vitest";
import { noStandingTier0Assignment } from "../../policies/rules/noStandingTier0Assignment";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
  USER_ADMINISTRATOR,
} from "@entra-baseline/model";
import { PACK_CONFIG, byName, compliantStack, resource, type Mode } from "../support/pack/stackFixture";
import { messages, mutate, runStackPolicy } from "../support/pack/harness";
import { unknownStringValue } from "../support/pack/unknowns";

const config = PACK_CONFIG["no-standing-tier0-assignment"];
const run = (stack: ReturnType<typeof compliantStack>) =>
  runStackPolicy(noStandingTier0Assignment, stack, config).then(messages);

describe("no-standing-tier0-assignment", () => {
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`allows the breakglass accounts' permanent Global Administrator (${mode})`, async () => {
      expect(await run(compliantStack({ mode }))).toEqual([]);
    });
  }

  it("rejects permanent Global Administrator for a regular user", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) =>
      s.push(
        resource(providerTypes.directoryRoleAssignment, "adele-ga", {
          roleId: GLOBAL_ADMINISTRATOR,
          principalObjectId: "aaaaaaaa-0000-4000-8000-000000000001",
        }),
      ),
    );
    expect(await run(stack)).toEqual([
      'DirectoryRoleAssignment "adele-ga" gives Global Administrator permanently to aaaaaaaa-0000-4000-8000-000000000001 that is not a breakglass account; make it PIM-eligible instead (CISA MS.AAD.7.4).',
    ]);
  });

  it("rejects another Tier-0 role (Privileged Role Administrator) but ignores a non-Tier-0 role", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      s.push(
        resource(providerTypes.directoryRoleAssignment, "pra", {
          roleId: PRIVILEGED_ROLE_ADMINISTRATOR,
          principalObjectId: "aaaaaaaa-0000-4000-8000-000000000009",
        }),
      );
      s.push(
        resource(providerTypes.directoryRoleAssignment, "reader", {
          roleId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
          principalObjectId: "aaaaaaaa-0000-4000-8000-000000000009",
        }),
      );
    });
    const out = await run(stack);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('"pra" gives Privileged Role Administrator permanently');
  });

  it.each(["update", "preview"] as Mode[])(
    "rejects a permanent Tier-0 role other than GA for a breakglass account (%s)",
    async (mode) => {
      const stack = mutate(compliantStack({ mode }), (s) => {
        const ga = byName(s, "breakglass-01-global-admin");
        s.push({
          ...structuredClone(ga),
          ...resource(providerTypes.directoryRoleAssignment, "breakglass-01-pra", {
            ...ga.inputs,
            roleId: PRIVILEGED_ROLE_ADMINISTRATOR,
          }),
          propertyDependencies: structuredClone(ga.propertyDependencies),
        });
      });
      expect(await run(stack)).toEqual([
        'DirectoryRoleAssignment "breakglass-01-pra" gives Privileged Role Administrator permanently to a breakglass account; breakglass accounts hold Global Administrator permanently and no other Tier-0 role (CISA MS.AAD.7.4).',
      ]);
    },
  );

  it("rejects at preview an unknown principal that does not come from a breakglass user", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const other = resource(providerTypes.user, "someone", {
        userPrincipalName: "someone@contoso.com",
        objectId: unknownStringValue,
      });
      s.push(other);
      s.push({
        ...resource(providerTypes.directoryRoleAssignment, "someone-ga", {
          roleId: GLOBAL_ADMINISTRATOR,
          principalObjectId: unknownStringValue,
        }),
        propertyDependencies: { principalObjectId: [other.urn] },
      });
    });
    expect(await run(stack)).toEqual([
      'DirectoryRoleAssignment "someone-ga" gives Global Administrator permanently to a principal that is unknown at preview and does not come from a breakglass user (configured: breakglass-01@contoso.onmicrosoft.com, breakglass-02@contoso.onmicrosoft.com); standing Global Administrator is reserved for breakglass accounts.',
    ]);
  });

  it("rejects a breakglass assignment when the breakglass list is not configured (fails closed)", async () => {
    const out = await runStackPolicy(noStandingTier0Assignment, compliantStack({ mode: "preview" }), {}).then(messages);
    expect(out).toHaveLength(2);
    expect(out[0]).toContain("(configured: none)");
  });

  it("rejects an assignment whose role id is unknown at preview", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      byName(s, "breakglass-01-global-admin").inputs.roleId = unknownStringValue;
    });
    expect(await run(stack)).toEqual([
      'DirectoryRoleAssignment "breakglass-01-global-admin" assigns a role whose id is unknown at preview; a permanent assignment must name a known role template id.',
    ]);
  });

  it("rejects a legacy DirectoryRoleMember of a Tier-0 role, even for breakglass", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      const role = resource(providerTypes.directoryRole, "ua-role", {
        templateId: USER_ADMINISTRATOR,
        objectId: "ffffffff-0000-4000-8000-000000000001",
      });
      s.push(role);
      s.push({
        ...resource(providerTypes.directoryRoleMember, "bg-ua", {
          roleObjectId: "ffffffff-0000-4000-8000-000000000001",
          memberObjectId: "cccccccc-0000-4000-8000-000000000001",
        }),
        propertyDependencies: { roleObjectId: [role.urn] },
      });
    });
    expect(await run(stack)).toEqual([
      'DirectoryRoleMember "bg-ua" is a legacy role membership of User Administrator for a breakglass account; their only standing path is a DirectoryRoleAssignment.',
    ]);
  });

  it("rejects a permanent PIM-for-Groups assignment onto a role-assignable group, not a time-bound one", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      const group = resource(providerTypes.group, "tier0-admins", {
        displayName: "Tier-0 admins",
        assignableToRole: true,
        securityEnabled: true,
        objectId: "99999999-0000-4000-8000-000000000001",
      });
      s.push(group);
      for (const [name, extra] of [
        ["permanent", { permanentAssignment: true }],
        ["bounded", { duration: "P30D" }],
      ] as const) {
        s.push({
          ...resource(providerTypes.privilegedAccessGroupAssignmentSchedule, name, {
            groupId: "99999999-0000-4000-8000-000000000001",
            principalId: "aaaaaaaa-0000-4000-8000-000000000002",
            assignmentType: "member",
            ...extra,
          }),
          propertyDependencies: { groupId: [group.urn] },
        });
      }
    });
    expect(await run(stack)).toEqual([
      'PrivilegedAccessGroupAssignmentSchedule "permanent" is a permanent PIM-for-Groups assignment onto a role-assignable group: standing Tier-0 access. Make it eligible or time-bound.',
    ]);
  });
});
