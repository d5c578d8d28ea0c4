/**
 * activation-policy (0.1: ga-activation-policy): every managed role's activation policy — the model's RoleManagementPolicy
 * resource, and the member/owner policy of a PIM-for-Groups group holding a managed role — meets the role's
 * requirement (src/model/activationPolicy.ts), and the authentication context it requires carries the model's
 * canonical CA policy (src/model/caPolicy.ts). Managed roles come from the pack config `roles` (derived by
 * src/config/packConfig.ts) plus Global Administrator and every Tier-0 role the stack touches.
 */
import { describe, expect, it } from "vitest";
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import {
  dynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
  SECURITY_ADMINISTRATOR,
  STRENGTH_POLICY_IDS,
} from "@entra-baseline/model";
import { activationPolicy } from "../../../policies/rules/activationPolicy";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, idOf, resource, urnOf, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(activationPolicy);
const { run, stack } = world;
const GA_POLICY = "global-administrator-activation-policy";
const PRA_POLICY = "privileged-role-administrator-activation-policy";
const CONTEXT_POLICY = "activation-policy-c1";
const ADELE = idOf("adele.vance@contoso.com");
const LIDIA = idOf("lidia.holloway@contoso.com");
const prefix = `RoleManagementPolicy "${GA_POLICY}" (the Global Administrator activation policy): `;

type Stack = PlannedResource[];
const policyOf = (s: Stack, name = GA_POLICY) => byName(s, name).inputs as Record<string, any>;
const caPolicyOf = (s: Stack) => byName(s, CONTEXT_POLICY).inputs as Record<string, any>;
const withPolicy = (change: (p: Record<string, any>) => void, mode: Mode = "update") =>
  stack(mode, (s) => change(policyOf(s)));

