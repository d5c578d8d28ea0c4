/**
 * "Privileged role assigned outside PIM" evaluated over audit records shaped like the documented ones: Core
 * Directory's direct grants (role in the principal's modifiedProperties) and PIM's own "outside of PIM" record
 * alert; PIM's service identities, non-Tier-0 roles, a breakglass account's Global Administrator and exactly the
 * declared exceptions' live principal/role pairs do not — the last decided as the model's coveringException does.
 */
import { describe, expect, it } from "vitest";
import {
  coveringException,
  evaluateKql,
  GLOBAL_ADMINISTRATOR,
  resolveRole,
  roleAssignedOutsidePimDefinition,
  SECURITY_ADMINISTRATOR,
  type StandingException,
} from "@entra-baseline/model";
import {
  coreDirectoryRoleGrant,
  GLOBAL_ADMIN_ROLE,
  type Grantee,
  logTables,
  pimOutsidePimRecord,
  breakglassOf,
  type LogRecord,
} from "../../support/kqlFixtures";

const NOW = new Date("2025-06-09T12:00:00Z");
const TIME = "2025-06-09T11:58:00Z";
const bg = breakglassOf(2);
const SECURITY_ADMIN = { templateId: SECURITY_ADMINISTRATOR, name: "Security Administrator" };
const SYNC_ROLE = { templateId: "d29b2b05-8046-44ba-8758-1e26182fcf32", name: "Directory Synchronization Accounts" };
const REPORTS_READER = { templateId: "4a5d8f65-41da-4de4-8968-e035b65339cf", name: "Reports Reader" };

const user: Grantee = {
  id: "6b6b6b6b-0000-4000-8000-000000000001",
  type: "User",
  userPrincipalName: "megan.bowen@contoso.com",
};
const app: Grantee = {
  id: "7c7c7c7c-0000-4000-8000-000000000002",
  type: "ServicePrincipal",
  displayName: "deploy-pipeline",
};
const breakglassUser: Grantee = { id: bg.objectIds[0]!, type: "User", userPrincipalName: bg.userPrincipalNames[0]! };

function alerts(records: LogRecord[], exceptions: StandingException[] = []) {
  return evaluateKql(roleAssignedOutsidePimDefinition(bg, 5, exceptions), logTables({ AuditLogs: records }), {
    now: NOW,
  }).rows;
}

describe("direct grants logged by Core Directory", () => {
  it("Global Administrator to a user alerts, with the role read from the user's modifiedProperties", () => {
    const record = coreDirectoryRoleGrant({ time: TIME, grantee: user, role: GLOBAL_ADMIN_ROLE });
    const [row, ...more] = alerts([record]);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      OperationName: "Add member to role",
      RoleName: "Global Administrator",
      RoleTemplateId: GLOBAL_ADMINISTRATOR,
      PrincipalName: "megan.bowen@contoso.com",
      PrincipalId: user.id,
      PrincipalType: "User",
      Actor: "it.admin@contoso.com",
      Result: "success",
    });
    // The Role target of such a record has no display name: the role is only in the principal's properties.
    expect((record.TargetResources as { type: string; displayName: unknown }[])[1]).toMatchObject({
      type: "Role",
      displayName: null,
    });
  });

  it("Global Administrator to a service principal alerts, named by its display name", () => {
    const [row] = alerts([coreDirectoryRoleGrant({ time: TIME, grantee: app, role: GLOBAL_ADMIN_ROLE })]);
    expect(row).toMatchObject({
      PrincipalName: "deploy-pipeline",
      PrincipalType: "ServicePrincipal",
      RoleTemplateId: GLOBAL_ADMINISTRATOR,
    });
  });

  it("a change PIM made (Identity MS-PIM, or MS-PIM-Fairfax in the US Government cloud) does not alert", () => {
    const byPim = (identity: string) =>
      coreDirectoryRoleGrant({
        time: TIME,
        grantee: user,
        role: GLOBAL_ADMIN_ROLE,
        identity,
        actor: { app: { displayName: identity, servicePrincipalId: "8d8d8d8d-0000-4000-8000-000000000003" } },
      });
    expect(alerts([byPim("MS-PIM"), byPim("MS-PIM-Fairfax")])).toEqual([]);
  });

  it("a role outside Tier-0 does not alert; every Tier-0 role does", () => {
    expect(alerts([coreDirectoryRoleGrant({ time: TIME, grantee: user, role: REPORTS_READER })])).toEqual([]);
    expect(
      alerts([coreDirectoryRoleGrant({ time: TIME, grantee: user, role: SECURITY_ADMIN })]).map((r) => r.RoleName),
    ).toEqual(["Security Administrator"]);
  });

  it("counts only records ingested since the previous run (plus a minute), so each grant notifies once", () => {
    const old = coreDirectoryRoleGrant({ time: "2025-06-09T11:00:00Z", grantee: user, role: GLOBAL_ADMIN_ROLE });
    const late = coreDirectoryRoleGrant({
      time: "2025-06-09T11:00:00Z",
      ingested: "2025-06-09T11:57:00Z",
      grantee: user,
      role: SECURITY_ADMIN,
    });
    expect(alerts([old, late]).map((r) => r.RoleName)).toEqual(["Security Administrator"]);
  });
});

