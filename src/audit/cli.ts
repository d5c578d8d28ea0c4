/**
 * `npm run audit`: the read-only live-tenant drift audit (docs/audit.md).
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it (a failed read is always one);
 * 2 usage, configuration, snapshot or authorization errors; 3 the audit itself failed (a bug: the stack is printed).
 */
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { type BaselineConfig } from "../config";
import { createGraphClient, GraphError } from "../graph/client";
import { describeFsError, npmSwallowedOptions } from "../plan/cliRuntime";
import { addStackOptions, invalidConfigMessage, loadStackConfig } from "../plan/stackConfig";
import { StackFileError } from "../plan/stackFile";
import { auditSnapshot, type AuditResult } from "./audit";
import { SEVERITIES, severityRank, type Severity } from "./findings";
import { AuditAuthError, readTenant, type ReadProgress } from "./read";
import { renderJson, renderMarkdown, renderTable } from "./report";
import { readSnapshotFile, SnapshotError, writeSnapshotFile } from "./snapshot";

export const EXIT = { clean: 0, findings: 1, error: 2, failure: 3 } as const;
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Progress is drawn on stderr only when it is a terminal. */
  stderrIsTTY: boolean;
  /** Terminal width for the table. */
  columns?: number;
}

interface CliOptions {
  stack: string;
  cwd?: string;
  snapshot?: string;
  saveSnapshot?: string;
  json?: boolean;
  markdown?: boolean;
  failOn: Severity;
  graphEndpoint?: string;
  armEndpoint: string;
  subscription?: string[];
  timeout: string;
}

/** A problem the user fixes (usage, config, snapshot, rights): reported in one message, exit 2. */
class UsageError extends Error {}

function program(io: CliIo): Command {
  return addStackOptions(new Command(), "is the model the tenant is audited against")
    .name("npm run audit --")
    .description("Read-only audit of the live Entra tenant against the baseline model (docs/audit.md).")
    .option("--snapshot <file>", "audit a saved snapshot offline instead of the live tenant")
    .option("--save-snapshot <file>", "write the raw Graph/ARM answers read to <file>")
    .addOption(new Option("--json", "print findings as JSON").conflicts("markdown"))
    .addOption(new Option("--markdown", "print findings as Markdown (CI job summary)").conflicts("json"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").choices([...SEVERITIES]).default("high"))
    .option("--graph-endpoint <url>", "Microsoft Graph base URL (default: graph.endpoint of the stack config)")
    .option("--arm-endpoint <url>", "Azure Resource Manager base URL", DEFAULT_ARM_ENDPOINT)
    .option("--subscription <id...>", "subscription(s) holding the tripwire alert rules (default: the stack's azure-native:subscriptionId, see docs/audit.md)")
    .option("--timeout <seconds>", "per-request timeout", "30")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(npm run audit -- --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (a source that could not be read is always one: AUD-READ-FAILED)
  2  bad input: flags, the stack file, the snapshot file, or missing rights (the message names the permission)
  3  the audit itself failed`,
    );
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const cmd = program(io);
  try {
    await cmd.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return EXIT.clean;
    const swallowed = npmSwallowedOptions(cmd);
    if (swallowed) io.stderr(`error: ${swallowed}\n`);
    return EXIT.error;
  }
  const swallowed = npmSwallowedOptions(cmd);
  if (swallowed) {
    io.stderr(`error: ${swallowed}\n`);
    return EXIT.error;
  }
  const options = cmd.opts<CliOptions>();
  try {
    const result = await run(options, io);
    const output = options.json ? renderJson(result, options.failOn) : options.markdown ? renderMarkdown(result) : renderTable(result, io.columns ?? 120);
    io.stdout(output);
    const threshold = severityRank(options.failOn);
    return result.findings.some((f) => severityRank(f.severity) >= threshold) ? EXIT.findings : EXIT.clean;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SnapshotError || e instanceof StackFileError || e instanceof AuditAuthError || e instanceof GraphError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT.error;
    }
    io.stderr(`error: the audit failed: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}

async function run(options: CliOptions, io: CliIo): Promise<AuditResult> {
  if (options.snapshot && options.saveSnapshot) throw new UsageError("--snapshot and --save-snapshot exclude each other (a snapshot is saved from a live read)");
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${JSON.stringify(options.timeout)} is not a positive number of seconds`);
  const { config, subscription } = stackConfig(path.resolve(io.cwd, options.cwd ?? "."), options.stack);

  if (options.snapshot) {
    const file = path.resolve(io.cwd, options.snapshot);
    return auditSnapshot(readSnapshotFile(file), config, file);
  }

  const graph = createGraphClient(options.graphEndpoint ?? config.graph.endpoint, { timeoutMs: timeoutSeconds * 1000 });
  const arm = createGraphClient(options.armEndpoint, { timeoutMs: timeoutSeconds * 1000 });
  const progress = io.stderrIsTTY ? (p: ReadProgress) => io.stderr(`\rReading the tenant: ${p.sourcesDone}/${p.sourcesTotal} sources, ${p.requests} requests `) : undefined;
  let snapshot;
  try {
    const subscriptions = options.subscription ?? (subscription ? [subscription] : undefined);
    snapshot = await readTenant({ graph, arm, config, subscriptions, onProgress: progress });
  } finally {
    if (io.stderrIsTTY) io.stderr("\r\x1b[K");
  }
  if (options.saveSnapshot) {
    try {
      writeSnapshotFile(path.resolve(io.cwd, options.saveSnapshot), snapshot);
    } catch (e) {
      if (!(e as NodeJS.ErrnoException).code) throw e;
      throw new UsageError(`--save-snapshot ${options.saveSnapshot}: cannot be written: ${describeFsError(e)}`);
    }
  }
  return auditSnapshot(snapshot, config);
}

/**
 * The stack's config, validated like plan, check and review read it (encrypted values of ours are errors), and the
 * subscription its azure-native provider deploys the alert rules to, when the stack file names one.
 */
function stackConfig(cwd: string, stack: string): { config: BaselineConfig; subscription?: string } {
  const loaded = loadStackConfig(cwd, stack);
  if (!loaded.ok) throw new UsageError(invalidConfigMessage(loaded));
  const subscription = loaded.stackFile.passthrough["azure-native:subscriptionId"]?.trim();
  return { config: loaded.config, ...(subscription ? { subscription } : {}) };
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stdout.columns,
  }).then((code) => {
    process.exitCode = code;
  });
}