describe("activation-policy", () => {
  it.each(["update", "preview"] as Mode[])("passes every managed role's policy (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  it("rejects a missing Global Administrator policy, and one of a role the config manages", async () => {
    // Without config, Global Administrator is still managed.
    expect(
      await run(
        stack("update").filter((r) => r.name !== GA_POLICY),
        {},
      ),
    ).toEqual([
      `No activation policy is declared for Global Administrator (${GLOBAL_ADMINISTRATOR}), which must be managed (Global Administrator is always managed): PIM's defaults allow 8-hour activations without approval.`,
    ]);
    const s = stack("update").filter((r) => r.name !== GA_POLICY && r.name !== PRA_POLICY);
    expect(await run(s)).toEqual([
      `No activation policy is declared for Global Administrator (${GLOBAL_ADMINISTRATOR}), which must be managed (the stack config manages it): PIM's defaults allow 8-hour activations without approval.`,
      `No activation policy is declared for Privileged Role Administrator (${PRIVILEGED_ROLE_ADMINISTRATOR}), which must be managed (the stack config manages it): PIM's defaults allow 8-hour activations without approval.`,
    ]);
  });

  it("manages every Tier-0 role the stack makes someone eligible for, even without config", async () => {
    const s = stack("update", (x) =>
      x.push(
        resource(providerTypes.directoryRoleEligibilityScheduleRequest, "secadmin-eligible", {
          roleDefinitionId: SECURITY_ADMINISTRATOR,
          principalId: ADELE,
          directoryScopeId: "/",
        }),
      ),
    );
    expect(await run(s)).toEqual([
      `No activation policy is declared for Security Administrator (${SECURITY_ADMINISTRATOR}), which must be managed (DirectoryRoleEligibilityScheduleRequest "secadmin-eligible" makes someone eligible for it): PIM's defaults allow 8-hour activations without approval.`,
    ]);
  });

  it("rejects two resources writing one role's policy", async () => {
    const s = stack("update", (x) => {
      const copy = structuredClone(byName(x, GA_POLICY));
      copy.name = "ga-policy-copy";
      copy.urn = urnOf(copy.type, copy.name);
      x.push(copy);
    });
    expect(await run(s)).toEqual([
      `2 resources manage the one Global Administrator activation policy (${GA_POLICY}, ga-policy-copy); they would overwrite each other.`,
    ]);
  });

  const cases: [string, (p: Record<string, any>) => void, string][] = [
    [
      "activation raised to 8 h",
      (p) => (p.maxActivationDuration = "PT8H"),
      "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours.",
    ],
    [
      "approval turned off",
      (p) => (p.approval.required = false),
      "activation does not require approval (CISA MS.AAD.7.6).",
    ],
    ["no justification", (p) => (p.requireJustification = false), "activation does not require a justification."],
    ["no ticket", (p) => (p.requireTicket = false), "activation does not require a ticket reference."],
    [
      "no notification recipients",
      (p) => (p.notificationRecipients = []),
      "no notification recipients: assignments and activations of Global Administrator alert nobody (CISA MS.AAD.7.7–7.9).",
    ],
    [
      "an eligible admin who is the only approver",
      (p) => (p.approval.approvers = [{ kind: "user", id: ADELE }]),
      `eligible admin ${ADELE} has no approver other than themselves.`,
    ],
    [
      "no authentication context",
      (p) => (p.authenticationContextId = null),
      "activation does not require an authentication context, so no fresh MFA challenge is forced.",
    ],
  ];
  it.each(cases)("rejects %s", async (_, change, message) => {
    expect(await run(withPolicy(change))).toEqual([prefix + message]);
  });

  it("holds every managed Tier-0 role to the same rules (Privileged Role Administrator)", async () => {
    const s = stack("update", (x) => (policyOf(x, PRA_POLICY).maxActivationDuration = "PT8H"));
    expect(await run(s)).toEqual([
      `RoleManagementPolicy "${PRA_POLICY}" (the Privileged Role Administrator activation policy): activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours.`,
    ]);
  });

  it("rejects a context nobody targets, and a context other than the configured one", async () => {
    expect(await run(withPolicy((p) => (p.authenticationContextId = "c2")))).toEqual([
      prefix + 'activation requires authentication context "c2", not the configured "c1".',
      prefix +
        'authentication context "c2" is not declared in this stack (pulumi-nodejs:dynamic/conditionalAccess:AuthenticationContext).',
      prefix + 'no Conditional Access policy targets authentication context "c2", so activation forces no fresh MFA.',
    ]);
  });

  it("rejects a context that is not available", async () => {
    const s = stack("update", (x) => (byName(x, "activation-context-c1").inputs.isAvailable = false));
    const out = await run(s);
    expect(out).toContain(
      prefix + 'authentication context "c1" is not available (isAvailable false), so no CA policy can target it.',
    );
  });

  it("rejects an activation CA policy that does not force sign-in every time", async () => {
    const s = stack("update", (x) => (caPolicyOf(x).sessionControls.signInFrequency.frequencyInterval = "timeBased"));
    expect(await run(s)).toContainEqual(
      expect.stringContaining(
        `no Conditional Access policy on authentication context "c1" is the model's activation policy for Multifactor authentication: ${CONTEXT_POLICY}: its sign-in frequency is "timeBased", not "everyTime": activation would not ask for a fresh MFA.`,
      ),
    );
  });

  it("follows its config: a 2-hour limit rejects the 4-hour policies", async () => {
    const out = await run(stack("update"), { ...world.packConfig, maxActivationMinutes: 120 });
    expect(out).toEqual([
      prefix + "activation maximum duration PT4H (4 hours) exceeds the allowed 2 hours.",
      `RoleManagementPolicy "${PRA_POLICY}" (the Privileged Role Administrator activation policy): activation maximum duration PT4H (4 hours) exceeds the allowed 2 hours.`,
    ]);
  });

  it("holds a Tier-0 role to the model's bounds whatever the pack config says (limits only tighten)", async () => {
    const roles = (world.packConfig.roles as Record<string, unknown>[]).map((r) => ({
      ...r,
      maxActivationMinutes: 480,
      requireApproval: false,
      requireTicket: false,
    }));
    const s = withPolicy((p) => {
      p.maxActivationDuration = "PT8H";
      p.approval.required = false;
      p.requireTicket = false;
    });
    expect(await run(s, { ...world.packConfig, roles, maxActivationMinutes: 480 })).toEqual([
      prefix + "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours.",
      prefix + "activation does not require a ticket reference.",
      prefix + "activation does not require approval (CISA MS.AAD.7.6).",
    ]);
  });

  it("judges a role outside Tier-0 by the requirement the config declares for it", async () => {
    const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"; // Helpdesk Administrator, outside Tier-0
    const cfg = {
      ...world.packConfig,
      roles: [
        ...(world.packConfig.roles as unknown[]),
        {
          roleDefinitionId: HELPDESK,
          maxActivationMinutes: 480,
          requireJustification: true,
          requireTicket: false,
          requireApproval: false,
          activationStrength: "mfa",
          requireNotifications: false,
        },
      ],
    };
    const policy = (duration: string) =>
      stack("update", (x) => {
        const copy = structuredClone(byName(x, GA_POLICY));
        copy.name = "helpdesk-administrator-activation-policy";
        copy.urn = urnOf(copy.type, copy.name);
        Object.assign(copy.inputs, {
          roleDefinitionId: HELPDESK,
          maxActivationDuration: duration,
          requireTicket: false,
          authenticationContextId: null,
          approval: { required: false, approvers: [] },
          notificationRecipients: [],
        });
        copy.propertyDependencies = {};
        x.push(copy);
      });
    expect(await run(policy("PT8H"), cfg)).toEqual([]);
    expect(await run(policy("PT9H"), cfg)).toEqual([
      'RoleManagementPolicy "helpdesk-administrator-activation-policy" (the Helpdesk Administrator activation policy): activation maximum duration PT9H (9 hours) exceeds the allowed 8 hours.',
    ]);
  });
});

