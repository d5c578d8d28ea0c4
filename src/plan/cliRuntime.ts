/** What `npm run plan` and `npm run check` share as command-line programs: output, files, failure handling. */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommanderError, type Command } from "commander";
import { EXIT } from "./exitCodes";

/**
 * Parses the arguments with a command set up with `.exitOverride()`. Returns the exit code when commander has
 * already answered (--help: 0; a bad flag or missing argument, reported on stderr: 2), else undefined.
 */
export function parseArguments(command: Command, argv: string[]): number | undefined {
  try {
    command.parse(argv, { from: "user" });
    return undefined;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    throw e;
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Runs a CLI's main; its result is the exit code. Anything thrown or rejected is a failure (exit 3). */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  // A failure inside a Pulumi program surfaces as a rejected Output, not as a throw from the program function.
  process.on("unhandledRejection", (e) => fail(e));
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => fail(e),
  );
}

function fail(e: unknown): never {
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(EXIT.failure);
}
