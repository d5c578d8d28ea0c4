/**
 * The PIM components under Pulumi mocks for several role configurations: every managed role gets its policy (the
 * settings roleActivationSettings derives, notifications included) and one RoleEligibility per eligible user and
 * group; PIM-for-Groups groups get their member policy, held to the strictest rules of the roles they hold, and their
 * eligible members; Global Administrator's admins follow `pim.eligibilityResource` (request, migrate, schedule).
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  dynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
} from "@entra-baseline/model";
import { roleActivationSettings } from "../../../src/config/activationSettings";
import { managedRoles } from "../../../src/config/managedRoles";
import type { BaselineConfig } from "../../../src/config/validate";
import { strictestRules } from "../../../src/config/managedRoles";
import { groupMaximumDuration } from "../../../src/components/pim/pimGroups";
import { rawConfig, validConfig } from "../../support/stack";
import { PUBLIC_CONNECTION } from "../../support/fakes/loopbackGraph";
import { fakeObjectId, setBaselineMocks, unwrap, type MockState } from "../../support/pulumiMocks";

const POLICY = dynamicTypeToken("roleManagementPolicy");
const ELIGIBILITY = dynamicTypeToken("roleEligibility");
const REQUEST = providerTypes.directoryRoleEligibilityScheduleRequest;
const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const GROUP = "9a000000-0000-4000-8000-00000000009a";
const ELIGIBLE_GROUP = "7b000000-0000-4000-8000-00000000007b";
const HELPDESK_APPROVERS = "6c000000-0000-4000-8000-00000000006c";

let pim: typeof import("../../../src/components/pim");
const state: MockState = { resources: [], calls: [] };

beforeAll(async () => {
  await setBaselineMocks(rawConfig(), state);
  pim = await import("../../../src/components/pim");
});

/** PRA and PAA (Tier-0), Helpdesk Administrator on a template, a PIM-for-Groups group holding PRA. */
function rolesConfig(mutate?: (raw: Record<string, any>) => void): BaselineConfig {
  return validConfig((raw) => {
    raw.pim.roles = [
      {
        role: "Privileged Role Administrator",
        eligibleUsers: ["nestor.wilke@contoso.com"],
        eligibleGroups: [ELIGIBLE_GROUP],
        maxActivationDuration: "PT2H",
      },
      { role: PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, eligibleUsers: ["megan.bowen@contoso.com"] },
      { role: "Helpdesk Administrator", eligibleUsers: ["megan.bowen@contoso.com"], template: "helpdesk" },
    ];
    raw.pim.templates = {
      helpdesk: {
        maxActivationDuration: "PT8H",
        requireApproval: true,
        approvers: { users: [], groups: [HELPDESK_APPROVERS] },
      },
    };
    raw.pim.groups = [
      {
        group: GROUP,
        label: "PRA admins",
        roles: ["Privileged Role Administrator", "Helpdesk Administrator"],
        eligibleMembers: ["adele.vance@contoso.com"],
      },
    ];
    mutate?.(raw);
  });
}

interface Declared {
  /** Options each resource was declared with, by `${type}::${name}`. */
  options: Map<string, pulumi.ResourceOptions>;
  resources: MockState["resources"];
  byName: (name: string) => MockState["resources"][number];
}

/** Declares both PIM components with the config and waits for the mocks to see everything. */
async function declare(config: BaselineConfig): Promise<Declared> {
  state.resources.length = 0;
  state.calls.length = 0;
  const options = new Map<string, pulumi.ResourceOptions>();
  // By type and name: under `migrate` a request resource and a RoleEligibility share a name.
  const transformations = [
    (args: pulumi.ResourceTransformationArgs) => void options.set(`${args.type}::${args.name}`, args.opts),
  ];
  const args = { pim: config.pim, endpoints: config.endpoints, tenantId: config.tenant.tenantId };
  const ga = new pim.JitGlobalAdmin("jit-global-admin", args, { transformations: transformations as never });
  const roles = new pim.JitRoles("jit-roles", args, { transformations: transformations as never });
  await unwrap(ga.eligiblePrincipalIds);
  for (const p of Object.values(roles.activationPolicies)) await unwrap(p.urn);
  await new Promise((r) => setTimeout(r, 100));
  const resources = [...state.resources];
  return {
    options,
    resources,
    byName: (name) => {
      const found = resources.find((r) => r.name === name && r.type !== "entra-baseline:pim:JitRoles");
      if (!found) throw new Error(`no resource ${name}: ${resources.map((r) => r.name).join(", ")}`);
      return found;
    },
  };
}