describe("activation-policy: the context's CA policy, per strength", () => {
  const pr = ruleOnWorld(activationPolicy, (raw) => (raw.pim.activationStrength = "phishingResistant"));
  const gaps = (detail: string) =>
    `${prefix}no Conditional Access policy on authentication context "c1" is the model's activation policy for Phishing-resistant MFA: ${CONTEXT_POLICY}: ${detail}.`;
  const grantCases: [string, Record<string, unknown>, string][] = [
    [
      "plain MFA instead of the phishing-resistant strength",
      { operator: "OR", builtInControls: ["mfa"] },
      "it grants with the plain MFA control, weaker than Phishing-resistant MFA",
    ],
    [
      "the MFA strength (…0002) instead of phishing-resistant MFA",
      { operator: "OR", authenticationStrength: { id: STRENGTH_POLICY_IDS.mfa } },
      "it grants with authentication strength Multifactor authentication, weaker than Phishing-resistant MFA",
    ],
    [
      "the strength OR a compliant device",
      {
        operator: "OR",
        builtInControls: ["compliantDevice"],
        authenticationStrength: { id: STRENGTH_POLICY_IDS.phishingResistant },
      },
      "its grant (OR) can be met by compliantdevice instead of Phishing-resistant MFA",
    ],
  ];

  it.each(["update", "preview"] as Mode[])("passes the phishing-resistant world (%s)", async (mode) => {
    expect(await pr.run(pr.stack(mode))).toEqual([]);
  });

  it.each(grantCases)("rejects an activation CA policy granting with %s", async (_, grantControls, detail) => {
    const s = pr.stack("update", (x) => (caPolicyOf(x).grantControls = grantControls));
    expect((await pr.run(s))[0]).toBe(gaps(detail));
  });

  it("accepts the strength AND a compliant device (the device only adds to it)", async () => {
    const s = pr.stack("update", (x) => {
      caPolicyOf(x).grantControls = {
        operator: "AND",
        builtInControls: ["compliantDevice"],
        authenticationStrength: { id: STRENGTH_POLICY_IDS.phishingResistant },
      };
    });
    expect(await pr.run(s)).toEqual([]);
  });

  it("accepts a stronger grant than the role requires", async () => {
    const s = stack("update", (x) => {
      caPolicyOf(x).grantControls = {
        operator: "OR",
        authenticationStrength: { id: STRENGTH_POLICY_IDS.phishingResistant },
      };
    });
    expect(await run(s)).toEqual([]);
  });

  it("reports an activation CA policy whose grant is unknown at preview instead of passing it", async () => {
    const s = stack("preview", (x) => (caPolicyOf(x).grantControls.authenticationStrength = unknownStringValue));
    const message = `grantControls of the Conditional Access policy ${CONTEXT_POLICY} on authentication context "c1" cannot be known at preview, so the fresh MFA on activation cannot be verified; declare it from config.`;
    expect(await run(s)).toEqual([
      prefix + message,
      `RoleManagementPolicy "${PRA_POLICY}" (the Privileged Role Administrator activation policy): ${message}`,
    ]);
  });

  it("passes when another, known policy on the context enforces while one is unknown at preview", async () => {
    const s = stack("preview", (x) => {
      const copy = structuredClone(byName(x, CONTEXT_POLICY));
      copy.name = `${CONTEXT_POLICY}-2`;
      copy.urn = urnOf(copy.type, copy.name);
      (copy.inputs as Record<string, unknown>).state = unknownStringValue;
      x.push(copy);
    });
    expect(await run(s)).toEqual([]);
  });

  it("reports a setting that is unknown at preview instead of skipping the rule", async () => {
    const s = withPolicy((p) => (p.requireTicket = unknownStringValue), "preview");
    expect(await run(s)).toEqual([
      `RoleManagementPolicy "${GA_POLICY}": requireTicket is unknown at preview, so the Global Administrator activation policy cannot be verified; declare it from config.`,
    ]);
  });

  it("resolves an authentication context id unknown at preview from the context resource it came from", async () => {
    const s = stack("preview");
    expect(policyOf(s).authenticationContextId).toBe(unknownStringValue);
    expect(byName(s, GA_POLICY).propertyDependencies.authenticationContextId).toEqual([
      byName(s, "activation-context-c1").urn,
    ]);
    expect(await run(s)).toEqual([]);
    const unwired = stack("preview", (x) => (byName(x, GA_POLICY).propertyDependencies = {}));
    expect(await run(unwired)).toContainEqual(
      `RoleManagementPolicy "${GA_POLICY}": authenticationContextId is unknown at preview, so the Global Administrator activation policy cannot be verified; declare it from config.`,
    );
  });

  it("rejects a policy whose role cannot be resolved at preview: no managed role can be shown to have it", async () => {
    const s = withPolicy((p) => (p.roleDefinitionId = unknownStringValue), "preview");
    expect(await run(s)).toContainEqual(
      `RoleManagementPolicy "${GA_POLICY}": its role cannot be resolved at preview, so no managed role can be shown to have its policy; declare roleDefinitionId from config.`,
    );
  });
});

