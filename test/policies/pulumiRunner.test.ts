/**
 * `pulumi preview --policy-pack policies` does not use our tsx start-up: the CLI runs the pack through
 * @pulumi/pulumi's run-policy-pack, which compiles it with ts-node and type-checks it (typeCheck: true) using
 * policies/tsconfig.json. Start the pack exactly that way and ask it what it is.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { expect, it } from "vitest";
import { ALL_POLICY_NAMES } from "../../policies/lib/policyNames";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const ROOT = path.resolve(__dirname, "..", "..");

it("starts under the Pulumi CLI's own runner (ts-node, type-checked) and lists every rule", async () => {
  const runner = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: path.join(ROOT, "policies"), stdio: ["ignore", "pipe", "pipe"] });
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
      child.once("exit", (code) => reject(new Error(`run-policy-pack exited with ${code} before printing its port:\n${stderr}`)));
    });
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = await new Promise<any>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (err: Error | null, res: any) => (err ? reject(err) : resolve(res))),
    );
    client.close();
    expect(info.getName()).toBe("entra-baseline");
    expect(info.getPoliciesList().map((p: any) => p.getName()).sort()).toEqual([...ALL_POLICY_NAMES].sort());
    expect(stderr).toBe("");
  } finally {
    child.kill("SIGKILL");
  }
}, 120_000);
