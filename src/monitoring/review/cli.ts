/**
 * `npm run review`: the weekly PIM activation review as Markdown (stdout or --out) and JSON (--json).
 *
 *   npm run review -- --workspace <workspace GUID or resource id>      # online, last 7 days
 *   npm run review -- --rows examples/pim-activations.sample.json      # offline, from a rows file
 *
 * Ticket pattern and working hours come from the stack's config (--stack NAME → Pulumi.NAME.yaml, default prod). Exit codes
 * as plan and check: 0 review written; 2 bad input (arguments, stack file or rows file, an output file that cannot
 * be written); 3 the workspace query (or the review itself) failed.
 */
import * as path from "node:path";
import { Command } from "commander";
import { CliInputError, configureCommand, parseArguments, writeFile } from "../../plan/cliRuntime";
import { EXIT } from "../../plan/exitCodes";
import { addStackOptions, invalidConfigMessage, loadStackConfig } from "../../plan/stackConfig";
import { StackFileError } from "../../plan/stackFile";
import { pimEventsQuery } from "../kql";
import { renderReviewMarkdown } from "./markdown";
import { queryPimEvents } from "./query";
import { buildPimReview, type WorkingHours } from "./review";
import { readRowsFile, RowsError, type PimEventRow } from "./rows";

class InputError extends Error {}

interface ReviewSettings {
  ticketPattern: string;
  minActiveDays: number;
  workingHours: WorkingHours;
  existingWorkspaceId?: string;
}

/** Reads the review's settings from the stack's config (Pulumi.<stack>.yaml in `cwd`), as plan and audit do. */
export function readReviewSettings(cwd: string, stack: string): ReviewSettings {
  let loaded;
  try {
    loaded = loadStackConfig(cwd, stack);
  } catch (e) {
    if (e instanceof StackFileError) throw new InputError(e.message);
    throw e;
  }
  if (!loaded.ok) throw new InputError(invalidConfigMessage(loaded));
  const { monitoring } = loaded.config;
  return {
    ticketPattern: monitoring.routineJitUse.ticketPattern,
    minActiveDays: monitoring.routineJitUse.minActiveDays,
    workingHours: monitoring.workingHours,
    existingWorkspaceId: monitoring.existingWorkspaceId,
  };
}

export async function main(argv: string[]): Promise<number> {
  const program = configureCommand(
    addStackOptions(new Command(), "gives the ticket pattern and working hours")
      .description("Weekly review of Global Administrator PIM activations (last 7 days) as Markdown and JSON (docs/monitoring.md).")
      .option("--workspace <id>", "Log Analytics workspace id (GUID) or resource id; default: monitoring.existingWorkspaceId")
      .option("--rows <file>", "read the PIM event rows from this JSON file instead of querying the workspace")
      .option("--out <file>", "write the Markdown to this file instead of stdout")
      .option("--json [file]", "also write the review as JSON to this file; without a file (or -): print the JSON on stdout instead of the Markdown")
      .option("--endpoint <url>", "Log Analytics endpoint (national clouds)")
      .option("--print-query", "print the KQL the review runs and exit"),
    "review",
    `  0  review written
  2  bad input: flags, the stack file, the rows file, an output file that cannot be written
  3  the workspace query failed (also a partial result), or the review itself`,
  );
  const answered = parseArguments(program, argv);
  if (answered !== undefined) return answered;
  const opts = program.opts<{ workspace?: string; rows?: string; stack: string; cwd?: string; out?: string; json?: string | true; endpoint?: string; printQuery?: boolean }>();
  // --json alone (or "-") puts the JSON on stdout, which then carries nothing else.
  const jsonToStdout = opts.json === true || opts.json === "-";

  try {
    if (jsonToStdout && opts.out === "-") throw new InputError("--json and --out - would both print on stdout: give one of them a file");
    const settings = readReviewSettings(path.resolve(opts.cwd ?? "."), opts.stack);
    const query = pimEventsQuery({ ticketPattern: settings.ticketPattern });
    if (opts.printQuery) {
      process.stdout.write(`${query}\n`);
      return 0;
    }
    let rows: PimEventRow[];
    if (opts.rows) {
      if (opts.workspace) throw new InputError("--rows and --workspace exclude each other (offline or online)");
      rows = readRowsFile(opts.rows);
    } else {
      const workspace = opts.workspace ?? settings.existingWorkspaceId;
      if (!workspace) throw new InputError("no workspace: pass --workspace <id> (or --rows <file> to work offline)");
      try {
        rows = await queryPimEvents({ workspace, query, endpoint: opts.endpoint });
      } catch (e) {
        if (e instanceof RowsError) throw e;
        process.stderr.write(`error: querying ${workspace} failed: ${(e as Error).message}\n`);
        return EXIT.failure;
      }
    }
    const review = buildPimReview(rows, { workingHours: settings.workingHours, minActiveDays: settings.minActiveDays, now: new Date() });
    const markdown = `${renderReviewMarkdown(review)}\n`;
    const json = `${JSON.stringify(review, null, 2)}\n`;
    if (opts.out && opts.out !== "-") writeFile(opts.out, markdown, "--out");
    else if (!jsonToStdout) process.stdout.write(markdown);
    if (jsonToStdout) process.stdout.write(json);
    else if (typeof opts.json === "string") writeFile(opts.json, json, "--json");
    return EXIT.ok;
  } catch (e) {
    if (e instanceof RowsError || e instanceof InputError || e instanceof CliInputError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT.invalidInput;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`error: the review failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
