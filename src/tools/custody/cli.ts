/**
 * `npm run custody -- --export FILE --out-dir DIR` (or `entra-baseline custody …`): the breakglass passwords from a
 * `pulumi stack export --show-secrets`, one 0600 file per account, for the custodians to print and seal
 * (docs/breakglass.md, docs/operations.md). `--export -` reads the export from stdin, so it need never touch the disk:
 *
 *   pulumi stack export --stack prod --show-secrets | npm run --silent custody -- --export - --out-dir /media/usb/bg
 *
 * `--show ACCOUNT` prints one account's password instead, to a terminal only. Nothing else ever prints a password:
 * the summary names each file with the password's length and fingerprint. It refuses to run in CI, whose output is a
 * log by definition.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import { UserInputError } from "../../cli/errors";
import { EXIT } from "../../cli/exitCodes";
import { displayPath, readTextFile } from "../../cli/files";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { breakglassPasswords, SHOW_SECRETS_HINT } from "./passwords";
import { fingerprint, sealToDirectory } from "./seal";

interface CustodyFlags {
  export?: string;
  outDir?: string;
  show?: string;
}

/** Variables CI systems set (GitHub Actions, Azure Pipelines, most others). */
const CI_VARIABLES = ["CI", "GITHUB_ACTIONS", "TF_BUILD", "BUILD_BUILDID"];

const CUSTODY_EXIT_CODES = `  0  every breakglass password written (or the one shown)
  2  bad input: no --export, an encrypted export (use --show-secrets), no breakglass account in it,
     a password file that already exists, --show without a terminal, running in CI (nothing written)
  3  failure`;

export async function main(argv: string[], io: CliIo, readStdin: () => string = stdinText): Promise<number> {
  const command = configureCommand(
    new Command()
      .description(
        "Write each breakglass account's password from `pulumi stack export --show-secrets` into its own 0600 file, for the custodians to seal (docs/breakglass.md).",
      )
      .option("--export <file>", "the stack export with plaintext secrets; - reads it from stdin")
      .option("--out-dir <dir>", "directory for one <account>.password file per account (created 0700)")
      .option("--show <account>", "print this one account's password instead, to a terminal only"),
    "custody",
    CUSTODY_EXIT_CODES,
    io,
  );
  const answered = await parseArguments(command, argv, io);
  if (answered !== undefined) return answered;
  const flags = command.opts<CustodyFlags>();

  const ci = CI_VARIABLES.filter((v) => io.env[v] !== undefined && io.env[v] !== "" && io.env[v] !== "false");
  if (ci.length > 0)
    throw new UserInputError(
      `custody runs on a custodian's trusted machine, never in CI (${ci.join(", ")} is set): a CI job's output and files end up in logs and artifacts`,
    );
  if (!flags.export)
    throw new UserInputError(
      `--export FILE is required: the stack export with plaintext secrets (- reads it from stdin); ${SHOW_SECRETS_HINT}`,
    );
  if ((flags.outDir === undefined) === (flags.show === undefined))
    throw new UserInputError("say where the passwords go: --out-dir DIR (one file per account) or --show ACCOUNT");
  if (flags.show !== undefined && !io.stdoutIsTTY)
    throw new UserInputError(
      "--show prints a password only to a terminal, and stdout is a pipe or a file: use --out-dir, or run it in a terminal without redirecting",
    );

  const source = flags.export === "-" ? "the stack export on stdin" : displayPath(path.resolve(io.cwd, flags.export));
  const text =
    flags.export === "-" ? readStdin() : readTextFile(path.resolve(io.cwd, flags.export), "the stack export");
  const passwords = breakglassPasswords(parseExport(text, source), source);

  if (flags.show !== undefined) {
    const wanted = flags.show.toLowerCase();
    const one = passwords.find((p) => p.account.toLowerCase() === wanted);
    if (!one)
      throw new UserInputError(
        `--show ${flags.show}: no such breakglass account in ${source} (accounts: ${passwords.map((p) => p.account).join(", ")})`,
      );
    io.stdout(`${one.password}\n`);
    io.stderr(
      `${one.account}: ${one.password.length} characters, sha256 ${fingerprint(one.password)}…; clear this terminal and its scrollback when it is sealed\n`,
    );
    return EXIT.ok;
  }

  const dir = path.resolve(io.cwd, flags.outDir!);
  const sealed = sealToDirectory(passwords, dir);
  const lines = sealed.map(
    (s) => `  ${s.account}  ${displayPath(s.file, io.cwd)}  (${s.length} characters, sha256 ${s.fingerprint}…)`,
  );
  io.stdout(
    `Wrote ${sealed.length} breakglass password${sealed.length === 1 ? "" : "s"}, one per file (mode 0600), from ${source}:\n${lines.join("\n")}\n` +
      "Print each for its sealed envelope, then delete the files (docs/breakglass.md, custody runbook).\n",
  );
  return EXIT.ok;
}

function stdinText(): string {
  if (process.stdin.isTTY)
    throw new UserInputError(
      "--export -: nothing is piped into stdin; pipe `pulumi stack export --show-secrets` into it",
    );
  return fs.readFileSync(0, "utf8");
}

/** The export as JSON, or an error that says where it breaks without quoting it (it holds plaintext secrets). */
function parseExport(text: string, source: string): unknown {
  if (text.trim() === "")
    throw new UserInputError(`${source} is empty: pipe \`pulumi stack export --show-secrets\` into it`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new UserInputError(
      `${source} is not valid JSON${at ? ` (at character ${at})` : ""}: is it the output of pulumi stack export?`,
    );
  }
}

if (require.main === module) runCli(main);
