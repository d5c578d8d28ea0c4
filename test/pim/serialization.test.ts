/**
 * The engine stores the dynamic provider as text (closure serialization) and runs it in another process with
 * `require-from-string(text).handler()`. These tests do exactly that: serialize the production provider, then run
 * the text in a fresh `node` against the loopback Graph — no TypeScript, no test module graph, only what was captured.
 * Two serializations: from this (vitest) process, and from a plain CommonJS load as the engine's program has it.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleManagementPolicyProvider, type RoleManagementPolicyInputs } from "../../src/pim/provider";
import { GLOBAL_ADMINISTRATOR } from "../../src/roles";
import { FAKE_TOKEN, useFakeAzureCli } from "../fakes/azureCli";
import { graphError, startFakeGraph, type FakeGraph } from "../fakes/graphServer";
import { FakePimPolicies, PIM_ROUTES } from "../fakes/pimPolicy";

const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** What the engine's dynamic-provider host does with `__provider`, then one create and one read. */
const HOST = `
const provider = require("require-from-string")(require("fs").readFileSync(process.argv[1], "utf8")).handler();
const inputs = JSON.parse(process.argv[2]);
(async () => {
  const created = await provider.create(inputs);
  const read = await provider.read(created.id, created.outs);
  process.stdout.write(JSON.stringify({ created, read }));
})().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;

let graph: FakeGraph;
let restoreCli: () => void;
const serialized: Record<"vitest" | "commonjs", { file: string; text: string }> = {} as never;

beforeAll(async () => {
  restoreCli = useFakeAzureCli();
  graph = await startFakeGraph();
  // Use the provider in this process first, so a token was fetched and could have been captured.
  new FakePimPolicies().install(graph);
  await roleManagementPolicyProvider.create(inputs());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pim-provider-"));
  const fromVitest = await pulumi.runtime.serializeFunction(() => roleManagementPolicyProvider, { allowSecrets: false });
  expect(fromVitest.containsSecrets).toBe(false);
  const fromCommonJs = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["--require", "tsx/cjs", "test/pim/support/serializeProvider.ts"], { cwd: PROJECT_ROOT, maxBuffer: 16 << 20 }, (e, out, err) =>
      e ? reject(new Error(`serializing under CommonJS failed: ${err}`)) : resolve(out),
    ),
  );
  for (const [kind, text] of [["vitest", fromVitest.text], ["commonjs", fromCommonJs]] as const) {
    const file = path.join(dir, `${kind}.js`);
    fs.writeFileSync(file, text);
    serialized[kind] = { file, text };
  }
});
afterAll(async () => {
  restoreCli();
  await graph.close();
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
    graphEndpoint: graph.url,
  };
}

function runSerialized(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["-e", HOST, file, JSON.stringify(inputs())], { cwd: PROJECT_ROOT, env: process.env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(["vitest", "commonjs"] as const)("RoleManagementPolicy provider under closure serialization (%s)", (kind) => {
  it("serializes without secrets, tokens or credentials", () => {
    const { text } = serialized[kind];
    expect(text).toContain("exports.handler");
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/);
    expect(text).not.toMatch(/client_?secret|AZURE_CLIENT_SECRET\s*=/i);
    // The credential chain is loaded in the provider process, not captured from this one.
    expect(text).toContain('require("@azure/identity")');
    // Only packages are required by name; the project's own modules travel by value (relative paths would not resolve).
    expect(text.match(/require\("[^"]+"\)/g)?.every((r) => !r.includes('"."') && !r.includes('"./') && !r.includes('"../'))).toBe(true);
  });

  it("runs from its serialized text in a fresh node process: create, read back, read", async () => {
    const fake = new FakePimPolicies().install(graph);
    graph.requests.length = 0;
    const { code, stdout, stderr } = await runSerialized(serialized[kind].file);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { created, read } = JSON.parse(stdout) as { created: { id: string; outs: Record<string, unknown> }; read: { props: Record<string, unknown> } };
    expect(created.id).toBe(fake.policyIdOf());
    expect(created.outs).toMatchObject({ maxActivationDuration: "PT2H", authenticationContextId: "c7", ruleDrift: [] });
    expect(read.props).toMatchObject({ maxActivationDuration: "PT2H", authenticationContextId: "c7", policyId: fake.policyIdOf() });
    expect(fake.rule("AuthenticationContext_EndUser_Assignment")).toMatchObject({ isEnabled: true, claimValue: "c7" });
    expect(graph.requestsTo("PATCH", PIM_ROUTES.rule).length).toBeGreaterThan(0);
  });

  it("keeps Graph's error text, with the missing permission, after serialization", async () => {
    new FakePimPolicies().install(graph);
    graph.failNext("PATCH", PIM_ROUTES.rule, { status: 403, body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation.") });
    const { code, stderr } = await runSerialized(serialized[kind].file);
    expect(code).not.toBe(0);
    expect(stderr).toContain("Insufficient privileges");
    expect(stderr).toContain("RoleManagementPolicy.ReadWrite.Directory");
  });
});
