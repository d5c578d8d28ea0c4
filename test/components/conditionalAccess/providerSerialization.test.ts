/**
 * The authentication context, the Graph-written CA policy and the FIDO2 method policy as the engine runs them:
 * serialized to text (from this vitest process and from a plain CommonJS load), then run in a fresh `node` against a
 * loopback Graph (test/support/fakes/serializedProvider.ts). Each run gets a Graph of its own, so the runs — which wait on
 * the real 1 request/second CA spacing — go concurrently.
 */
import * as fs from "node:fs";
import { beforeAll, describe } from "vitest";
import { activationPolicyBody } from "../../../src/components/conditionalAccess/policies";
import type { FakeGraph } from "../../support/fakes/graphServer";
import { graphTest as it, loopbackConnection } from "../../support/fakes/loopbackGraph";
import {
  expectPortableProviderText,
  runSerialized,
  serializeProviders,
  SERIALIZED_FROM,
  type SerializedFrom,
} from "../../support/fakes/serializedProvider";
import { CA_ROUTES, FakeConditionalAccess } from "../../support/fakes/conditionalAccess";
import { FakeFido2Policy, profileConfiguration } from "../../support/fakes/fido2Policy";
import { OTHER_TENANT_ID, TEST_TENANT_ID } from "../../support/fakes/azureCli";

const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";

const PROVIDERS = ["authenticationContext", "graphConditionalAccessPolicy", "fido2MethodPolicy"] as const;
type ProviderName = (typeof PROVIDERS)[number];
const NAMES = PROVIDERS;

let files: Record<SerializedFrom, Record<ProviderName, string>>;

beforeAll(async () => {
  files = await serializeProviders(PROVIDERS);
}, 120_000);

function inputs(name: ProviderName, graph: FakeGraph): Record<string, unknown> {
  switch (name) {
    case "authenticationContext":
      return {
        ...loopbackConnection(graph.url),
        contextId: "c9",
        displayName: "Privileged role activation",
        description: "PIM",
        isAvailable: true,
      };
    case "graphConditionalAccessPolicy": {
      const body = activationPolicyBody("c9", "enabled", "phishingResistant");
      return {
        ...loopbackConnection(graph.url),
        ...body,
        conditions: { ...body.conditions, users: { includeUsers: ["All"], excludeGroups: [GROUP] } },
      };
    }
    case "fido2MethodPolicy":
      return {
        ...loopbackConnection(graph.url),
        state: "enabled",
        targetGroupId: GROUP,
        isSelfServiceRegistrationAllowed: true,
        profile: {
          name: "Emergency access keys",
          attestationEnforcement: "registrationOnly",
          passkeyTypes: "deviceBound",
          keyRestrictions: { isEnforced: false, enforcementType: "allow", aaGuids: [] },
        },
        tenantWide: { isAttestationEnforced: true },
      };
  }
}

/** Another team's step-up policy on the context the inputs name (c9). */
const FOREIGN_POLICY = {
  id: "9a1f0c1e-5b7d-4c1a-8d2e-3f4a5b6c7d8e",
  displayName: "Finance app step-up",
  state: "enabled",
  conditions: {
    applications: { includeApplications: ["All"], includeAuthenticationContextClassReferences: ["c9"] },
    users: { includeUsers: ["All"] },
    clientAppTypes: ["all"],
  },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
};

/**
 * CA and context routes, and a FIDO2 policy with passkey profiles that is off (the provider then creates the group's
 * profile with a new id: `require("node:crypto")` inside the serialized provider).
 */
function installTenant(graph: FakeGraph): FakeConditionalAccess {
  const ca = new FakeConditionalAccess().install(graph);
  new FakeFido2Policy({ ...profileConfiguration(), state: "disabled" }).install(graph);
  return ca;
}

describe.concurrent.each(SERIALIZED_FROM)("providers under closure serialization (%s)", (from) => {
  it.for(NAMES)(
    "%s refuses a credential of another tenant from its text, naming both, and sends nothing",
    { timeout: 60_000 },
    async (name, { graph, expect }) => {
      installTenant(graph);
      const { code, stderr } = await runSerialized(files[from][name], inputs(name, graph), {
        FAKE_AZ_TENANT: OTHER_TENANT_ID,
      });
      expect(code).not.toBe(0);
      expect(stderr).toContain(
        `signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID}`,
      );
      expect(graph.requests).toEqual([]);
    },
  );

  it.for(NAMES)(
    "%s refuses props without a connection from its text (no fall-back to the public cloud)",
    { timeout: 60_000 },
    async (name, { graph, expect }) => {
      const { loginEndpoint: _l, tenantId: _t, ...beforePinning } = inputs(name, graph);
      const { code, stderr } = await runSerialized(files[from][name], beforePinning);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/: its props record no loginEndpoint, tenantId, so it cannot tell which tenant/);
      expect(graph.requests).toEqual([]);
    },
  );

  it(
    "authenticationContext from its text refuses a context another team's CA policy requires, naming it",
    {
      timeout: 60_000,
    },
    async ({ graph, expect }) => {
      // The hijack check reads every policy through the model (caPolicyFromGraph): it must work in the provider's process.
      const ca = installTenant(graph);
      ca.policies.set(FOREIGN_POLICY.id, FOREIGN_POLICY);
      const { code, stderr } = await runSerialized(
        files[from].authenticationContext,
        inputs("authenticationContext", graph),
      );
      expect(code).not.toBe(0);
      expect(stderr).toMatch(
        /^authentication context c9 is already in use: Conditional Access policies outside this stack require it: 9a1f0c1e-5b7d-4c1a-8d2e-3f4a5b6c7d8e "Finance app step-up"\. /,
      );
      expect(graph.requests.filter((r) => r.method !== "GET")).toEqual([]);
    },
  );

  it.each(NAMES)("%s serializes without secrets or tokens, loading only packages by name", (name) => {
    expectPortableProviderText(fs.readFileSync(files[from][name], "utf8"), name);
  });

  it.for(NAMES)(
    "%s runs from its text in a fresh node process: create, read",
    { timeout: 60_000 },
    async (name, { graph, expect }) => {
      const ca = installTenant(graph);
      const { code, stdout, stderr } = await runSerialized(files[from][name], inputs(name, graph));
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const { created, read } = JSON.parse(stdout) as {
        created: { id: string; outs: Record<string, unknown> };
        read: { props: Record<string, unknown> };
      };
      // Every prop, the connection included, survives serialization and comes back from a read.
      expect(read.props).toMatchObject(inputs(name, graph));
      // The resource id is the tenant object's own id: the context id, the fixed FIDO2 configuration, the new policy's id.
      const expectedIds = {
        authenticationContext: ["c9"],
        fido2MethodPolicy: ["fido2"],
        graphConditionalAccessPolicy: [...ca.policies.keys()],
      };
      expect(expectedIds[name]).toEqual([created.id]);
      expect(graph.requests.filter((r) => r.method !== "GET").length).toBeGreaterThan(0);
      if (name === "graphConditionalAccessPolicy")
        expect(
          graph.requestsTo("POST", CA_ROUTES.policies).length + graph.requestsTo("PATCH", CA_ROUTES.policy).length,
        ).toBe(1);
    },
  );
});
