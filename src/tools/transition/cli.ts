/**
 * `npm run transition -- --stack NAME`: moves the standing Tier-0 holders the stack lists as eligible admins to
 * eligible (docs/operations.md, "Moving standing admins to just-in-time"). A dry run unless --apply; offline from an
 * audit snapshot with --snapshot; --resume and --restore take the run's journal.
 */
import { Command } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import { UserInputError } from "../../cli/errors";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addWriteOptions, outputFormat, WRITE_EXIT_CODES, type WriteFlags } from "../writes/options";
import { renderReport, reportExitCode } from "../writes/report";
import { runWriteCommand, type WriteRunDeps } from "../writes/run";
import { transitionCommand, type TransitionFlags } from "./command";

function program(io: CliIo): Command {
  return configureCommand(
    addWriteOptions(new Command(), "lists the eligible admins and the emergency accounts")
      .description(
        "Move standing Tier-0 holders the stack lists as eligible admins to PIM eligibility: make eligible, read back, remove the active assignment, read back.",
      )
      .option(
        "--remove-unlisted",
        "also remove standing holders the stack does not list (nothing is made eligible for them)",
      )
      .option(
        "--restore-eligibilities",
        "with --restore: also remove the eligibilities the run created, once the assignment is back",
      ),
    "transition",
    WRITE_EXIT_CODES,
    io,
  );
}

export async function main(argv: string[], io: CliIo, deps: WriteRunDeps = {}): Promise<number> {
  const cmd = program(io);
  const answered = await parseArguments(cmd, argv, io);
  if (answered !== undefined) return answered;
  const flags = cmd.opts<WriteFlags & TransitionFlags>();
  if (flags.restoreEligibilities && !flags.restore)
    throw new UserInputError("--restore-eligibilities goes with --restore JOURNAL");
  if (flags.removeUnlisted && (flags.resume || flags.restore))
    throw new UserInputError("--remove-unlisted shapes a new plan: a resumed or restored run follows its journal's");
  const report = await runWriteCommand(transitionCommand(flags), flags, io, deps);
  io.stdout(renderReport(report, outputFormat(flags), io.columns ?? 120));
  return reportExitCode(report);
}

if (require.main === module) runCli(main);
