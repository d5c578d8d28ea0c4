/**
 * How every command is set up with commander: the usage line names the npm script (`npm run plan -- [options]`, or
 * `entra-baseline plan [options]` where the library's binary runs it),
 * errors go to stderr with a pointer to --help, --help ends with the exit codes, and options npm took for itself
 * (`npm run plan --json` without `--`) are named instead of silently ignored.
 */
import { CommanderError, type Command } from "commander";
import { EXIT } from "./exitCodes";
import type { CliIo } from "./io";

export function configureCommand(command: Command, script: string, exitCodes: string, io: CliIo): Command {
  const invocation = io.binary ? `${io.binary} ${script}` : `npm run ${script} --`;
  return command
    .name(invocation)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError(`(${invocation} --help for usage)`)
    .addHelpText("after", `\nExit codes:\n${exitCodes}`);
}

/**
 * Parses `argv` with a command set up by configureCommand. Returns the exit code when commander has already
 * answered (--help: 0; a bad flag or missing argument, reported on stderr: 2), else undefined.
 */
export async function parseArguments(command: Command, argv: string[], io: CliIo): Promise<number | undefined> {
  try {
    await command.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return EXIT.ok;
    const swallowed = npmSwallowedOptions(command, io.env);
    if (swallowed) io.stderr(`error: ${swallowed}\n`);
    return EXIT.invalidInput;
  }
  const swallowed = npmSwallowedOptions(command, io.env);
  if (swallowed) {
    io.stderr(`error: ${swallowed}\n`);
    return EXIT.invalidInput;
  }
  return undefined;
}

/**
 * npm exposes the options it took as `npm_config_<name>`; when the script is ours and one of those names is one of
 * our options, say so.
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
