/**
 * no-standing-tier0-assignment: the stack's holdings (policies/lib/holdings.ts) judged by the model's one definition
 * of standing access (src/model/standing.ts). The rule's own behaviour — every holding path, preview-time unknowns
 * resolved through propertyDependencies, declared exceptions, its config — and the red-team attacks on it.
 */
import { describe, expect, it } from "vitest";
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
  USER_ADMINISTRATOR,
} from "@entra-baseline/model";
import { noStandingTier0Assignment } from "../../../policies/rules/noStandingTier0Assignment";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { DEPLOYER_ID, SYNC_ACCOUNT_ID } from "../../support/world/config";
import type { FixtureInputs } from "../../support/world/inputs";
import { byName, dependsOn, ids, resource, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(noStandingTier0Assignment);
const { run, stack } = world;

const DIRECTORY_READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
const GA_ROLE_OBJECT_ID = "ffffffff-0000-4000-8000-0000000000a0";
const EVIL_ID = "aaaaaaaa-0000-4000-8000-00000000e711";
const ADELE = "aaaaaaaa-0000-4000-8000-000000000001";
const BG1 = "breakglass-breakglass-01";
const BG1_GA = "breakglass-breakglass-01-global-administrator";
const BG1_ID = ids.user("breakglass-01");
const standing = (source: string, who: string, role: string, path = "a permanent direct assignment") =>
  `${source}: ${who} holds ${role} standing through ${path}; make it PIM-eligible (CISA MS.AAD.7.4).`;

function assignment(
  name: string,
  roleId: string,
  principalObjectId: string,
  extra: FixtureInputs<typeof providerTypes.directoryRoleAssignment> = {},
) {
  return resource(providerTypes.directoryRoleAssignment, name, { roleId, principalObjectId, ...extra });
}

function user(name: string, objectId: string = unknownStringValue): PlannedResource {
  return resource(providerTypes.user, name, { userPrincipalName: `${name}@contoso.com`, objectId });
}

describe("no-standing-tier0-assignment", () => {
  it.each(["update", "preview"] as Mode[])(
    "allows the emergency accounts' Global Administrator and the declared exceptions (%s)",
    async (mode) => {
      expect(await run(stack(mode))).toEqual([]);
    },
  );

  it("rejects permanent Global Administrator for a regular user", async () => {
    const s = stack("update", (x) => x.push(assignment("adele-ga", GLOBAL_ADMINISTRATOR, ADELE)));
    expect(await run(s)).toEqual([standing('DirectoryRoleAssignment "adele-ga"', ADELE, "Global Administrator")]);
  });

  it("rejects another Tier-0 role (Privileged Role Administrator) but ignores a role outside Tier-0", async () => {
    const s = stack("update", (x) => {
      x.push(assignment("pra", PRIVILEGED_ROLE_ADMINISTRATOR, ADELE));
      x.push(assignment("reader", DIRECTORY_READERS, ADELE));
    });
    expect(await run(s)).toEqual([standing('DirectoryRoleAssignment "pra"', ADELE, "Privileged Role Administrator")]);
  });

  it("rejects an assignment scoped to an administrative unit as standing too", async () => {
    const s = stack("update", (x) =>
      x.push(assignment("au-ua", USER_ADMINISTRATOR, ADELE, { directoryScopeId: "/administrativeUnits/au-1" })),
    );
    expect(await run(s)).toEqual([
      standing(
        'DirectoryRoleAssignment "au-ua"',
        ADELE,
        "User Administrator",
        "a permanent direct assignment scoped to /administrativeUnits/au-1",
      ),
    ]);
  });

  it.each(["update", "preview"] as Mode[])(
    "rejects a Tier-0 role other than Global Administrator for an emergency account (%s)",
    async (mode) => {
      const s = stack(mode, (x) => {
        const ga = byName(x, BG1_GA);
        x.push({
          ...structuredClone(ga),
          ...resource(providerTypes.directoryRoleAssignment, "breakglass-01-pra", {
            ...ga.inputs,
            roleId: PRIVILEGED_ROLE_ADMINISTRATOR,
          }),
          propertyDependencies: structuredClone(ga.propertyDependencies),
        });
      });
      const who =
        mode === "update"
          ? `breakglass-01@contoso.onmicrosoft.com (${BG1_ID})`
          : "breakglass-01@contoso.onmicrosoft.com";
      expect(await run(s)).toEqual([
        `DirectoryRoleAssignment "breakglass-01-pra": emergency account ${who} holds Privileged Role Administrator through a permanent direct assignment; emergency accounts hold Global Administrator permanently and directly at the directory scope, and nothing else.`,
      ]);
    },
  );

  it("rejects at preview an unknown principal that does not come from an emergency account", async () => {
    const s = stack("preview", (x) => {
      const other = user("someone");
      x.push(other);
      x.push(dependsOn(assignment("someone-ga", GLOBAL_ADMINISTRATOR, unknownStringValue), "principalObjectId", other));
    });
    expect(await run(s)).toEqual([
      standing('DirectoryRoleAssignment "someone-ga"', "someone@contoso.com", "Global Administrator"),
    ]);
  });

  it("fails closed when no emergency account is configured: their Global Administrator is standing too", async () => {
    const out = await run(stack("preview"), { ...world.packConfig, breakglassUpns: [] });
    expect(out).toEqual([
      standing(`DirectoryRoleAssignment "${BG1_GA}"`, "breakglass-01@contoso.onmicrosoft.com", "Global Administrator"),
      standing(
        'DirectoryRoleAssignment "breakglass-breakglass-02-global-administrator"',
        "breakglass-02@contoso.onmicrosoft.com",
        "Global Administrator",
      ),
    ]);
  });

  it("treats a role id unknown at preview as Tier-0, even for an emergency account", async () => {
    const s = stack("preview", (x) => (byName(x, BG1_GA).inputs.roleId = unknownStringValue));
    expect(await run(s)).toEqual([
      `DirectoryRoleAssignment "${BG1_GA}": emergency account breakglass-01@contoso.onmicrosoft.com holds a role it cannot resolve (treated as Tier-0) through a permanent direct assignment; emergency accounts hold Global Administrator permanently and directly at the directory scope, and nothing else.`,
    ]);
  });

  it("rejects a legacy DirectoryRoleMember of a Tier-0 role, even for an emergency account", async () => {
    const s = stack("update", (x) => {
      const role = resource(providerTypes.directoryRole, "ua-role", {
        templateId: USER_ADMINISTRATOR,
        objectId: "ffffffff-0000-4000-8000-000000000001",
      });
      x.push(role);
      x.push(
        dependsOn(
          resource(providerTypes.directoryRoleMember, "bg-ua", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000001",
            memberObjectId: BG1_ID,
          }),
          "roleObjectId",
          role,
        ),
      );
    });
    expect(await run(s)).toEqual([
      `DirectoryRoleMember "bg-ua": emergency account breakglass-01@contoso.onmicrosoft.com (${BG1_ID}) holds User Administrator through a legacy role membership; emergency accounts hold Global Administrator permanently and directly at the directory scope, and nothing else.`,
    ]);
  });

  it("rejects an admin-assigned PIM-for-Groups membership of a group holding a Tier-0 role, permanent or time-bound", async () => {
    const GROUP = "99999999-0000-4000-8000-000000000001";
    const s = stack("update", (x) => {
      const group = resource(providerTypes.group, "tier0-admins", {
        displayName: "Tier-0 admins",
        assignableToRole: true,
        securityEnabled: true,
        members: [],
        objectId: GROUP,
      });
      x.push(group, assignment("tier0-admins-ga", GLOBAL_ADMINISTRATOR, GROUP));
      for (const [name, extra] of [
        ["permanent", { permanentAssignment: true }],
        ["bounded", { duration: "P30D", expirationDate: "2099-01-31T00:00:00Z" }],
      ] as const) {
        x.push(
          dependsOn(
            resource(providerTypes.privilegedAccessGroupAssignmentSchedule, name, {
              groupId: GROUP,
              principalId: ADELE,
              assignmentType: "member",
              ...extra,
            }),
            "groupId",
            group,
          ),
        );
      }
    });
    expect(await run(s)).toEqual([
      standing(
        'PrivilegedAccessGroupAssignmentSchedule "permanent"',
        ADELE,
        "Global Administrator",
        'an active PIM-for-Groups assignment through group Group "tier0-admins" with no end (not an activation)',
      ),
      standing(
        'PrivilegedAccessGroupAssignmentSchedule "bounded"',
        ADELE,
        "Global Administrator",
        'an active PIM-for-Groups assignment through group Group "tier0-admins" until 2099-01-31T00:00:00Z (not an activation)',
      ),
    ]);
  });
});

