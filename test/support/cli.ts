/** Runs the plan, check and custody CLIs as child processes, as a user would, and captures exit code and output. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { STACK_DIR } from "./stack";

export const ROOT = path.resolve(__dirname, "../..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI in `opts.cwd`, by default the test stack's directory: a command that takes the only stack file in its
 * directory takes the test stack there. Only the tests of the bundled stack itself run in ROOT (`cwd: ROOT`), whose
 * Pulumi.prod.yaml is the user's to edit.
 */
export function runCli(
  script: "plan" | "check" | "custody",
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  const entry = path.join(ROOT, "src/tools", script, "cli.ts");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
      cwd: opts.cwd ?? STACK_DIR,
      env: { ...process.env, NODE_OPTIONS: "", ...opts.env },
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `entra-baseline-${prefix}-`));
}

export { STACK, STACK_DIR, stackText } from "./stack";
