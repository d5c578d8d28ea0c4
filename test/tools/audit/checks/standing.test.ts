/**
 * checks/standing.ts: the live Tier-0 holdings as the model's facts, judged by `judgeHolding` (guarantees 1 and 2).
 * Each test serves the healthy tenant of the test stack with one change, reads it through the production reader and
 * audits it: the translation of assignmentType, createdUsing, scopes, group paths (members, owners, nested groups,
 * PIM-for-Groups instances), custom roles and exceptions, and the findings that come out.
 */
import { describe, expect, it } from "vitest";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@entra-baseline/model";
import {
  assignmentInstance,
  assignmentSchedule,
  guid,
  testConfig,
  user,
  type Json,
  type TenantData,
} from "../../../support/fakes/tenant";
import { validConfig } from "../../../support/stack";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const BG1 = guid(1, "b0000000");
const ADELE = guid(3, "ad000000");
const MEGAN = guid(4, "ad000000");
const OUTSIDER = guid(50, "ad100000");
const GROUP = guid(2, "9c000000");
const FUTURE = "2099-01-01T00:00:00Z";

function addGroup(t: TenantData, id: string, displayName: string, members: string[], owners: string[] = []): void {
  t.groups.push({
    "@odata.type": "#microsoft.graph.group",
    id,
    displayName,
    isAssignableToRole: true,
    securityEnabled: true,
    members,
    owners,
  });
}

/** An active assignment and its schedule, as Graph lists both (`createdUsing` null: made outside PIM). */
function hold(t: TenantData, n: number, roleId: string, principalId: string, instance: Json = {}, schedule: Json = {}) {
  t.assignmentInstances.push(assignmentInstance(n, roleId, principalId, instance));
  t.assignmentSchedules.push(assignmentSchedule(n, roleId, principalId, { createdUsing: null, ...schedule }));
}

const outsider = (t: TenantData) => t.users.push(user(OUTSIDER, "it-ops@contoso.com"));

