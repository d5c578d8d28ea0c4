/**
 * Starts a policy pack the way the Pulumi CLI's nodejs language host does (RunPlugin, kind analyzer): `node
 * <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack dir>` with the pack directory as cwd, the runner located
 * from the pack directory (locateModule), and asks it what it is over the analyzer protocol.
 */
import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

export interface AnalyzerInfo {
  name: string;
  version: string;
  policies: string[];
  stderr: string;
}

/** The runner the language host would start for a pack in `packDir` (resolved from there, as locateModule does). */
export function runPolicyPackFrom(packDir: string): string {
  return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
}

/** Starts the pack in `dir` with `runner`; resolves its name, version, sorted policy names and stderr. */
export async function analyzerInfo(dir: string, runner: string = runPolicyPackFrom(dir)): Promise<AnalyzerInfo> {
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", dir], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
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
      version: info.getVersion(),
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
