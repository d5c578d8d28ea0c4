import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FINDING_KINDS } from "../../../src/tools/audit/findings";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, SECURITY_ADMINISTRATOR } from "@entra-baseline/model";
import {
  assignmentInstance,
  assignmentSchedule,
  caPolicy,
  eligibilityInstance,
  guid,
  healthyTenant,
  testConfig,
  user,
} from "../../support/fakes/tenant";
import { auditSnapshot } from "../../../src/tools/audit/audit";
import { readTenant } from "../../../src/tools/audit/read";
import { auditFake, clients, ids, useFakeTenant } from "../../support/audit/harness";

const config = testConfig();
const tenant = useFakeTenant(() => healthyTenant(config));

describe("audit of a tenant that matches the model", () => {
  it("finds nothing", async () => {
    const result = await auditFake(tenant(), config);
    expect(result.findings).toEqual([]);
    expect(result.complete).toBe(true);
  });
});

const bg = () => tenant().data.users.slice(0, 2);
const groupId = () => String(tenant().data.groups[0]!.id);
function find(result: Awaited<ReturnType<typeof auditFake>>, id: string) {
  return result.findings.filter((f) => f.id === id);
}

describe("Tier-0 role assignments", () => {
  it("reports a permanent active Global Administrator who is not a breakglass account (critical, MS.AAD.7.4)", async () => {
    const admin = tenant().data.users[2]!;
    tenant().data.assignmentInstances.push(assignmentInstance(50, GLOBAL_ADMINISTRATOR, String(admin.id)));
    const result = await auditFake(tenant(), config);
    const [f] = find(result, "AUD-PERMANENT-TIER0");
    expect(f).toMatchObject({ severity: "critical", controls: expect.arrayContaining(["MS.AAD.7.4"]) });
    expect(f!.object).toContain(String(admin.userPrincipalName));
    expect(f!.object).toContain("Global Administrator");
  });

  it("reports other permanent Tier-0 roles as high, and ignores time-bound and activated assignments", async () => {
    const admin = tenant().data.users[3]!;
    tenant().data.assignmentInstances.push(
      assignmentInstance(51, PRIVILEGED_ROLE_ADMINISTRATOR, String(admin.id)),
      assignmentInstance(52, SECURITY_ADMINISTRATOR, String(admin.id), { endDateTime: "2099-01-01T00:00:00Z" }),
      assignmentInstance(53, GLOBAL_ADMINISTRATOR, String(admin.id), {
        assignmentType: "Activated",
        endDateTime: "2099-01-01T04:00:00Z",
      }),
    );
    const result = await auditFake(tenant(), config);
    const found = find(result, "AUD-PERMANENT-TIER0");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "high" });
    expect(found[0]!.object).toContain("Privileged Role Administrator");
  });

  it("exempts a breakglass account's permanent GA only: its other permanent Tier-0 roles are findings", async () => {
    const account = bg()[0]!;
    tenant().data.assignmentInstances.push(assignmentInstance(54, PRIVILEGED_ROLE_ADMINISTRATOR, String(account.id)));
    tenant().data.assignmentSchedules.push(
      assignmentSchedule(54, PRIVILEGED_ROLE_ADMINISTRATOR, String(account.id), { createdUsing: null }),
    );
    const result = await auditFake(tenant(), config);
    const permanent = find(result, "AUD-PERMANENT-TIER0");
    expect(permanent).toHaveLength(1);
    expect(permanent[0]).toMatchObject({
      severity: "high",
      expected: "breakglass accounts hold Global Administrator permanently and no other Tier-0 role",
    });
    expect(permanent[0]!.object).toContain(
      `${String(account.userPrincipalName)} (${String(account.id)}) → Privileged Role Administrator`,
    );
    const outside = find(result, "AUD-OUTSIDE-PIM");
    expect(outside.map((f) => f.object)).toEqual([expect.stringContaining("Privileged Role Administrator")]);
  });

  it("reports a Tier-0 role assigned outside PIM (createdUsing null), but not the breakglass accounts' GA", async () => {
    const admin = tenant().data.users[2]!;
    tenant().data.assignmentSchedules.push(
      assignmentSchedule(60, SECURITY_ADMINISTRATOR, String(admin.id), { createdUsing: null }),
    );
    const result = await auditFake(tenant(), config);
    const found = find(result, "AUD-OUTSIDE-PIM");
    expect(found).toHaveLength(1);
    expect(found[0]!.object).toContain(String(admin.userPrincipalName));
    expect(found[0]!.controls).toContain("MS.AAD.7.5");
  });

  it("reports a Global Administrator count above limits.globalAdmins.max, counting group members", async () => {
    const extra = Array.from({ length: 6 }, (_, i) => user(guid(200 + i, "cc000000"), `extra${i}@contoso.com`));
    tenant().data.users.push(...extra);
    tenant().data.groups.push({
      "@odata.type": "#microsoft.graph.group",
      id: guid(2, "9b000000"),
      displayName: "GA holders",
      isAssignableToRole: true,
      members: extra.map((u) => String(u.id)),
    });
    tenant().reindex();
    tenant().data.eligibilityInstances.push(eligibilityInstance(70, GLOBAL_ADMINISTRATOR, guid(2, "9b000000")));
    const result = await auditFake(tenant(), config);
    // 2 breakglass + 3 eligible admins + 6 group members = 11 > 8
    expect(find(result, "AUD-GA-COUNT")[0]).toMatchObject({
      actual: "11 holders",
      controls: expect.arrayContaining(["MS.AAD.7.1"]),
    });
    expect(find(result, "AUD-GA-ELIGIBLE-UNMANAGED")[0]!.object).toContain("GA holders");
  });

  it("reports a count below the minimum and a configured admin who is no longer eligible", async () => {
    tenant().data.eligibilityInstances = [];
    tenant().data.assignmentInstances = tenant().data.assignmentInstances.slice(0, 1);
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-GA-COUNT")[0]!.actual).toBe("1 holders");
    expect(find(result, "AUD-GA-ELIGIBLE-MISSING").map((f) => f.object)).toEqual(
      config.pim.eligibleAdmins.map((a) => `user ${a}`),
    );
  });
});