describe.concurrent("standing Tier-0 access (AUD-PERMANENT-TIER0)", () => {
  it("reports a permanent active Global Administrator who is not a breakglass account (critical, MS.AAD.7.4)", async () => {
    const audit = await auditOf(config, (t) => {
      outsider(t);
      t.assignmentInstances.push(assignmentInstance(50, GLOBAL_ADMINISTRATOR, OUTSIDER));
    });
    const [f, ...rest] = findingsOf(audit, "AUD-PERMANENT-TIER0");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: "critical", controls: expect.arrayContaining(["MS.AAD.7.4"]) });
    expect(f!.object).toBe(`user it-ops@contoso.com (${OUTSIDER}) → Global Administrator`);
    expect(f!.actual).toContain("holds Global Administrator standing through a permanent direct assignment");
  });

  it("reports other Tier-0 roles as high, an assignment made in PIM even when time-bound, an over-long activation; ignores a bounded activation backed by an eligibility", async () => {
    const audit = await auditOf(config, (t) => {
      // Megan is eligible for Global Administrator (pim.eligibleAdmins).
      hold(t, 51, PRIVILEGED_ROLE_ADMINISTRATOR, MEGAN);
      hold(t, 52, SECURITY_ADMINISTRATOR, MEGAN, { endDateTime: FUTURE }, { createdUsing: guid(52, "a4000000") });
      hold(
        t,
        53,
        GLOBAL_ADMINISTRATOR,
        MEGAN,
        { assignmentType: "Activated", startDateTime: "2099-01-01T00:00:00Z", endDateTime: "2099-01-01T04:00:00Z" },
        { createdUsing: guid(53, "a4000000"), assignmentType: "Activated" },
      );
      hold(
        t,
        54,
        GLOBAL_ADMINISTRATOR,
        ADELE,
        { assignmentType: "Activated", startDateTime: "2099-01-01T00:00:00Z", endDateTime: "2099-01-01T08:00:00Z" },
        { createdUsing: guid(54, "a4000000"), assignmentType: "Activated" },
      );
    });
    const found = findingsOf(audit, "AUD-PERMANENT-TIER0").map((f) => [f.severity, f.object, f.actual]);
    expect(found).toEqual([
      [
        "critical",
        `user adele.vance@contoso.com (${ADELE}) → Global Administrator`,
        expect.stringContaining("through an activation that lasts 8 hours, longer than the allowed 4 hours"),
      ],
      [
        "high",
        `user megan.bowen@contoso.com (${MEGAN}) → Privileged Role Administrator`,
        expect.stringContaining("through a permanent direct assignment"),
      ],
      [
        "high",
        `user megan.bowen@contoso.com (${MEGAN}) → Security Administrator`,
        expect.stringContaining(`through an active assignment made in PIM until ${FUTURE} (not an activation)`),
      ],
    ]);
  });

  it("exempts a breakglass account's permanent GA only: its other permanent Tier-0 roles are findings", async () => {
    const audit = await auditOf(config, (t) => hold(t, 54, PRIVILEGED_ROLE_ADMINISTRATOR, BG1));
    const permanent = findingsOf(audit, "AUD-PERMANENT-TIER0");
    expect(permanent).toHaveLength(1);
    expect(permanent[0]).toMatchObject({ severity: "high" });
    expect(permanent[0]!.actual).toContain(
      "emergency accounts hold Global Administrator permanently and directly at the directory scope, and nothing else",
    );
    expect(permanent[0]!.object).toBe(
      `user breakglass-01@contoso.onmicrosoft.com (${BG1}) → Privileged Role Administrator`,
    );
    expect(findingsOf(audit, "AUD-OUTSIDE-PIM").map((f) => f.object)).toEqual([
      expect.stringContaining("Privileged Role Administrator"),
    ]);
  });

  it("reports permanent GA held by a role-assignable group through each member, breakglass members included", async () => {
    const audit = await auditOf(config, (t) => {
      addGroup(t, GROUP, "Tier-0 ops", [BG1, ADELE]);
      t.assignmentInstances.push(assignmentInstance(91, GLOBAL_ADMINISTRATOR, GROUP));
    });
    const found = findingsOf(audit, "AUD-PERMANENT-TIER0");
    expect(found.map((f) => [f.severity, f.object])).toEqual([
      ["critical", `user adele.vance@contoso.com (${ADELE}) → Global Administrator`],
      ["critical", `user breakglass-01@contoso.onmicrosoft.com (${BG1}) → Global Administrator`],
    ]);
    for (const f of found)
      expect(f.actual).toContain(`permanent membership of a role-assignable group through group Tier-0 ops (${GROUP})`);
    expect(found[1]!.actual).toContain("emergency accounts hold Global Administrator permanently and directly");
    // The group's own assignment is how a role reaches a group: it is judged through the members, not as outside PIM.
    expect(findingsOf(audit, "AUD-OUTSIDE-PIM")).toEqual([]);
  });

  it.each<[string, Json, string, string]>([
    [
      "an assignment type the model does not know",
      { assignmentType: "Borrowed" },
      "critical",
      "a holding of a kind the model does not know",
    ],
    [
      "an assignment scoped to an administrative unit",
      { directoryScopeId: "/administrativeUnits/a0000000-0000-4000-8000-0000000000a0" },
      "critical",
      "scoped to /administrativeunits/a0000000-0000-4000-8000-0000000000a0",
    ],
    [
      "an activation no eligibility backs",
      { assignmentType: "Activated", startDateTime: "2099-01-01T00:00:00Z", endDateTime: "2099-01-01T01:00:00Z" },
      "critical",
      "through an activation that is backed by no eligibility",
    ],
  ])("reads %s as standing (fails closed)", async (_, instance, severity, actual) => {
    const audit = await auditOf(config, (t) => {
      outsider(t);
      hold(t, 60, GLOBAL_ADMINISTRATOR, OUTSIDER, instance, { createdUsing: guid(60, "a4000000") });
    });
    const found = findingsOf(audit, "AUD-PERMANENT-TIER0");
    expect(found.map((f) => f.severity)).toEqual([severity]);
    expect(found[0]!.actual).toContain(actual);
  });

  it("counts the owner of a group holding a Tier-0 role as holding it (an owner can add anyone)", async () => {
    const audit = await auditOf(config, (t) => {
      outsider(t);
      addGroup(t, GROUP, "user-admins", [], [OUTSIDER]);
      t.assignmentInstances.push(assignmentInstance(61, USER_ADMINISTRATOR, GROUP));
    });
    const found = findingsOf(audit, "AUD-PERMANENT-TIER0");
    expect(found.map((f) => f.object)).toEqual([`user it-ops@contoso.com (${OUTSIDER}) → User Administrator`]);
    expect(found[0]!.actual).toContain("(as its owner)");
  });

  it("follows nested groups: a member of a group inside the holding group holds the role", async () => {
    const inner = guid(3, "9c000000");
    const audit = await auditOf(config, (t) => {
      outsider(t);
      addGroup(t, inner, "inner", [OUTSIDER]);
      addGroup(t, GROUP, "outer", [inner]);
      t.assignmentInstances.push(assignmentInstance(62, GLOBAL_ADMINISTRATOR, GROUP));
    });
    expect(findingsOf(audit, "AUD-PERMANENT-TIER0").map((f) => f.object)).toEqual([
      `user it-ops@contoso.com (${OUTSIDER}) → Global Administrator`,
    ]);
  });

  it("reads PIM-for-Groups instances: a bounded activation backed by a group eligibility holds, an assigned or unbacked one is standing", async () => {
    const ids = [guid(70, "ad100000"), guid(71, "ad100000"), guid(72, "ad100000")];
    const pim = (principalId: string, assignmentType: string, end: string | null): Json => ({
      id: `${GROUP}_member_${principalId}`,
      groupId: GROUP,
      principalId,
      accessId: "member",
      assignmentType,
      memberType: "Direct",
      startDateTime: "2099-01-01T00:00:00Z",
      endDateTime: end,
    });
    const audit = await auditOf(config, (t) => {
      ids.forEach((id, i) => t.users.push(user(id, `pim${i}@contoso.com`)));
      addGroup(t, GROUP, "PRA via PIM for Groups", ids);
      t.assignmentInstances.push(assignmentInstance(63, PRIVILEGED_ROLE_ADMINISTRATOR, GROUP));
      t.groupAssignmentInstances.push(
        pim(ids[0]!, "Activated", "2099-01-01T02:00:00Z"),
        pim(ids[1]!, "Assigned", null),
        pim(ids[2]!, "Activated", "2099-01-01T02:00:00Z"),
      );
      t.groupEligibilityInstances.push({
        id: `${GROUP}_member_eligible`,
        groupId: GROUP,
        principalId: ids[0],
        accessId: "member",
        memberType: "Direct",
        startDateTime: "2024-01-01T00:00:00Z",
        endDateTime: null,
      });
    });
    const found = findingsOf(audit, "AUD-PERMANENT-TIER0").map((f) => [f.object, f.actual]);
    expect(found).toEqual([
      [
        `user pim1@contoso.com (${ids[1]}) → Privileged Role Administrator`,
        expect.stringContaining("an active PIM-for-Groups assignment through group PRA via PIM for Groups"),
      ],
      [
        `user pim2@contoso.com (${ids[2]}) → Privileged Role Administrator`,
        expect.stringContaining("a PIM-for-Groups activation through group PRA via PIM for Groups"),
      ],
    ]);
    expect(found[1]![1]).toContain("backed by no eligibility");
  });

  it("ignores roles outside Tier-0 held standing", async () => {
    const audit = await auditOf(config, (t) => {
      outsider(t);
      hold(t, 64, "4a5d8f65-41da-4de4-8968-e035b65339cf", OUTSIDER); // Reports Reader
    });
    expect(described(audit)).toEqual([]);
  });
});

