/**
 * `npm run check -- FILE`: the policy pack over a `pulumi stack export` (deployment version 3), so a team can
 * audit a deployed stack's state, or a plan's `--export`, without the Pulumi CLI. Same reader and same pack run
 * as `npm run plan`, so both give one verdict. Exit codes in exitCodes.ts; documented in docs/plan.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { formatIssue } from "../config";
import { analyzeWithPack } from "./analyzer";
import { parseArguments, printJson, runCli } from "./cliRuntime";
import { EXIT } from "./exitCodes";
import { derivePackConfig } from "./packConfig";
import { DEFAULT_STACK, loadStackConfig } from "./stackConfig";
import { mandatoryCount, policyJson, renderViolations } from "./render";
import { StackExportError, parseStackExport } from "./stackExport";
import { StackFileError } from "./stackFile";

interface CheckFlags {
  policyConfig?: string;
  stack: string;
  cwd: string;
  json?: boolean;
}

async function main(argv: string[]): Promise<number> {
  const command = new Command("check")
    .description("Run the policy pack over the JSON of `pulumi stack export` (state version 3).")
    .argument("<file>", "the stack export to check")
    .option("--policy-config <file>", "pack config JSON (as passed to pulumi --policy-pack-config); default: derived from the stack's config")
    .option("--stack <name>", "stack whose Pulumi.<name>.yaml gives the pack config", DEFAULT_STACK)
    .option("--cwd <dir>", "project directory holding the stack file", process.cwd())
    .option("--json", "print the verdict as JSON")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const answered = parseArguments(command, argv);
  if (answered !== undefined) return answered;
  const flags = command.opts<CheckFlags>();
  const file = command.args[0]!;

  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return inputError(`${file}: cannot be read: ${(e as Error).message}`);
  }
  let resources;
  try {
    resources = parseStackExport(text, file);
  } catch (e) {
    if (e instanceof StackExportError) return inputError(e.message);
    throw e;
  }

  const packConfig = readPackConfig(flags);
  if (typeof packConfig === "string") return inputError(packConfig);

  const run = await analyzeWithPack(resources, packConfig);
  if (flags.json) {
    printJson({ file, resources: resources.length, policy: policyJson(run) });
  } else {
    process.stdout.write(`Checked ${resources.length} resources of ${file}\n${renderViolations(run)}\n`);
  }
  return mandatoryCount(run.violations) > 0 ? EXIT.mandatoryViolations : EXIT.ok;
}

/** The pack config from `--policy-config`, else derived from the stack's config; a string is the problem. */
function readPackConfig(flags: CheckFlags): Record<string, unknown> | string {
  if (flags.policyConfig) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(flags.policyConfig, "utf8"));
    } catch (e) {
      return `${flags.policyConfig}: not a readable JSON pack config: ${(e as Error).message}`;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return `${flags.policyConfig}: a pack config is a JSON object of policy name to settings`;
    }
    return parsed as Record<string, unknown>;
  }
  try {
    const loaded = loadStackConfig(path.resolve(flags.cwd), flags.stack);
    if (!loaded.ok) {
      return `${loaded.stackFile.path}: invalid entra-baseline configuration, so no pack config can be derived from it:\n${loaded.errors
        .map((i) => `  - ${formatIssue(i)}`)
        .join("\n")}`;
    }
    return derivePackConfig(loaded.config);
  } catch (e) {
    if (e instanceof StackFileError) return `${e.message} (pass --policy-config FILE or --stack NAME)`;
    throw e;
  }
}

function inputError(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT.invalidInput;
}

if (require.main === module) runCli(main);
