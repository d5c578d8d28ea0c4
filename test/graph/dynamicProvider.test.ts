/**
 * Every Graph-backed dynamic provider acts on the connection its props record (the stack's Graph host, login authority
 * and tenant) and on nothing else:
 * - props without a connection (state written before tenant pinning: `graphEndpoint` only) are an error that says so,
 *   never a fall-back to the public cloud, and nothing is sent;
 * - hosts that are not one Microsoft cloud's (or loopback) are refused;
 * - such old state still plans: `diff` asks for an in-place update (never a replace), which moves the resource onto
 *   the program's connection and provider code, and that update writes nothing to a tenant already holding the
 *   settings.
 * Run against the loopback Graph with the production credential chain (only `az` is a fake).
 */
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect } from "vitest";
import { CLOUDS } from "@entra-baseline/model";
import { fido2MethodPolicyProvider } from "../../src/components/breakglass/fido2MethodPolicyProvider";
import { FIDO2_POLICY_PATH } from "../../src/components/breakglass/fido2MethodPolicyProvider";
import { authenticationContextProvider } from "../../src/components/conditionalAccess/authenticationContextProvider";
import { graphCaPolicyProvider } from "../../src/components/conditionalAccess/graphPolicyProvider";
import { activationPolicyBody } from "../../src/components/conditionalAccess/policies";
import { roleManagementPolicyProvider } from "../../src/components/pim/provider";
import { connectionOf, diffProps, graphConnection } from "../../src/graph/dynamicProvider";
import { activationSettings } from "../support/builders/activationSettings";
import { OTHER_TENANT_ID, TEST_TENANT_ID, withAzureCliTenant } from "../support/fakes/azureCli";
import { FakeConditionalAccess } from "../support/fakes/conditionalAccess";
import type { FakeGraph } from "../support/fakes/graphServer";
import { graphTest as it, loopbackConnection } from "../support/fakes/loopbackGraph";
import { FakePimPolicies } from "../support/fakes/pimPolicy";

const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";

type AnyProvider = pulumi.dynamic.ResourceProvider<any, any>;

interface Case {
  name: string;
  provider: AnyProvider;
  /** The settings part of the props (without the connection). */
  settings(): Record<string, unknown>;
  /** The settings part of a state written before tenant pinning, where its shape was another (default: the same). */
  settingsBeforePinning?(): Record<string, unknown>;
  install(graph: FakeGraph): void;
}

function installFido2(graph: FakeGraph): void {
  let fido2: Record<string, unknown> = {
    id: "Fido2",
    state: "disabled",
    isAttestationEnforced: false,
    isSelfServiceRegistrationAllowed: false,
    keyRestrictions: null,
    includeTargets: [{ targetType: "group", id: "all_users" }],
    excludeTargets: [],
  };
  graph.route("GET", FIDO2_POLICY_PATH, () => ({ body: fido2 }));
  graph.route("PATCH", FIDO2_POLICY_PATH, (req) => {
    const { "@odata.type": _t, ...patch } = req.body as Record<string, unknown>;
    fido2 = { ...fido2, ...patch };
    return { status: 204 };
  });
}

const CASES: Case[] = [
  {
    name: "RoleManagementPolicy",
    provider: roleManagementPolicyProvider,
    settings: () => ({ ...activationSettings() }),
    install: (graph) => void new FakePimPolicies().install(graph),
  },
  {
    name: "GraphConditionalAccessPolicy",
    provider: graphCaPolicyProvider,
    settings: () => {
      const body = activationPolicyBody("c9", "enabled", "phishingResistant");
      return { ...body, conditions: { ...body.conditions, users: { includeUsers: ["All"], excludeGroups: [GROUP] } } };
    },
    install: (graph) => void new FakeConditionalAccess().install(graph),
  },
  {
    name: "AuthenticationContext",
    provider: authenticationContextProvider,
    settings: () => ({
      contextId: "c9",
      displayName: "Privileged role activation",
      description: "PIM",
      isAvailable: true,
    }),
    install: (graph) => void new FakeConditionalAccess().install(graph),
  },
  {
    name: "Fido2MethodPolicy",
    provider: fido2MethodPolicyProvider,
    settings: () => ({
      state: "enabled",
      targetGroupId: GROUP,
      isSelfServiceRegistrationAllowed: true,
      profile: {
        name: "Emergency access keys",
        attestationEnforcement: "registrationOnly",
        passkeyTypes: "deviceBound",
        keyRestrictions: { isEnforced: false },
      },
      tenantWide: {},
    }),
    // 0.2 recorded the tenant-wide settings it wrote, and no passkey profile.
    settingsBeforePinning: () => ({
      state: "enabled",
      targetGroupId: GROUP,
      isAttestationEnforced: false,
      isSelfServiceRegistrationAllowed: true,
      aaGuids: [],
    }),
    install: installFido2,
  },
];