describe("Global Administrator PIM policy", () => {
  it("reports a weakened activation rule both as weakened (model) and as drift from the config", async () => {
    tenant().pim.setRule("Expiration_EndUser_Assignment", { maximumDuration: "PT10H" });
    tenant().pim.setRule("Enablement_EndUser_Assignment", { enabledRules: ["Justification"] });
    const result = await auditFake(tenant(), config);
    const weakened = find(result, "AUD-PIM-POLICY-WEAKENED").map((f) => f.actual);
    expect(weakened.some((w) => /PT10H/.test(w))).toBe(true);
    expect(weakened.some((w) => /ticket/.test(w))).toBe(true);
    const drift = find(result, "AUD-PIM-POLICY-DRIFT").map((f) => f.object);
    expect(drift).toContain("Global Administrator PIM policy: rule Expiration_EndUser_Assignment maximumDuration");
    expect(drift).toContain("Global Administrator PIM policy: rule Enablement_EndUser_Assignment enabledRules");
  });

  it("reports changed approvers and removed notification recipients as drift", async () => {
    const rule = tenant().pim.rule("Approval_EndUser_Assignment") as unknown as {
      setting: { approvalStages: { primaryApprovers: unknown[] }[] };
    };
    const setting = structuredClone(rule.setting);
    setting.approvalStages[0]!.primaryApprovers = [
      { "@odata.type": "#microsoft.graph.singleUser", userId: guid(999, "dd000000") },
    ];
    tenant().pim.setRule("Approval_EndUser_Assignment", { setting });
    tenant().pim.setRule("Notification_Admin_EndUser_Assignment", { notificationRecipients: [] });
    const result = await auditFake(tenant(), config);
    const drift = find(result, "AUD-PIM-POLICY-DRIFT").map((f) => f.object);
    expect(drift).toContain(
      "Global Administrator PIM policy: rule Approval_EndUser_Assignment setting.approvalStages[0].primaryApprovers",
    );
    expect(drift).toContain(
      "Global Administrator PIM policy: rule Notification_Admin_EndUser_Assignment notificationRecipients",
    );
  });

  // One mutation per setting the issue names (MFA/authentication context, justification, ticket, approval):
  // each is drift from the config, and each that loosens the model is also reported as weakened.
  it.each([
    [
      "authentication context switched off",
      "AuthenticationContext_EndUser_Assignment",
      { isEnabled: false },
      "isEnabled",
      /authentication context/,
    ],
    [
      "another authentication context",
      "AuthenticationContext_EndUser_Assignment",
      { claimValue: "c9" },
      "claimValue",
      undefined,
    ],
    [
      "justification no longer required",
      "Enablement_EndUser_Assignment",
      { enabledRules: ["Ticketing"] },
      "enabledRules",
      /justification/,
    ],
    [
      "ticket no longer required",
      "Enablement_EndUser_Assignment",
      { enabledRules: ["Justification"] },
      "enabledRules",
      /ticket/,
    ],
  ] as const)("reports %s", async (_, ruleId, change, field, weakened) => {
    tenant().pim.setRule(ruleId, change);
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-PIM-POLICY-DRIFT").map((f) => f.object)).toContain(
      `Global Administrator PIM policy: rule ${ruleId} ${field}`,
    );
    const weak = find(result, "AUD-PIM-POLICY-WEAKENED").map((f) => f.actual);
    if (weakened) expect(weak.some((w) => weakened.test(w))).toBe(true);
    else expect(weak).toEqual([]);
  });

  it("reports approval no longer required as weakened and as drift", async () => {
    const rule = tenant().pim.rule("Approval_EndUser_Assignment") as unknown as { setting: Record<string, unknown> };
    tenant().pim.setRule("Approval_EndUser_Assignment", {
      setting: { ...structuredClone(rule.setting), isApprovalRequired: false },
    });
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-PIM-POLICY-WEAKENED").map((f) => f.actual)).toContain(
      "activation does not require approval (CISA MS.AAD.7.6)",
    );
    expect(find(result, "AUD-PIM-POLICY-DRIFT").map((f) => f.object)).toContain(
      "Global Administrator PIM policy: rule Approval_EndUser_Assignment setting.isApprovalRequired",
    );
  });

  it("reports a missing policy assignment", async () => {
    tenant().graph.route("GET", "/v1.0/policies/roleManagementPolicyAssignments", () => ({ body: { value: [] } }));
    try {
      const result = await auditFake(tenant(), config);
      expect(ids(result)).toContain("AUD-PIM-POLICY-MISSING");
    } finally {
      tenant().pim.install(tenant().graph);
    }
  });
});

