/**
 * `npm run check -- FILE`: the policy pack over a `pulumi stack export` (deployment version 3), so a team can
 * audit a deployed stack's state, or a plan's `--export`, without the Pulumi CLI. Same reader and same pack run
 * as `npm run plan`, so both give one verdict. Exit codes: src/cli/exitCodes.ts; documented in docs/plan.md.
 */
import * as path from "node:path";
import { Command } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import { UserInputError } from "../../cli/errors";
import { EXIT } from "../../cli/exitCodes";
import { readJsonFile, readTextFile } from "../../cli/files";
import { printJson, type CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";
import { derivePackConfig } from "../../config/packConfig";
import { invalidConfigMessage, loadStackConfig } from "../../config/stackConfig";
import { resolveStackName, StackFileError } from "../../config/stackFile";
import { openPack, PackError, type PackPolicyInfo } from "../engine/analyzer";
import { packConfigProblems, policiesTakenFromStack, resolvePackConfig } from "../engine/packConfigFile";
import { parseStackExport } from "../engine/stackExport";
import { mandatoryCount, policyJson, renderViolations } from "../plan/render";

interface CheckFlags extends StackFlags {
  policyConfig?: string;
  json?: boolean;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const command = configureCommand(
    addStackOptions(new Command(), "gives the pack config")
      .description("Run the policy pack over the JSON of `pulumi stack export` (state version 3) (docs/plan.md).")
      .argument("<file>", "the stack export to check (pulumi stack export, or npm run plan -- --export FILE)")
      .option(
        "--policy-config <file>",
        "pack config JSON (as passed to pulumi --policy-pack-config); default: derived from the stack's config",
      )
      .option("--json", "print the verdict as JSON"),
    "check",
    `  0  checked; the policy pack found no mandatory violation
  1  at least one mandatory violation
  2  bad input: the file (not JSON, not version 3, malformed), the pack config or the stack file, bad flags
  3  the policy pack failed to run`,
    io,
  );
  const answered = await parseArguments(command, argv, io);
  if (answered !== undefined) return answered;
  const flags = command.opts<CheckFlags>();
  const file = command.args[0]!;

  const resources = parseStackExport(readTextFile(path.resolve(io.cwd, file), "the stack export"), file);
  const exported = exportedStack(resources, file);
  // A stack's config judges only that stack's export: another stack's (another tenant's) resources would be held to
  // the wrong breakglass accounts, approvers and limits. When the judging stack is known without the pack (a derived
  // config, or --stack), that is settled before the pack starts.
  if (!flags.policyConfig || flags.stack) assertSameStack(file, exported, knownStack(flags, io.cwd));
  const session = await openPack();
  let run;
  try {
    const { config, stack } = resolveConfig(flags, session.info.policies, io.cwd);
    assertSameStack(file, exported, stack);
    run = await session.analyze(resources, config);
  } catch (e) {
    // The pack refuses a config that names a policy it does not have or an unknown enforcement level: the
    // config file is wrong (exit 2), the pack did not fail.
    if (e instanceof PackError && e.message.startsWith("pack config ")) {
      throw new UserInputError(`${flags.policyConfig ?? "the derived pack config"}: ${e.message}`);
    }
    throw e;
  } finally {
    session.close();
  }
  if (flags.json)
    printJson(io, { file, stack: exported ?? null, resources: resources.length, policy: policyJson(run) });
  else
    io.stdout(
      `Checked ${resources.length} resources of ${exported ? `stack ${exported} in ` : ""}${file}\n${renderViolations(run)}\n`,
    );
  return mandatoryCount(run.violations) > 0 ? EXIT.findings : EXIT.ok;
}

function assertSameStack(file: string, exported: string | undefined, judge: string | undefined): void {
  if (judge === undefined || exported === undefined || exported === judge) return;
  throw new UserInputError(
    `${file} is an export of stack ${exported}, but the config of stack ${judge} would judge it: check it with --stack ${exported} (Pulumi.${exported}.yaml), or export stack ${judge}`,
  );
}

/** The stack --stack names, or the only stack file in --cwd; undefined when that is not settled yet (none, several). */
function knownStack(flags: CheckFlags, cwd: string): string | undefined {
  try {
    return resolveStackName(path.resolve(cwd, flags.cwd ?? "."), flags.stack);
  } catch (e) {
    // Reported with its context when the config is derived (derivedConfig).
    if (e instanceof StackFileError) return undefined;
    throw e;
  }
}

/**
 * The stack the export's resources belong to (their URNs: `urn:pulumi:<stack>::<project>::…`), or undefined for an
 * export without resources. Resources of several stacks are no stack's export.
 */
function exportedStack(resources: readonly { urn: string }[], file: string): string | undefined {
  const stacks = [...new Set(resources.map((r) => /^urn:pulumi:([^:]+)::/.exec(r.urn)?.[1] ?? ""))];
  if (stacks.length > 1) {
    throw new UserInputError(
      `${file} holds resources of ${stacks.length} stacks (${stacks.map((s) => s || "(none)").join(", ")}): a pulumi stack export is one stack's`,
    );
  }
  return stacks[0] || undefined;
}

/**
 * The pack config to run with, and the stack whose config it comes from. `--policy-config FILE` is validated against
 * the pack's own configSchemas first (a wrong type or an unknown property is the file's mistake, named with the
 * policy and the property); the policies it leaves out take what the stack file derives (docs/plan.md, "partial pack
 * config"). A complete --policy-config is nobody's stack unless --stack names one: then the export's stack is not
 * checked against it (it is printed instead).
 */
function resolveConfig(
  flags: CheckFlags,
  policies: readonly PackPolicyInfo[],
  cwd: string,
): { config: Record<string, unknown>; stack?: string } {
  if (!flags.policyConfig) return derivedConfig(flags, cwd, "(or pass --policy-config FILE)");
  const file = flags.policyConfig;
  const parsed = readJsonFile(path.resolve(cwd, file), "the pack config (--policy-config)");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UserInputError(`${file}: a pack config is a JSON object of policy name to settings`);
  }
  const config = parsed as Record<string, unknown>;
  const problems = packConfigProblems(config, policies);
  if (problems.length > 0) {
    throw new UserInputError(
      `${file}: invalid pack config (checked against the pack's configSchemas, as the Pulumi CLI does):\n  ${problems.join("\n  ")}`,
    );
  }
  const fromStack = policiesTakenFromStack(config, policies);
  if (fromStack.length === 0)
    return { config: resolvePackConfig(config, policies, undefined), ...(flags.stack ? { stack: flags.stack } : {}) };
  let derived;
  try {
    derived = derivedConfig(flags, cwd, "");
  } catch (e) {
    if (!(e instanceof UserInputError)) throw e;
    throw new UserInputError(
      `${file} does not configure ${fromStack.join(", ")}; their settings come from the stack file, which cannot be used:\n  ${e.message.replace(/\n/g, "\n  ")}\n` +
        `  list every policy in ${file} (npm run plan -- --write-policy-config FILE writes a complete one), or pass --stack NAME / --cwd DIR`,
    );
  }
  return { config: resolvePackConfig(config, policies, derived.config), stack: derived.stack };
}

/** The pack config derived from the stack's config (--stack, --cwd), and that stack's name. */
function derivedConfig(
  flags: CheckFlags,
  cwd: string,
  hint: string,
): { config: Record<string, Record<string, unknown>>; stack: string } {
  let loaded;
  try {
    loaded = loadStackConfig(path.resolve(cwd, flags.cwd ?? "."), flags.stack);
  } catch (e) {
    if (e instanceof StackFileError && hint) {
      throw new UserInputError(
        `${e.message}\n  the pack config is derived from the stack file: pass --stack NAME, or --policy-config FILE`,
      );
    }
    throw e;
  }
  if (!loaded.ok)
    throw new UserInputError(
      invalidConfigMessage(loaded, `no pack config can be derived from it${hint ? ` ${hint}` : ""}`),
    );
  return { config: derivePackConfig(loaded.config), stack: loaded.stackFile.stack };
}

if (require.main === module) runCli(main);
