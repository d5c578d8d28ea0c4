/**
 * The RoleEligibility provider as the engine runs it: serialized to text (from this vitest process and from a plain
 * CommonJS load), then run in a fresh `node` against the loopback Graph — no TypeScript, no test module graph, only
 * what was captured (test/support/fakes/serializedProvider.ts).
 */
import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { roleEligibilityProvider, type RoleEligibilityInputs } from "../../../src/components/pim/eligibilityProvider";
import { PRIVILEGED_ROLE_ADMINISTRATOR } from "@entra-baseline/model";
import { FAKE_TOKEN, OTHER_TENANT_ID, TEST_TENANT_ID } from "../../support/fakes/azureCli";
import { graphError } from "../../support/fakes/graphServer";
import { loopbackConnection, useLoopbackGraph } from "../../support/fakes/loopbackGraph";
import { ELIGIBILITY_ROUTES, FakeRoleEligibilities } from "../../support/fakes/roleEligibilities";
import {
  expectPortableProviderText,
  runSerialized,
  serializeProviders,
  SERIALIZED_FROM,
  type SerializedFrom,
} from "../../support/fakes/serializedProvider";

const graph = useLoopbackGraph();
const ADMIN = "3f1a6c2e-7b44-4a51-9d7e-0c2b8e5f9a10";
let files: Record<SerializedFrom, { roleEligibility: string }>;

beforeAll(async () => {
  // Use the provider in this process first, so a token was fetched and could have been captured.
  new FakeRoleEligibilities().install(graph);
  await roleEligibilityProvider.create(inputs());
  files = await serializeProviders(["roleEligibility"]);
});

function inputs(): RoleEligibilityInputs {
  return {
    roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
    principalId: ADMIN,
    directoryScopeId: "/",
    justification: "Eligible Privileged Role Administrator managed by entra-baseline",
    duration: "P180D",
    ...loopbackConnection(graph.url),
  };
}

describe.each(SERIALIZED_FROM)("RoleEligibility provider under closure serialization (%s)", (from) => {
  it("serializes without secrets, tokens or credentials", () => {
    expectPortableProviderText(fs.readFileSync(files[from].roleEligibility, "utf8"), "roleEligibility");
  });

  it("runs from its serialized text in a fresh node process: create, read back, read", async () => {
    const fake = new FakeRoleEligibilities().install(graph);
    graph.requests.length = 0;
    const { code, stdout, stderr } = await runSerialized(files[from].roleEligibility, inputs());
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { created, read } = JSON.parse(stdout) as {
      created: { id: string; outs: Record<string, unknown> };
      read: { id: string; props: Record<string, unknown> };
    };
    const [schedule] = fake.find({ principalId: ADMIN, roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR });
    expect(created.id).toBe(schedule!.id);
    expect(created.outs).toMatchObject({ duration: "P180D", origin: "created" });
    // The connection survives serialization and a read: refresh acts on the same tenant and cloud.
    expect(read).toMatchObject({ id: schedule!.id, props: { duration: "P180D", ...loopbackConnection(graph.url) } });
    expect(graph.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
    expect(graph.requestsTo("POST", ELIGIBILITY_ROUTES.requests)).toHaveLength(1);
  });

  it("refuses a credential of another tenant after serialization, naming both, and sends nothing", async () => {
    new FakeRoleEligibilities().install(graph);
    graph.requests.length = 0;
    const { code, stderr } = await runSerialized(files[from].roleEligibility, inputs(), {
      FAKE_AZ_TENANT: OTHER_TENANT_ID,
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID}`);
    expect(graph.requests).toEqual([]);
  });

  it("keeps Graph's error text, with the missing permission, after serialization", async () => {
    new FakeRoleEligibilities().install(graph);
    graph.failNext("POST", ELIGIBILITY_ROUTES.requests, {
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    });
    const { code, stderr } = await runSerialized(files[from].roleEligibility, inputs());
    expect(code).not.toBe(0);
    expect(stderr).toContain("Insufficient privileges");
    expect(stderr).toContain("RoleEligibilitySchedule.ReadWrite.Directory");
  });
});
