/**
 * `npm run remediate -- ca-exclusions --stack NAME`: adds the exclusion group to every Conditional Access policy that
 * can apply to users and lacks it (docs/operations.md, "Keeping every CA policy excluding the emergency accounts").
 * A dry run unless --apply. The scheduled drift pipeline runs it after the audit when the stack config turns it on
 * (monitoring.remediation.caExclusions); `--is-enabled` prints that setting for the pipeline and reads nothing else.
 */
import * as path from "node:path";
import { Argument, Command } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { requireStackConfig } from "../../config/stackConfig";
import { addWriteOptions, outputFormat, WRITE_EXIT_CODES, type WriteFlags } from "../writes/options";
import { renderReport, reportExitCode } from "../writes/report";
import { runWriteCommand, type WriteRunDeps } from "../writes/run";
import { caExclusionsCommand } from "./caExclusions";

interface RemediateFlags extends WriteFlags {
  policy?: string[];
  isEnabled?: boolean;
}

export const REMEDIATIONS = ["ca-exclusions"] as const;

function program(io: CliIo): Command {
  return configureCommand(
    addWriteOptions(new Command(), "names the exclusion group and the emergency accounts")
      .description(
        "Write what the audit can only report. ca-exclusions: add the exclusion group to every CA policy that can apply to users and lacks it, Microsoft-managed ones included.",
      )
      .addArgument(new Argument("<remediation>", "what to remediate").choices([...REMEDIATIONS]))
      .option("--policy <id...>", "only these CA policies (by id); an id the tenant does not have is an error")
      .option(
        "--is-enabled",
        "print whether the stack config turns scheduled remediation on (monitoring.remediation.caExclusions): true or false; reads nothing else",
      ),
    "remediate",
    WRITE_EXIT_CODES,
    io,
  );
}

export async function main(argv: string[], io: CliIo, deps: WriteRunDeps = {}): Promise<number> {
  const cmd = program(io);
  const answered = await parseArguments(cmd, argv, io);
  if (answered !== undefined) return answered;
  const flags = cmd.opts<RemediateFlags>();
  if (flags.isEnabled) {
    const { config } = requireStackConfig(path.resolve(io.cwd, flags.cwd ?? "."), flags.stack);
    io.stdout(`${config.monitoring.remediation.caExclusions}\n`);
    return 0;
  }
  const command = caExclusionsCommand(flags.policy ? { policies: flags.policy } : {});
  const report = await runWriteCommand(command, flags, io, deps);
  io.stdout(renderReport(report, outputFormat(flags), io.columns ?? 120));
  return reportExitCode(report);
}

if (require.main === module) runCli(main);