describe.concurrent("custom roles with Tier-0 permissions (AUD-CUSTOM-ROLE-TIER0)", () => {
  const CUSTOM = "c0570000-0000-4000-8000-000000000c05";
  const custom = (actions: unknown): Json => ({
    id: CUSTOM,
    displayName: "Helpdesk plus",
    isBuiltIn: false,
    isEnabled: true,
    templateId: CUSTOM,
    rolePermissions: [{ allowedResourceActions: actions }],
  });

  it("reports the role and judges its holders as Tier-0", async () => {
    const audit = await auditOf(config, (t) => {
      outsider(t);
      t.roleDefinitions.push(custom(["microsoft.directory/users/password/update"]));
      hold(t, 80, CUSTOM, OUTSIDER);
    });
    expect(findingsOf(audit, "AUD-CUSTOM-ROLE-TIER0")).toEqual([
      expect.objectContaining({
        severity: "medium",
        object: `custom role "Helpdesk plus" (${CUSTOM})`,
        actual: "grants microsoft.directory/users/password/update",
      }),
    ]);
    expect(findingsOf(audit, "AUD-PERMANENT-TIER0").map((f) => f.object)).toEqual([
      `user it-ops@contoso.com (${OUTSIDER}) → custom role "Helpdesk plus" (Tier-0 permissions)`,
    ]);
    expect(findingsOf(audit, "AUD-OUTSIDE-PIM")).toHaveLength(1);
  });

  it("treats a role whose permissions cannot be read as Tier-0 (fails closed)", async () => {
    const audit = await auditOf(config, (t) => void t.roleDefinitions.push(custom("not a list")));
    expect(findingsOf(audit, "AUD-CUSTOM-ROLE-TIER0")).toHaveLength(1);
  });

  it("leaves a harmless custom role and its holders alone: they are not even read", async () => {
    const audit = await auditOf(config, (t) => {
      outsider(t);
      t.roleDefinitions.push(custom(["microsoft.directory/users/standard/read"]));
      hold(t, 81, CUSTOM, OUTSIDER);
    });
    expect(described(audit)).toEqual([]);
    expect(audit.snapshot.sources.roleAssignmentScheduleInstances!.some((i) => i.roleDefinitionId === CUSTOM)).toBe(
      false,
    );
  });
});

