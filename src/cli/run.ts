/** Runs a command's main as a process: its result is the exit code; what it throws is classified once (errors.ts). */
import { describeError, exitCodeFor } from "./errors";
import { processIo, type CliIo } from "./io";

export type CommandMain = (argv: string[], io: CliIo) => Promise<number>;

/** Runs `main` in-process and turns a thrown error into its message on stderr and its exit code. */
export async function runCommand(main: CommandMain, argv: string[], io: CliIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (e) {
    io.stderr(`error: ${describeError(e)}\n`);
    return exitCodeFor(e);
  }
}

export function runCli(main: CommandMain): void {
  const io = processIo();
  // A failure inside a Pulumi program surfaces as a rejected Output, not as a throw from the program function.
  process.on("unhandledRejection", (e) => {
    io.stderr(`error: ${describeError(e)}\n`);
    process.exit(exitCodeFor(e));
  });
  runCommand(main, process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
