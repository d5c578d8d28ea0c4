/**
 * read.ts: what the reader asks the tenant and what it makes of the answers. Its cost does not grow with the tenant's
 * users; every source of snapshot format 2 is read as Graph and ARM document it (the per-group reads among them);
 * a failed read is recorded under `errors` (never an empty list), a per-group 404 means the group is gone, and a
 * 401/403 stops the run naming the permission to grant. (Retries, timeouts and malformed answers: robustness.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, TIER0_ROLE_IDS } from "@entra-baseline/model";
import type { BaselineConfig } from "../../../src/config/validate";
import { AuditAuthError } from "../../../src/tools/audit/read";
import { KEYED_SOURCES, LIST_SOURCES } from "../../../src/tools/audit/snapshot";
import { graphError } from "../../support/fakes/graphServer";
import {
  ACTION_GROUP_ID,
  assignmentInstance,
  assignmentSchedule,
  caPolicy,
  guid,
  healthyTenant,
  testConfig,
  user,
  WORKSPACE_ID,
  type TenantData,
} from "../../support/fakes/tenant";
import { validConfig } from "../../support/stack";
import { auditData, auditOf, described, findingsOf } from "../../support/audit/harness";

const config = testConfig();
const GROUP = guid(2, "9c000000");
const ADELE = guid(3, "ad000000");

describe("request budget", () => {
  // Every Tier-0 role but Global Administrator made just-in-time for the three eligible admins, so that a tenant
  // where they hold 2,000 bounded activations of those roles is clean: every check runs over all of it.
  const managed = validConfig((raw) => {
    raw.pim.roles = TIER0_ROLE_IDS.filter((r) => r !== GLOBAL_ADMINISTRATOR).map((role) => ({
      role,
      eligibleUsers: raw.pim.eligibleAdmins,
    }));
  });

  function bigTenant(cfg: BaselineConfig): TenantData {
    const data = healthyTenant(cfg);
    const groupId = String(data.groups[0]!.id);
    for (let i = 0; i < 100_000; i++) data.users.push(user(guid(i, "5e000000"), `user${i}@contoso.com`));
    // 500 policies (one page here, so that the test does not wait on the CA throttle), the context's among them.
    const context = data.caPolicies.find((p) => p.id === guid(1, "ac7c0000"))!;
    data.caPolicies = [...Array.from({ length: 499 }, (_, i) => caPolicy(i + 1, [groupId])), context];
    const roles = TIER0_ROLE_IDS.filter((r) => r !== GLOBAL_ADMINISTRATOR);
    const admins = data.eligibilityInstances.filter((e) => e.roleDefinitionId === GLOBAL_ADMINISTRATOR);
    for (let i = 0; i < 2_000; i++) {
      const role = roles[i % roles.length]!;
      const admin = String(admins[i % admins.length]!.principalId);
      const times = { startDateTime: "2025-06-01T08:00:00Z", endDateTime: "2025-06-01T10:00:00Z" };
      data.assignmentInstances.push(
        assignmentInstance(1_000 + i, role, admin, { assignmentType: "Activated", ...times }),
      );
      data.assignmentSchedules.push(
        assignmentSchedule(1_000 + i, role, admin, { assignmentType: "Activated", createdUsing: guid(i, "a4000000") }),
      );
    }
    return data;
  }

  it("is the same for 100,000 users and 2,000 assignments as for a handful, and at most 60 Graph requests", async () => {
    const fake = { caPageSize: 500, rolePageSize: 200 };
    const small = await auditData(healthyTenant(managed), managed, { fake });
    const large = await auditData(bigTenant(managed), managed, { fake });
    expect(described(small)).toEqual([]);
    expect(described(large)).toEqual([]);
    expect(large.result.complete).toBe(true);
    expect(large.snapshot.sources.roleAssignmentScheduleInstances!.length).toBeGreaterThan(2_000);
    expect(large.graphRequestCount).toBe(small.graphRequestCount);
    expect(large.graphRequestCount).toBeLessThanOrEqual(60);
    // Per-user reads name only the two breakglass accounts.
    const perUser = new Set(
      large.requests.graph
        .filter((r) => /^\/v1\.0\/users\/[^/]+\//.test(r.url.pathname))
        .map((r) => r.url.pathname.split("/")[3]),
    );
    expect([...perUser].sort()).toEqual([guid(1, "b0000000"), guid(2, "b0000000")]);
  });
});

describe.concurrent("the sources of snapshot format 2", () => {
  it("reads every source, and nothing it does not need", async () => {
    const { snapshot, requests } = await auditOf(config);
    expect(snapshot.version).toBe(2);
    expect(Object.keys(snapshot.sources).sort()).toEqual([...LIST_SOURCES, ...KEYED_SOURCES].sort());
    expect(snapshot.errors).toBeUndefined();
    const paths = new Set(requests.graph.map((r) => r.url.pathname));
    expect(paths).toContain("/v1.0/identity/conditionalAccess/authenticationContextClassReferences");
    const definitions = requests.graph.find(
      (r) => r.url.pathname === "/v1.0/roleManagement/directory/roleDefinitions",
    )!;
    expect(definitions.url.searchParams.get("$filter")).toBe("isBuiltIn eq false");
    // ARM: the settings, then what they name: the workspace, its three tables, the rules and their action group.
    const arm = requests.arm.map((r) => `${r.url.pathname}?api-version=${r.url.searchParams.get("api-version")}`);
    expect(arm).toEqual(
      expect.arrayContaining([
        "/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01",
        `${WORKSPACE_ID.toLowerCase()}?api-version=2023-09-01`,
        `${WORKSPACE_ID.toLowerCase()}/tables/SigninLogs?api-version=2023-09-01`,
        `${WORKSPACE_ID.toLowerCase()}/tables/AADNonInteractiveUserSignInLogs?api-version=2023-09-01`,
        `${WORKSPACE_ID.toLowerCase()}/tables/AuditLogs?api-version=2023-09-01`,
        `${ACTION_GROUP_ID.toLowerCase()}?api-version=2022-06-01`,
      ]),
    );
    expect(Object.keys(snapshot.sources.workspaceTables!)).toEqual([WORKSPACE_ID.toLowerCase()]);
    expect(snapshot.sources.dataCollectionRules).toEqual([]);
  });

  it("reads per group by why it is read: the exclusion group's members and owners; a Tier-0 group's members, owners and PIM-for-Groups instances; a pim.groups group's policies; an approver group's members", async () => {
    const approvers = guid(7, "9e000000");
    const pimGroup = guid(8, "9e000000");
    const cfg = validConfig((raw) => {
      raw.pim.approvers.groups = [approvers];
      raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }];
      raw.pim.groups = [
        { group: pimGroup, roles: ["Privileged Role Administrator"], eligibleMembers: ["adele.vance@contoso.com"] },
      ];
    });
    const { snapshot, requests } = await auditOf(cfg, (t) => {
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: GROUP,
        displayName: "holders",
        isAssignableToRole: true,
        members: [ADELE],
        owners: [],
      });
      t.assignmentInstances.push(assignmentInstance(70, PRIVILEGED_ROLE_ADMINISTRATOR, GROUP));
      t.groups.push({ ...structuredClone(t.groups.at(-1)!), id: pimGroup, displayName: "pra-pim", members: [] });
    });
    const exclusion = guid(1, "9b000000");
    const s = snapshot.sources;
    expect(Object.keys(s.groupMembers!).sort()).toEqual([exclusion, GROUP, approvers, pimGroup].sort());
    expect(Object.keys(s.groupOwners!).sort()).toEqual([exclusion, GROUP].sort());
    expect(Object.keys(s.groupAssignmentScheduleInstances!).sort()).toEqual([GROUP, pimGroup].sort());
    expect(Object.keys(s.groupEligibilityScheduleInstances!).sort()).toEqual([GROUP, pimGroup].sort());
    expect(Object.keys(s.groupPolicyAssignments!)).toEqual([pimGroup]);
    const policyRead = requests.graph.find(
      (r) =>
        r.url.pathname === "/v1.0/policies/roleManagementPolicyAssignments" &&
        /scopeType eq 'Group'/.test(r.url.searchParams.get("$filter") ?? ""),
    )!;
    expect(policyRead.url.searchParams.get("$filter")).toBe(`scopeId eq '${pimGroup}' and scopeType eq 'Group'`);
    expect(policyRead.url.searchParams.get("$expand")).toBe("policy($expand=rules)");
    // PIM-for-Groups lists are documented to need a groupId (or principalId) filter.
    for (const r of requests.graph.filter((x) => x.url.pathname.startsWith("/v1.0/identityGovernance/")))
      expect(r.url.searchParams.get("$filter")).toMatch(/^groupId eq '[0-9a-f-]{36}'$/);
  });

  it("reads the holders of a custom role that grants Tier-0 permissions, and not of one that does not", async () => {
    const custom = "c0570000-0000-4000-8000-000000000c05";
    const harmless = "c0570000-0000-4000-8000-000000000c06";
    const { requests } = await auditOf(config, (t) =>
      t.roleDefinitions.push(
        {
          id: custom,
          displayName: "Helpdesk plus",
          isBuiltIn: false,
          rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/password/update"] }],
        },
        {
          id: harmless,
          displayName: "Reader plus",
          isBuiltIn: false,
          rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/standard/read"] }],
        },
      ),
    );
    const roleFilters = requests.graph
      .filter((r) => r.url.pathname.startsWith("/v1.0/roleManagement/directory/role"))
      .map((r) => r.url.searchParams.get("$filter") ?? "");
    expect(roleFilters.filter((f) => f.includes(custom))).toHaveLength(3);
    expect(roleFilters.filter((f) => f.includes(harmless))).toEqual([]);
  });

  it("follows @odata.nextLink on a per-group read", async () => {
    const approvers = guid(7, "9e000000");
    const cfg = validConfig((raw) => (raw.pim.approvers.groups = [approvers]));
    const { snapshot, requests } = await auditOf(cfg, (t) => {
      const many = Array.from({ length: 250 }, (_, i) => user(guid(i, "a9000000"), `approver${i}@contoso.com`));
      t.users.push(...many);
      t.groups.find((g) => g.id === approvers)!.members.push(...many.map((u) => String(u.id)));
    });
    expect(snapshot.sources.groupMembers![approvers]).toHaveLength(251);
    expect(
      requests.graph.filter(
        (r) => r.url.pathname === `/v1.0/groups/${approvers}/transitiveMembers` && r.url.searchParams.has("$skiptoken"),
      ),
    ).toHaveLength(2);
  });
});

describe.concurrent("failed reads are recorded, never empty", () => {
  it("a per-group read that fails records its source, and the checks that need it do not run", async () => {
    const audit = await auditOf(config, undefined, {
      maxRetries: 0,
      setup: (t) =>
        void t.graph.route("GET", /^\/v1\.0\/groups\/[^/]+\/owners$/, () => ({
          status: 500,
          body: graphError("InternalServerError", "boom"),
        })),
    });
    expect(audit.snapshot.sources.groupOwners).toBeUndefined();
    expect(audit.snapshot.errors?.groupOwners).toMatch(
      /GET \/v1\.0\/groups\/[^/]+\/owners failed with 500: InternalServerError: boom/,
    );
    expect(findingsOf(audit, "AUD-READ-FAILED").map((f) => f.object)).toEqual(["source groupOwners"]);
    expect(audit.result.skippedChecks).toEqual(
      expect.arrayContaining(["standing Tier-0 access", "breakglass exclusion group", "activation policies"]),
    );
    expect(audit.result.complete).toBe(false);
  });

  it("an ARM read that fails marks what depends on it as not read", async () => {
    const audit = await auditOf(config, undefined, {
      maxRetries: 0,
      setup: (t) =>
        void t.arm.route("GET", /\/workspaces\/[^/]+$/i, () => ({
          status: 500,
          body: { error: { code: "InternalServerError", message: "boom" } },
        })),
    });
    const errors = audit.snapshot.errors ?? {};
    expect(errors.workspaces).toMatch(/failed with 500/);
    expect(errors.workspaceTables).toBe("not read: the workspaces could not be read");
    expect(errors.dataCollectionRules).toBe("not read: the workspaces could not be read");
    expect(audit.result.skippedChecks).toEqual(["Entra logs"]);
  });

  it("a failed read of the scheduled query rules leaves the action groups unread, not empty", async () => {
    const audit = await auditOf(config, undefined, {
      maxRetries: 0,
      setup: (t) =>
        void t.arm.route("GET", /scheduledQueryRules$/, () => ({
          status: 500,
          body: { error: { code: "InternalServerError", message: "boom" } },
        })),
    });
    expect(audit.snapshot.errors?.actionGroups).toBe("not read: the scheduled query rules could not be read");
    expect(findingsOf(audit, "AUD-TRIPWIRE-MISSING")).toEqual([]);
    expect(audit.result.skippedChecks).toEqual(["breakglass tripwire"]);
  });
});

describe.concurrent("a per-group read answered 404", () => {
  it("means the group is gone, not a failed read; a role held by a group whose members cannot be read stays standing access", async () => {
    const audit = await auditOf(
      config,
      (t) => {
        t.groups.push({
          "@odata.type": "#microsoft.graph.group",
          id: GROUP,
          displayName: "holders",
          isAssignableToRole: true,
          members: [ADELE],
          owners: [],
        });
        t.assignmentInstances.push(assignmentInstance(71, GLOBAL_ADMINISTRATOR, GROUP));
      },
      {
        setup: (t) =>
          void t.graph.route("GET", `/v1.0/groups/${GROUP}/transitiveMembers`, () => ({
            status: 404,
            body: graphError("Request_ResourceNotFound", "no such group"),
          })),
      },
    );
    expect(audit.snapshot.errors).toBeUndefined();
    expect(Object.keys(audit.snapshot.sources.groupMembers!)).not.toContain(GROUP);
    expect(findingsOf(audit, "AUD-PERMANENT-TIER0").map((f) => [f.severity, f.actual])).toEqual([
      ["critical", expect.stringContaining(`of group holders (${GROUP}): its members were not read`)],
    ]);
  });

  it("for an approver group that no longer exists, leaves it out of the source", async () => {
    const approvers = guid(7, "9e000000");
    const cfg = validConfig((raw) => (raw.pim.approvers.groups = [approvers]));
    const audit = await auditOf(cfg, (t) => void (t.groups = t.groups.filter((g) => g.id !== approvers)));
    expect(audit.snapshot.errors).toBeUndefined();
    expect(Object.keys(audit.snapshot.sources.groupMembers!)).not.toContain(approvers);
    expect(audit.requests.graph.some((r) => r.url.pathname === `/v1.0/groups/${approvers}/transitiveMembers`)).toBe(
      true,
    );
  });
});

describe.concurrent("401/403: the run stops, naming what to grant", () => {
  const denied = {
    status: 403,
    body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
  };

  it.each<[string, string | RegExp, RegExp]>([
    [
      "the authentication contexts",
      "/v1.0/identity/conditionalAccess/authenticationContextClassReferences",
      /Policy\.Read\.ConditionalAccess or Policy\.Read\.All/,
    ],
    [
      "the custom role definitions",
      "/v1.0/roleManagement/directory/roleDefinitions",
      /RoleManagement\.Read\.Directory/,
    ],
    ["the group owners", /^\/v1\.0\/groups\/[^/]+\/owners$/, /GroupMember\.Read\.All or Group\.Read\.All/],
    [
      "the PIM-for-Groups assignments",
      "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleInstances",
      /PrivilegedAssignmentSchedule\.Read\.AzureADGroup with admin consent \(signed in as a user: the Global Reader role\)/,
    ],
    [
      "the PIM-for-Groups eligibilities",
      "/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances",
      /PrivilegedEligibilitySchedule\.Read\.AzureADGroup/,
    ],
  ])("%s", async (_, route, permission) => {
    const cfg = validConfig(
      (raw) =>
        (raw.pim.groups = [
          { group: GROUP, roles: ["Global Administrator"], eligibleMembers: ["adele.vance@contoso.com"] },
        ]),
    );
    const error = await auditOf(cfg, undefined, { setup: (t) => void t.graph.route("GET", route, () => denied) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuditAuthError);
    expect((error as Error).message).toMatch(permission);
  });

  it("a group's PIM policy names the group permission, not the directory one", async () => {
    const cfg = validConfig(
      (raw) =>
        (raw.pim.groups = [
          { group: GROUP, roles: ["Global Administrator"], eligibleMembers: ["adele.vance@contoso.com"] },
        ]),
    );
    const error = (await auditOf(cfg, undefined, {
      setup: (t) =>
        void t.graph.route("GET", "/v1.0/policies/roleManagementPolicyAssignments", (req) =>
          /scopeType eq 'Group'/.test(req.url.searchParams.get("$filter") ?? "") ? denied : { body: { value: [] } },
        ),
    }).catch((e: unknown) => e)) as AuditAuthError;
    expect(error).toBeInstanceOf(AuditAuthError);
    expect(error.problems).toEqual([
      expect.stringContaining("needs the Microsoft Graph permission RoleManagementPolicy.Read.AzureADGroup"),
    ]);
  });

  it("an ARM read of the workspaces names the Azure role", async () => {
    const error = (await auditOf(config, undefined, {
      setup: (t) =>
        void t.arm.route("GET", /\/workspaces\/[^/]+$/i, () => ({
          status: 403,
          body: { error: { code: "AuthorizationFailed", message: "no access" } },
        })),
    }).catch((e: unknown) => e)) as AuditAuthError;
    expect(error).toBeInstanceOf(AuditAuthError);
    expect(error.message).toContain(
      "Reading workspaces needs the Azure role Reader (or Monitoring Reader) on the monitoring resource group",
    );
  });
});