describe.concurrent("declared exceptions (AUD-EXCEPTION-EXPIRED)", () => {
  const DEPLOYER = "de000000-0000-4000-8000-0000000000de";
  const withException = (expires: string) =>
    validConfig((raw) => {
      raw.exceptions = [
        {
          principal: DEPLOYER,
          principalType: "servicePrincipal",
          label: "deploy pipeline",
          roles: [PRIVILEGED_ROLE_ADMINISTRATOR],
          reason: "pulumi up writes PIM policies",
          owner: "platform-team@contoso.com",
          expires,
        },
      ];
    });
  const deployer = (t: TenantData) => {
    t.servicePrincipals.push({ id: DEPLOYER, displayName: "deploy pipeline", appId: DEPLOYER });
    hold(t, 90, PRIVILEGED_ROLE_ADMINISTRATOR, DEPLOYER);
  };

  it("lets a declared, unexpired exception hold its role standing, outside PIM", async () => {
    expect(described(await auditOf(withException("2099-12-31"), deployer))).toEqual([]);
  });

  it("reports an expired exception, and the holding it no longer covers", async () => {
    const audit = await auditOf(withException("2024-06-30"), deployer);
    expect(findingsOf(audit, "AUD-EXCEPTION-EXPIRED")).toEqual([
      expect.objectContaining({ severity: "high", object: "exception deploy pipeline" }),
    ]);
    const [standing] = findingsOf(audit, "AUD-PERMANENT-TIER0");
    expect(standing!.object).toBe(`servicePrincipal deploy pipeline (${DEPLOYER}) → Privileged Role Administrator`);
    expect(standing!.actual).toContain("its exception expired");
    expect(findingsOf(audit, "AUD-OUTSIDE-PIM")).toHaveLength(1);
  });

  it("does not let a user borrow a service principal's exception", async () => {
    const audit = await auditOf(withException("2099-12-31"), (t) => {
      t.users.push(user(DEPLOYER, "borrower@contoso.com"));
      hold(t, 91, PRIVILEGED_ROLE_ADMINISTRATOR, DEPLOYER);
    });
    expect(findingsOf(audit, "AUD-PERMANENT-TIER0").map((f) => f.actual)).toEqual([
      expect.stringContaining("its exception is declared for a servicePrincipal, but it is a user"),
    ]);
  });
});

describe.concurrent("assignments outside PIM (AUD-OUTSIDE-PIM)", () => {
  it("reports a Tier-0 role assigned outside PIM (createdUsing null), but not the breakglass accounts' GA", async () => {
    const audit = await auditOf(config, (t) =>
      t.assignmentSchedules.push(assignmentSchedule(60, SECURITY_ADMINISTRATOR, ADELE, { createdUsing: null })),
    );
    const found = findingsOf(audit, "AUD-OUTSIDE-PIM");
    expect(found).toHaveLength(1);
    expect(found[0]!.object).toContain("adele.vance@contoso.com");
    expect(found[0]!.controls).toContain("MS.AAD.7.5");
  });

  it("reports a schedule without a start as outside PIM, even with createdUsing set", async () => {
    const audit = await auditOf(config, (t) =>
      t.assignmentSchedules.push(
        assignmentSchedule(61, SECURITY_ADMINISTRATOR, ADELE, {
          scheduleInfo: { startDateTime: null, expiration: { type: "noExpiration" } },
        }),
      ),
    );
    expect(findingsOf(audit, "AUD-OUTSIDE-PIM").map((f) => f.actual)).toEqual([expect.stringContaining("start null")]);
  });
});
