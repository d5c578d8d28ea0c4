/**
 * checks/activation.ts: each judged role's live PIM policy (rules → settings) held to its requirement by
 * `activationPolicyWeaknesses` (approval counted per eligible admin, approver groups through their members), every
 * owned rule field compared with what the stack writes (drift), the activation context's CA policy held to the
 * model's canonical form by `activationContextGaps`, and PIM-for-Groups member policies held to the roles the group
 * holds (guarantee 3).
 */
import { describe, expect, it } from "vitest";
import { PRIVILEGED_ROLE_ADMINISTRATOR, SECURITY_ADMINISTRATOR } from "@entra-baseline/model";
import {
  assignmentInstance,
  caPolicy,
  eligibilityInstance,
  guid,
  testConfig,
  type Json,
  type TenantData,
} from "../../../support/fakes/tenant";
import { validConfig } from "../../../support/stack";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const ADELE = guid(3, "ad000000");
const NESTOR = guid(5, "ad000000");
const EXCLUSION_GROUP = guid(1, "9b000000");
const GA_POLICY = "Global Administrator PIM policy";

function gaRule(t: TenantData, id: string): Json {
  const rule = t.pimRules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** The baseline's CA policy on the activation context, as the healthy tenant serves it. */
function contextPolicy(t: TenantData): Record<string, any> {
  return t.caPolicies.find((p) => p.id === guid(1, "ac7c0000"))!;
}

const weakened = (audit: Awaited<ReturnType<typeof auditOf>>) =>
  findingsOf(audit, "AUD-PIM-POLICY-WEAKENED").map((f) => f.actual);
const drift = (audit: Awaited<ReturnType<typeof auditOf>>) =>
  findingsOf(audit, "AUD-PIM-POLICY-DRIFT").map((f) => f.object);

describe.concurrent("Global Administrator PIM policy (AUD-PIM-POLICY-WEAKENED, AUD-PIM-POLICY-DRIFT)", () => {
  it("reports a weakened activation rule both as weakened (model) and as drift from the config", async () => {
    const audit = await auditOf(config, (t) => {
      gaRule(t, "Expiration_EndUser_Assignment").maximumDuration = "PT10H";
      gaRule(t, "Enablement_EndUser_Assignment").enabledRules = ["Justification"];
    });
    expect(weakened(audit).some((w) => /PT10H/.test(w))).toBe(true);
    expect(weakened(audit).some((w) => /ticket/.test(w))).toBe(true);
    expect(drift(audit)).toContain(`${GA_POLICY}: rule Expiration_EndUser_Assignment maximumDuration`);
    expect(drift(audit)).toContain(`${GA_POLICY}: rule Enablement_EndUser_Assignment enabledRules`);
    expect(findingsOf(audit, "AUD-PIM-POLICY-WEAKENED")[0]!.expected).toBe("the rules of pim (docs/pim.md)");
  });

  it("reports changed approvers and removed notification recipients as drift", async () => {
    const audit = await auditOf(config, (t) => {
      const approval = gaRule(t, "Approval_EndUser_Assignment") as { setting: { approvalStages: Json[] } };
      approval.setting.approvalStages[0]!.primaryApprovers = [
        { "@odata.type": "#microsoft.graph.singleUser", userId: guid(999, "dd000000") },
      ];
      gaRule(t, "Notification_Admin_EndUser_Assignment").notificationRecipients = [];
    });
    expect(drift(audit)).toContain(
      `${GA_POLICY}: rule Approval_EndUser_Assignment setting.approvalStages[0].primaryApprovers`,
    );
    expect(drift(audit)).toContain(`${GA_POLICY}: rule Notification_Admin_EndUser_Assignment notificationRecipients`);
  });

  // One mutation per setting the issue names (MFA/authentication context, justification, ticket, approval): each is
  // drift from the config, and each that loosens the model is also reported as weakened. Another context than the
  // configured one loosens it too: the configured context is the one whose CA policy forces the fresh MFA.
  it.each([
    [
      "authentication context switched off",
      "AuthenticationContext_EndUser_Assignment",
      { isEnabled: false },
      "isEnabled",
      /does not require an authentication context/,
    ],
    [
      "another authentication context",
      "AuthenticationContext_EndUser_Assignment",
      { claimValue: "c9" },
      "claimValue",
      /requires authentication context "c9", not the configured "c1"/,
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
  ] as const)("reports %s", async (_, ruleId, change, field, weak) => {
    const audit = await auditOf(config, (t) => void Object.assign(gaRule(t, ruleId), change));
    expect(drift(audit)).toContain(`${GA_POLICY}: rule ${ruleId} ${field}`);
    expect(
      weakened(audit).some((w) => weak.test(w)),
      weakened(audit).join("\n"),
    ).toBe(true);
  });

  it("reports approval no longer required as weakened and as drift", async () => {
    const audit = await auditOf(config, (t) => {
      (gaRule(t, "Approval_EndUser_Assignment").setting as Json).isApprovalRequired = false;
    });
    expect(weakened(audit)).toContain("activation does not require approval (CISA MS.AAD.7.6)");
    expect(drift(audit)).toContain(`${GA_POLICY}: rule Approval_EndUser_Assignment setting.isApprovalRequired`);
  });

  it("reports a missing policy assignment", async () => {
    const audit = await auditOf(config, undefined, {
      setup: (t) =>
        void t.graph.route("GET", "/v1.0/policies/roleManagementPolicyAssignments", () => ({ body: { value: [] } })),
    });
    expect(findingsOf(audit, "AUD-PIM-POLICY-MISSING").map((f) => [f.object, f.actual])).toEqual([
      [GA_POLICY, "no policy assignment returned"],
    ]);
  });

  it("counts approval per eligible admin: an approver group holding only the requester approves nobody for them", async () => {
    const approvers = guid(7, "9e000000");
    const cfg = validConfig((raw) => (raw.pim.approvers = { users: [], groups: [approvers] }));
    const audit = await auditOf(cfg, (t) => {
      t.groups.find((g) => g.id === approvers)!.members = [ADELE];
    });
    expect(weakened(audit)).toEqual([`eligible admin ${ADELE} has no approver other than themselves`]);
    // A group with someone else in it approves for everyone.
    expect(described(await auditOf(cfg))).toEqual([]);
  });

  it("reports a configured approver who does not exist as drift", async () => {
    const cfg = validConfig((raw) => raw.pim.approvers.users.push("gone@contoso.com"));
    const audit = await auditOf(
      cfg,
      (t) => void (t.users = t.users.filter((u) => u.userPrincipalName !== "gone@contoso.com")),
    );
    expect(findingsOf(audit, "AUD-PIM-POLICY-DRIFT").map((f) => [f.object, f.actual])).toContainEqual([
      `${GA_POLICY}: approver gone@contoso.com`,
      "no such user in the tenant, so this approver cannot be in the live rule",
    ]);
  });
});

describe.concurrent("every managed role and every Tier-0 role with eligibilities", () => {
  it("holds Privileged Role Administrator (pim.roles) to the Tier-0 rules, and reports drift from its config", async () => {
    const cfg = validConfig((raw) => {
      raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }];
    });
    expect(described(await auditOf(cfg))).toEqual([]);
    const audit = await auditOf(cfg, (t) => {
      const rule = t.rolePolicies[PRIVILEGED_ROLE_ADMINISTRATOR]!.find(
        (r) => r.id === "Expiration_EndUser_Assignment",
      )!;
      rule.maximumDuration = "PT8H";
    });
    expect(findingsOf(audit, "AUD-PIM-POLICY-WEAKENED").map((f) => [f.object, f.expected, f.actual])).toEqual([
      [
        "Privileged Role Administrator PIM policy",
        "the rules of pim.roles[0] (docs/pim.md)",
        "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours",
      ],
    ]);
    expect(drift(audit)).toEqual([
      "Privileged Role Administrator PIM policy: rule Expiration_EndUser_Assignment maximumDuration",
    ]);
  });

  it("holds a Tier-0 role the stack does not manage, once someone is eligible for it, to the model's Tier-0 rules", async () => {
    const audit = await auditOf(config, (t) =>
      t.eligibilityInstances.push(eligibilityInstance(73, SECURITY_ADMINISTRATOR, NESTOR)),
    );
    const found = findingsOf(audit, "AUD-PIM-POLICY-WEAKENED");
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.object === "Security Administrator PIM policy")).toBe(true);
    expect(found[0]!.expected).toBe("the model's Tier-0 rules (docs/pim.md)");
    // PIM's defaults: 8 hours, no approval, no ticket, no context.
    expect(found.map((f) => f.actual)).toContain("activation does not require approval (CISA MS.AAD.7.6)");
    // Not the stack's to write: no drift is reported for it.
    expect(drift(audit).filter((d) => d.startsWith("Security"))).toEqual([]);
  });
});

