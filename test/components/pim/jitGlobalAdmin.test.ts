/**
 * JitGlobalAdmin under Pulumi mocks, with the test stack's config (test/support/fixtures/stack): one eligibility
 * request per admin, nothing standing, and the activation policy resource with its exact token and inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { validateConfig, type BaselineConfig } from "../../../src/config/validate";
import { dynamicTypeToken, GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { rawConfig } from "../../support/stack";
import { fakeObjectId, setBaselineMocks, unwrap, type MockState } from "../../support/pulumiMocks";
import { PUBLIC_CONNECTION } from "../../support/fakes/loopbackGraph";

const POLICY_TOKEN = "pulumi-nodejs:dynamic/pim:RoleManagementPolicy";

function testStack(): { raw: Record<string, unknown>; config: BaselineConfig } {
  const raw = rawConfig();
  const { config, errors } = validateConfig(raw);
  if (!config) throw new Error(`the test stack (Pulumi.test.yaml) is invalid: ${JSON.stringify(errors)}`);
  return { raw, config };
}

interface Declared {
  state: MockState;
  component: import("../../../src/components/pim").JitGlobalAdmin;
  /** Options each child was declared with, by name (recorded through a component transformation). */
  options: Map<string, pulumi.ResourceOptions>;
  authContext: pulumi.Resource;
}

let pim: typeof import("../../../src/components/pim");
const { raw, config } = testStack();
const state: MockState = { resources: [], calls: [] };

beforeAll(async () => {
  await setBaselineMocks(raw, state);
  pim = await import("../../../src/components/pim");
});

/** Declares the component alone (the other components are not needed) and waits for the mocks to see everything. */
async function declare(pimConfig = config.pim, name = "jit-global-admin"): Promise<Declared> {
  state.resources.length = 0;
  state.calls.length = 0;
  const options = new Map<string, pulumi.ResourceOptions>();
  const authContext = new FakeAuthenticationContext(`${name}-ctx`);
  const component = new pim.JitGlobalAdmin(
    name,
    {
      pim: pimConfig,
      endpoints: config.endpoints,
      tenantId: config.tenant.tenantId,
      activationPrerequisites: [authContext],
    },
    { transformations: [(args) => void options.set(args.name, args.opts) as undefined] },
  );
  await unwrap(component.eligiblePrincipalIds);
  await unwrap(component.activationPolicy.urn);
  await new Promise((r) => setTimeout(r, 50));
  return { state, component, options, authContext };
}

/** Stands in for the conditionalAccess component's authentication context resource. */
class FakeAuthenticationContext extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:AuthenticationContext", name, {});
  }
}

const ofType = (s: MockState, type: string) => s.resources.filter((r) => r.type === type);