describe("no-standing-tier0-assignment: group paths", () => {
  const GROUP = "9a000000-0000-4000-8000-00000000009a";
  const adminsGroup = (extra: FixtureInputs<typeof providerTypes.group> = {}) =>
    resource(providerTypes.group, "admins", {
      displayName: "Admins",
      securityEnabled: true,
      assignableToRole: true,
      objectId: GROUP,
      ...extra,
    });

  it("judges each member and owner of a group holding a Tier-0 role, inline or by GroupMember", async () => {
    const s = stack("update", (x) => {
      x.push(
        adminsGroup({ members: [ADELE], owners: [EVIL_ID] }),
        assignment("admins-ga", GLOBAL_ADMINISTRATOR, GROUP),
      );
      x.push(
        resource(providerTypes.groupMember, "admins-extra", { groupObjectId: GROUP, memberObjectId: DEPLOYER_ID }),
      );
    });
    const path = 'a permanent membership of a role-assignable group through group Group "admins"';
    expect(await run(s)).toEqual([
      standing('DirectoryRoleAssignment "admins-ga"', ADELE, "Global Administrator", path),
      standing('DirectoryRoleAssignment "admins-ga"', EVIL_ID, "Global Administrator", path),
      standing('DirectoryRoleAssignment "admins-ga"', DEPLOYER_ID, "Global Administrator", path),
    ]);
  });

  it("at preview, takes a group's unknown members from the principals they came from", async () => {
    const s = stack("preview", (x) => {
      const mallory = user("mallory");
      const group = dependsOn(
        adminsGroup({ members: [unknownStringValue], objectId: unknownStringValue }),
        "members",
        mallory,
      );
      x.push(mallory, group);
      x.push(dependsOn(assignment("admins-ga", GLOBAL_ADMINISTRATOR, unknownStringValue), "principalObjectId", group));
    });
    expect(await run(s)).toEqual([
      standing(
        'DirectoryRoleAssignment "admins-ga"',
        "mallory@contoso.com",
        "Global Administrator",
        'a permanent membership of a role-assignable group through group Group "admins"',
      ),
    ]);
  });

  it("rejects a group holding a Tier-0 role whose members the stack cannot show", async () => {
    const s = stack("update", (x) => x.push(assignment("outside-ga", GLOBAL_ADMINISTRATOR, GROUP)));
    // An undeclared principal is taken as a principal, not a group: it is judged as the direct holder.
    expect(await run(s)).toEqual([standing('DirectoryRoleAssignment "outside-ga"', GROUP, "Global Administrator")]);
    const declared = stack("update", (x) =>
      x.push(adminsGroup(), assignment("admins-ga", GLOBAL_ADMINISTRATOR, GROUP)),
    );
    expect(await run(declared)).toEqual([
      `DirectoryRoleAssignment "admins-ga" gives Global Administrator to group ${GROUP}, whose members the stack cannot show: declare the group and its members, or list it in pim.groups with eligible members only.`,
    ]);
  });

  it("takes a configured PIM-for-Groups group as holding its roles with eligible members only: a permanent member is standing", async () => {
    const cfg = { ...world.packConfig, pimGroups: [{ group: GROUP, roles: [PRIVILEGED_ROLE_ADMINISTRATOR] }] };
    expect(await run(stack("update"), cfg)).toEqual([]);
    const s = stack("update", (x) =>
      x.push(resource(providerTypes.groupMember, "pra-member", { groupObjectId: GROUP, memberObjectId: ADELE })),
    );
    // A permanent member of a PIM-for-Groups group holds its roles standing, declared by GroupMember or inline.
    expect(await run(s, cfg)).toEqual([
      standing(
        "pim.groups",
        ADELE,
        "Privileged Role Administrator",
        `a permanent membership of a role-assignable group through group ${GROUP}`,
      ),
    ]);
    const declared = stack("update", (x) => x.push(adminsGroup({ members: [ADELE] })));
    expect(await run(declared, cfg)).toEqual([
      standing(
        "pim.groups",
        ADELE,
        "Privileged Role Administrator",
        'a permanent membership of a role-assignable group through group Group "admins"',
      ),
    ]);
  });
});

