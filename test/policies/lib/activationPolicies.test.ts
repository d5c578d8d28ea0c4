/**
 * The stack's activation policies as the model's ActivationPolicySettings: the model's own RoleManagementPolicy
 * (whose props are those settings) and azuread's GroupRoleManagementPolicy (PIM for Groups), whose inputs — typed
 * from the provider's args, so a renamed field fails to compile — are translated here. Unknowns are listed, never
 * guessed; an absent group rule leaves Microsoft's default, taken as not required.
 */
import { describe, expect, it } from "vitest";
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import { dynamicTypeToken, type DynamicTypeToken, GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { contextIdOf, stackActivationPolicies } from "../../../policies/lib/activationPolicies";
import { breakglassView } from "../../../policies/lib/breakglass";
import { StackIndex } from "../../../policies/lib/stack";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import type { FixtureInputs } from "../../support/world/inputs";
import { dependsOn, resource } from "../../support/world/stack";

type GroupPolicyArgs = pulumi.Unwrap<azuread.GroupRoleManagementPolicyArgs>;
const GROUP = "9a000000-0000-4000-8000-00000000009a";
const APPROVER = "bbbbbbbb-0000-4000-8000-000000000001";
const APPROVERS_GROUP = "9b000000-0000-4000-8000-00000000009b";

function policiesOf(resources: PlannedResource[]) {
  const index = new StackIndex(policyResources(resources));
  return stackActivationPolicies(index, breakglassView(index, { breakglassUpns: [] }));
}

const context = (contextId: string) =>
  resource(dynamicTypeToken("authenticationContext"), "context", { contextId, displayName: "PIM", isAvailable: true });

const rolePolicy = (extra: FixtureInputs<DynamicTypeToken<"roleManagementPolicy">> = {}) =>
  resource(dynamicTypeToken("roleManagementPolicy"), "ga-policy", {
    roleDefinitionId: GLOBAL_ADMINISTRATOR.toUpperCase(),
    maxActivationDuration: "PT4H",
    requireJustification: true,
    requireTicket: true,
    requireMfa: false,
    authenticationContextId: "c1",
    approval: { required: true, approvers: [{ kind: "user", id: APPROVER }] },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: true, maximumDuration: "P15D" },
    notificationRecipients: ["secops@contoso.com"],
    graphEndpoint: "https://graph.microsoft.com",
    ...extra,
  });

const groupPolicy = (args: GroupPolicyArgs) => resource(providerTypes.groupRoleManagementPolicy, "group-policy", args);

describe("the model's RoleManagementPolicy", () => {
  it("reads its props as the settings, the role template id canonical", () => {
    const [p] = policiesOf([rolePolicy()]);
    expect(p!.target).toEqual({ kind: "role", roleDefinitionId: GLOBAL_ADMINISTRATOR });
    expect(p!.unknowns).toEqual([]);
    expect(p!.settings).toMatchObject({
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      maxActivationDuration: "PT4H",
      requireJustification: true,
      requireTicket: true,
      authenticationContextId: "c1",
      approval: { required: true, approvers: [{ kind: "user", id: APPROVER }] },
      notificationRecipients: ["secops@contoso.com"],
    });
  });

  it("takes an authentication context unknown at preview from the context resource it came from", () => {
    const c = context("c1");
    const [p] = policiesOf([
      c,
      dependsOn(rolePolicy({ authenticationContextId: unknownStringValue }), "authenticationContextId", c),
    ]);
    expect(p!.unknowns).toEqual([]);
    expect(p!.settings?.authenticationContextId).toBe("c1");
    const [unwired] = policiesOf([rolePolicy({ authenticationContextId: unknownStringValue })]);
    expect(unwired!.unknowns).toEqual(["authenticationContextId"]);
    expect(unwired!.settings).toBeUndefined();
  });

  it("lists every deciding field unknown at preview instead of guessing it", () => {
    const [p] = policiesOf([
      rolePolicy({
        roleDefinitionId: unknownStringValue,
        requireTicket: unknownStringValue,
        approval: { required: true, approvers: [{ kind: "user", id: unknownStringValue }] },
      }),
    ]);
    expect(p!.unknowns).toEqual(["requireTicket", "approval.approvers", "roleDefinitionId"]);
    expect(p!.target).toEqual({ kind: "role", roleDefinitionId: undefined });
  });

  it("reads a context id from the fields a context resource may carry it in", () => {
    const index = new StackIndex(policyResources([context("c7")]));
    expect(contextIdOf(index.resources[0]!)).toBe("c7");
    // `id`, which the program's AuthenticationContext does not declare, is read too.
    const byId = context("c7");
    byId.inputs = { id: "c8", displayName: "PIM", isAvailable: true };
    expect(contextIdOf(new StackIndex(policyResources([byId])).resources[0]!)).toBe("c8");
  });
});

