/**
 * A stack's config as `npm run plan` and `npm run check` read it: the stack file, validated. Free of the Pulumi
 * runtime, so that a config error is reported without loading the SDK, and `check` starts quickly.
 */
import { formatIssue, validateConfig, type BaselineConfig, type ConfigIssue } from "../config";
import type { Command } from "commander";
import { displayPath } from "./cliRuntime";
import { readStackFile, type StackFile } from "./stackFile";

export const DEFAULT_STACK = "prod";

export type StackConfig =
  | { ok: true; stackFile: StackFile; config: BaselineConfig; warnings: ConfigIssue[] }
  | { ok: false; stackFile: StackFile; errors: ConfigIssue[]; warnings: ConfigIssue[] };

/** Reads and validates a stack's config. Throws StackFileError when the file itself is unreadable. */
export function loadStackConfig(cwd: string, stack: string): StackConfig {
  const stackFile = readStackFile(cwd, stack);
  const result = validateConfig(stackFile.raw);
  // An encrypted value is reported once, as such, not again as the wrong shape it looks like.
  const encrypted = stackFile.errors.map((e) => e.path);
  const shapeErrors = result.errors.filter((e) => !encrypted.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)));
  const errors = [...stackFile.errors, ...shapeErrors].map(redactWebhook);
  const warnings = result.warnings.map(redactWebhook);
  if (errors.length > 0 || !result.config) return { ok: false, stackFile, errors, warnings };
  return { ok: true, stackFile, config: result.config, warnings };
}

/**
 * The one message every CLI prints for an invalid stack config: the file, every problem with its key path, the
 * warnings, and (for plan) what was not done.
 */
export function invalidConfigMessage(loaded: Extract<StackConfig, { ok: false }>, consequence?: string): string {
  const n = loaded.errors.length;
  const list = (issues: ConfigIssue[]) => issues.map((i) => `\n  - ${formatIssue(i)}`).join("");
  return (
    `${displayPath(loaded.stackFile.path)}: invalid entra-baseline configuration (${n} problem${n === 1 ? "" : "s"})${consequence ? `; ${consequence}` : ""}` +
    list(loaded.errors) +
    (loaded.warnings.length > 0 ? `\nwarnings:${list(loaded.warnings)}` : "")
  );
}

/**
 * A webhook URL often carries its token (`?sig=…`, Slack's path): a problem with one names its key path and its
 * host, never the rest of the URL, since these messages end up in CI logs.
 */
function redactWebhook(issue: ConfigIssue): ConfigIssue {
  if (!/^monitoring\.actionGroup\.webhooks\b/.test(issue.path)) return issue;
  return { ...issue, message: issue.message.replace(/"([a-z][a-z0-9+.-]*:\/\/[^/"\s?#]*)[^"\s]*("|\.\.\.)/gi, '"$1/…"') };
}

/**
 * The stack-selecting options every CLI shares, so they mean the same everywhere: `--stack NAME` reads
 * `Pulumi.NAME.yaml` from `--cwd DIR`. `purpose` says what the command takes from that stack's config.
 */
export function addStackOptions(command: Command, purpose: string): Command {
  return command
    .option("--stack <name>", `stack whose Pulumi.<name>.yaml ${purpose}`, DEFAULT_STACK)
    .option("--cwd <dir>", "project directory holding the stack file (default: the current directory)");
}
