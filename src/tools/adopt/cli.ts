/**
 * `npm run adopt -- --stack NAME --out DIR`: from today's tenant to a stack (docs/adopt.md). Reads the tenant with the
 * read identity (or a saved snapshot, `--snapshot FILE`), writes into --out the proposed `Pulumi.<stack>.yaml` (or the
 * existing one with adopt's changes merged in, comments kept), `import.json` for `pulumi import --file`, and — live —
 * the snapshot it read, for `npm run plan -- --preflight`; then prints the preflight report.
 *
 * Exit codes: 0 written, no lock-out risk; 1 written, lock-out risks found; 2 bad input (flags, a snapshot or
 * credentials of another tenant, a stack file it cannot merge, missing rights): nothing written; 3 the run failed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import { UserInputError } from "../../cli/errors";
import { EXIT } from "../../cli/exitCodes";
import { displayPath, describeFsError } from "../../cli/files";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";
import { readStackFile, stackFilePath } from "../../config/stackFile";
import { EMAIL, isUpn, resolveEndpoints, type CloudName } from "@entra-baseline/model";
import { createGraphClient, GraphError } from "../../graph/client";
import { adopt, type ExistingStack } from "./adopt";
import { configuredUserRefs, discoveryConfig } from "./discovery";
import { readAdoptSnapshot } from "./read";
import { renderJson, renderMarkdown, renderTable } from "./report";
import { adoptSnapshotText, assertSameTenant, readAdoptSnapshotFile, type AdoptSnapshot } from "./snapshot";

interface AdoptFlags extends StackFlags {
  out: string;
  snapshot?: string;
  json?: boolean;
  markdown?: boolean;
  password: "keep" | "rotate";
  recipient?: string[];
  approver?: string[];
  tenant?: string;
  graphEndpoint?: string;
  armEndpoint?: string;
  subscription?: string[];
  timeout: string;
}

export const SNAPSHOT_FILE = "adopt-snapshot.json";
export const IMPORT_FILE = "import.json";

function program(io: CliIo): Command {
  return configureCommand(
    addStackOptions(new Command(), "is proposed (merged into it when it exists)")
      .description(
        "Read today's tenant and propose the stack: eligible admins, emergency accounts, exceptions; the pulumi import file; the preflight report of lock-out risks (docs/adopt.md).",
      )
      .requiredOption("--out <dir>", "directory the stack file, import.json and the snapshot are written to")
      .option("--snapshot <file>", "adopt from a saved snapshot offline instead of reading the live tenant")
      .addOption(new Option("--json", "print the report as JSON").conflicts("markdown"))
      .addOption(
        new Option("--markdown", "print the report as Markdown (pull request, CI job summary)").conflicts("json"),
      )
      .addOption(
        new Option(
          "--password <choice>",
          "adopted emergency accounts: keep their current password, or rotate it at the first up (custody runbook)",
        )
          .choices(["keep", "rotate"])
          .default("keep"),
      )
      .option("--recipient <email...>", "who is notified of Tier-0 assignments, if the live policy names nobody")
      .option("--approver <upn...>", "who approves Tier-0 activations, if the live policy names nobody")
      .option("--tenant <id>", "the tenant to read (required unless the stack file names tenant.tenantId)")
      .option("--graph-endpoint <url>", "a loopback Microsoft Graph emulator (default: the stack's cloud)")
      .option("--arm-endpoint <url>", "a loopback Azure Resource Manager emulator (default: the stack's cloud)")
      .option("--subscription <id...>", "subscription(s) holding the tripwire alert rules, as for npm run audit")
      .option("--timeout <seconds>", "per-request timeout", "30"),
    "adopt",
    `  0  written; the preflight found no lock-out risk
  1  written; the preflight found lock-out risks (listed)
  2  bad input: flags, a snapshot or sign-in of another tenant, a stack file it cannot merge, missing rights: nothing written
  3  the run itself failed`,
    io,
  );
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const cmd = program(io);
  const answered = await parseArguments(cmd, argv, io);
  if (answered !== undefined) return answered;
  const flags = cmd.opts<AdoptFlags>();
  if (!flags.stack)
    throw new UserInputError("--stack <name> is required: it names the stack file adopt writes (Pulumi.<name>.yaml)");
  for (const r of flags.recipient ?? [])
    if (!EMAIL.test(r)) throw new UserInputError(`--recipient ${JSON.stringify(r)} is not an email address`);
  for (const a of flags.approver ?? [])
    if (!isUpn(a)) throw new UserInputError(`--approver ${JSON.stringify(a)} is not a user principal name`);
  const cwd = path.resolve(io.cwd, flags.cwd ?? ".");
  const out = path.resolve(io.cwd, flags.out);
  const existing = readExisting(cwd, flags.stack);

  let snapshot: AdoptSnapshot;
  let live = false;
  try {
    if (flags.snapshot) {
      const file = path.resolve(io.cwd, flags.snapshot);
      snapshot = readAdoptSnapshotFile(file);
      assertSameTenant(tenantOf(existing), snapshot, displayPath(file));
    } else {
      snapshot = await readLive(flags, existing, io);
      live = true;
    }
  } catch (e) {
    // A Graph error that reaches here is the credential's (no token, no consent): the user's to fix.
    if (e instanceof GraphError) throw new UserInputError(e.message, { cause: e });
    throw e;
  }

  const result = await adopt({
    snapshot,
    stack: flags.stack,
    existing,
    password: flags.password,
    recipients: flags.recipient,
    approvers: flags.approver,
  });
  const files: [string, string][] = [
    [path.join(out, result.stackFileName), result.stackText],
    [path.join(out, IMPORT_FILE), `${JSON.stringify(result.imports.file, null, 2)}\n`],
    ...(live ? ([[path.join(out, SNAPSHOT_FILE), adoptSnapshotText(snapshot)]] as [string, string][]) : []),
  ];
  writeAll(files, io.cwd);
  const input = {
    adopt: {
      stack: flags.stack,
      written: files.map(([f]) => displayPath(f, io.cwd)),
      changes: [
        ...result.changes,
        ...result.accepted.map((i) => `written as found, to be decided: ${i.path}: ${i.message}`),
      ],
      notes: result.proposal.notes,
      imports: result.imports,
    },
    preflight: result.report,
  };
  io.stdout(
    flags.json ? renderJson(input) : flags.markdown ? renderMarkdown(input) : renderTable(input, io.columns ?? 120),
  );
  return result.report.risks.length > 0 ? EXIT.findings : EXIT.ok;
}

/** The existing stack file, if there is one; one that cannot be read is a StackFileError (exit 2). */
function readExisting(cwd: string, stack: string): ExistingStack | undefined {
  const file = stackFilePath(cwd, stack);
  if (!fs.existsSync(file)) return undefined;
  const read = readStackFile(cwd, stack);
  return { text: fs.readFileSync(file, "utf8"), file: displayPath(file), raw: read.raw, passthrough: read.passthrough };
}

