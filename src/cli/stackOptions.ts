/**
 * The stack-selecting options every command shares, so they mean the same everywhere: `--stack NAME` reads
 * `Pulumi.NAME.yaml` from `--cwd DIR`; without --stack, the only stack file there (several: --stack is required).
 */
import type { Command } from "commander";

export interface StackFlags {
  stack?: string;
  cwd?: string;
}

/** `purpose` says what the command takes from that stack's config. */
export function addStackOptions(command: Command, purpose: string): Command {
  return command
    .option("--stack <name>", `stack whose Pulumi.<name>.yaml ${purpose} (default: the only stack file in --cwd)`)
    .option("--cwd <dir>", "project directory holding the stack file (default: the current directory)");
}