describe("no-standing-tier0-assignment: declared exceptions", () => {
  it("honours each exception for exactly its principal and roles", async () => {
    const s = stack("update", (x) => x.push(assignment("sync-ga", GLOBAL_ADMINISTRATOR, SYNC_ACCOUNT_ID)));
    expect(await run(s)).toEqual([
      standing('DirectoryRoleAssignment "sync-ga"', SYNC_ACCOUNT_ID, "Global Administrator"),
    ]);
  });

  it("reports an expired exception once, and the holding it no longer covers", async () => {
    const cfg = {
      ...world.packConfig,
      exceptions: (world.packConfig.exceptions as Record<string, unknown>[]).map((e) =>
        e.principal === SYNC_ACCOUNT_ID ? { ...e, expires: "2020-01-01" } : e,
      ),
    };
    const out = await run(stack("update"), cfg);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      /^Exception expired: On-Premises Directory Synchronization Service Account \(user 5c000000-/,
    );
    expect(out[1]).toBe(
      standing(
        `DirectoryRoleAssignment "exception-5c000000-d29b2b05"`,
        SYNC_ACCOUNT_ID,
        "Directory Synchronization Accounts",
        "a permanent direct assignment; its exception expired (On-Premises Directory Synchronization Service Account (user 5c000000-0000-4000-8000-00000000005c) for Directory Synchronization Accounts until 2020-01-01 — Entra Connect sync writes the directory with this role; it cannot activate (owner identity-team@contoso.com))",
      ),
    );
  });

  it("refuses an exception for an emergency account, or Global Administrator for a person", async () => {
    const cfg = {
      ...world.packConfig,
      breakglassObjectIds: [BG1_ID],
      exceptions: [
        {
          principal: BG1_ID,
          principalType: "user",
          roles: [PRIVILEGED_ROLE_ADMINISTRATOR],
          reason: "the emergency account needs it",
          owner: "someone",
          expires: "2099-01-01",
        },
        {
          principal: ADELE,
          principalType: "user",
          label: "Adele",
          roles: [GLOBAL_ADMINISTRATOR],
          reason: "Adele is too busy to activate",
          owner: "someone",
          expires: "2099-01-01",
        },
      ],
    };
    const s = stack("update", (x) => x.push(assignment("adele-ga", GLOBAL_ADMINISTRATOR, ADELE)));
    const out = await run(s, cfg);
    expect(out.slice(0, 3)).toEqual([
      `Exception for ${BG1_ID}: principal is an emergency account: its permanent Global Administrator is the design, and it may hold nothing else, so no exception covers it.`,
      `Exception for ${BG1_ID}: roles[0] Privileged Role Administrator is never held standing by a person: it is Global Administrator in one step (make the principal eligible instead; only a workload identity may be excepted for it).`,
      "Exception for Adele: roles[0] Global Administrator is never held standing by a person: it is Global Administrator in one step (make the principal eligible instead; only a workload identity may be excepted for it).",
    ]);
    expect(out).toContain(standing('DirectoryRoleAssignment "adele-ga"', ADELE, "Global Administrator"));
  });

  it("does not let an exception cover a principal through a group", async () => {
    const GROUP = "9a000000-0000-4000-8000-00000000009a";
    const s = stack("update", (x) => {
      x.push(
        resource(providerTypes.group, "sync-admins", {
          displayName: "Sync admins",
          assignableToRole: true,
          securityEnabled: true,
          members: [SYNC_ACCOUNT_ID],
          objectId: GROUP,
        }),
        assignment("sync-admins-dsa", DIRECTORY_SYNCHRONIZATION_ACCOUNTS, GROUP),
      );
    });
    expect(await run(s)).toEqual([
      standing(
        'DirectoryRoleAssignment "sync-admins-dsa"',
        SYNC_ACCOUNT_ID,
        "Directory Synchronization Accounts",
        'a permanent membership of a role-assignable group through group Group "sync-admins"',
      ),
    ]);
  });
});

