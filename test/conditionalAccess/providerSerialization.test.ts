/**
 * The engine stores each dynamic provider as text (closure serialization) and runs it in another process with
 * `require-from-string(text).handler()`. These tests do exactly that for the authentication context, the
 * Graph-written CA policy and the FIDO2 method policy: serialize the production provider (from this vitest process
 * and from a plain CommonJS load), then run the text in a fresh `node` against the loopback Graph.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIDO2_POLICY_PATH } from "../../src/breakglass/fido2MethodPolicy";
import { activationPolicyBody } from "../../src/conditionalAccess/policies";
import { FAKE_TOKEN, useFakeAzureCli } from "../fakes/azureCli";
import { startFakeGraph, type FakeGraph } from "../fakes/graphServer";
import { CA_ROUTES, FakeConditionalAccess } from "./support/fakeConditionalAccess";
import { PROVIDERS } from "./support/serializeProviders";

type ProviderName = keyof typeof PROVIDERS;
const PROJECT_ROOT = path.resolve(__dirname, "../..");
const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";

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
let fido2: Record<string, unknown>;
const files: Record<"vitest" | "commonjs", Record<ProviderName, string>> = { vitest: {} as never, commonjs: {} as never };

beforeAll(async () => {
  restoreCli = useFakeAzureCli();
  graph = await startFakeGraph();
  graph.route("GET", FIDO2_POLICY_PATH, () => ({ body: fido2 }));
  graph.route("PATCH", FIDO2_POLICY_PATH, (req) => {
    const { "@odata.type": _t, ...patch } = req.body as Record<string, unknown>;
    fido2 = { ...fido2, ...patch };
    return { status: 204 };
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ca-providers-"));
  const fromCommonJs = await new Promise<Record<ProviderName, string>>((resolve, reject) =>
    execFile(process.execPath, ["--require", "tsx/cjs", "test/conditionalAccess/support/serializeProviders.ts"], { cwd: PROJECT_ROOT, maxBuffer: 64 << 20 }, (e, out, err) =>
      e ? reject(new Error(`serializing under CommonJS failed: ${err}`)) : resolve(JSON.parse(out)),
    ),
  );
  for (const name of Object.keys(PROVIDERS) as ProviderName[]) {
    const fromVitest = await pulumi.runtime.serializeFunction(() => PROVIDERS[name], { allowSecrets: false });
    expect(fromVitest.containsSecrets).toBe(false);
    for (const [kind, text] of [["vitest", fromVitest.text], ["commonjs", fromCommonJs[name]]] as const) {
      const file = path.join(dir, `${name}.${kind}.js`);
      fs.writeFileSync(file, text);
      files[kind][name] = file;
    }
  }
}, 120_000);
afterAll(async () => {
  restoreCli();
  await graph.close();
});

function inputs(name: ProviderName): Record<string, unknown> {
  switch (name) {
    case "authenticationContext":
      return { graphEndpoint: graph.url, contextId: "c9", displayName: "Privileged role activation", description: "PIM", isAvailable: true };
    case "graphConditionalAccessPolicy": {
      const body = activationPolicyBody("c9", "enabled");
      return { graphEndpoint: graph.url, ...body, conditions: { ...body.conditions, users: { includeUsers: ["All"], excludeGroups: [GROUP] } } };
    }
    case "fido2MethodPolicy":
      return { graphEndpoint: graph.url, state: "enabled", targetGroupId: GROUP, isAttestationEnforced: true, isSelfServiceRegistrationAllowed: true, aaGuids: [] };
  }
}

function runSerialized(file: string, name: ProviderName): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["-e", HOST, file, JSON.stringify(inputs(name))], { cwd: PROJECT_ROOT, env: process.env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(["vitest", "commonjs"] as const)("providers under closure serialization (%s)", (kind) => {
  it.each(Object.keys(PROVIDERS) as ProviderName[])("%s serializes without secrets or tokens, loading only packages by name", (name) => {
    const text = fs.readFileSync(files[kind][name], "utf8");
    expect(text).toContain("exports.handler");
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/);
    expect(text).toContain('require("@azure/identity")');
    expect(text.match(/require\("[^"]+"\)/g)?.every((r) => !/require\("\.{1,2}\//.test(r))).toBe(true);
    // Set/Map values do not survive serialization (they become plain objects whose methods throw).
    expect(text).not.toMatch(/global\.(Map|Set)\.prototype/);
  });

  it.each(Object.keys(PROVIDERS) as ProviderName[])("%s runs from its text in a fresh node process: create, read", async (name) => {
    new FakeConditionalAccess().install(graph);
    fido2 = { id: "Fido2", state: "disabled", isAttestationEnforced: false, isSelfServiceRegistrationAllowed: false, keyRestrictions: null, includeTargets: [{ targetType: "group", id: "all_users" }], excludeTargets: [] };
    graph.requests.length = 0;
    const { code, stdout, stderr } = await runSerialized(files[kind][name], name);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { created, read } = JSON.parse(stdout) as { created: { id: string; outs: Record<string, unknown> }; read: { props: Record<string, unknown> } };
    expect(read.props).toMatchObject(Object.fromEntries(Object.entries(inputs(name)).filter(([k]) => k !== "graphEndpoint")));
    expect(created.id).toBeTruthy();
    expect(graph.requests.filter((r) => r.method !== "GET").length).toBeGreaterThan(0);
    if (name === "graphConditionalAccessPolicy") expect(graph.requestsTo("POST", CA_ROUTES.policies).length + graph.requestsTo("PATCH", CA_ROUTES.policy).length).toBe(1);
  }, 60_000);
});