const withoutProvider = (inputs: Record<string, unknown>) => {
  const { __provider, ...rest } = inputs;
  expect(typeof __provider).toBe("string");
  return rest;
};

describe("JitRoles: every managed role besides Global Administrator", () => {
  it("declares one policy per role with exactly the settings roleActivationSettings derives, notifications included", async () => {
    const config = rolesConfig();
    const { resources, byName } = await declare(config);
    // The mocks see resources as their inputs resolve: compare as sets.
    const policies = resources.filter((r) => r.type === POLICY).map((r) => r.name);
    expect(policies.sort()).toEqual(
      [
        "jit-global-admin-activation-policy",
        "jit-roles-privileged-role-administrator-activation-policy",
        "jit-roles-privileged-authentication-administrator-activation-policy",
        "jit-roles-helpdesk-administrator-activation-policy",
      ].sort(),
    );
    const approvers = [
      { kind: "user", id: fakeObjectId("lidia.holloway@contoso.com") },
      { kind: "user", id: fakeObjectId("adele.vance@contoso.com") },
    ];
    for (const role of managedRoles(config.pim).slice(1)) {
      const roleApprovers = role.tier0 ? approvers : [{ kind: "group", id: HELPDESK_APPROVERS }];
      expect(withoutProvider(byName(`jit-roles-${role.slug}-activation-policy`).inputs)).toEqual({
        ...roleActivationSettings(role, roleApprovers),
        ...PUBLIC_CONNECTION,
        policyId: undefined,
        ruleDrift: undefined,
      });
    }
    // Tier-0 rules, shortened where the role says so; every role alerts the security team (CISA MS.AAD.7.7–7.9).
    expect(byName("jit-roles-privileged-role-administrator-activation-policy").inputs).toMatchObject({
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      maxActivationDuration: "PT2H",
      requireTicket: true,
      authenticationContextId: "c1",
      approval: { required: true },
      notificationRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
    });
    expect(byName("jit-roles-helpdesk-administrator-activation-policy").inputs).toMatchObject({
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      maxActivationDuration: "PT8H",
      requireTicket: false,
      notificationRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
    });
  });

  it("makes each eligible user and group eligible through RoleEligibility, after the role's policy", async () => {
    const { resources, options } = await declare(rolesConfig());
    const eligibilities = resources
      .filter((r) => r.type === ELIGIBILITY && r.name.startsWith("jit-roles-"))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(eligibilities.map((r) => [r.name, withoutProvider(r.inputs)])).toEqual([
      [
        "jit-roles-helpdesk-administrator-eligible-megan-bowen-contoso-com",
        expect.objectContaining({ roleDefinitionId: HELPDESK_ADMINISTRATOR }),
      ],
      [
        "jit-roles-privileged-authentication-administrator-eligible-megan-bowen-contoso-com",
        expect.objectContaining({ roleDefinitionId: PRIVILEGED_AUTHENTICATION_ADMINISTRATOR }),
      ],
      [
        `jit-roles-privileged-role-administrator-eligible-${ELIGIBLE_GROUP}`,
        expect.objectContaining({ roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR, principalId: ELIGIBLE_GROUP }),
      ],
      [
        "jit-roles-privileged-role-administrator-eligible-nestor-wilke-contoso-com",
        {
          roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
          principalId: fakeObjectId("nestor.wilke@contoso.com"),
          directoryScopeId: "/",
          justification: "Eligible Privileged Role Administrator managed by entra-baseline",
          duration: null,
          ...PUBLIC_CONNECTION,
        },
      ],
    ]);
    for (const r of eligibilities) {
      const slug = r.name.replace(/^jit-roles-/, "").replace(/-eligible-.*$/, "");
      const deps = options.get(`${ELIGIBILITY}::${r.name}`)!.dependsOn as pulumi.Resource[];
      expect(deps).toHaveLength(1);
      expect(await unwrap(deps[0]!.urn)).toContain(`jit-roles-${slug}-activation-policy`);
    }
    // Nothing standing and no azuread request for any role but Global Administrator's admins.
    expect(resources.filter((r) => r.type === REQUEST).every((r) => r.name.startsWith("jit-global-admin-"))).toBe(true);
    for (const type of [providerTypes.directoryRoleAssignment, providerTypes.directoryRoleMember]) {
      expect(resources.filter((r) => r.type === type)).toEqual([]);
    }
  });

  it("makes a role's eligibilities time-bound when it says so", async () => {
    const { byName } = await declare(rolesConfig((raw) => (raw.pim.roles[0].eligibilityDuration = "P180D")));
    expect(byName("jit-roles-privileged-role-administrator-eligible-nestor-wilke-contoso-com").inputs.duration).toBe(
      "P180D",
    );
    expect(byName("jit-roles-privileged-role-administrator-activation-policy").inputs.eligibilityExpiration).toEqual({
      required: true,
      maximumDuration: "P180D",
    });
  });

  it("declares nothing for a config without roles or groups but the empty component", async () => {
    const { resources } = await declare(validConfig());
    expect(resources.filter((r) => r.name.startsWith("jit-roles")).map((r) => r.type)).toEqual([
      "entra-baseline:pim:JitRoles",
    ]);
  });
});

