/**
 * What `npm run plan`, `check`, `audit` and `review` share as command-line programs: one usage line, one way to
 * report bad input, output files, failure handling. Exit codes in exitCodes.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommanderError, type Command } from "commander";
import { EXIT } from "./exitCodes";

/** A problem the user fixes (a flag, a file): reported as one `error:` line, exit 2. */
export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliInputError";
  }
}

/**
 * Sets up a command the same way for every CLI: the usage line names the npm script (`npm run plan -- [options]`),
 * errors go to stderr with a pointer to --help, and --help ends with the exit codes.
 */
export function configureCommand(command: Command, script: string, exitCodes: string): Command {
  return command
    .name(`npm run ${script} --`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(`(npm run ${script} -- --help for usage)`)
    .addHelpText("after", `\nExit codes:\n${exitCodes}`);
}

/**
 * Parses the arguments with a command set up by configureCommand. Returns the exit code when commander has
 * already answered (--help: 0; a bad flag or missing argument, reported on stderr: 2), else undefined.
 */
export function parseArguments(command: Command, argv: string[]): number | undefined {
  try {
    command.parse(argv, { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return EXIT.ok;
    // `npm run plan --stack x` leaves `x` as a stray argument: say why, after commander's own message.
    const swallowed = npmSwallowedOptions(command);
    if (swallowed) process.stderr.write(`error: ${swallowed}\n`);
    return EXIT.invalidInput;
  }
  const swallowed = npmSwallowedOptions(command);
  if (swallowed) {
    process.stderr.write(`error: ${swallowed}\n`);
    return EXIT.invalidInput;
  }
  return undefined;
}

/**
 * `npm run plan --json` (without `--`) hands `--json` to npm, not to us: the command then runs without it and
 * prints a tree where JSON was asked for. npm exposes what it took as `npm_config_<name>`; when the script is ours
 * and one of those names is one of our options, say so instead of silently ignoring it.
 */
export function npmSwallowedOptions(command: Command, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const script = env.npm_lifecycle_event;
  if (!script || !command.name().startsWith(`npm run ${script} `)) return undefined;
  const taken = command.options
    .map((o) => o.long)
    .filter((long): long is string => long !== undefined && long !== "--help")
    .filter((long) => env[`npm_config_${long.replace(/^--(no-)?/, "").replace(/-/g, "_")}`] !== undefined);
  if (taken.length === 0) return undefined;
  return (
    `npm took ${taken.join(", ")} as its own option${taken.length === 1 ? "" : "s"}, so ${script} never saw ${taken.length === 1 ? "it" : "them"}: ` +
    `put -- before the command's options, e.g. npm run ${script} -- ${taken[0]}`
  );
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes an output file (creating its directory); a file that cannot be written is the user's to fix (exit 2). */
export function writeFile(file: string, text: string, flag: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new CliInputError(`${flag} ${file}: cannot be written: ${describeFsError(e)}`);
  }
}

/** Reads an input file; a file that cannot be read is the user's to fix (exit 2). */
export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CliInputError(`${file}: cannot read the ${what}: ${describeFsError(e)}`);
  }
}

/** A file system error in words (Node's own messages repeat the path and lead with the errno code). */
export function describeFsError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file or directory";
    case "EISDIR":
      return "is a directory, not a file";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return (e as Error).message;
  }
}

/** A path as the user can read it: relative to the current directory when it is inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Runs a CLI's main; its result is the exit code. Bad input thrown as CliInputError exits 2; anything else thrown or
 * rejected is a failure to run (exit 3).
 */
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
  if (e instanceof CliInputError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(EXIT.invalidInput);
  }
  // A known failure (e.g. the pack's, with its stderr) explains itself; an unexpected one needs its stack.
  const known = e instanceof Error && e.name === "PackError";
  process.stderr.write(`error: ${e instanceof Error ? (known ? e.message : (e.stack ?? e.message)) : String(e)}\n`);
  process.exit(EXIT.failure);
}