describe("no-standing-tier0-assignment: config", () => {
  it("adds configured Tier-0 roles to the model's list, and never takes one away", async () => {
    const s = stack("update", (x) => x.push(assignment("reader", DIRECTORY_READERS, ADELE)));
    expect(await run(s, { ...world.packConfig, tier0RoleIds: [DIRECTORY_READERS] })).toEqual([
      standing('DirectoryRoleAssignment "reader"', ADELE, "Directory Readers"),
    ]);
    const ga = stack("update", (x) => x.push(assignment("adele-ga", GLOBAL_ADMINISTRATOR, ADELE)));
    expect(await run(ga, { ...world.packConfig, tier0RoleIds: [] })).toEqual([
      standing('DirectoryRoleAssignment "adele-ga"', ADELE, "Global Administrator"),
    ]);
  });

  it("treats a declared custom role granting a Tier-0 permission as Tier-0, whatever it is called", async () => {
    const s = stack("update", (x) => {
      const custom = resource(providerTypes.customDirectoryRole, "helpdesk-plus", {
        displayName: "Helpdesk plus",
        permissions: [{ allowedResourceActions: ["microsoft.directory/roleAssignments/allProperties/allTasks"] }],
        objectId: "c0570000-0000-4000-8000-000000000c05",
      });
      x.push(custom, dependsOn(assignment("custom", "c0570000-0000-4000-8000-000000000c05", ADELE), "roleId", custom));
    });
    const out = await run(s);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^DirectoryRoleAssignment "custom": aaaaaaaa-.* holds .* standing through a permanent direct assignment/,
    );
  });
});

