/**
 * `npm run review`: the weekly PIM activation review as Markdown (stdout or --out) and JSON (--json).
 *
 *   npm run review -- --workspace <workspace GUID or resource id>      # online, last 7 days
 *   npm run review -- --rows examples/pim-activations.sample.json      # offline, from a rows file
 *
 * Ticket pattern and working hours come from the stack's config (--stack NAME → Pulumi.NAME.yaml, default prod). Exit codes:
 * 0 review written; 1 the workspace query failed; 2 bad input (arguments, stack file or rows file).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { formatIssue } from "../../config";
import { DEFAULT_STACK, loadStackConfig } from "../../plan/stackConfig";
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
  const file = path.relative(cwd, loaded.stackFile.path) || loaded.stackFile.path;
  if (!loaded.ok) throw new InputError(`${file}: invalid configuration:\n  ${loaded.errors.map(formatIssue).join("\n  ")}`);
  const { monitoring } = loaded.config;
  return {
    ticketPattern: monitoring.routineJitUse.ticketPattern,
    minActiveDays: monitoring.routineJitUse.minActiveDays,
    workingHours: monitoring.workingHours,
    existingWorkspaceId: monitoring.existingWorkspaceId,
  };
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("review")
    .description("Weekly review of Global Administrator PIM activations (last 7 days) as Markdown and JSON.")
    .option("--workspace <id>", "Log Analytics workspace id (GUID) or resource id; default: monitoring.existingWorkspaceId")
    .option("--rows <file>", "read the PIM event rows from this JSON file instead of querying the workspace")
    .option("--stack <name>", "stack whose Pulumi.<name>.yaml gives the ticket pattern and working hours", DEFAULT_STACK)
    .option("--cwd <dir>", "project directory holding the stack file", process.cwd())
    .option("--out <file>", "write the Markdown here instead of stdout")
    .option("--json <file>", "also write the review as JSON")
    .option("--endpoint <url>", "Log Analytics endpoint (national clouds)")
    .option("--print-query", "print the KQL the review runs and exit")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode ?? 2;
    return code === 0 ? 0 : 2;
  }
  const opts = program.opts<{ workspace?: string; rows?: string; stack: string; cwd: string; out?: string; json?: string; endpoint?: string; printQuery?: boolean }>();

  try {
    const settings = readReviewSettings(opts.cwd, opts.stack);
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
        process.stderr.write(`review: querying ${workspace} failed: ${(e as Error).message}\n`);
        return 1;
      }
    }
    const review = buildPimReview(rows, { workingHours: settings.workingHours, minActiveDays: settings.minActiveDays, now: new Date() });
    const markdown = `${renderReviewMarkdown(review)}\n`;
    if (opts.out) writeFileSync(opts.out, markdown);
    else process.stdout.write(markdown);
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify(review, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RowsError || e instanceof InputError) {
      process.stderr.write(`review: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`review: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