describe("JitGlobalAdmin (test stack, mocks)", () => {
  it("declares one Global Administrator eligibility request per admin, with the exact inputs", async () => {
    const { state } = await declare();
    const requests = ofType(state, providerTypes.directoryRoleEligibilityScheduleRequest);
    expect(requests.map((r) => r.name)).toEqual([
      "jit-global-admin-eligible-adele-vance-contoso-com",
      "jit-global-admin-eligible-megan-bowen-contoso-com",
      "jit-global-admin-eligible-nestor-wilke-contoso-com",
    ]);
    for (const [i, upn] of [
      "adele.vance@contoso.com",
      "megan.bowen@contoso.com",
      "nestor.wilke@contoso.com",
    ].entries()) {
      expect(requests[i]!.inputs).toEqual({
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
        principalId: fakeObjectId(upn),
        directoryScopeId: "/",
        justification: "Eligible Global Administrator managed by entra-baseline",
      });
    }
  });

  it("declares nothing standing for the admins: no role assignment, membership or permanent group assignment", async () => {
    const { state } = await declare();
    for (const type of [
      providerTypes.directoryRoleAssignment,
      providerTypes.directoryRoleMember,
      providerTypes.privilegedAccessGroupAssignmentSchedule,
    ]) {
      expect(ofType(state, type)).toEqual([]);
    }
    expect(state.resources.map((r) => r.type).sort()).toEqual(
      [
        POLICY_TOKEN,
        ...Array(3).fill(providerTypes.directoryRoleEligibilityScheduleRequest),
        "entra-baseline:pim:JitGlobalAdmin",
        "test:index:AuthenticationContext",
      ].sort(),
    );
  });

  it("resolves each user once by UPN (an admin who also approves is looked up once)", async () => {
    const { state } = await declare();
    const lookups = state.calls
      .filter((c) => c.token === "azuread:index/getUser:getUser")
      .map((c) => c.args.userPrincipalName);
    expect(lookups.sort()).toEqual([
      "adele.vance@contoso.com",
      "lidia.holloway@contoso.com",
      "megan.bowen@contoso.com",
      "nestor.wilke@contoso.com",
    ]);
  });

  it("declares the activation policy with its own token and exactly the settings shape plus the connection", async () => {
    const { state, component } = await declare();
    const [policy] = ofType(state, POLICY_TOKEN);
    expect(POLICY_TOKEN).toBe(dynamicTypeToken("roleManagementPolicy"));
    expect(policy!.name).toBe("jit-global-admin-activation-policy");
    const { __provider, ...inputs } = policy!.inputs;
    expect(typeof __provider).toBe("string");
    expect(inputs).toEqual({
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      maxActivationDuration: "PT4H",
      requireJustification: true,
      requireTicket: true,
      requireMfa: false,
      authenticationContextId: "c1",
      approval: {
        required: true,
        approvers: [
          { kind: "user", id: fakeObjectId("lidia.holloway@contoso.com") },
          { kind: "user", id: fakeObjectId("adele.vance@contoso.com") },
        ],
      },
      eligibilityExpiration: { required: false, maximumDuration: null },
      activeAssignmentExpiration: { required: false, maximumDuration: null },
      notificationRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
      ...PUBLIC_CONNECTION,
    });
    expect(await unwrap(component.eligiblePrincipalIds)).toEqual(
      ["adele.vance@contoso.com", "megan.bowen@contoso.com", "nestor.wilke@contoso.com"].map(fakeObjectId),
    );
  });

  it("writes the policy after the authentication context, and the eligibilities after the policy", async () => {
    const { options, authContext, component } = await declare();
    expect(options.get("jit-global-admin-activation-policy")?.dependsOn).toEqual([authContext]);
    for (const [name, opts] of options) {
      if (name.includes("-eligible-")) expect(opts.dependsOn).toEqual([component.activationPolicy]);
    }
    expect([...options.keys()].filter((n) => n.includes("-eligible-"))).toHaveLength(3);
  });

  it("never replaces an eligibility over its justification (an adopted one keeps the reason it was granted with)", async () => {
    const { options } = await declare();
    const eligible = [...options].filter(([name]) => name.includes("-eligible-"));
    expect(eligible).toHaveLength(3);
    for (const [, opts] of eligible) expect(opts.ignoreChanges).toEqual(["justification"]);
  });

  it("uses object ids as given, and approver groups as groupMembers approvers", async () => {
    const adminId = "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D";
    const groupId = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
    const { state, component } = await declare({
      ...config.pim,
      eligibleAdmins: [adminId, "megan.bowen@contoso.com"],
      approvers: { users: [], groups: [groupId] },
    });
    expect(state.calls.map((c) => c.args.userPrincipalName)).toEqual(["megan.bowen@contoso.com"]);
    const requests = ofType(state, providerTypes.directoryRoleEligibilityScheduleRequest);
    expect(requests.map((r) => [r.name, r.inputs.principalId])).toEqual([
      [`jit-global-admin-eligible-${adminId.toLowerCase()}`, adminId.toLowerCase()],
      ["jit-global-admin-eligible-megan-bowen-contoso-com", fakeObjectId("megan.bowen@contoso.com")],
    ]);
    expect(ofType(state, POLICY_TOKEN)[0]!.inputs.approval).toEqual({
      required: true,
      approvers: [{ kind: "group", id: groupId }],
    });
    expect(await unwrap(component.eligiblePrincipalIds)).toEqual([
      adminId.toLowerCase(),
      fakeObjectId("megan.bowen@contoso.com"),
    ]);
  });

  it("refuses two admins whose child names would collide instead of clashing URNs", () => {
    expect(
      () =>
        new pim.JitGlobalAdmin("clash", {
          pim: { ...config.pim, eligibleAdmins: ["a.b@contoso.com", "a-b@contoso.com"] },
          endpoints: config.endpoints,
          tenantId: config.tenant.tenantId,
        }),
    ).toThrow(/pim\.eligibleAdmins: "a-b@contoso\.com" and "a\.b@contoso\.com" would both be named "a-b-contoso-com"/);
  });
});
