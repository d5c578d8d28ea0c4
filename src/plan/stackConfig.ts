/**
 * A stack's config as `npm run plan` and `npm run check` read it: the stack file, validated. Free of the Pulumi
 * runtime, so that a config error is reported without loading the SDK, and `check` starts quickly.
 */
import { validateConfig, type BaselineConfig, type ConfigIssue } from "../config";
import { readStackFile, type StackFile } from "./stackFile";

export const DEFAULT_STACK = "prod";

export type StackConfig =
  | { ok: true; stackFile: StackFile; config: BaselineConfig; warnings: ConfigIssue[] }
  | { ok: false; stackFile: StackFile; errors: ConfigIssue[]; warnings: ConfigIssue[] };

/** Reads and validates a stack's config. Throws StackFileError when the file itself is unreadable. */
export function loadStackConfig(cwd: string, stack: string): StackConfig {
  const stackFile = readStackFile(cwd, stack);
  const result = validateConfig(stackFile.raw);
  // An encrypted value is reported once, as such, not again as the wrong shape it looks like.
  const encrypted = stackFile.errors.map((e) => e.path);
  const shapeErrors = result.errors.filter((e) => !encrypted.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)));
  const errors = [...stackFile.errors, ...shapeErrors];
  if (errors.length > 0 || !result.config) return { ok: false, stackFile, errors, warnings: result.warnings };
  return { ok: true, stackFile, config: result.config, warnings: result.warnings };
}
