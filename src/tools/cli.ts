#!/usr/bin/env node
/**
 * `entra-baseline <command> [options]`: the library's binary (package.json `bin`), one entry over the commands this
 * repository runs as `npm run <command> --`. Each command keeps its own options, help and exit codes; this only picks
 * it, and loads nothing else (custody never loads the Pulumi SDK, plan loads it only once the config is valid).
 */
import { EXIT } from "../cli/exitCodes";
import type { CliIo } from "../cli/io";
import { runCli, type CommandMain } from "../cli/run";

export const BINARY = "entra-baseline";

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandMain> }> = {
  plan: {
    summary: "render the baseline (or your program with --program) offline and run the policy pack over it",
    load: async () => (await import("./plan/cli")).main,
  },
  check: {
    summary: "run the policy pack over a `pulumi stack export`",
    load: async () => (await import("./check/cli")).main,
  },
  audit: {
    summary: "read-only audit of the live tenant against the model",
    load: async () => (await import("./audit/cli")).main,
  },
  review: {
    summary: "the week's PIM activations as Markdown and JSON",
    load: async () => (await import("./review/cli")).main,
  },
  custody: {
    summary: "the breakglass passwords from `pulumi stack export --show-secrets`, one 0600 file per account",
    load: async () => (await import("./custody/cli")).main,
  },
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT.invalidInput : EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`error: unknown command '${name}'\n${usage()}`);
    return EXIT.invalidInput;
  }
  return (await command.load())(rest, { ...io, binary: BINARY });
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `Usage: ${BINARY} <command> [options]\n\nCommands:\n${lines.join("\n")}\n\n${BINARY} <command> --help shows a command's options and exit codes.\n`;
}

function version(): string {
  // Two levels up is the package root both as published (lib/tools/cli.js) and in this repository (src/tools/cli.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

if (require.main === module) runCli(main);
