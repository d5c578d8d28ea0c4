/**
 * `npm run check -- FILE`: the policy pack over a `pulumi stack export` (deployment version 3), so a team can
 * audit a deployed stack's state, or a plan's `--export`, without the Pulumi CLI. Same reader and same pack run
 * as `npm run plan`, so both give one verdict. Exit codes in exitCodes.ts; documented in docs/plan.md.
 */
import * as path from "node:path";
import { Command } from "commander";
import { openPack, PackError, type PackPolicyInfo } from "./analyzer";
import { configureCommand, parseArguments, printJson, readTextFile, runCli } from "./cliRuntime";
import { EXIT } from "./exitCodes";
import { derivePackConfig, packConfigProblems, policiesTakenFromStack, resolvePackConfig } from "./packConfig";
import { addStackOptions, invalidConfigMessage, loadStackConfig } from "./stackConfig";
import { mandatoryCount, policyJson, renderViolations } from "./render";
import { StackExportError, parseStackExport } from "./stackExport";
import { StackFileError } from "./stackFile";

interface CheckFlags {
  policyConfig?: string;
  stack: string;
  cwd?: string;
  json?: boolean;
}

async function main(argv: string[]): Promise<number> {
  const command = configureCommand(
    addStackOptions(new Command(), "gives the pack config")
      .description("Run the policy pack over the JSON of `pulumi stack export` (state version 3) (docs/plan.md).")
      .argument("<file>", "the stack export to check (pulumi stack export, or npm run plan -- --export FILE)")
      .option("--policy-config <file>", "pack config JSON (as passed to pulumi --policy-pack-config); default: derived from the stack's config")
      .option("--json", "print the verdict as JSON"),
    "check",
    `  0  checked; the policy pack found no mandatory violation
  1  at least one mandatory violation
  2  bad input: the file (not JSON, not version 3, malformed), the pack config or the stack file, bad flags
  3  the policy pack failed to run`,
  );
  const answered = parseArguments(command, argv);
  if (answered !== undefined) return answered;
  const flags = command.opts<CheckFlags>();
  const file = command.args[0]!;

  const text = readTextFile(file, "stack export");
  let resources;
  try {
    resources = parseStackExport(text, file);
  } catch (e) {
    if (e instanceof StackExportError) return inputError(e.message);
    throw e;
  }

  const session = await openPack();
  let run;
  try {
    const packConfig = resolveConfig(flags, session.info.policies);
    if (typeof packConfig === "string") return inputError(packConfig);
    run = await session.analyze(resources, packConfig);
  } catch (e) {
    // The pack refuses a config that names a policy it does not have or an unknown enforcement level: the
    // config file is wrong (exit 2), the pack did not fail.
    if (e instanceof PackError && e.message.startsWith("pack config ")) {
      return inputError(`${flags.policyConfig ?? "the derived pack config"}: ${e.message}`);
    }
    throw e;
  } finally {
    session.close();
  }
  if (flags.json) {
    printJson({ file, resources: resources.length, policy: policyJson(run) });
  } else {
    process.stdout.write(`Checked ${resources.length} resources of ${file}\n${renderViolations(run)}\n`);
  }
  return mandatoryCount(run.violations) > 0 ? EXIT.mandatoryViolations : EXIT.ok;
}

/**
 * The pack config to run with, or the problem as a string. `--policy-config FILE` is validated against the pack's
 * own configSchemas first (a wrong type or an unknown property is the file's mistake, named with the policy and the
 * property); the policies it leaves out take what the stack file derives (docs/plan.md, "partial pack config").
 */
function resolveConfig(flags: CheckFlags, policies: readonly PackPolicyInfo[]): Record<string, unknown> | string {
  if (!flags.policyConfig) return derivedConfig(flags, "(or pass --policy-config FILE)");
  const file = flags.policyConfig;
  const text = readTextFile(file, "pack config (--policy-config)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `${file}: not a JSON pack config: ${(e as Error).message}`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return `${file}: a pack config is a JSON object of policy name to settings`;
  }
  const config = parsed as Record<string, unknown>;
  const problems = packConfigProblems(config, policies);
  if (problems.length > 0) {
    return `${file}: invalid pack config (checked against the pack's configSchemas, as the Pulumi CLI does):\n  ${problems.join("\n  ")}`;
  }
  const fromStack = policiesTakenFromStack(config, policies);
  if (fromStack.length === 0) return resolvePackConfig(config, policies, undefined);
  const derived = derivedConfig(flags, "");
  if (typeof derived === "string") {
    return (
      `${file} does not configure ${fromStack.join(", ")}; their settings come from the stack file, which cannot be used:\n  ${derived.replace(/\n/g, "\n  ")}\n` +
      `  list every policy in ${file} (npm run plan -- --write-policy-config FILE writes a complete one), or pass --stack NAME / --cwd DIR`
    );
  }
  return resolvePackConfig(config, policies, derived);
}

/** The pack config derived from the stack's config (--stack, --cwd); a string is the problem. */
function derivedConfig(flags: CheckFlags, hint: string): Record<string, Record<string, unknown>> | string {
  try {
    const loaded = loadStackConfig(path.resolve(flags.cwd ?? "."), flags.stack);
    if (!loaded.ok) return invalidConfigMessage(loaded, `no pack config can be derived from it${hint ? ` ${hint}` : ""}`);
    return derivePackConfig(loaded.config);
  } catch (e) {
    if (e instanceof StackFileError) return `${e.message}${hint ? `\n  the pack config is derived from the stack file: pass --stack NAME, or --policy-config FILE` : ""}`;
    throw e;
  }
}

function inputError(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT.invalidInput;
}

if (require.main === module) runCli(main);