describe("PIM's record of an assignment made outside it", () => {
  it("alerts, with the role from the Role target (name and TemplateId property)", () => {
    const [row] = alerts([
      pimOutsidePimRecord({ time: TIME, grantee: { ...user, displayName: "Megan Bowen" }, role: GLOBAL_ADMIN_ROLE }),
    ]);
    expect(row).toMatchObject({
      OperationName: "Add member to role outside of PIM (permanent)",
      RoleName: "Global Administrator",
      RoleTemplateId: GLOBAL_ADMINISTRATOR,
      PrincipalId: user.id,
      PrincipalType: "User",
      Actor: "MS-PIM",
    });
  });

  it("is not mistaken for a PIM-for-Groups record (another category)", () => {
    const record = {
      ...pimOutsidePimRecord({ time: TIME, grantee: user, role: GLOBAL_ADMIN_ROLE }),
      Category: "GroupManagement",
    };
    expect(alerts([record])).toEqual([]);
  });
});

describe("breakglass accounts", () => {
  it("their Global Administrator is by design and does not alert, whichever service logs it", () => {
    expect(
      alerts([
        coreDirectoryRoleGrant({ time: TIME, grantee: breakglassUser, role: GLOBAL_ADMIN_ROLE }),
        pimOutsidePimRecord({ time: TIME, grantee: breakglassUser, role: GLOBAL_ADMIN_ROLE }),
      ]),
    ).toEqual([]);
  });

  it("any other Tier-0 role on them alerts, and so does Global Administrator for the exclusion group", () => {
    const rows = alerts([
      coreDirectoryRoleGrant({ time: TIME, grantee: breakglassUser, role: SECURITY_ADMIN }),
      coreDirectoryRoleGrant({
        time: TIME,
        grantee: { id: bg.groupObjectId, type: "Group", displayName: "Emergency access accounts" },
        role: GLOBAL_ADMIN_ROLE,
      }),
    ]);
    expect(rows.map((r) => [r.PrincipalId, r.RoleName])).toEqual([
      [breakglassUser.id, "Security Administrator"],
      [bg.groupObjectId, "Global Administrator"],
    ]);
  });
});