describe("Conditional Access", () => {
  it("reports every policy, in any state, that excludes neither the accounts nor a group they are in", async () => {
    tenant().data.caPolicies.push(
      caPolicy(10, []),
      caPolicy(11, [], { state: "disabled" }),
      caPolicy(12, [], { users: { excludeUsers: [String(bg()[0]!.id)] } }),
      caPolicy(13, [], { users: { excludeUsers: bg().map((u) => String(u.id)) } }),
    );
    const result = await auditFake(tenant(), config);
    const found = find(result, "AUD-CA-NO-BREAKGLASS-EXCLUSION");
    expect(found.map((f) => [f.object.match(/CA policy \d+/)![0], f.severity])).toEqual([
      ["CA policy 10", "critical"],
      ["CA policy 12", "critical"],
      ["CA policy 11", "high"],
    ]);
    expect(found.find((f) => f.object.includes("CA policy 12"))!.actual).toBe(
      `does not exclude ${String(bg()[1]!.userPrincipalName)}`,
    );
    expect(found[0]!.controls).toContain("MT.1005");
  });

  it("does not accept the group exclusion when an account is no longer a member", async () => {
    tenant().data.groups[0]!.members = [String(bg()[0]!.id)];
    const result = await auditFake(tenant(), config);
    // All four: the three baseline policies and the one on the activation authentication context.
    expect(find(result, "AUD-CA-NO-BREAKGLASS-EXCLUSION")).toHaveLength(4);
    expect(find(result, "AUD-BREAKGLASS-GROUP-MEMBERSHIP")[0]!.object).toContain(String(bg()[1]!.userPrincipalName));
  });

  it("reports policies that target the breakglass group or accounts", async () => {
    tenant().data.caPolicies.push(
      caPolicy(20, [groupId()], { users: { includeUsers: [], includeGroups: [groupId()] } }),
    );
    tenant().data.caPolicies.push(caPolicy(21, [groupId()], { users: { includeUsers: [String(bg()[1]!.id)] } }));
    const result = await auditFake(tenant(), config);
    const found = find(result, "AUD-CA-TARGETS-BREAKGLASS");
    expect(found.map((f) => f.actual)).toEqual([
      `includes group "${config.breakglass.groupName}"`,
      `includes user ${String(bg()[1]!.userPrincipalName)}`,
    ]);
  });
});

