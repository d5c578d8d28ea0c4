/**
 * The offline plan: stack file → validated config → a program under mocks → the policy pack over the result. The
 * program is the baseline alone (this repository's `npm run plan`) or a user's Pulumi program that declares it next
 * to its own resources (`--program`). Each step is a function so that the CLI, the benchmark and the tests compose
 * the same pieces.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, type BaselineConfig } from "../../config/validate";
import { analyzeWithPack, type AnalyzeOptions, type PackRun, type PlannedResource } from "../engine/analyzer";
import { planMocks } from "./mocks";
import { derivePackConfig } from "../../config/packConfig";
import { RunFailure } from "../../cli/errors";
import { checkDynamicProviders } from "../engine/dynamicProviders";
import { inProgramDirectory, loadProgram, namespacedKey, type PulumiProgram } from "../engine/program";
import { runProgram, type ProgramRun } from "../engine/runProgram";
import { readStackExport, toStackExport, type StackExportV3 } from "../engine/stackExport";
import type { StackFile } from "../../config/stackFile";

export { loadStackConfig, type StackConfig } from "../../config/stackConfig";

export const PROJECT = CONFIG_NAMESPACE;

/**
 * Runs the baseline for `config` under the plan's mocks (or `mocks`: npm run adopt answers with the live tenant's
 * object ids where it knows them, so that planned resources name the objects they adopt).
 */
export async function planBaseline(
  stackFile: Pick<StackFile, "stack" | "raw" | "passthrough">,
  config: BaselineConfig,
  mocks: pulumi.runtime.Mocks = planMocks(config),
): Promise<ProgramRun> {
  // Loaded here, not at the top, so that a config error is reported without loading every provider SDK.
  const { declareBaseline } = await import("../../components/baseline");
  return runProgram({
    project: PROJECT,
    stack: stackFile.stack,
    config: stackConfig(PROJECT, stackFile),
    mocks,
    program: async () => {
      await declareBaseline(config);
    },
  });
}

/**
 * Runs a user's Pulumi program under the same mocks: its own resources get the mocks' generic answers (deterministic
 * ids, inputs echoed), the baseline it declares the same answers as in planBaseline. `config` is the stack's
 * validated `entra-baseline:` config, which the program reads itself (loadBaselineConfig) from the same values.
 * Then each serialized dynamic provider is loaded as the engine will load it, from the program's directory: what its
 * bundle requires by name must resolve there, which only the installed layout can break (this repository's own
 * providers' serialization has tests of its own).
 */
export async function planProgram(
  program: PulumiProgram,
  stackFile: StackFile,
  config: BaselineConfig,
): Promise<ProgramRun> {
  return inProgramDirectory(program, async () => {
    const run = await runProgram({
      project: program.project,
      stack: stackFile.stack,
      config: { ...program.projectConfig, ...stackConfig(program.project, stackFile) },
      mocks: planMocks(config),
      program: () => compiled(program),
    });
    checkDynamicProviders(run.resources, program.pwd);
    return run;
  });
}

/** Loads the program; a TypeScript error is the program failing to run (exit 3), said as such without a stack. */
function compiled(program: PulumiProgram): unknown {
  try {
    return loadProgram(program);
  } catch (e) {
    if ((e as Error).name === "TSError")
      throw new RunFailure(
        `the program does not compile (as ts-node compiles it under the Pulumi CLI):\n${(e as Error).message}`,
      );
    throw e;
  }
}

export function exportPlan(run: ProgramRun, now?: Date): StackExportV3 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = (require("@pulumi/pulumi/version") as { version: string }).version;
  return toStackExport(run, `@pulumi/pulumi ${engine}`, now);
}

/**
 * The plan's resources as the pack sees them: read back from the plan's own stack export, so that
 * `npm run plan` and `npm run check` on that export give the pack identical input.
 */
export function plannedResources(exported: StackExportV3): PlannedResource[] {
  return readStackExport(JSON.parse(JSON.stringify(exported)), "the plan");
}

export function checkPlan(
  resources: PlannedResource[] | Promise<PlannedResource[]>,
  config: BaselineConfig,
  opts?: AnalyzeOptions,
): Promise<PackRun> {
  return analyzeWithPack(resources, derivePackConfig(config), opts);
}

/**
 * The stack file's config as the engine hands it to the program: every namespace's keys (a key without one belongs
 * to the project), and ours as the JSON text Pulumi passes structured values as (the program reads them through
 * `loadConfig`, the providers through their own config).
 */
function stackConfig(project: string, stackFile: Pick<StackFile, "passthrough" | "raw">): Record<string, string> {
  const passthrough = Object.fromEntries(
    Object.entries(stackFile.passthrough).map(([k, v]) => [namespacedKey(k, project), v]),
  );
  const ours = Object.fromEntries(
    Object.entries(stackFile.raw).map(([k, v]) => [
      `${CONFIG_NAMESPACE}:${k}`,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
  return { ...passthrough, ...ours };
}