function tenantOf(existing: ExistingStack | undefined): string | undefined {
  const tenantId = (existing?.raw.tenant as Record<string, unknown> | undefined)?.tenantId;
  return typeof tenantId === "string" ? tenantId : undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant adopt reads: the stack's tenant.tenantId, or --tenant for a new stack; both must agree. */
function tenantToRead(flags: AdoptFlags, existing: ExistingStack | undefined): string {
  const fromStack = tenantOf(existing);
  if (flags.tenant !== undefined && !GUID.test(flags.tenant))
    throw new UserInputError(`--tenant ${JSON.stringify(flags.tenant)} is not a tenant id (a GUID)`);
  if (fromStack && flags.tenant && fromStack.toLowerCase() !== flags.tenant.toLowerCase())
    throw new UserInputError(
      `--tenant ${flags.tenant} is not the tenant the stack governs (${existing!.file}: tenant.tenantId ${fromStack}): nothing was read`,
    );
  const tenantId = fromStack ?? flags.tenant;
  if (!tenantId)
    throw new UserInputError(
      "which tenant to read? pass --tenant <tenant id>, or set tenant.tenantId in the stack file: a token is only requested for, and accepted from, that tenant",
    );
  return tenantId;
}

/** An endpoint flag: only a loopback emulator, as tenant.endpoints in the stack file; tokens go nowhere else. */
function loopbackFlag(flag: string, url: string): string {
  const host = /^https?:\/\/(\[::1\]|127\.0\.0\.1|localhost)(:\d+)?(\/|$)/i;
  if (!host.test(url))
    throw new UserInputError(
      `${flag} ${url}: only a loopback emulator (127.0.0.1, localhost or [::1]) may replace the cloud's host; tokens are only ever sent to Microsoft's hosts of tenant.cloud or to this machine`,
    );
  return url;
}

async function readLive(flags: AdoptFlags, existing: ExistingStack | undefined, io: CliIo): Promise<AdoptSnapshot> {
  const timeoutSeconds = Number(flags.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UserInputError(`--timeout ${JSON.stringify(flags.timeout)} is not a positive number of seconds`);
  const tenant = (existing?.raw.tenant ?? {}) as { cloud?: CloudName };
  const tenantId = tenantToRead(flags, existing);
  const overrides = {
    ...(flags.graphEndpoint ? { graph: loopbackFlag("--graph-endpoint", flags.graphEndpoint) } : {}),
    ...(flags.armEndpoint ? { arm: loopbackFlag("--arm-endpoint", flags.armEndpoint) } : {}),
  };
  const endpoints = resolveEndpoints(tenant.cloud ?? "public", overrides);
  // Tokens are requested for that tenant and refused unless they are for it (src/graph/client.ts).
  const target = { endpoints, tenantId };
  const graph = createGraphClient({ ...target, service: "graph" }, { timeoutMs: timeoutSeconds * 1000 });
  const arm = createGraphClient({ ...target, service: "arm" }, { timeoutMs: timeoutSeconds * 1000 });
  const subscription = existing?.passthrough["azure-native:subscriptionId"]?.trim();
  if (io.stderrIsTTY) io.stderr("Reading the tenant (read-only)…\n");
  // The organization is read first: a sign-in to another tenant than the stack's stops before anything else.
  return readAdoptSnapshot({
    graph,
    arm,
    config: (tenantId) => discoveryConfig(tenantId, existing?.raw),
    expectTenantId: tenantOf(existing),
    subscriptions: flags.subscription ?? (subscription ? [subscription] : undefined),
    userRefs: { all: configuredUserRefs(existing?.raw), eligible: configuredUserRefs(existing?.raw, "eligible") },
  });
}

/** Writes every file or none: each goes to a temporary name first, then all are renamed into place. */
function writeAll(files: [string, string][], cwd: string): void {
  const staged: [string, string][] = [];
  try {
    for (const [file, text] of files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.adopt-${process.pid}.tmp`;
      fs.writeFileSync(temp, text);
      staged.push([temp, file]);
    }
    for (const [temp, file] of staged) fs.renameSync(temp, file);
  } catch (e) {
    for (const [temp] of staged) fs.rmSync(temp, { force: true });
    throw new UserInputError(
      `--out ${displayPath(path.dirname(files[0]![0]), cwd)}: cannot be written: ${describeFsError(e)}`,
    );
  }
}

if (require.main === module) runCli(main);
