/**
 * The RoleManagementPolicy dynamic provider end to end against the loopback Graph: real HTTP, the production
 * credential chain (only `az` is a fake), the documented JSON shapes of PIM policies (test/support/fakes/pimPolicy.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  roleManagementPolicyProvider as provider,
  type RoleManagementPolicyInputs,
  type RoleManagementPolicyOutputs,
} from "../../../src/components/pim/provider";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "@entra-baseline/model";
import { FAKE_TOKEN } from "../../support/fakes/azureCli";
import { graphError, type FakeRequest } from "../../support/fakes/graphServer";
import { loopbackConnection, useLoopbackGraph } from "../../support/fakes/loopbackGraph";
import { FakePimPolicies, PIM_ROUTES } from "../../support/fakes/pimPolicy";
import { activationSettings, APPROVER_GROUP, APPROVER_USER } from "../../support/builders/activationSettings";

const graph = useLoopbackGraph();
afterEach(() => {
  graph.requests.length = 0;
});

function inputs(overrides: Partial<RoleManagementPolicyInputs> = {}): RoleManagementPolicyInputs {
  return { ...activationSettings(), ...loopbackConnection(graph.url), ...overrides };
}

function tenant(options?: ConstructorParameters<typeof FakePimPolicies>[0]): FakePimPolicies {
  return new FakePimPolicies(options).install(graph);
}

const patches = () => graph.requestsTo("PATCH", PIM_ROUTES.rule);
const ruleOf = (req: FakeRequest) => decodeURIComponent(req.url.pathname.split("/").pop()!);
const target = (caller: string, level: string) => ({
  caller,
  level,
  operations: ["All"],
  inheritableSettings: [],
  enforcedSettings: [],
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!result) throw new Error("expected the call to fail");
  return result;
}

describe("RoleManagementPolicy provider: create", () => {
  it("looks the policy up by role with the documented filter and expansion, never by a fixed id", async () => {
    const fake = tenant({ roles: [PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] });
    const { id } = await provider.create(inputs());
    const lookup = graph.requestsTo("GET", PIM_ROUTES.assignments)[0]!;
    expect(lookup.url.searchParams.get("$filter")).toBe(
      `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${GLOBAL_ADMINISTRATOR}'`,
    );
    expect(lookup.url.searchParams.get("$expand")).toBe("policy($expand=rules)");
    expect(id).toBe(fake.policyIdOf(GLOBAL_ADMINISTRATOR));
    // Only the GA policy was written; the other role's rules are untouched.
    expect(
      patches().every((p) =>
        p.url.pathname.includes(`/roleManagementPolicies/${fake.policyIdOf(GLOBAL_ADMINISTRATOR)}/`),
      ),
    ).toBe(true);
    expect(fake.rule("Expiration_EndUser_Assignment", PRIVILEGED_ROLE_ADMINISTRATOR).maximumDuration).toBe("PT8H");
  });

  it("PATCHes only the rules that differ, with the exact documented bodies", async () => {
    const fake = tenant();
    await provider.create(inputs());
    const sent = new Map(patches().map((p) => [ruleOf(p), p.body]));
    // Default tenant: eligibility/active expiry and requestor/approver notifications are already as wanted.
    expect([...sent.keys()]).toEqual([
      "Enablement_EndUser_Assignment", // before the authentication context: MFA goes away first
      "AuthenticationContext_EndUser_Assignment",
      "Expiration_EndUser_Assignment",
      "Approval_EndUser_Assignment",
      "Notification_Admin_Admin_Eligibility",
      "Notification_Admin_Admin_Assignment",
      "Notification_Admin_EndUser_Assignment",
    ]);
    expect(sent.get("Expiration_EndUser_Assignment")).toEqual({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: "PT4H",
      target: target("EndUser", "Assignment"),
    });
    expect(sent.get("Enablement_EndUser_Assignment")).toEqual({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_EndUser_Assignment",
      enabledRules: ["Justification", "Ticketing"],
      target: target("EndUser", "Assignment"),
    });
    expect(sent.get("AuthenticationContext_EndUser_Assignment")).toEqual({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: true,
      claimValue: "c1",
      target: target("EndUser", "Assignment"),
    });
    expect(sent.get("Approval_EndUser_Assignment")).toEqual({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
      id: "Approval_EndUser_Assignment",
      target: target("EndUser", "Assignment"),
      setting: {
        "@odata.type": "#microsoft.graph.approvalSettings",
        isApprovalRequired: true,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: "SingleStage",
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [
              { "@odata.type": "#microsoft.graph.singleUser", userId: APPROVER_USER },
              { "@odata.type": "#microsoft.graph.groupMembers", groupId: APPROVER_GROUP },
            ],
            escalationApprovers: [],
          },
        ],
      },
    });
    for (const [rule, caller, level] of [
      ["Notification_Admin_Admin_Eligibility", "Admin", "Eligibility"],
      ["Notification_Admin_Admin_Assignment", "Admin", "Assignment"],
      ["Notification_Admin_EndUser_Assignment", "EndUser", "Assignment"],
    ] as const) {
      expect(sent.get(rule)).toEqual({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
        id: rule,
        notificationType: "Email",
        recipientType: "Admin",
        notificationLevel: "All",
        isDefaultRecipientsEnabled: true,
        notificationRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
        target: target(caller, level),
      });
    }
    // And the tenant now holds them (as Graph returns them: operations lower-case).
    expect(fake.rule("Expiration_EndUser_Assignment")).toMatchObject({
      maximumDuration: "PT4H",
      target: { operations: ["all"] },
    });
  });

  it("reads back every patched rule and returns the live settings, policy id and no drift", async () => {
    const fake = tenant();
    const { id, outs } = await provider.create(inputs());
    const readBacks = graph.requestsTo("GET", PIM_ROUTES.rule).map(ruleOf);
    expect(readBacks.sort()).toEqual(patches().map(ruleOf).sort());
    const { graphEndpoint, policyId, ruleDrift, ...settings } = outs as RoleManagementPolicyOutputs;
    expect({ id, policyId, graphEndpoint, ruleDrift }).toEqual({
      id: fake.policyIdOf(),
      policyId: fake.policyIdOf(),
      graphEndpoint: graph.url,
      ruleDrift: [],
    });
    const { graphEndpoint: _e, ...wanted } = inputs();
    expect(settings).toEqual(wanted);
  });

  it("sends no PATCH when the tenant is already compliant", async () => {
    tenant();
    await provider.create(inputs());
    graph.requests.length = 0;
    const { outs } = await provider.update!(graph.url, {} as RoleManagementPolicyOutputs, inputs());
    expect(patches()).toHaveLength(0);
    expect(graph.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`GET ${PIM_ROUTES.assignments}`]);
    expect(outs!.ruleDrift).toEqual([]);
  });

  it("keeps the tenant's maximumDuration when expiry is not required, and requires expiry when asked", async () => {
    const fake = tenant();
    fake.setRule("Expiration_Admin_Eligibility", { isExpirationRequired: true, maximumDuration: "P90D" });
    await provider.create(inputs({ activeAssignmentExpiration: { required: true, maximumDuration: "P30D" } }));
    const sent = new Map(patches().map((p) => [ruleOf(p), p.body as Record<string, unknown>]));
    expect(sent.get("Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: "P90D",
    });
    expect(sent.get("Expiration_Admin_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P30D",
      target: target("Admin", "Assignment"),
    });
  });

  it("fails, naming the rule and the field, when Graph answers 204 but does not persist the change", async () => {
    const fake = tenant();
    fake.setRule("Expiration_Admin_Eligibility", { isExpirationRequired: true, maximumDuration: "P90D" });
    fake.dropPatches("Expiration_Admin_Eligibility", "isExpirationRequired");
    const error = await failure(provider.create(inputs()));
    expect(error.message).toContain("did not persist");
    expect(error.message).toContain("Expiration_Admin_Eligibility.isExpirationRequired is true (wanted false)");
    // It really was written and read back, not guessed.
    expect(patches().map(ruleOf)).toContain("Expiration_Admin_Eligibility");
    expect(graph.requestsTo("GET", PIM_ROUTES.rule).map(ruleOf)).toContain("Expiration_Admin_Eligibility");
  });

  it("reports every rule whose PATCH did not persist, not just the first", async () => {
    const fake = tenant();
    fake
      .dropPatches("Approval_EndUser_Assignment")
      .dropPatches("Notification_Admin_EndUser_Assignment", "notificationRecipients");
    const error = await failure(provider.create(inputs()));
    expect(error.message).toContain("Approval_EndUser_Assignment.setting.isApprovalRequired is false (wanted true)");
    expect(error.message).toContain("Notification_Admin_EndUser_Assignment.notificationRecipients is []");
  });

  it("fails clearly when the role has no policy (no PIM licence) or more than one assignment", async () => {
    tenant({ roles: [PRIVILEGED_ROLE_ADMINISTRATOR] });
    expect((await failure(provider.create(inputs()))).message).toMatch(
      /expected exactly one PIM policy assignment .* found 0\. PIM for directory roles needs Entra ID P2/,
    );
    tenant({ extraAssignments: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR, policyId: "DirectoryRole_x_other" }] });
    expect((await failure(provider.create(inputs()))).message).toMatch(
      /found 2 \(DirectoryRole_.*, DirectoryRole_x_other\)\. Nothing was changed\./,
    );
    expect(patches()).toHaveLength(0);
  });
});

describe("RoleManagementPolicy provider: refresh and diff", () => {
  it("read() shows an out-of-band change and diff() then asks for an update that repairs it", async () => {
    const fake = tenant();
    const created = await provider.create(inputs());
    fake.setRule("Expiration_EndUser_Assignment", { maximumDuration: "PT8H" });
    fake.setRule("Enablement_EndUser_Assignment", { enabledRules: ["Justification"] });
    fake.setRule("Notification_Approver_EndUser_Assignment", { notificationLevel: "None" });

    const refreshed = await provider.read!(created.id, created.outs);
    const live = refreshed.props as RoleManagementPolicyOutputs;
    expect(refreshed.id).toBe(created.id);
    expect(live.maxActivationDuration).toBe("PT8H");
    expect(live.requireTicket).toBe(false);
    expect(live.ruleDrift).toEqual([
      'Notification_Approver_EndUser_Assignment.notificationLevel is "None" (wanted "All")',
    ]);

    expect(await provider.diff!(created.id, live, inputs())).toEqual({ changes: true, replaces: [] });
    graph.requests.length = 0;
    await provider.update!(created.id, live, inputs());
    expect(patches().map(ruleOf).sort()).toEqual([
      "Enablement_EndUser_Assignment",
      "Expiration_EndUser_Assignment",
      "Notification_Approver_EndUser_Assignment",
    ]);
    const again = (await provider.read!(created.id, live)).props as RoleManagementPolicyOutputs;
    expect(await provider.diff!(created.id, again, inputs())).toEqual({ changes: false, replaces: [] });
  });

  it("read() sees approvers changed in the portal", async () => {
    const fake = tenant();
    const created = await provider.create(inputs());
    const approval = structuredClone(fake.rule("Approval_EndUser_Assignment").setting) as {
      approvalStages: { primaryApprovers: unknown[] }[];
    };
    approval.approvalStages[0]!.primaryApprovers = [
      {
        "@odata.type": "#microsoft.graph.singleUser",
        userId: "99999999-9999-4999-8999-999999999999",
        isBackup: false,
        id: null,
        description: null,
      },
    ];
    fake.setRule("Approval_EndUser_Assignment", { setting: approval });
    const live = (await provider.read!(created.id, created.outs)).props as RoleManagementPolicyOutputs;
    expect(live.approval.approvers).toEqual([{ kind: "user", id: "99999999-9999-4999-8999-999999999999" }]);
    expect((await provider.diff!(created.id, live, inputs())).changes).toBe(true);
  });

  it("diff() ignores what Graph legitimately rewrites and replaces on a different role", async () => {
    const olds = { ...inputs(), policyId: "p", ruleDrift: [] } as RoleManagementPolicyOutputs;
    const news = inputs({
      maxActivationDuration: "PT240M",
      notificationRecipients: ["IDENTITY-team@contoso.com", "secops@contoso.com"],
      approval: {
        required: true,
        approvers: [
          { kind: "group", id: APPROVER_GROUP.toUpperCase() },
          { kind: "user", id: APPROVER_USER },
        ],
      },
    });
    expect(await provider.diff!("p", olds, news)).toEqual({ changes: false, replaces: [] });
    expect(await provider.diff!("p", olds, inputs({ requireTicket: false }))).toEqual({ changes: true, replaces: [] });
    expect(await provider.diff!("p", olds, inputs({ roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR }))).toEqual({
      changes: true,
      replaces: ["roleDefinitionId"],
    });
  });
});

describe("RoleManagementPolicy provider: Graph faults", () => {
  it("waits for Retry-After on a throttled lookup", async () => {
    tenant();
    graph.failNext("GET", PIM_ROUTES.assignments, {
      status: 429,
      headers: { "Retry-After": "1" },
      body: graphError("TooManyRequests", "slow down"),
    });
    const started = Date.now();
    await provider.create(inputs());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.requestsTo("GET", PIM_ROUTES.assignments)).toHaveLength(2);
  });

  it("backs off by itself on a 429 without Retry-After on a PATCH, then applies it once", async () => {
    const fake = tenant();
    graph.failNext("PATCH", PIM_ROUTES.rule, { status: 429, body: graphError("TooManyRequests", "slow down") });
    await provider.create(inputs());
    const first = patches().map(ruleOf);
    expect(first[0]).toBe(first[1]); // the throttled PATCH was retried
    expect(first).toHaveLength(8);
    expect(fake.rule("Enablement_EndUser_Assignment").enabledRules).toEqual(["Justification", "Ticketing"]);
  });

  it("retries a 503 on the read-back, then verifies", async () => {
    tenant();
    graph.failNext("GET", PIM_ROUTES.rule, { status: 503, body: graphError("ServiceUnavailable", "busy") });
    const { outs } = await provider.create(inputs());
    expect(outs!.ruleDrift).toEqual([]);
    expect(graph.requestsTo("GET", PIM_ROUTES.rule)).toHaveLength(patches().length + 1);
  });

  it("names the write permission when a PATCH is denied", async () => {
    tenant();
    graph.failNext("PATCH", PIM_ROUTES.rule, {
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    });
    const error = await failure(provider.create(inputs()));
    expect(error.message).toContain("updating rule Enablement_EndUser_Assignment");
    expect(error.message).toContain("denied (403 Authorization_RequestDenied");
    expect(error.message).toContain("RoleManagementPolicy.ReadWrite.Directory");
    expect(patches()).toHaveLength(1); // a 403 is not retried
  });

  it("names the read permission when the lookup is denied", async () => {
    tenant();
    graph.failNext("GET", PIM_ROUTES.assignments, {
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    });
    const error = await failure(provider.read!("x", inputs() as RoleManagementPolicyOutputs));
    expect(error.message).toContain("looking up the PIM policy of role");
    expect(error.message).toContain("RoleManagementPolicy.Read.Directory");
  });

  it("follows @odata.nextLink across pages of the assignment lookup", async () => {
    const fake = tenant({ pages: 3 });
    const { id } = await provider.create(inputs());
    expect(id).toBe(fake.policyIdOf());
    const lookups = graph.requestsTo("GET", PIM_ROUTES.assignments);
    expect(lookups.map((r) => r.url.searchParams.get("$skiptoken"))).toEqual([null, "1", "2"]);
    expect(lookups.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
  });

  it("counts assignments over every page: a second one on a later page is still ambiguous", async () => {
    tenant({
      pages: 2,
      extraAssignments: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR, policyId: "DirectoryRole_x_other" }],
    });
    expect((await failure(provider.create(inputs()))).message).toContain("found 2");
  });
});

describe("RoleManagementPolicy provider: unexpected answers", () => {
  it("writes nothing when an owned rule is missing from the policy, and names it", async () => {
    const fake = tenant();
    fake.policies.get(fake.policyIdOf())!.delete("Notification_Admin_EndUser_Assignment");
    const error = await failure(provider.create(inputs()));
    expect(error.message).toMatch(
      /policy DirectoryRole_.* has no rule "Notification_Admin_EndUser_Assignment" \(expected the 17 documented rules\)\. Nothing was changed\./,
    );
    expect(patches()).toHaveLength(0);
  });

  it("writes nothing when the expanded rules are not a list, and says which call answered what", async () => {
    tenant();
    graph.route("GET", PIM_ROUTES.assignments, () => ({
      body: {
        value: [{ id: "a", policyId: "DirectoryRole_x_y", policy: { id: "DirectoryRole_x_y", rules: { id: "oops" } } }],
      },
    }));
    const error = await failure(provider.create(inputs()));
    expect(error.message).toMatch(
      /RoleManagementPolicy: reading the rules of policy DirectoryRole_x_y: GET \/v1\.0\/policies\/roleManagementPolicyAssignments .* answered \{"id":"oops"\}, where Microsoft Graph documents a list of rules/,
    );
    expect(patches()).toHaveLength(0);
  });

  it("refuses a rule without an @odata.type instead of comparing against it", async () => {
    const fake = tenant();
    const rules = fake.policies.get(fake.policyIdOf())!;
    const { "@odata.type": _type, ...untyped } = rules.get("Approval_EndUser_Assignment")!;
    rules.set("Approval_EndUser_Assignment", untyped as never);
    const error = await failure(provider.read!("x", inputs() as RoleManagementPolicyOutputs));
    expect(error.message).toMatch(
      /\(rule 12\) answered \{"id":"Approval_EndUser_Assignment".*where Microsoft Graph documents a rule with an id and an @odata\.type/,
    );
  });

  it("says which rules were already updated when a later PATCH fails", async () => {
    tenant();
    graph.failNext(
      "PATCH",
      PIM_ROUTES.rule,
      { status: 204 },
      { status: 204 },
      { status: 400, body: graphError("InvalidPolicy", "The policy rule is invalid.") },
    );
    const error = await failure(provider.create(inputs()));
    expect(error.message).toMatch(
      /updating rule Expiration_EndUser_Assignment of policy .* \(already updated: Enablement_EndUser_Assignment, AuthenticationContext_EndUser_Assignment; the next run converges the rest\): PATCH .* failed with 400: InvalidPolicy/,
    );
  });

  it("fails clearly when a read-back answers no rule", async () => {
    tenant();
    graph.failNext("GET", PIM_ROUTES.rule, { status: 200 });
    const error = await failure(provider.create(inputs()));
    expect(error.message).toMatch(
      /RoleManagementPolicy: reading back rule Enablement_EndUser_Assignment of policy .*: GET .* answered nothing, where Microsoft Graph documents an object/,
    );
  });
});

describe("RoleManagementPolicy provider: delete", () => {
  it("leaves the tenant's rules in place, says so, and calls no API", async () => {
    const fake = tenant();
    const { id } = await provider.create(inputs());
    const before = JSON.stringify(fake.rules());
    graph.requests.length = 0;
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
      await provider.delete!(id, {} as RoleManagementPolicyOutputs);
    } finally {
      console.warn = original;
    }
    expect(graph.requests).toHaveLength(0);
    expect(JSON.stringify(fake.rules())).toBe(before);
    expect(warnings.join("\n")).toMatch(new RegExp(`PIM policy ${id} keeps its current rules in the tenant`));
  });
});