describe("activation authentication context", () => {
  const activationPolicy = () =>
    tenant().data.caPolicies.find((p) => p.id === guid(1, "ac7c0000")) as Record<string, any>;
  const expected =
    'an enabled CA policy on the context with sign-in frequency "everyTime" and authentication strength Multifactor authentication (or a stronger one) as its grant';

  it.each<[string, (p: Record<string, any>) => void, string]>([
    [
      "granted with plain MFA",
      (p) => (p.grantControls = { operator: "OR", builtInControls: ["mfa"], authenticationStrength: null }),
      "its grant does not require authentication strength Multifactor authentication",
    ],
    [
      "granted with the strength OR a compliant device",
      (p) => p.grantControls.builtInControls.push("compliantDevice"),
      "its grant (operator OR) can be met without",
    ],
    [
      "re-prompting only every 8 hours",
      (p) =>
        (p.sessionControls.signInFrequency = {
          isEnabled: true,
          frequencyInterval: "timeBased",
          value: 8,
          type: "hours",
        }),
      'sign-in frequency is "timeBased", not "everyTime"',
    ],
    [
      "switched to report-only",
      (p) => (p.state = "enabledForReportingButNotEnforced"),
      'state is "enabledForReportingButNotEnforced", not "enabled"',
    ],
  ])("reports the context's CA policy %s", async (_, change, gap) => {
    change(activationPolicy());
    const found = find(await auditFake(tenant(), config), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: "high",
      expected,
      object: 'authentication context "c1" (required by the Global Administrator activation policy)',
    });
    expect(found[0]!.actual).toContain(gap);
    expect(found[0]!.actual).toContain(String(activationPolicy().displayName));
  });

  it("reports a context no CA policy targets (the policy deleted, or PIM switched to another context)", async () => {
    tenant().pim.setRule("AuthenticationContext_EndUser_Assignment", { claimValue: "c9" });
    const found = find(await auditFake(tenant(), config), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED");
    expect(found.map((f) => [f.object, f.actual])).toEqual([
      [
        'authentication context "c9" (required by the Global Administrator activation policy)',
        "no CA policy targets the context, so activation forces no fresh MFA",
      ],
    ]);
  });

  it("is satisfied by one enforcing policy even when another on the context is weaker", async () => {
    tenant().data.caPolicies.push({
      ...caPolicy(30, [groupId()]),
      conditions: {
        ...(caPolicy(30, [groupId()]).conditions as object),
        applications: { includeAuthenticationContextClassReferences: ["c1"] },
      },
    });
    expect(find(await auditFake(tenant(), config), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED")).toEqual([]);
  });
});

describe("breakglass accounts", () => {
  it("reports a missing account, and one found only by mail nickname on another domain", async () => {
    tenant().data.users[0]!.userPrincipalName = "breakglass-01@contoso.com";
    tenant().data.users.splice(1, 1);
    tenant().reindex();
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-BREAKGLASS-MISSING")[0]!.object).toBe(
      "breakglass account breakglass-02@contoso.onmicrosoft.com",
    );
    expect(find(result, "AUD-BREAKGLASS-DOMAIN")[0]).toMatchObject({
      actual: "breakglass-01@contoso.com",
      expected: "breakglass-01@contoso.onmicrosoft.com",
    });
  });

  it("reports a disabled account, a synced account and an eligible account", async () => {
    Object.assign(tenant().data.users[0]!, { accountEnabled: false });
    Object.assign(tenant().data.users[1]!, { onPremisesSyncEnabled: true, onPremisesImmutableId: "abc==" });
    tenant().data.eligibilityInstances.push(eligibilityInstance(80, GLOBAL_ADMINISTRATOR, String(bg()[1]!.id)));
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-BREAKGLASS-DISABLED")[0]!.object).toContain("breakglass-01");
    expect(find(result, "AUD-BREAKGLASS-SYNCED")[0]).toMatchObject({
      severity: "high",
      controls: expect.arrayContaining(["MS.AAD.7.3"]),
    });
    expect(find(result, "AUD-BREAKGLASS-ELIGIBLE")[0]!.object).toContain("breakglass-02");
  });

  it("reports an account whose GA is no longer permanent", async () => {
    tenant().data.assignmentInstances[1] = {
      ...tenant().data.assignmentInstances[1]!,
      endDateTime: "2099-01-01T00:00:00Z",
    };
    const result = await auditFake(tenant(), config);
    const [f] = find(result, "AUD-BREAKGLASS-NO-PERMANENT-GA");
    expect(f!.object).toContain("breakglass-02");
    expect(f!.actual).toContain("until 2099-01-01");
  });

  it("reports an account without a FIDO2 key, and phishable methods", async () => {
    const id = String(bg()[0]!.id);
    tenant().data.methods[id] = [
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" },
      { "@odata.type": "#microsoft.graph.phoneAuthenticationMethod", id: "ph", phoneType: "mobile" },
    ];
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-BREAKGLASS-NO-FIDO2")[0]).toMatchObject({ actual: "registered: password, phone" });
    expect(find(result, "AUD-BREAKGLASS-WEAK-METHODS")[0]!.actual).toBe("also registered: phone");
  });

  it("reports a missing exclusion group, and one that is not role-assignable", async () => {
    tenant().data.groups[0]!.isAssignableToRole = false;
    expect(ids(await auditFake(tenant(), config))).toContain("AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE");
    tenant().data.groups[0]!.displayName = "Renamed";
    const result = await auditFake(tenant(), config);
    expect(ids(result)).toContain("AUD-BREAKGLASS-GROUP-MISSING");
  });
});

describe("monitoring", () => {
  it("reports a diagnostic setting missing a required category (high) and a configured one (medium)", async () => {
    const logs = (tenant().data.diagnosticSettings[0]!.properties as { logs: { category: string; enabled: boolean }[] })
      .logs;
    logs.find((l) => l.category === "SignInLogs")!.enabled = false;
    tenant().data.diagnosticSettings[0]!.properties = {
      ...(tenant().data.diagnosticSettings[0]!.properties as object),
      logs: logs.filter((l) => l.category !== "RiskyUsers"),
    };
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-DIAGNOSTICS-CATEGORY").map((f) => [f.object.split(": category ")[1], f.severity])).toEqual(
      [
        ["SignInLogs", "high"],
        ["RiskyUsers", "medium"],
      ],
    );
  });

  it('reports no diagnostic setting at all, and one that streams to storage only (ARM\'s workspaceId "")', async () => {
    const setting = tenant().data.diagnosticSettings[0]!;
    tenant().data.diagnosticSettings = [];
    expect(ids(await auditFake(tenant(), config))).toContain("AUD-DIAGNOSTICS-MISSING");
    const properties = {
      ...(setting.properties as object),
      workspaceId: "",
      storageAccountId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z",
    };
    tenant().data.diagnosticSettings = [{ ...setting, properties }];
    const [f] = find(await auditFake(tenant(), config), "AUD-DIAGNOSTICS-MISSING");
    expect(f!.actual).toBe("1 settings, none sending to a workspace");
  });

  it("reports a missing tripwire, a disabled one, and one that no longer names an account", async () => {
    const [interactive, nonInteractive] = tenant().data.scheduledQueryRules as {
      properties: Record<string, unknown>;
    }[];
    tenant().data.scheduledQueryRules = [interactive!];
    (interactive!.properties as Record<string, unknown>).enabled = false;
    const criteria = interactive!.properties.criteria as { allOf: { query: string }[] };
    criteria.allOf[0]!.query = criteria.allOf[0]!.query.replace(
      String(bg()[1]!.id),
      "00000000-0000-0000-0000-000000000000",
    );
    void nonInteractive;
    const result = await auditFake(tenant(), config);
    expect(find(result, "AUD-TRIPWIRE-MISSING")[0]!.object).toContain("breakglass-non-interactive-sign-in-tripwire");
    expect(find(result, "AUD-TRIPWIRE-DISABLED")).toHaveLength(1);
    expect(find(result, "AUD-TRIPWIRE-COVERAGE")[0]).toMatchObject({
      actual: "the query does not name it by objectId",
    });
  });

  it("reports both tripwires missing when the monitoring resource group does not exist (ARM 404), not a failed read", async () => {
    const { graph, arm } = clients(tenant());
    const snapshot = await readTenant({ graph, arm, config, subscriptions: [guid(9, "99999999")] });
    const result = auditSnapshot(snapshot, config);
    expect(result.complete).toBe(true);
    expect(find(result, "AUD-TRIPWIRE-MISSING")).toHaveLength(2);
  });

  it("reports a tripwire weaker than the model (severity, frequency, no action group)", async () => {
    const rule = tenant().data.scheduledQueryRules[0] as { properties: Record<string, unknown> };
    Object.assign(rule.properties, { severity: 3, evaluationFrequency: "PT30M", actions: { actionGroups: [] } });
    const weak = find(await auditFake(tenant(), config), "AUD-TRIPWIRE-WEAK").map((f) => f.actual);
    expect(weak.some((w) => /severity is 3/.test(w))).toBe(true);
    expect(weak.some((w) => /PT30M/.test(w))).toBe(true);
    expect(weak).toContain("no action group: the alert notifies nobody");
  });
});

describe("the findings catalogue in docs/audit.md", () => {
  it("lists every finding kind, with its controls", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../../docs/audit.md"), "utf8");
    for (const [id, kind] of Object.entries(FINDING_KINDS)) {
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${id}\` |`));
      expect(row, id).toBeDefined();
      expect(row, id).toContain(kind.severity);
    }
  });
});
