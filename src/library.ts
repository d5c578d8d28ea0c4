/**
 * The entra-baseline library: what an existing Pulumi program imports to declare the baseline next to its own
 * resources (docs/library.md).
 *
 *   import { declareBaseline, loadBaselineConfig, baselineOutputs } from "entra-baseline";
 *   export = async () => {
 *     const baseline = await declareBaseline(loadBaselineConfig());
 *     return { entra: baselineOutputs(baseline) };
 *   };
 *
 * Importing it reads no config and declares nothing: the stack's `entra-baseline:` keys are read and validated when
 * loadBaselineConfig() is called, resources are declared when declareBaseline() (or a component's constructor) is.
 * This repository's own program (src/index.ts) does the same with the repository's stacks; it reads config as it is
 * imported, which is why it is not this entry.
 */
export { baselineOutputs, declareBaseline, type Baseline } from "./components/baseline";
export { loadConfig as loadBaselineConfig } from "./config/load";
export {
  CONFIG_NAMESPACE,
  ConfigError,
  formatIssue,
  validateConfig as validateBaselineConfig,
  type BaselineConfig,
  type BreakglassAccount,
  type ConfigIssue,
  type ValidationResult,
} from "./config/validate";
export type {
  BreakglassConfig,
  ConditionalAccessConfig,
  ExceptionConfig,
  LimitsConfig,
  MonitoringConfig,
  PimConfig,
  TenantConfig,
} from "./config/schema";
export { Breakglass, type BreakglassArgs } from "./components/breakglass";
export {
  ConditionalAccessBaseline,
  type ActivationContext,
  type ConditionalAccessBaselineArgs,
} from "./components/conditionalAccess";
export { JitGlobalAdmin, type JitGlobalAdminArgs } from "./components/pim";
export { Monitoring, type MonitoringArgs } from "./components/monitoring";