describe("activation-policy: PIM for Groups", () => {
  const GROUP = "9a000000-0000-4000-8000-00000000009a";
  type GroupPolicyArgs = pulumi.Unwrap<azuread.GroupRoleManagementPolicyArgs>;
  const pimGroups = ruleOnWorld(activationPolicy, (raw) => {
    raw.pim.groups = [
      { group: GROUP, roles: ["Privileged Role Administrator"], eligibleMembers: ["adele.vance@contoso.com"] },
    ];
  });
  const compliantMember: GroupPolicyArgs = {
    groupId: GROUP,
    roleId: "member",
    activationRules: {
      maximumDuration: "PT4H",
      requireApproval: true,
      requireJustification: true,
      requireTicketInfo: true,
      requiredConditionalAccessAuthenticationContext: "c1",
      approvalStage: { primaryApprovers: [{ objectId: LIDIA, type: "singleUser" }] },
    },
    notificationRules: Object.fromEntries(
      ["eligibleAssignments", "activeAssignments", "eligibleActivations"].map((k) => [
        k,
        {
          adminNotifications: {
            defaultRecipients: true,
            notificationLevel: "All",
            additionalRecipients: ["secops@contoso.com"],
          },
        },
      ]),
    ),
  };
  const withGroup = (policy: GroupPolicyArgs | undefined) =>
    pimGroups.stack("update", (x) => {
      x.push(
        resource(providerTypes.group, "pra-pim", {
          displayName: "pra-pim",
          securityEnabled: true,
          assignableToRole: true,
          members: [],
          objectId: GROUP,
        }),
        resource(providerTypes.directoryRoleAssignment, "pra-pim-role", {
          roleId: PRIVILEGED_ROLE_ADMINISTRATOR,
          principalObjectId: GROUP,
          directoryScopeId: "/",
        }),
        resource(providerTypes.privilegedAccessGroupEligibilitySchedule, "pra-pim-adele", {
          groupId: GROUP,
          principalId: ADELE,
          assignmentType: "member",
          permanentAssignment: true,
        }),
      );
      if (policy) x.push(resource(providerTypes.groupRoleManagementPolicy, "pra-pim-member-policy", { ...policy }));
    });
  const groupPrefix = `GroupRoleManagementPolicy "pra-pim-member-policy" (the member policy of group ${GROUP}, which holds Privileged Role Administrator): `;

  it("passes a group's member policy held to the role's rules", async () => {
    expect(await pimGroups.run(withGroup(compliantMember))).toEqual([]);
  });

  it("rejects eligible members of a group holding a managed role without a policy governing their activation", async () => {
    expect(await pimGroups.run(withGroup(undefined))).toEqual([
      `Group ${GROUP} holds Privileged Role Administrator and 1 principal(s) are eligible for its membership, but no GroupRoleManagementPolicy (roleId "member") governs that activation: reaching the role through the group would be weaker than activating it directly.`,
    ]);
  });

  it("rejects a member policy that allows 8 hours without approval, and takes an absent field as Microsoft's default (not required)", async () => {
    const weak = withGroup({
      groupId: GROUP,
      roleId: "member",
      activationRules: { maximumDuration: "PT8H", requireApproval: false, requireJustification: true },
    });
    expect(await pimGroups.run(weak)).toEqual([
      groupPrefix + "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours.",
      groupPrefix + "activation does not require a ticket reference.",
      groupPrefix + "activation does not require an authentication context, so no fresh MFA challenge is forced.",
      groupPrefix + "activation does not require approval (CISA MS.AAD.7.6).",
      groupPrefix +
        "no notification recipients: assignments and activations of Privileged Role Administrator alert nobody (CISA MS.AAD.7.7–7.9).",
    ]);
  });

  it("rejects an approver who is the only eligible member", async () => {
    const self = withGroup({
      ...compliantMember,
      activationRules: {
        ...compliantMember.activationRules,
        approvalStage: { primaryApprovers: [{ objectId: ADELE, type: "singleUser" }] },
      },
    });
    expect(await pimGroups.run(self)).toEqual([
      groupPrefix + `eligible admin ${ADELE} has no approver other than themselves.`,
    ]);
  });
});

