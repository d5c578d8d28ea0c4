/**
 * The offline plan: stack file → validated config → the baseline under mocks → the policy pack over the result.
 * Each step is a function so that the CLI, the benchmark and the tests compose the same pieces.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, type BaselineConfig } from "../../config/validate";
import { analyzeWithPack, type AnalyzeOptions, type PackRun, type PlannedResource } from "../engine/analyzer";
import { planMocks } from "./mocks";
import { derivePackConfig } from "../../config/packConfig";
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
    config: { ...stackFile.passthrough, ...ourKeysAsConfig(stackFile.raw) },
    mocks,
    program: () => {
      declareBaseline(config);
    },
  });
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

/** The program also reads config through Pulumi (providers, `loadConfig`); give it the same values. */
function ourKeysAsConfig(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}