describe("JitRoles: PIM for Groups", () => {
  it("holds the group's member policy to the strictest rules of the roles it holds", async () => {
    const { byName } = await declare(rolesConfig());
    // PRA (Tier-0, 2 h, approvers Lidia and Adele) and Helpdesk (8 h, approver group): the strictest is PRA's.
    expect(byName("jit-roles-group-pra-admins-member-policy").inputs).toEqual({
      groupId: GROUP,
      roleId: "member",
      activationRules: {
        maximumDuration: "PT2H",
        requireJustification: true,
        requireTicketInfo: true,
        requireApproval: true,
        approvalStage: {
          primaryApprovers: [
            { objectId: fakeObjectId("lidia.holloway@contoso.com"), type: "singleUser" },
            { objectId: fakeObjectId("adele.vance@contoso.com"), type: "singleUser" },
          ],
        },
        requiredConditionalAccessAuthenticationContext: "c1",
      },
      notificationRules: Object.fromEntries(
        ["eligibleAssignments", "activeAssignments", "eligibleActivations"].map((k) => [
          k,
          {
            adminNotifications: {
              defaultRecipients: true,
              notificationLevel: "All",
              additionalRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
            },
          },
        ]),
      ),
    });
  });

  it("makes each eligible member eligible for membership (never a permanent member), after the policy", async () => {
    const { resources, options, byName } = await declare(rolesConfig());
    const schedules = resources.filter((r) => r.type === providerTypes.privilegedAccessGroupEligibilitySchedule);
    expect(schedules.map((r) => [r.name, r.inputs])).toEqual([
      [
        "jit-roles-group-pra-admins-eligible-adele-vance-contoso-com",
        {
          groupId: GROUP,
          principalId: fakeObjectId("adele.vance@contoso.com"),
          assignmentType: "member",
          permanentAssignment: true,
          justification: "Eligible member of PRA admins managed by entra-baseline",
        },
      ],
    ]);
    expect(resources.filter((r) => r.type === providerTypes.privilegedAccessGroupAssignmentSchedule)).toEqual([]);
    const deps = options.get(`${providerTypes.privilegedAccessGroupEligibilitySchedule}::${schedules[0]!.name}`)!
      .dependsOn as pulumi.Resource[];
    expect(await unwrap(deps[0]!.urn)).toContain("jit-roles-group-pra-admins-member-policy");
    void byName;
  });

  it("takes the shortest activation, any requirement, the first approvers, the strongest context, every recipient", () => {
    const base = managedRoles(rolesConfig().pim);
    const [pra, , helpdesk] = base.slice(1).map((r) => r.rules);
    const rules = strictestRules([
      { ...helpdesk!, maxActivationDuration: "PT1H", notificationRecipients: ["helpdesk@contoso.com"] },
      { ...pra!, activationStrength: "phishingResistant", authenticationContextId: "c2" },
    ]);
    expect(rules).toMatchObject({
      maxActivationDuration: "PT1H",
      requireJustification: true,
      requireTicket: true,
      requireApproval: true,
      approvers: { users: [], groups: [HELPDESK_APPROVERS] },
      authenticationContextId: "c2",
      activationStrength: "phishingResistant",
      notificationRecipients: ["helpdesk@contoso.com", "secops@contoso.com", "identity-team@contoso.com"],
    });
  });

  it.each([
    ["PT4H", "PT4H"],
    ["PT2H30M", "PT2H30M"],
    ["PT45M", "PT30M"],
    ["PT10M", "PT30M"],
    ["PT24H", "P1D"],
    ["P2D", "P1D"],
  ])("gives azuread an activation maximum in its 30-minute steps: %s → %s", (duration, expected) => {
    expect(groupMaximumDuration(duration)).toBe(expected);
  });
});

