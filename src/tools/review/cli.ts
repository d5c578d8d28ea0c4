/**
 * `npm run review`: the weekly PIM activation review as Markdown (stdout or --out) and JSON (--json).
 *
 *   npm run review -- --workspace <workspace GUID or resource id>      # online, last 7 days
 *   npm run review -- --rows examples/pim-activations.sample.json      # offline, from a rows file
 *
 * The managed roles (every role the stack makes just-in-time: managedRoles), ticket pattern, working hours, the Log
 * Analytics host (tenant.cloud) and the tenant a token must be for come from the stack's config (--stack NAME → Pulumi.NAME.yaml, default prod). Exit codes
 * as plan and check: 0 review written; 2 bad input (arguments, stack file or rows file, an output file that cannot
 * be written); 3 the workspace query (or the review itself) failed.
 */
import * as path from "node:path";
import { Command } from "commander";
import { pimEventsQuery, type Endpoints } from "@entra-baseline/model";
import { GraphError } from "../../graph/client";
import { configureCommand, parseArguments } from "../../cli/command";
import { RunFailure, UserInputError } from "../../cli/errors";
import { EXIT } from "../../cli/exitCodes";
import { writeTextFile } from "../../cli/files";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";
import { managedRoles } from "../../config/managedRoles";
import { requireStackConfig } from "../../config/stackConfig";
import { renderReviewHtml } from "./html";
import { renderReviewMarkdown } from "./markdown";
import { queryPimEvents } from "./query";
import { buildPimReview, type WorkingHours } from "./review";
import { readRowsFile, type PimEventRow } from "./rows";

interface ReviewSettings {
  /** The managed roles' display names, Global Administrator first: the roles the query asks for. */
  roles: string[];
  ticketPattern: string;
  minActiveDays: number;
  workingHours: WorkingHours;
  existingWorkspaceId?: string;
  /** The Log Analytics host and login authority of the stack's cloud (tenant.cloud). */
  endpoints: Pick<Endpoints, "logAnalytics" | "login">;
  tenantId: string;
}

/** Reads the review's settings from the stack's config (Pulumi.<stack>.yaml in `cwd`), as plan and audit do. */
export function readReviewSettings(cwd: string, stack: string | undefined): ReviewSettings {
  const { monitoring, endpoints, tenant, pim } = requireStackConfig(cwd, stack).config;
  return {
    roles: managedRoles(pim).map((r) => r.name),
    ticketPattern: monitoring.routineJitUse.ticketPattern,
    minActiveDays: monitoring.routineJitUse.minActiveDays,
    workingHours: monitoring.workingHours,
    existingWorkspaceId: monitoring.existingWorkspaceId,
    endpoints: { logAnalytics: endpoints.logAnalytics, login: endpoints.login },
    tenantId: tenant.tenantId,
  };
}

interface ReviewFlags extends StackFlags {
  workspace?: string;
  rows?: string;
  out?: string;
  json?: string | true;
  printQuery?: boolean;
  html?: string;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const program = configureCommand(
    addStackOptions(new Command(), "gives the managed roles, the ticket pattern and working hours")
      .description(
        "Weekly review of the PIM activations of every managed role (last 7 days) as Markdown and JSON (docs/monitoring.md).",
      )
      .option(
        "--workspace <id>",
        "Log Analytics workspace id (GUID) or resource id; default: monitoring.existingWorkspaceId",
      )
      .option("--rows <file>", "read the PIM event rows from this JSON file instead of querying the workspace")
      .option("--out <file>", "write the Markdown to this file instead of stdout")
      .option(
        "--json [file]",
        "also write the review as JSON to this file; without a file (or -): print the JSON on stdout instead of the Markdown",
      )
      .option("--print-query", "print the KQL the review runs and exit")
      .option("--html <file>", "also write the review as one self-contained HTML page with charts to <file>"),
    "review",
    `  0  review written
  2  bad input: flags, the stack file, the rows file, an output file that cannot be written
  3  the workspace query failed (also a partial result), or the review itself`,
    io,
  );
  const answered = await parseArguments(program, argv, io);
  if (answered !== undefined) return answered;
  const opts = program.opts<ReviewFlags>();
  // --json alone (or "-") puts the JSON on stdout, which then carries nothing else.
  const jsonToStdout = opts.json === true || opts.json === "-";
  if (jsonToStdout && opts.out === "-")
    throw new UserInputError("--json and --out - would both print on stdout: give one of them a file");
  const settings = readReviewSettings(path.resolve(io.cwd, opts.cwd ?? "."), opts.stack);
  const query = pimEventsQuery({ roles: settings.roles, ticketPattern: settings.ticketPattern });
  if (opts.printQuery) {
    io.stdout(`${query}\n`);
    return EXIT.ok;
  }
  let rows: PimEventRow[];
  if (opts.rows) {
    if (opts.workspace) throw new UserInputError("--rows and --workspace exclude each other (offline or online)");
    rows = readRowsFile(path.resolve(io.cwd, opts.rows));
  } else {
    const workspace = opts.workspace ?? settings.existingWorkspaceId;
    if (!workspace) throw new UserInputError("no workspace: pass --workspace <id> (or --rows <file> to work offline)");
    try {
      // The stack's cloud gives the host, its tenant the only tenant a token may be for.
      rows = await queryPimEvents({ workspace, query, endpoints: settings.endpoints, tenantId: settings.tenantId });
    } catch (e) {
      if (e instanceof UserInputError || e instanceof RunFailure) throw e;
      // A token of another tenant (or none) is the credential's to fix: exit 2, as the audit does.
      if (e instanceof GraphError && e.method === "AUTH") throw new UserInputError(e.message, { cause: e });
      throw new RunFailure(`querying ${workspace} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  const review = buildPimReview(rows, {
    roles: settings.roles,
    workingHours: settings.workingHours,
    minActiveDays: settings.minActiveDays,
    now: new Date(),
  });
  const markdown = `${renderReviewMarkdown(review)}\n`;
  const json = `${JSON.stringify(review, null, 2)}\n`;
  if (opts.out && opts.out !== "-") writeTextFile(path.resolve(io.cwd, opts.out), markdown, "--out");
  else if (!jsonToStdout) io.stdout(markdown);
  if (jsonToStdout) io.stdout(json);
  else if (typeof opts.json === "string") writeTextFile(path.resolve(io.cwd, opts.json), json, "--json");
  if (opts.html) writeTextFile(path.resolve(io.cwd, opts.html), renderReviewHtml(review), "--html");
  return EXIT.ok;
}

if (require.main === module) runCli(main);