describe("declared exceptions", () => {
  const syncAccount: StandingException = {
    principal: app.id,
    principalType: "servicePrincipal",
    label: "Entra Connect sync",
    roles: ["Directory Synchronization Accounts", SECURITY_ADMINISTRATOR],
    reason: "Entra Connect needs it to synchronise",
    owner: "identity-team@contoso.com",
    expires: "2025-06-30",
  };

  it("exclude exactly their principal/role pairs", () => {
    const rows = alerts(
      [
        coreDirectoryRoleGrant({ time: TIME, grantee: app, role: SYNC_ROLE }),
        coreDirectoryRoleGrant({ time: TIME, grantee: app, role: SECURITY_ADMIN }),
        coreDirectoryRoleGrant({ time: TIME, grantee: app, role: GLOBAL_ADMIN_ROLE }),
        coreDirectoryRoleGrant({ time: TIME, grantee: user, role: SYNC_ROLE }),
      ],
      [syncAccount],
    );
    expect(rows.map((r) => [r.PrincipalId, r.RoleName])).toEqual([
      [app.id, "Global Administrator"],
      [user.id, "Directory Synchronization Accounts"],
    ]);
  });

  it("an expired exception excludes nothing: its expiry is in the query, so it lapses without a redeploy", () => {
    const lastDay = "2025-06-30T23:59:00Z";
    const dayAfter = "2025-07-01T00:00:00Z";
    const later = new Date("2025-07-01T00:01:00Z");
    const at = (time: string, now: Date) =>
      evaluateKql(
        roleAssignedOutsidePimDefinition(bg, 5, [syncAccount]),
        logTables({ AuditLogs: [coreDirectoryRoleGrant({ time, grantee: app, role: SYNC_ROLE })] }),
        { now },
      ).rows;
    expect(at(lastDay, new Date("2025-07-01T00:00:30Z"))).toEqual([]);
    expect(at(dayAfter, later).map((r) => r.RoleName)).toEqual(["Directory Synchronization Accounts"]);
  });

  it("covers nothing for another principal type, nor when the model refuses it (a person excepted for Global Administrator)", () => {
    const asUser = { ...syncAccount, principalType: "user" as const };
    expect(alerts([coreDirectoryRoleGrant({ time: TIME, grantee: app, role: SYNC_ROLE })], [asUser])).toHaveLength(1);
    const refused: StandingException = {
      ...syncAccount,
      principal: user.id,
      principalType: "user",
      roles: [GLOBAL_ADMINISTRATOR],
    };
    expect(
      alerts([coreDirectoryRoleGrant({ time: TIME, grantee: user, role: GLOBAL_ADMIN_ROLE })], [refused]),
    ).toHaveLength(1);
  });

  it("decide every principal, type, role and time exactly as the model's coveringException does", () => {
    const other: StandingException = {
      principal: user.id,
      principalType: "user",
      roles: ["Exchange Administrator"],
      reason: "mailbox migration until the cut-over",
      owner: "messaging@contoso.com",
      expires: "2025-06-10",
    };
    const exceptions = [syncAccount, other];
    const roles = [
      SYNC_ROLE,
      SECURITY_ADMIN,
      GLOBAL_ADMIN_ROLE,
      { templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" },
    ];
    const times = ["2025-06-09T11:58:00Z", "2025-06-10T23:58:00Z", "2025-06-30T23:58:00Z", "2025-07-01T00:00:00Z"];
    for (const grantee of [user, app, { ...app, type: "User" as const, userPrincipalName: "lookalike@contoso.com" }]) {
      for (const role of roles) {
        for (const time of times) {
          const now = new Date(Date.parse(time) + 60_000);
          const rows = evaluateKql(
            roleAssignedOutsidePimDefinition(bg, 5, exceptions),
            logTables({ AuditLogs: [coreDirectoryRoleGrant({ time, grantee, role })] }),
            { now },
          ).rows;
          const type = grantee.type === "User" ? "user" : grantee.type === "Group" ? "group" : "servicePrincipal";
          // coveringException takes roles as template ids ("the adapters resolve names first").
          const resolved = exceptions.map((e) => ({ ...e, roles: e.roles.map((r) => resolveRole(r)!.templateId) }));
          const covered = coveringException(resolved, { id: grantee.id, type }, role.templateId, new Date(time));
          expect(rows.length === 0, `${grantee.type} ${grantee.id} ${role.name} at ${time}`).toBe(
            covered !== undefined,
          );
        }
      }
    }
  });
});
