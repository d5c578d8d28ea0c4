/**
 * `npm run plan` (and `entra-baseline plan` where the library is installed): what the baseline — alone, or inside a
 * user's Pulumi program (`--program`) — would declare for a stack, rendered offline under Pulumi mocks, and what the
 * policy pack would reject. Exit codes: src/cli/exitCodes.ts; documented in docs/plan.md and docs/library.md.
 */
import * as path from "node:path";
import { Command } from "commander";
import { configureCommand, parseArguments } from "../../cli/command";
import { EXIT } from "../../cli/exitCodes";
import { writeTextFile } from "../../cli/files";
import { printJson, type CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";
import { resolveProgram } from "../engine/program";
import { derivePackConfig } from "../../config/packConfig";
import { invalidConfigMessage, loadStackConfig } from "../../config/stackConfig";
import { formatIssue, type ConfigIssue } from "../../config/validate";
import { mandatoryCount, planJsonResource, policyJson, renderTree, renderViolations, type PlanJson } from "./render";

interface PlanFlags extends StackFlags {
  program?: string;
  json?: boolean;
  export?: string;
  writePolicyConfig?: string;
  policy: boolean;
  preflight?: string;
}

const PLAN_EXIT_CODES = `  0  planned; the policy pack found no mandatory violation (and --preflight no lock-out risk)
  1  at least one mandatory violation, or a lock-out risk found by --preflight
  2  bad input: invalid config, unreadable stack file or snapshot, a snapshot of another tenant, bad flags (nothing declared)
  3  the program or the policy pack failed to run`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const command = configureCommand(
    addStackOptions(new Command(), "is planned")
      .description("Render the baseline offline for a stack's config and run the policy pack over it (docs/plan.md).")
      .option(
        "--program <path>",
        "plan this Pulumi program (its project directory or entry file) instead of the baseline alone: its own resources and the baseline it declares, judged together by the pack; stack files are then read from its project (docs/library.md)",
      )
      .option("--json", "print the plan (and the pack's verdict) as JSON")
      .option("--export <file>", "also write the planned resources as a `pulumi stack export` (version 3) file")
      .option(
        "--write-policy-config <file>",
        "also write the pack config derived from the stack, for `pulumi preview --policy-pack-config`",
      )
      .option("--no-policy", "skip the policy pack")
      .option(
        "--preflight <snapshot>",
        "also run adopt's preflight (lock-out risks) for the planned stack against a snapshot of its tenant (docs/adopt.md)",
      ),
    "plan",
    PLAN_EXIT_CODES,
    io,
  );
  const answered = await parseArguments(command, argv, io);
  if (answered !== undefined) return answered;
  const flags = command.opts<PlanFlags>();
  // The program is found first: its project says where its stack files are and what its URNs are called.
  const program = flags.program ? resolveProgram(path.resolve(io.cwd, flags.program), io.env) : undefined;
  const cwd = flags.cwd ? path.resolve(io.cwd, flags.cwd) : (program?.stackConfigDir ?? io.cwd);

  const loaded = loadStackConfig(cwd, flags.stack);
  const stackFileName = path.relative(cwd, loaded.stackFile.path) || loaded.stackFile.path;
  const stack = loaded.stackFile.stack;
  if (!loaded.ok) {
    if (flags.json)
      printJson(io, {
        stack,
        stackFile: stackFileName,
        errors: loaded.errors,
        warnings: loaded.warnings,
        resources: [],
      });
    io.stderr(`error: ${invalidConfigMessage(loaded, "nothing was declared")}\n`);
    return EXIT.invalidInput;
  }
  const { config, warnings, stackFile } = loaded;
  // The snapshot is read and checked against the stack's tenant before anything is declared.
  const preflight = flags.preflight ? await import("../adopt/planPreflight") : undefined;
  const snapshot = preflight?.readPreflightSnapshot(path.resolve(io.cwd, flags.preflight!), config);

  if (flags.writePolicyConfig) {
    writeTextFile(
      path.resolve(io.cwd, flags.writePolicyConfig),
      `${JSON.stringify(derivePackConfig(config), null, 2)}\n`,
      "--write-policy-config",
    );
  }

  // The Pulumi runtime and the program load only now, once the config is known to be valid.
  const { PROJECT, checkPlan, exportPlan, planBaseline, planProgram, plannedResources } = await import("./plan");
  // The program's own logging (pulumi.log.info prints to stdout without an engine) goes to stderr: stdout
  // carries the plan only, so that --json output stays parseable.
  const { log, info } = console;
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  const planning = program ? planProgram(program, stackFile, config) : planBaseline(stackFile, config);
  const running = planning.finally(() => {
    Object.assign(console, { log, info });
  });
  const exporting = running.then((run) => exportPlan(run));
  // The pack starts while the program runs: its start-up is most of the pack's cost.
  const checking = flags.policy ? checkPlan(exporting.then(plannedResources), config) : undefined;
  checking?.catch(() => undefined); // a program failure is reported from `running`, not twice
  const run = await running;
  const exported = await exporting;
  if (flags.export)
    writeTextFile(path.resolve(io.cwd, flags.export), `${JSON.stringify(exported, null, 2)}\n`, "--export");
  const pack = await checking;
  const preflightReport = snapshot ? preflight!.planPreflight(snapshot, config, run.resources) : undefined;

  if (flags.json) {
    const out: PlanJson = {
      project: program?.project ?? PROJECT,
      stack,
      stackFile: stackFileName,
      warnings,
      resources: run.resources.map(planJsonResource),
      ...(pack ? { policy: policyJson(pack) } : {}),
      ...(preflightReport ? { preflight: { ...preflightReport, lockOutRisks: preflightReport.risks.length } } : {}),
    };
    printJson(io, out);
  } else {
    const components = run.resources.filter((r) => r.parent === run.stack.urn).length;
    const lines = [
      `Plan of stack "${stack}" (${stackFileName}): ${run.resources.length} resources under ${components} top-level component${components === 1 ? "" : "s"}`,
    ];
    if (warnings.length > 0) lines.push(`warnings:\n${issues(warnings).trimEnd()}`);
    lines.push("", renderTree(run.resources, run.stack.urn), "");
    lines.push(pack ? renderViolations(pack) : "Policy pack: skipped (--no-policy)");
    if (flags.export) lines.push(`Stack export written to ${flags.export}`);
    if (flags.writePolicyConfig) lines.push(`Policy pack config written to ${flags.writePolicyConfig}`);
    if (preflightReport) lines.push("", preflight!.renderPlanPreflight(preflightReport, io.columns ?? 120).trimEnd());
    io.stdout(`${lines.join("\n")}\n`);
  }
  const violations = pack && mandatoryCount(pack.violations) > 0;
  return violations || (preflightReport && preflightReport.risks.length > 0) ? EXIT.findings : EXIT.ok;
}

function issues(list: ConfigIssue[]): string {
  return list.map((i) => `  - ${formatIssue(i)}\n`).join("");
}

if (require.main === module) runCli(main);
