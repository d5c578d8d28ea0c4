/**
 * `npm run audit`: the read-only live-tenant drift audit (docs/audit.md).
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it (a failed read is always one);
 * 2 usage, configuration, snapshot or authorization errors; 3 the audit itself failed (a bug: the stack is printed).
 */
import * as path from "node:path";
import { Command, Option } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import { UserInputError } from "../../cli/errors";
import { EXIT } from "../../cli/exitCodes";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";
import { writeTextFile } from "../../cli/files";
import { requireStackConfig } from "../../config/stackConfig";
import type { BaselineConfig } from "../../config/validate";
import { createGraphClient, GraphError } from "../../graph/client";
import { auditSnapshot, type AuditResult } from "./audit";
import { SEVERITIES, severityRank, type Severity } from "./findings";
import { readHistory, trendOf, type TrendPoint } from "./history";
import { renderAuditHtml } from "./html";
import { readTenant, type ReadProgress } from "./read";
import { renderJson, renderMarkdown, renderTable } from "./report";
import { assertSnapshotTenant, readSnapshotFile, writeSnapshotFile } from "./snapshot";

interface CliOptions extends StackFlags {
  snapshot?: string;
  saveSnapshot?: string;
  json?: boolean;
  markdown?: boolean;
  failOn: Severity;
  subscription?: string[];
  timeout: string;
  html?: string;
  history?: string;
}

function program(io: CliIo): Command {
  return configureCommand(
    addStackOptions(new Command(), "is the model the tenant is audited against")
      .description("Read-only audit of the live Entra tenant against the baseline model (docs/audit.md).")
      .option("--snapshot <file>", "audit a saved snapshot offline instead of the live tenant")
      .option("--save-snapshot <file>", "write the raw Graph/ARM answers read to <file>")
      .addOption(new Option("--json", "print findings as JSON").conflicts("markdown"))
      .addOption(new Option("--markdown", "print findings as Markdown (CI job summary)").conflicts("json"))
      .addOption(
        new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity")
          .choices([...SEVERITIES])
          .default("high"),
      )
      .option(
        "--subscription <id...>",
        "subscription(s) holding the tripwire alert rules (default: the stack's azure-native:subscriptionId, see docs/audit.md)",
      )
      .option("--timeout <seconds>", "per-request timeout", "30")
      .option("--html <file>", "also write the report as one self-contained HTML page to <file>")
      .option("--history <dir>", "with --html: a trend over the snapshots saved in <dir> (--save-snapshot files)"),
    "audit",
    `  0  no finding at or above --fail-on
  1  findings at or above --fail-on (a source that could not be read is always one: AUD-READ-FAILED)
  2  bad input: flags, the stack file, the snapshot file (or one of another tenant), a credential of another tenant, missing rights (the message names them)
  3  the audit itself failed`,
    io,
  );
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const cmd = program(io);
  const answered = await parseArguments(cmd, argv, io);
  if (answered !== undefined) return answered;
  const options = cmd.opts<CliOptions>();
  // The trend's snapshots are checked before the tenant is read: bad history is reported before any work.
  const history = options.history ? readTrendHistory(options, io) : undefined;
  let result: AuditResult;
  try {
    result = await run(options, io);
  } catch (e) {
    // A Graph error that reaches here is the credential's (no token, no consent): the user's to fix.
    if (e instanceof GraphError) throw new UserInputError(e.message, { cause: e });
    throw e;
  }
  const output = options.json
    ? renderJson(result, options.failOn)
    : options.markdown
      ? renderMarkdown(result)
      : renderTable(result, io.columns ?? 120);
  if (options.html) {
    const runTenant = result.snapshot.tenantId;
    if (history && runTenant && runTenant.toLowerCase() !== history.tenantId.toLowerCase())
      throw new UserInputError(
        `--history: this run is of tenant ${runTenant}, the snapshots in --history of ${history.tenantId} (the stack's): a trend compares one tenant's runs`,
      );
    const trend = history ? trendOf(history.points, result) : undefined;
    writeTextFile(
      path.resolve(io.cwd, options.html),
      renderAuditHtml(result, { trend, failOn: options.failOn }),
      "--html",
    );
  }
  io.stdout(output);
  const threshold = severityRank(options.failOn);
  return result.findings.some((f) => severityRank(f.severity) >= threshold) ? EXIT.findings : EXIT.ok;
}

async function run(options: CliOptions, io: CliIo): Promise<AuditResult> {
  if (options.snapshot && options.saveSnapshot)
    throw new UserInputError(
      "--snapshot and --save-snapshot exclude each other (a snapshot is saved from a live read)",
    );
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UserInputError(`--timeout ${JSON.stringify(options.timeout)} is not a positive number of seconds`);
  const { config, subscription, stackName } = stackConfig(path.resolve(io.cwd, options.cwd ?? "."), options.stack);

  if (options.snapshot) {
    const file = path.resolve(io.cwd, options.snapshot);
    const snapshot = readSnapshotFile(file);
    assertSnapshotTenant(snapshot, config.tenant.tenantId, file, stackName);
    return auditSnapshot(snapshot, config, file);
  }

  // The hosts of the stack's cloud (tenant.cloud; loopback tenant.endpoints for emulators), and its tenant only.
  const target = { endpoints: config.endpoints, tenantId: config.tenant.tenantId };
  const graph = createGraphClient({ ...target, service: "graph" }, { timeoutMs: timeoutSeconds * 1000 });
  const arm = createGraphClient({ ...target, service: "arm" }, { timeoutMs: timeoutSeconds * 1000 });
  const progress = io.stderrIsTTY
    ? (p: ReadProgress) =>
        io.stderr(`\rReading the tenant: ${p.sourcesDone}/${p.sourcesTotal} sources, ${p.requests} requests `)
    : undefined;
  let snapshot;
  try {
    const subscriptions = options.subscription ?? (subscription ? [subscription] : undefined);
    snapshot = await readTenant({ graph, arm, config, subscriptions, onProgress: progress });
  } finally {
    if (io.stderrIsTTY) io.stderr("\r\x1b[K");
  }
  if (options.saveSnapshot) writeSnapshotFile(path.resolve(io.cwd, options.saveSnapshot), snapshot);
  return auditSnapshot(snapshot, config);
}

/**
 * The stack's config, validated like plan, check and review read it (encrypted values of ours are errors), and the
 * subscription its azure-native provider deploys the alert rules to, when the stack file names one.
 */
function stackConfig(
  cwd: string,
  stack: string | undefined,
): { config: BaselineConfig; stackName: string; subscription?: string } {
  const loaded = requireStackConfig(cwd, stack);
  const subscription = loaded.stackFile.passthrough["azure-native:subscriptionId"]?.trim();
  return { config: loaded.config, stackName: loaded.stackFile.stack, ...(subscription ? { subscription } : {}) };
}

/** `--history DIR`: the earlier runs, audited with this stack's config, all of the stack's tenant. */
function readTrendHistory(options: CliOptions, io: CliIo): { points: TrendPoint[]; tenantId: string } {
  if (!options.html) throw new UserInputError("--history draws a trend in the HTML report: give --html <file> too");
  const { config } = stackConfig(path.resolve(io.cwd, options.cwd ?? "."), options.stack);
  const tenantId = config.tenant.tenantId;
  return { points: readHistory(path.resolve(io.cwd, options.history!), config, tenantId), tenantId };
}

if (require.main === module) runCli(main);
