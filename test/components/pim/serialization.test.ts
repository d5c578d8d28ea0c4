/**
 * The RoleManagementPolicy provider as the engine runs it: serialized to text (from this vitest process and from a
 * plain CommonJS load), then run in a fresh `node` against the loopback Graph — no TypeScript, no test module
 * graph, only what was captured (test/support/fakes/serializedProvider.ts).
 */
import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { roleManagementPolicyProvider, type RoleManagementPolicyInputs } from "../../../src/components/pim/provider";
import { GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import { FAKE_TOKEN, OTHER_TENANT_ID, TEST_TENANT_ID } from "../../support/fakes/azureCli";
import { graphError } from "../../support/fakes/graphServer";
import { loopbackConnection, useLoopbackGraph } from "../../support/fakes/loopbackGraph";
import { FakePimPolicies, PIM_ROUTES } from "../../support/fakes/pimPolicy";
import {
  expectPortableProviderText,
  runSerialized,
  serializeProviders,
  SERIALIZED_FROM,
  type SerializedFrom,
} from "../../support/fakes/serializedProvider";

const graph = useLoopbackGraph();
let files: Record<SerializedFrom, { roleManagementPolicy: string }>;

beforeAll(async () => {
  // Use the provider in this process first, so a token was fetched and could have been captured.
  new FakePimPolicies().install(graph);
  await roleManagementPolicyProvider.create(inputs());
  files = await serializeProviders(["roleManagementPolicy"]);
});

function inputs(): RoleManagementPolicyInputs {
  return {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    maxActivationDuration: "PT2H",
    requireJustification: true,
    requireTicket: true,
    requireMfa: false,
    authenticationContextId: "c7",
    approval: { required: true, approvers: [{ kind: "user", id: "3f1a6c2e-7b44-4a51-9d7e-0c2b8e5f9a10" }] },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: ["secops@contoso.com"],
    ...loopbackConnection(graph.url),
  };
}

describe.each(SERIALIZED_FROM)("RoleManagementPolicy provider under closure serialization (%s)", (from) => {
  it("serializes without secrets, tokens or credentials", () => {
    expectPortableProviderText(fs.readFileSync(files[from].roleManagementPolicy, "utf8"), "roleManagementPolicy");
  });

  it("runs from its serialized text in a fresh node process: create, read back, read", async () => {
    const fake = new FakePimPolicies().install(graph);
    graph.requests.length = 0;
    const { code, stdout, stderr } = await runSerialized(files[from].roleManagementPolicy, inputs());
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { created, read } = JSON.parse(stdout) as {
      created: { id: string; outs: Record<string, unknown> };
      read: { props: Record<string, unknown> };
    };
    expect(created.id).toBe(fake.policyIdOf());
    expect(created.outs).toMatchObject({ maxActivationDuration: "PT2H", authenticationContextId: "c7", ruleDrift: [] });
    expect(read.props).toMatchObject({
      maxActivationDuration: "PT2H",
      authenticationContextId: "c7",
      policyId: fake.policyIdOf(),
      // The connection survives serialization and a read: refresh acts on the same tenant and cloud.
      ...loopbackConnection(graph.url),
    });
    expect(graph.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
    expect(fake.rule("AuthenticationContext_EndUser_Assignment")).toMatchObject({ isEnabled: true, claimValue: "c7" });
    expect(graph.requestsTo("PATCH", PIM_ROUTES.rule).length).toBeGreaterThan(0);
  });

  it("refuses a credential of another tenant after serialization, naming both, and sends nothing", async () => {
    new FakePimPolicies().install(graph);
    graph.requests.length = 0;
    const { code, stderr } = await runSerialized(files[from].roleManagementPolicy, inputs(), {
      FAKE_AZ_TENANT: OTHER_TENANT_ID,
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID}`);
    expect(graph.requests).toEqual([]);
  });

  it("refuses props without a connection after serialization: no fall-back to the public cloud", async () => {
    graph.requests.length = 0;
    const { tenantId: _t, loginEndpoint: _l, ...beforePinning } = inputs();
    const { code, stderr } = await runSerialized(files[from].roleManagementPolicy, beforePinning);
    expect(code).not.toBe(0);
    expect(stderr).toContain("RoleManagementPolicy: its props record no loginEndpoint, tenantId");
    expect(graph.requests).toEqual([]);
  });

  it("keeps Graph's error text, with the missing permission, after serialization", async () => {
    new FakePimPolicies().install(graph);
    graph.failNext("PATCH", PIM_ROUTES.rule, {
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    });
    const { code, stderr } = await runSerialized(files[from].roleManagementPolicy, inputs());
    expect(code).not.toBe(0);
    expect(stderr).toContain("Insufficient privileges");
    expect(stderr).toContain("RoleManagementPolicy.ReadWrite.Directory");
  });
});