describe("connectionOf", () => {
  it("accepts one cloud's Graph and login hosts, each possibly a loopback override", () => {
    for (const cloud of Object.values(CLOUDS))
      expect(connectionOf("R", graphConnection(cloud, TEST_TENANT_ID))).toEqual({
        graphEndpoint: cloud.graph,
        loginEndpoint: cloud.login,
        tenantId: TEST_TENANT_ID,
      });
    expect(() => connectionOf("R", loopbackConnection("http://127.0.0.1:8080"))).not.toThrow();
  });

  it.each([
    ["another cloud's login", { graphEndpoint: CLOUDS.public.graph, loginEndpoint: CLOUDS.china.login }],
    ["a host of nobody's cloud", { graphEndpoint: "https://graph.example.com", loginEndpoint: CLOUDS.public.login }],
    [
      "a look-alike host",
      { graphEndpoint: "https://graph.microsoft.com.example.net", loginEndpoint: CLOUDS.public.login },
    ],
  ])("refuses %s", (_name, hosts) => {
    expect(() => connectionOf("R", { ...hosts, tenantId: TEST_TENANT_ID })).toThrow(
      /R: graphEndpoint .* and loginEndpoint .* are not the Graph and login hosts of one Microsoft cloud/,
    );
  });
});

describe("diffProps", () => {
  const news = { ...loopbackConnection("http://127.0.0.1:1"), a: 1 };
  it("a connection recorded in the state and in the program: no change", () => {
    expect(diffProps(news, news)).toEqual({ changes: false, replaces: [], detailedKeys: [] });
  });
  it("a changed tenant or cloud updates in place; a setting listed in replaceOn replaces", () => {
    expect(diffProps({ ...news, tenantId: OTHER_TENANT_ID }, news, { replaceOn: ["a", "tenantId"] })).toEqual({
      changes: true,
      replaces: [],
      detailedKeys: ["tenantId"],
    });
    expect(diffProps({ ...news, a: 2 }, news, { replaceOn: ["a"] }).replaces).toEqual(["a"]);
  });
});

describe.concurrent.each(CASES)("$name provider", ({ provider, settings, settingsBeforePinning, install, name }) => {
  const current = (graph: FakeGraph) => ({ ...settings(), ...loopbackConnection(graph.url) });
  /** The props a stack deployed before tenant pinning holds: the Graph host, no login authority, no tenant. */
  const beforePinning = (graph: FakeGraph) => ({ ...(settingsBeforePinning ?? settings)(), graphEndpoint: graph.url });

  it("read of props without a connection is an error naming what is missing; nothing is sent", async ({
    graph,
    expect,
  }) => {
    install(graph);
    const error = await provider.read!("id-1", beforePinning(graph)).catch((e: Error) => e);
    expect(String((error as Error).message)).toBe(
      `${name}: its props record no loginEndpoint, tenantId, so it cannot tell which tenant and cloud to act on, and will not guess. ` +
        "State written before entra-baseline pinned its dynamic resources to the stack's tenant lacks them: run `pulumi up` with the current program, which records them (writing nothing to the tenant when nothing else changed).",
    );
    await expect(provider.read!("id-1", {})).rejects.toThrow(
      /its props record no graphEndpoint, loginEndpoint, tenantId/,
    );
    expect(graph.requests).toEqual([]);
  });

  it("state from before tenant pinning plans an in-place update, and that update writes nothing", async ({
    graph,
    expect,
  }) => {
    install(graph);
    const created = await provider.create(current(graph));
    const diff = await provider.diff!(created.id, beforePinning(graph), current(graph));
    expect(diff).toMatchObject({ changes: true });
    expect(diff.replaces ?? []).toEqual([]);
    expect(await provider.diff!(created.id, created.outs, current(graph))).toMatchObject({ changes: false });
    graph.requests.length = 0;
    const updated = await provider.update!(created.id, beforePinning(graph), current(graph));
    expect(graph.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(graph.requests.length).toBeGreaterThan(0);
    expect(updated.outs).toMatchObject(loopbackConnection(graph.url));
  });
});

// Not concurrent: the fake az's tenant is process-wide (FAKE_AZ_TENANT).
describe.each(CASES)(
  "$name provider with a credential signed in to another tenant",
  ({ provider, settings, install }) => {
    it("refuses the token, naming both tenants, before anything reaches Graph", async ({ graph }) => {
      install(graph);
      const error = await withAzureCliTenant(OTHER_TENANT_ID, () =>
        provider.create({ ...settings(), ...loopbackConnection(graph.url) }).catch((e: Error) => e),
      );
      expect(String((error as Error).message)).toContain(
        `The credential signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID} (tenant.tenantId): nothing was sent to Microsoft Graph.`,
      );
      expect(graph.requests).toEqual([]);
    });
  },
);