describe("activation-policy: red team", () => {
  it("rejects a duration over 4 h written oddly (PT4H0M60S, P1D, pt240m1s) and accepts PT3H60M", async () => {
    for (const d of ["PT4H0M60S", "P1D", "pt240m1s"]) {
      expect(await run(withPolicy((p) => (p.maxActivationDuration = d))), d).toEqual([
        expect.stringContaining(`${prefix}activation maximum duration ${d}`),
      ]);
    }
    expect(await run(withPolicy((p) => (p.maxActivationDuration = "PT3H60M")))).toEqual([]);
  });

  it("rejects an approver that is only the requester in another casing", async () => {
    const s = withPolicy((p) => (p.approval.approvers = [{ kind: "user", id: ADELE.toUpperCase() }]));
    expect(await run(s)).toEqual([`${prefix}eligible admin ${ADELE} has no approver other than themselves.`]);
  });

  it("rejects an empty or non-id approver standing in for 'someone else'", async () => {
    const s = withPolicy(
      (p) =>
        (p.approval.approvers = [
          { kind: "user", id: ADELE },
          { kind: "user", id: "" },
          { kind: "user", id: "lidia@contoso.com" },
        ]),
    );
    expect(await run(s)).toEqual([
      `${prefix}approver {"kind":"user","id":""} is not a user or group object id.`,
      `${prefix}approver {"kind":"user","id":"lidia@contoso.com"} is not a user or group object id.`,
      `${prefix}eligible admin ${ADELE} has no approver other than themselves.`,
    ]);
  });

  it("rejects an approver group whose only declared member is the requester", async () => {
    const GROUP = "9b000000-0000-4000-8000-00000000009b";
    const s = stack("update", (x) => {
      x.push(
        resource(providerTypes.group, "approvers", {
          displayName: "Approvers",
          securityEnabled: true,
          members: [ADELE],
          objectId: GROUP,
        }),
      );
      policyOf(x).approval.approvers = [{ kind: "group", id: GROUP }];
    });
    expect(await run(s)).toEqual([`${prefix}eligible admin ${ADELE} has no approver other than themselves.`]);
  });

  it("rejects notification recipients that are empty strings", async () => {
    expect(await run(withPolicy((p) => (p.notificationRecipients = ["", " "])))).toEqual([
      `${prefix}notification recipients "", " " are not e-mail addresses.`,
      `${prefix}no notification recipients: assignments and activations of Global Administrator alert nobody (CISA MS.AAD.7.7–7.9).`,
    ]);
  });

  it("keeps accepting the compliant approvers (a second person)", async () => {
    const approvers = policyOf(stack("update")).approval.approvers as { id: string }[];
    expect(approvers.map((a) => a.id)).toEqual([LIDIA, ADELE]);
    expect(await run(stack("update"))).toEqual([]);
  });

  it("rejects a context whose CA policy was moved to another context, even one the stack declares", async () => {
    const s = stack("update", (x) => {
      caPolicyOf(x).conditions.applications.includeAuthenticationContextClassReferences = ["c2"];
      x.push(
        resource(dynamicTypeToken("authenticationContext"), "activation-context-c2", {
          contextId: "c2",
          displayName: "other",
          isAvailable: true,
        }),
      );
    });
    expect(await run(s)).toEqual([
      prefix + 'no Conditional Access policy targets authentication context "c1", so activation forces no fresh MFA.',
      `RoleManagementPolicy "${PRA_POLICY}" (the Privileged Role Administrator activation policy): no Conditional Access policy targets authentication context "c1", so activation forces no fresh MFA.`,
    ]);
  });
});
