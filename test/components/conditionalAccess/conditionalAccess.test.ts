/**
 * The Conditional Access baseline under Pulumi mocks: the activation context and its every-time phishing-resistant
 * policy, the azuread baseline policies with their configured states, and the breakglass exclusion that every CA
 * policy of the stack gets — including policies declared elsewhere in the program.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Breakglass } from "../../../src/components/breakglass";
import { validateConfig, type BaselineConfig } from "../../../src/config/validate";
import { ConditionalAccessBaseline } from "../../../src/components/conditionalAccess";
import {
  assertGroupNotIncluded,
  breakglassExclusionTransformation,
  excludedGroupsWith,
} from "../../../src/components/conditionalAccess/exclusion";
import { TIER0_ADMIN_ROLE_IDS } from "../../../src/components/conditionalAccess/policies";
import { activationContexts } from "../../../src/config/activationSettings";
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  dynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
} from "@entra-baseline/model";
import { rawConfig } from "../../support/stack";
import { promiseOf, runProgram } from "../../support/pulumiMocks";
import { PUBLIC_CONNECTION } from "../../support/fakes/loopbackGraph";

const GRAPH_CA = dynamicTypeToken("graphConditionalAccessPolicy");
const CONTEXT = dynamicTypeToken("authenticationContext");

function config(mutate: (raw: Record<string, any>) => void = () => undefined): BaselineConfig {
  const raw = rawConfig();
  mutate(raw);
  return validateConfig(raw).config!;
}

async function declare(cfg: BaselineConfig, extra: (groupId: pulumi.Output<string>) => void = () => undefined) {
  let baseline!: ConditionalAccessBaseline;
  const run = await runProgram(() => {
    const breakglass = new Breakglass("breakglass", {
      breakglass: cfg.breakglass,
      tenant: cfg.tenant,
      endpoints: cfg.endpoints,
    });
    baseline = new ConditionalAccessBaseline("conditional-access", {
      conditionalAccess: cfg.conditionalAccess,
      activationContexts: activationContexts(cfg),
      exclusionGroupId: breakglass.groupObjectId,
      tenantId: cfg.tenant.tenantId,
      endpoints: cfg.endpoints,
    });
    extra(breakglass.groupObjectId);
  });
  const groupId = run.ofType(providerTypes.group)[0]!.id;
  return { run, baseline, groupId };
}

describe("ConditionalAccessBaseline", () => {
  it("declares the authentication context (available) and a Graph policy on it: MFA of the configured strength, every time", async () => {
    const { run, groupId } = await declare(
      config((c) => {
        c.pim.authenticationContextId = "c7";
        c.pim.activationStrength = "phishingResistant";
      }),
    );
    const [context] = run.ofType(CONTEXT);
    expect(context!.inputs).toMatchObject({
      contextId: "c7",
      isAvailable: true,
      ...PUBLIC_CONNECTION,
    });
    const [policy] = run.ofType(GRAPH_CA);
    expect(policy!.inputs).toMatchObject({
      state: "enabled",
      conditions: {
        clientAppTypes: ["all"],
        applications: { includeAuthenticationContextClassReferences: ["c7"] },
        users: { includeUsers: ["All"], excludeGroups: [groupId] },
      },
      grantControls: { operator: "OR", authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } },
      sessionControls: {
        signInFrequency: {
          isEnabled: true,
          frequencyInterval: "everyTime",
          authenticationType: "primaryAndSecondaryAuthentication",
        },
      },
    });
  });

  it("takes over an authentication context in use only when conditionalAccess.adoptAuthenticationContext says so", async () => {
    const contextOf = async (cfg: BaselineConfig) => (await declare(cfg)).run.ofType(CONTEXT)[0]!.inputs;
    expect(await contextOf(config())).toMatchObject({ adoptExisting: false });
    expect(
      await contextOf(
        config((c) => (c.conditionalAccess = { ...c.conditionalAccess, adoptAuthenticationContext: true })),
      ),
    ).toMatchObject({ adoptExisting: true });
  });

  it("orders the policy after the context it targets, and exposes the context for PIM to depend on", async () => {
    const { run, baseline } = await declare(config());
    const policy = run.constructed.find((c) => c.type === GRAPH_CA)!;
    expect(policy.opts.dependsOn).toEqual([baseline.authenticationContexts.c1]);
    expect(baseline.authenticationContexts.c1).toBeInstanceOf(pulumi.CustomResource);
    expect(await promiseOf(baseline.authenticationContexts.c1!.urn)).toMatch(
      /pulumi-nodejs:dynamic\/conditionalAccess:AuthenticationContext::conditional-access-context-c1$/,
    );
  });

  it("declares the three azuread baseline policies with the states from config (report-only by default)", async () => {
    const { run } = await declare(config((c) => delete c.conditionalAccess));
    const policies = run.ofType(providerTypes.conditionalAccessPolicy);
    expect(policies.map((p) => [p.name, p.inputs.state]).sort()).toEqual([
      ["conditional-access-admin-mfa", "enabledForReportingButNotEnforced"],
      ["conditional-access-block-legacy-authentication", "enabledForReportingButNotEnforced"],
      ["conditional-access-mfa-all-users", "enabledForReportingButNotEnforced"],
    ]);
    const enforced = await declare(config((c) => (c.conditionalAccess.blockLegacyAuthentication.state = "enabled")));
    const states = Object.fromEntries(
      enforced.run.ofType(providerTypes.conditionalAccessPolicy).map((p) => [p.name, p.inputs.state]),
    );
    expect(states).toEqual({
      "conditional-access-admin-mfa": "enabledForReportingButNotEnforced",
      "conditional-access-block-legacy-authentication": "enabled",
      "conditional-access-mfa-all-users": "enabledForReportingButNotEnforced",
    });
  });

  it("requires the phishing-resistant strength for the Tier-0 roles (MS.AAD.3.6), sparing Entra Connect's sync role", async () => {
    const { run } = await declare(config());
    const admin = run.ofType(providerTypes.conditionalAccessPolicy).find((p) => p.name.endsWith("admin-mfa"))!;
    expect(admin.inputs.grantControls).toEqual({
      operator: "OR",
      authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004",
    });
    expect(admin.inputs.conditions.users.includedRoles).toEqual(TIER0_ADMIN_ROLE_IDS);
    expect(admin.inputs.conditions.users.includedRoles).toEqual(
      expect.arrayContaining([GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR]),
    );
    expect(admin.inputs.conditions.users.includedRoles).not.toContain(DIRECTORY_SYNCHRONIZATION_ACCOUNTS);
    expect(admin.inputs.conditions).toMatchObject({
      clientAppTypes: ["all"],
      applications: { includedApplications: ["All"] },
    });
  });

  it("blocks legacy authentication (Exchange ActiveSync and other clients) and requires MFA for all users", async () => {
    const { run } = await declare(config());
    const byName = (suffix: string) =>
      run.ofType(providerTypes.conditionalAccessPolicy).find((p) => p.name.endsWith(suffix))!.inputs;
    expect(byName("block-legacy-authentication")).toMatchObject({
      conditions: { clientAppTypes: ["exchangeActiveSync", "other"], users: { includedUsers: ["All"] } },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    });
    expect(byName("mfa-all-users")).toMatchObject({
      conditions: {
        clientAppTypes: ["all"],
        users: { includedUsers: ["All"], excludedRoles: [DIRECTORY_SYNCHRONIZATION_ACCOUNTS] },
      },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    });
  });

  it("adds the breakglass exclusion to a CA policy declared anywhere else in the program, once", async () => {
    const { run, groupId } = await declare(config(), (group) => {
      // A team's own policy, outside the baseline component, that forgot the exclusion…
      new azuread.ConditionalAccessPolicy("team-block-countries", {
        displayName: "Block sign-in from unexpected countries",
        state: "enabled",
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users: { includedUsers: ["All"], excludedGroups: ["0a0b0c0d-1111-2222-3333-444455556666"] },
        },
        grantControls: { operator: "OR", builtInControls: ["block"] },
      });
      // …and one that already had it.
      new azuread.ConditionalAccessPolicy("team-compliant-device", {
        displayName: "Compliant device",
        state: "enabled",
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users: { includedUsers: ["All"], excludedGroups: [group] },
        },
        grantControls: { operator: "OR", builtInControls: ["compliantDevice"] },
      });
    });
    const team = run.ofType(providerTypes.conditionalAccessPolicy).filter((p) => p.name.startsWith("team-"));
    expect(team.map((p) => p.inputs.conditions.users.excludedGroups)).toEqual([
      ["0a0b0c0d-1111-2222-3333-444455556666", groupId],
      [groupId],
    ]);
  });

  it("refuses a CA policy that includes the breakglass group (the registration fails with this message)", async () => {
    const group = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";
    const transform = breakglassExclusionTransformation(pulumi.output(group));
    for (const [type, users] of [
      [providerTypes.conditionalAccessPolicy, { includedGroups: [group] }],
      [GRAPH_CA, { includeGroups: [pulumi.output(group)] }],
    ] as const) {
      let result: pulumi.ResourceTransformationResult | undefined;
      await runProgram(() => {
        const resource = new pulumi.ComponentResource("test:index:Probe", "probe");
        const props = {
          displayName: "Admins must use compliant devices",
          conditions: { clientAppTypes: ["all"], users },
        };
        result = transform({ resource, type, name: "team-admins-only", props, opts: {} });
      });
      const conditions = result!.props.conditions as { users: Record<string, pulumi.Output<string[]>> };
      const excluded = conditions.users[type === GRAPH_CA ? "excludeGroups" : "excludedGroups"]!;
      await expect(promiseOf(excluded)).rejects.toThrow(
        /Conditional Access policy "Admins must use compliant devices" includes the breakglass group 5d1f7c3a-.*: no CA policy may apply to the emergency accounts/,
      );
    }
  });

  it("leaves resources that are not CA policies untouched", () => {
    const transform = breakglassExclusionTransformation("5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d");
    const props = {
      displayName: "x",
      conditions: { users: { includedGroups: ["5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d"] } },
    };
    expect(
      transform({ resource: {} as pulumi.Resource, type: providerTypes.group, name: "g", props, opts: {} }),
    ).toBeUndefined();
  });

  it("checks inclusion case-insensitively and keeps an existing exclusion without duplicating it", async () => {
    expect(() =>
      assertGroupNotIncluded("p", ["5D1F7C3A-2B4E-4F6A-8C9D-0E1F2A3B4C5D"], "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d"),
    ).toThrow(/includes the breakglass group/);
    await runProgram(async () => {
      const ids = await promiseOf(
        excludedGroupsWith("p", ["5D1F7C3A-2B4E-4F6A-8C9D-0E1F2A3B4C5D"], [], "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d"),
      );
      expect(ids).toEqual(["5D1F7C3A-2B4E-4F6A-8C9D-0E1F2A3B4C5D"]);
    });
  });

  it("fails clearly when declared outside a Pulumi stack, instead of silently skipping the exclusion", async () => {
    const cfg = config();
    await pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs },
      "entra-baseline",
      "test",
      false,
    );
    const stack = pulumi.runtime.getStackResource();
    expect(stack).toBeUndefined();
    expect(
      () =>
        new ConditionalAccessBaseline("conditional-access", {
          conditionalAccess: cfg.conditionalAccess,
          activationContexts: [{ contextId: "c1", strength: "mfa" }],
          exclusionGroupId: "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d",
          tenantId: cfg.tenant.tenantId,
          endpoints: cfg.endpoints,
        }),
    ).toThrow(/must be declared inside a Pulumi stack/);
  });
});
