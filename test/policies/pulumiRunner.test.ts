/**
 * `pulumi preview --policy-pack policies` does not use our tsx start-up: the CLI runs the pack through
 * @pulumi/pulumi's run-policy-pack, which compiles it with ts-node and type-checks it (typeCheck: true) using
 * policies/tsconfig.json. Start the pack exactly that way and ask it what it is — both policies/ as it is, and the
 * self-contained bundle scripts/publish-policy-pack.sh publishes, built outside the repository so that any import
 * it failed to inline would fail to resolve.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, expect, it } from "vitest";
import { ALL_POLICY_NAMES } from "@entra-baseline/model";
import { buildPolicyPack } from "../../scripts/build-policy-pack";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bundled-pack-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Starts the pack in `dir` with the CLI's runner; resolves its policy names, pack name and stderr. */
async function analyzerInfo(dir: string): Promise<{ name: string; policies: string[]; stderr: string }> {
  const child = spawn(process.execPath, [RUNNER, "127.0.0.1:0", "."], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once("exit", (code) =>
        reject(new Error(`run-policy-pack exited with ${code} before printing its port:\n${stderr}`)),
      );
    });
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = await new Promise<any>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (err: Error | null, res: any) => (err ? reject(err) : resolve(res))),
    );
    client.close();
    return {
      name: info.getName(),
      policies: info
        .getPoliciesList()
        .map((p: any) => p.getName())
        .sort(),
      stderr,
    };
  } finally {
    child.kill("SIGKILL");
  }
}

it("policies/ starts under the Pulumi CLI's own runner (ts-node, type-checked) and lists every rule", async () => {
  const info = await analyzerInfo(path.join(ROOT, "policies"));
  expect(info).toEqual({ name: "entra-baseline", policies: [...ALL_POLICY_NAMES].sort(), stderr: "" });
}, 120_000);

it("the bundle published to Pulumi Cloud is self-contained: it loads outside the repository with only its npm dependencies", async () => {
  const dir = path.join(tmp, "pack");
  const { entry, external } = buildPolicyPack(dir);
  expect(external.sort()).toEqual(["@pulumi/policy", "@pulumi/pulumi"]);
  // Only the pack's declared dependencies may be required at run time; the shared model is inlined.
  const required = [...fs.readFileSync(entry, "utf8").matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
  for (const name of required)
    expect(external.some((dep) => name === dep || name.startsWith(`${dep}/`)) || name.startsWith("node:")).toBe(true);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const info = await analyzerInfo(dir);
  expect(info).toEqual({ name: "entra-baseline", policies: [...ALL_POLICY_NAMES].sort(), stderr: "" });
}, 120_000);
