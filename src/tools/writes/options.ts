/** The options every write command shares, defined once so that they mean the same for each (docs/operations.md). */
import * as path from "node:path";
import { Option, type Command } from "commander";
import { UserInputError } from "../../cli/errors";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";

export interface WriteFlags extends StackFlags {
  apply?: boolean;
  journal?: string;
  resume?: string;
  restore?: string;
  snapshot?: string;
  json?: boolean;
  markdown?: boolean;
  timeout: string;
}

export const WRITE_EXIT_CODES = `  0  the plan was made (dry run), or every step was applied and read back
  1  refused before any write (an unhealthy emergency or activation path, a tenant read only in part),
     or stopped at a failed step (the journal says where; continue with --resume JOURNAL)
  2  bad input: flags, the stack file, a snapshot or journal of another tenant or run, missing rights
  3  the command itself failed`;

export function addWriteOptions(command: Command, purpose: string): Command {
  return addStackOptions(command, purpose)
    .option("--apply", "write (default: a dry run that reads the live tenant and writes nothing)")
    .option(
      "--snapshot <file>",
      "plan offline from an audit snapshot (npm run audit -- --save-snapshot); writes nothing",
    )
    .option(
      "--journal <file>",
      "where --apply journals the run (default: entra-baseline-<command>-<stack>-<time>.jsonl)",
    )
    .addOption(
      new Option("--resume <journal>", "continue an interrupted run from its journal").conflicts([
        "restore",
        "journal",
        "snapshot",
      ]),
    )
    .addOption(
      new Option("--restore <journal>", "undo what the journaled run changed").conflicts(["journal", "snapshot"]),
    )
    .addOption(new Option("--json", "print the report as JSON").conflicts("markdown"))
    .addOption(new Option("--markdown", "print the report as Markdown (pull request, incident)").conflicts("json"))
    .option("--timeout <seconds>", "per-request timeout", "30");
}

export function checkWriteFlags(flags: WriteFlags): { timeoutMs: number } {
  if (flags.snapshot && flags.apply)
    throw new UserInputError(
      "--snapshot plans offline and writes nothing: --apply needs the live tenant (drop --snapshot)",
    );
  const seconds = Number(flags.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UserInputError(`--timeout ${JSON.stringify(flags.timeout)} is not a positive number of seconds`);
  return { timeoutMs: seconds * 1000 };
}

export function outputFormat(flags: WriteFlags): "table" | "json" | "markdown" {
  return flags.json ? "json" : flags.markdown ? "markdown" : "table";
}

/** `entra-baseline-transition-prod-20270101T120000Z.jsonl` in the working directory. */
export function defaultJournalPath(cwd: string, command: string, stack: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const slug = command.replace(/[^A-Za-z0-9]+/g, "-");
  return path.join(cwd, `entra-baseline-${slug}-${stack}-${stamp}.jsonl`);
}