describe.concurrent("activation authentication context (AUD-ACTIVATION-CONTEXT-NOT-ENFORCED)", () => {
  const object = `${GA_POLICY}: authentication context c1`;
  const expected =
    "an enabled CA policy on c1 for all users but the emergency accounts, no narrowing condition, a grant only mfa or stronger meets, sign-in frequency every time";

  it.each<[string, (p: Record<string, any>) => void, string]>([
    [
      "granted with the strength OR a compliant device",
      (p) => p.grantControls.builtInControls.push("compliantDevice"),
      "its grant (OR) can be met by compliantdevice instead of Multifactor authentication",
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
      'its sign-in frequency is "timeBased", not "everyTime"',
    ],
    [
      "switched to report-only",
      (p) => (p.state = "enabledForReportingButNotEnforced"),
      'its state is "enabledForReportingButNotEnforced", not "enabled"',
    ],
    [
      "excluding an admin",
      (p) => p.conditions.users.excludeUsers.push(ADELE),
      `it excludes user ${ADELE}: only the emergency accounts may be excluded`,
    ],
    [
      "applying only to browsers",
      (p) => (p.conditions.clientAppTypes = ["browser"]),
      'it applies to client apps ["browser"] only, not "all"',
    ],
    [
      "applying only on some platforms",
      (p) => (p.conditions.platforms = { includePlatforms: ["android"], excludePlatforms: [] }),
      "it applies only under conditions (platforms)",
    ],
  ])("reports the context's CA policy %s", async (_, change, gap) => {
    let name = "";
    const audit = await auditOf(config, (t) => {
      change(contextPolicy(t));
      name = String(contextPolicy(t).displayName);
    });
    const found = findingsOf(audit, "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "high", expected, object });
    expect(found[0]!.actual).toContain(gap);
    expect(found[0]!.actual).toContain(name);
  });

  it("accepts the plain MFA grant where the strength is mfa, and reports it where phishing-resistant MFA is configured", async () => {
    const plainMfa = (t: TenantData) =>
      void (contextPolicy(t).grantControls = {
        operator: "OR",
        builtInControls: ["mfa"],
        authenticationStrength: null,
      });
    expect(findingsOf(await auditOf(config, plainMfa), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED")).toEqual([]);
    const strict = validConfig((raw) => (raw.pim.activationStrength = "phishingResistant"));
    expect(described(await auditOf(strict))).toEqual([]);
    const found = findingsOf(await auditOf(strict, plainMfa), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED");
    expect(found.map((f) => f.actual)).toEqual([
      expect.stringContaining("it grants with the plain MFA control, weaker than Phishing-resistant MFA"),
    ]);
  });

  it("reports a context no CA policy targets (PIM switched to another context) and one that does not exist", async () => {
    const audit = await auditOf(
      config,
      (t) => void (gaRule(t, "AuthenticationContext_EndUser_Assignment").claimValue = "c9"),
    );
    expect(findingsOf(audit, "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED").map((f) => [f.object, f.actual])).toEqual([
      [
        `${GA_POLICY}: authentication context c9`,
        "authentication context c9 does not exist | no Conditional Access policy targets authentication context c9, so activation forces no fresh MFA",
      ],
    ]);
  });

  it("reports a context that is no longer available, and a deleted CA policy", async () => {
    const audit = await auditOf(config, (t) => {
      t.authenticationContexts[0]!.isAvailable = false;
      t.caPolicies = t.caPolicies.filter((p) => p.id !== guid(1, "ac7c0000"));
    });
    expect(findingsOf(audit, "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED").map((f) => f.actual)).toEqual([
      "authentication context c1 is not available | no Conditional Access policy targets authentication context c1, so activation forces no fresh MFA",
    ]);
  });

  it("is satisfied by one enforcing policy even when another on the context is weaker", async () => {
    const audit = await auditOf(config, (t) => {
      const weaker = caPolicy(30, [EXCLUSION_GROUP]);
      (weaker.conditions as Json).applications = { includeAuthenticationContextClassReferences: ["c1"] };
      t.caPolicies.push(weaker);
    });
    expect(findingsOf(audit, "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED")).toEqual([]);
  });

  it("accepts a policy that lists every eligible admin instead of All users, and reports one that misses one", async () => {
    const listing = (users: string[]) => (t: TenantData) => {
      const p = contextPolicy(t);
      p.conditions.users.includeUsers = users;
    };
    const admins = [ADELE, guid(4, "ad000000"), NESTOR];
    expect(findingsOf(await auditOf(config, listing(admins)), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED")).toEqual([]);
    const found = findingsOf(await auditOf(config, listing(admins.slice(0, 2))), "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED");
    expect(found.map((f) => f.actual)).toEqual([
      expect.stringContaining(`it does not include all users (not ${NESTOR})`),
    ]);
  });

  it("lets the policy exclude the exclusion group even while an account is missing from it (that is the group check's finding)", async () => {
    const audit = await auditOf(config, (t) => void (t.groups[0]!.members = [guid(1, "b0000000")]));
    expect(findingsOf(audit, "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED")).toEqual([]);
  });

  it("reports an excluded namesake of the exclusion group that holds someone else", async () => {
    const namesake = guid(3, "9c000000");
    const audit = await auditOf(config, (t) => {
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: namesake,
        displayName: config.breakglass.groupName,
        isAssignableToRole: true,
        securityEnabled: true,
        members: [ADELE],
        owners: [],
      });
      contextPolicy(t).conditions.users.excludeGroups.push(namesake);
    });
    expect(findingsOf(audit, "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED").map((f) => f.actual)).toEqual([
      expect.stringContaining(`it excludes group ${namesake}: only the emergency accounts may be excluded`),
    ]);
  });
});

describe.concurrent("PIM-for-Groups member policies (AUD-GROUP-POLICY-WEAKENED)", () => {
  const GROUP = guid(4, "9a000000");
  const pimGroups = validConfig((raw) => {
    raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }];
    raw.pim.groups = [
      { group: GROUP, roles: ["Privileged Role Administrator"], eligibleMembers: ["adele.vance@contoso.com"] },
    ];
  });
  /** The group holds PRA; Adele is an eligible member; its member policy has `rules`. */
  const groupHoldingPra = (rules: Json[] | undefined) => (t: TenantData) => {
    t.groups.push({
      "@odata.type": "#microsoft.graph.group",
      id: GROUP,
      displayName: "pra-pim",
      isAssignableToRole: true,
      securityEnabled: true,
      members: [],
      owners: [],
    });
    t.assignmentInstances.push(assignmentInstance(95, PRIVILEGED_ROLE_ADMINISTRATOR, GROUP));
    t.groupEligibilityInstances.push({
      id: `${GROUP}_member_adele`,
      groupId: GROUP,
      principalId: ADELE,
      accessId: "member",
      memberType: "direct",
      startDateTime: "2024-01-01T00:00:00Z",
      endDateTime: null,
    });
    t.groupPolicies[GROUP] = rules ? { member: rules } : {};
  };
  /** The rules the stack writes for Privileged Role Administrator: a member policy as strict as the role's. */
  const praRules = (t: TenantData) => structuredClone(t.rolePolicies[PRIVILEGED_ROLE_ADMINISTRATOR]!);

  it("accepts a member policy as strict as the role's", async () => {
    const audit = await auditOf(pimGroups, (t) => groupHoldingPra(praRules(t))(t));
    expect(described(audit)).toEqual([]);
  });

  it("reports a member policy that allows 8 hours without approval", async () => {
    const audit = await auditOf(pimGroups, (t) => {
      const rules = praRules(t);
      rules.find((r) => r.id === "Expiration_EndUser_Assignment")!.maximumDuration = "PT8H";
      (rules.find((r) => r.id === "Approval_EndUser_Assignment")!.setting as Json).isApprovalRequired = false;
      groupHoldingPra(rules)(t);
    });
    expect(findingsOf(audit, "AUD-GROUP-POLICY-WEAKENED").map((f) => [f.object, f.actual])).toEqual([
      [
        `PIM-for-Groups member policy of group ${GROUP}`,
        "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours",
      ],
      [`PIM-for-Groups member policy of group ${GROUP}`, "activation does not require approval (CISA MS.AAD.7.6)"],
    ]);
  });

  it("reports a group that is not onboarded (no member policy)", async () => {
    const audit = await auditOf(pimGroups, groupHoldingPra(undefined));
    expect(findingsOf(audit, "AUD-GROUP-POLICY-WEAKENED").map((f) => f.actual)).toEqual([
      "no policy assignment returned",
    ]);
  });

  it("reports a group holding a Tier-0 role the stack does not manage, with eligible members, whose policy it cannot read", async () => {
    const audit = await auditOf(config, groupHoldingPra(undefined));
    expect(findingsOf(audit, "AUD-GROUP-POLICY-WEAKENED")).toEqual([
      expect.objectContaining({
        object: `PIM-for-Groups member policy of group ${GROUP}`,
        actual: "1 eligible member(s), and the policy was not read (declare the group in pim.groups)",
      }),
    ]);
  });
});
