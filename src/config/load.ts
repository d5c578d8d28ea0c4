/**
 * The running Pulumi stack's `entra-baseline:` config, validated: the one place the program reads its config.
 * Nothing is declared before this returns; an invalid config throws ConfigError listing every problem.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  CONFIG_NAMESPACE,
  ConfigError,
  formatIssue,
  validateConfig,
  type BaselineConfig,
  type ConfigIssue,
} from "./validate";

/**
 * Reads the `entra-baseline:` keys of the running stack and validates them. Throws ConfigError listing every
 * problem; nothing is declared before this returns.
 */
export function loadConfig(): BaselineConfig {
  const raw: Record<string, unknown> = {};
  const errors: ConfigIssue[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length).replace(/^config:/, "");
    raw[key] = parseConfigValue(text, key, errors);
  }
  const result = validateConfig(raw);
  for (const w of result.warnings) pulumi.log.warn(formatIssue(w));
  const all = [...errors, ...result.errors];
  if (all.length > 0 || !result.config) throw new ConfigError(all);
  return result.config;
}

/** Pulumi hands structured values over as JSON text; plain strings stay strings. */
function parseConfigValue(text: string, key: string, errors: ConfigIssue[]): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) {
    if (trimmed === "true" || trimmed === "false") return trimmed === "true";
    return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
  }
  try {
    return JSON.parse(trimmed);
  } catch (e) {
    errors.push({ path: key, message: `is not valid structured config: ${(e as Error).message}` });
    return undefined;
  }
}