describe("azuread's GroupRoleManagementPolicy", () => {
  const full: GroupPolicyArgs = {
    groupId: GROUP,
    roleId: "Member",
    activationRules: {
      maximumDuration: "PT2H",
      requireApproval: true,
      requireJustification: true,
      requireTicketInfo: true,
      requireMultifactorAuthentication: false,
      requiredConditionalAccessAuthenticationContext: "c1",
      approvalStage: {
        primaryApprovers: [
          { objectId: APPROVER, type: "singleUser" },
          { objectId: APPROVERS_GROUP, type: "groupMembers" },
        ],
      },
    },
    notificationRules: {
      eligibleAssignments: {
        adminNotifications: {
          defaultRecipients: true,
          notificationLevel: "All",
          additionalRecipients: ["SecOps@contoso.com", "a@contoso.com"],
        },
      },
      activeAssignments: {
        adminNotifications: {
          defaultRecipients: true,
          notificationLevel: "All",
          additionalRecipients: ["secops@contoso.com"],
        },
      },
      eligibleActivations: {
        adminNotifications: {
          defaultRecipients: true,
          notificationLevel: "All",
          additionalRecipients: ["secops@contoso.com", "b@contoso.com"],
        },
      },
    },
  };

  it("translates activationRules and the admin notifications every rule shares into settings", () => {
    const [p] = policiesOf([groupPolicy(full)]);
    expect(p!.target).toEqual({ kind: "group", groupKey: GROUP, access: "member" });
    expect(p!.unknowns).toEqual([]);
    expect(p!.settings).toEqual({
      roleDefinitionId: "",
      maxActivationDuration: "PT2H",
      requireJustification: true,
      requireTicket: true,
      requireMfa: false,
      authenticationContextId: "c1",
      approval: {
        required: true,
        approvers: [
          { kind: "user", id: APPROVER },
          { kind: "group", id: APPROVERS_GROUP },
        ],
      },
      eligibilityExpiration: { required: false, maximumDuration: null },
      activeAssignmentExpiration: { required: false, maximumDuration: null },
      // Only a recipient of all three admin notifications counts: an alert that reaches them for some events only
      // would leave the others unseen.
      notificationRecipients: ["secops@contoso.com"],
    });
  });

  it("takes an absent rule as Microsoft's default, which requires nothing", () => {
    const [p] = policiesOf([groupPolicy({ groupId: GROUP, roleId: "owner" })]);
    expect(p!.target).toEqual({ kind: "group", groupKey: GROUP, access: "owner" });
    expect(p!.settings).toMatchObject({
      maxActivationDuration: "",
      requireJustification: false,
      requireTicket: false,
      authenticationContextId: null,
      approval: { required: false, approvers: [] },
      notificationRecipients: [],
    });
  });

  it("lists unknown rules, and a group it cannot identify at preview", () => {
    const g = resource(providerTypes.group, "pim-group", { displayName: "PIM", objectId: unknownStringValue });
    const wired = dependsOn(
      groupPolicy({
        groupId: unknownStringValue,
        roleId: "member",
        activationRules: { ...full.activationRules, maximumDuration: unknownStringValue },
      }),
      "groupId",
      g,
    );
    const [p] = policiesOf([g, wired]);
    expect(p!.target).toMatchObject({ kind: "group", groupKey: g.urn });
    expect(p!.unknowns).toEqual(["activationRules.maximumDuration"]);
    const [lost] = policiesOf([groupPolicy({ ...full, groupId: unknownStringValue })]);
    expect(lost!.unknowns).toEqual(["groupId"]);
  });
});
