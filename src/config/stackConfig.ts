/**
 * A stack's config as the commands read it: the stack file, validated. Free of the Pulumi runtime, so that a config
 * error is reported without loading the SDK, and `check` starts quickly.
 */
import { UserInputError } from "../cli/errors";
import { displayPath } from "../cli/files";
import { readStackFile, resolveStackName, type StackFile } from "./stackFile";
import { formatIssue, validateConfig, type BaselineConfig, type ConfigIssue } from "./validate";

export type StackConfig =
  | { ok: true; stackFile: StackFile; config: BaselineConfig; warnings: ConfigIssue[] }
  | { ok: false; stackFile: StackFile; errors: ConfigIssue[]; warnings: ConfigIssue[] };

/**
 * Reads and validates a stack's config: the stack named, else the only stack file in `cwd` (resolveStackName).
 * Throws StackFileError when the file itself is unreadable.
 */
export function loadStackConfig(cwd: string, stack: string | undefined): StackConfig {
  const stackFile = readStackFile(cwd, resolveStackName(cwd, stack));
  const result = validateConfig(stackFile.raw);
  // An encrypted value is reported once, as such, not again as the wrong shape it looks like.
  const encrypted = stackFile.errors.map((e) => e.path);
  const shapeErrors = result.errors.filter(
    (e) => !encrypted.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)),
  );
  const errors = [...stackFile.errors, ...shapeErrors].map(redactWebhook);
  const warnings = result.warnings.map(redactWebhook);
  if (errors.length > 0 || !result.config) return { ok: false, stackFile, errors, warnings };
  return { ok: true, stackFile, config: result.config, warnings };
}

/**
 * The one message every CLI prints for an invalid stack config: the file, every problem with its key path, the
 * warnings, and (for plan) what was not done.
 */
export function invalidConfigMessage(loaded: Extract<StackConfig, { ok: false }>, consequence?: string): string {
  const n = loaded.errors.length;
  const list = (issues: ConfigIssue[]) => issues.map((i) => `\n  - ${formatIssue(i)}`).join("");
  return (
    `${displayPath(loaded.stackFile.path)}: invalid entra-baseline configuration (${n} problem${n === 1 ? "" : "s"})${consequence ? `; ${consequence}` : ""}` +
    list(loaded.errors) +
    (loaded.warnings.length > 0 ? `\nwarnings:${list(loaded.warnings)}` : "")
  );
}

/**
 * A webhook, Teams or Slack URL often carries its token (`?sig=…`, Slack's path): a problem with one names its key
 * path and its host, never the rest of the URL, since these messages end up in CI logs.
 */
function redactWebhook(issue: ConfigIssue): ConfigIssue {
  if (!/^monitoring\.actionGroup\.(webhooks|teams|slack)\b/.test(issue.path)) return issue;
  return {
    ...issue,
    message: issue.message.replace(/"([a-z][a-z0-9+.-]*:\/\/[^/"\s?#]*)[^"\s]*("|\.\.\.)/gi, '"$1/…"'),
  };
}

/** The validated config of a stack, or the one message that says why there is none (a UserInputError). */
export function requireStackConfig(
  cwd: string,
  stack: string | undefined,
  consequence?: string,
): Extract<StackConfig, { ok: true }> {
  const loaded = loadStackConfig(cwd, stack);
  if (!loaded.ok) throw new UserInputError(invalidConfigMessage(loaded, consequence));
  return loaded;
}