describe("no-standing-tier0-assignment: red team", () => {
  it("rejects at preview a principal that comes from an emergency account AND another user (mixed provenance)", async () => {
    const s = stack("preview", (x) => {
      const evil = user("evil");
      x.push(evil);
      // principalObjectId: pulumi.all([bg.objectId, evil.objectId]).apply(([, e]) => e)
      x.push(
        dependsOn(
          assignment("evil-ga", GLOBAL_ADMINISTRATOR, unknownStringValue),
          "principalObjectId",
          byName(x, BG1),
          evil,
        ),
      );
    });
    expect(await run(s)).toEqual([
      standing(
        'DirectoryRoleAssignment "evil-ga"',
        "a principal unknown at preview (evil-ga.principalObjectId) (it cannot be told to be an emergency account)",
        "Global Administrator",
      ),
    ]);
  });

  for (const [label, roleId] of [
    ["upper case", GLOBAL_ADMINISTRATOR.toUpperCase()],
    ["surrounding whitespace", ` ${GLOBAL_ADMINISTRATOR}\n`],
    ["braces", `{${GLOBAL_ADMINISTRATOR}}`],
  ] as const) {
    it(`rejects permanent Global Administrator whose roleId is the template id in ${label}`, async () => {
      const s = stack("update", (x) => x.push(assignment("odd-ga", roleId, EVIL_ID)));
      expect(await run(s)).toEqual([standing('DirectoryRoleAssignment "odd-ga"', EVIL_ID, "Global Administrator")]);
    });
  }

  it("rejects permanent Global Administrator whose roleId is the GA role's object id (from an azuread.DirectoryRole), known or wired", async () => {
    for (const wired of [false, true]) {
      const s = stack("update", (x) => {
        const role = resource(providerTypes.directoryRole, "ga-role", {
          displayName: "Global Administrator",
          templateId: GLOBAL_ADMINISTRATOR,
          objectId: GA_ROLE_OBJECT_ID,
        });
        x.push(role);
        const a = assignment("by-object-id", GA_ROLE_OBJECT_ID, EVIL_ID);
        x.push(wired ? dependsOn(a, "roleId", role) : a);
      });
      expect(await run(s), `wired=${wired}`).toEqual([
        standing('DirectoryRoleAssignment "by-object-id"', EVIL_ID, "Global Administrator"),
      ]);
    }
  });

  it("rejects a DirectoryRoleMember of a role declared by display name only, or whose templateId has stray case/space", async () => {
    const s = stack("update", (x) => {
      const byDisplayName = resource(providerTypes.directoryRole, "ga-by-name", {
        displayName: "Global Administrator",
        objectId: "ffffffff-0000-4000-8000-000000000101",
      });
      const spaced = resource(providerTypes.directoryRole, "ga-spaced", {
        templateId: ` ${GLOBAL_ADMINISTRATOR.toUpperCase()} `,
        objectId: "ffffffff-0000-4000-8000-000000000102",
      });
      x.push(byDisplayName, spaced);
      x.push(
        dependsOn(
          resource(providerTypes.directoryRoleMember, "m1", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000101",
            memberObjectId: EVIL_ID,
          }),
          "roleObjectId",
          byDisplayName,
        ),
        dependsOn(
          resource(providerTypes.directoryRoleMember, "m2", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000102",
            memberObjectId: EVIL_ID,
          }),
          "roleObjectId",
          spaced,
        ),
      );
    });
    expect(await run(s)).toEqual([
      standing('DirectoryRoleMember "m1"', EVIL_ID, "Global Administrator", "a legacy role membership"),
      standing('DirectoryRoleMember "m2"', EVIL_ID, "Global Administrator", "a legacy role membership"),
    ]);
  });

  it("still ignores a DirectoryRoleMember of a declared role outside Tier-0", async () => {
    const s = stack("update", (x) => {
      const reader = resource(providerTypes.directoryRole, "reader", {
        templateId: DIRECTORY_READERS,
        objectId: "ffffffff-0000-4000-8000-000000000103",
      });
      x.push(
        reader,
        dependsOn(
          resource(providerTypes.directoryRoleMember, "m3", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000103",
            memberObjectId: EVIL_ID,
          }),
          "roleObjectId",
          reader,
        ),
      );
    });
    expect(await run(s)).toEqual([]);
  });

  it("judges a role member by the role its id names, not by the first role it may come from", async () => {
    const s = stack("update", (x) => {
      const reader = resource(providerTypes.directoryRole, "reader", {
        templateId: DIRECTORY_READERS,
        objectId: "ffffffff-0000-4000-8000-000000000103",
      });
      const ua = resource(providerTypes.directoryRole, "ua", {
        templateId: USER_ADMINISTRATOR,
        objectId: "ffffffff-0000-4000-8000-000000000104",
      });
      x.push(
        reader,
        ua,
        dependsOn(
          resource(providerTypes.directoryRoleMember, "m4", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000104",
            memberObjectId: EVIL_ID,
          }),
          "roleObjectId",
          reader,
          ua,
        ),
      );
    });
    expect(await run(s)).toEqual([
      standing('DirectoryRoleMember "m4"', EVIL_ID, "User Administrator", "a legacy role membership"),
    ]);
  });

  it("at preview, treats a role id computed from several roles as Tier-0 (it cannot be told which)", async () => {
    const s = stack("preview", (x) => {
      const reader = resource(providerTypes.directoryRole, "reader", { templateId: DIRECTORY_READERS });
      const ua = resource(providerTypes.directoryRole, "ua", { templateId: USER_ADMINISTRATOR });
      x.push(reader, ua);
      x.push(
        dependsOn(
          resource(providerTypes.directoryRoleMember, "m5", {
            roleObjectId: unknownStringValue,
            memberObjectId: EVIL_ID,
          }),
          "roleObjectId",
          reader,
          ua,
        ),
      );
    });
    expect(await run(s)).toEqual([
      standing(
        'DirectoryRoleMember "m5"',
        EVIL_ID,
        "a role it cannot resolve (treated as Tier-0)",
        "a legacy role membership",
      ),
    ]);
  });

  it("judges a known template id by its value, not by a role resource it was computed from", async () => {
    const s = stack("update", (x) => {
      const reader = resource(providerTypes.directoryRole, "reader", {
        templateId: DIRECTORY_READERS,
        objectId: "ffffffff-0000-4000-8000-000000000103",
      });
      // roleId: reader.templateId.apply(() => GLOBAL_ADMINISTRATOR)
      x.push(reader, dependsOn(assignment("laundered", GLOBAL_ADMINISTRATOR, EVIL_ID), "roleId", reader));
    });
    expect(await run(s)).toEqual([standing('DirectoryRoleAssignment "laundered"', EVIL_ID, "Global Administrator")]);
  });
});