describe("Global Administrator's admins under pim.eligibilityResource", () => {
  const gaNames = ["adele-vance-contoso-com", "megan-bowen-contoso-com", "nestor-wilke-contoso-com"].map(
    (s) => `jit-global-admin-eligible-${s}`,
  );
  const gaOf = (resources: MockState["resources"], type: string) =>
    resources.filter((r) => r.type === type && r.name.startsWith("jit-global-admin-")).map((r) => r.name);

  it("request (the default): azuread's request resources exactly as before, and no RoleEligibility", async () => {
    const config = validConfig();
    expect(config.pim.eligibilityResource).toBe("request");
    const { resources, options, byName } = await declare(config);
    expect(gaOf(resources, REQUEST).sort()).toEqual(gaNames);
    expect(gaOf(resources, ELIGIBILITY)).toEqual([]);
    expect(byName(gaNames[0]!).inputs).toEqual({
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      principalId: fakeObjectId("adele.vance@contoso.com"),
      directoryScopeId: "/",
      justification: "Eligible Global Administrator managed by entra-baseline",
    });
    expect(options.get(`${REQUEST}::${gaNames[0]}`)).toMatchObject({ ignoreChanges: ["justification"] });
    expect(options.get(`${REQUEST}::${gaNames[0]}`)!.retainOnDelete).toBeUndefined();
  });

  it("migrate: the request resources unchanged but retained on delete, and a RoleEligibility after each", async () => {
    const { resources, options } = await declare(validConfig((raw) => (raw.pim.eligibilityResource = "migrate")));
    expect(gaOf(resources, REQUEST).sort()).toEqual(gaNames);
    expect(gaOf(resources, ELIGIBILITY).sort()).toEqual(gaNames);
    for (const name of gaNames) {
      const request = options.get(`${REQUEST}::${name}`)!;
      expect(request).toMatchObject({ retainOnDelete: true, ignoreChanges: ["justification"] });
      const deps = options.get(`${ELIGIBILITY}::${name}`)!.dependsOn as pulumi.Resource[];
      const depUrns = await Promise.all(deps.map((d) => unwrap(d.urn)));
      expect(depUrns).toEqual([
        expect.stringMatching(/RoleManagementPolicy::jit-global-admin-activation-policy$/),
        expect.stringMatching(new RegExp(`DirectoryRoleEligibilityScheduleRequest::${name}$`)),
      ]);
    }
    // The request resources' inputs are as the deployed stack has them: no replacement.
    const requests = resources.filter((r) => r.type === REQUEST);
    expect(requests.map((r) => r.inputs.justification)).toEqual(
      Array(3).fill("Eligible Global Administrator managed by entra-baseline"),
    );
  });

  it("schedule: only RoleEligibility, time-bound when pim.eligibilityDuration says so, groups included", async () => {
    const { resources, byName } = await declare(
      validConfig((raw) => {
        raw.pim.eligibilityResource = "schedule";
        raw.pim.eligibilityDuration = "P365D";
        raw.pim.eligibleGroups = [ELIGIBLE_GROUP];
      }),
    );
    expect(gaOf(resources, REQUEST)).toEqual([]);
    expect(gaOf(resources, ELIGIBILITY).sort()).toEqual([`jit-global-admin-eligible-${ELIGIBLE_GROUP}`, ...gaNames]);
    expect(withoutProvider(byName(gaNames[1]!).inputs)).toEqual({
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      principalId: fakeObjectId("megan.bowen@contoso.com"),
      directoryScopeId: "/",
      justification: "Eligible Global Administrator managed by entra-baseline",
      duration: "P365D",
      ...PUBLIC_CONNECTION,
    });
  });
});
