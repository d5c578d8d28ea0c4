/**
 * The stack the tests read: test/support/fixtures/stack/Pulumi.test.yaml, the contoso placeholder tenant, complete
 * and valid. Never the bundled Pulumi.prod.yaml, which is the user's to edit (only the tests that it plans clean and
 * shows what the README says may read that one).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { validateConfig, type BaselineConfig } from "../../src/config/validate";

export const ROOT = path.resolve(__dirname, "..", "..");
/** The directory holding the test stack file: pass it as --cwd. */
export const STACK_DIR = path.join(__dirname, "fixtures", "stack");
export const STACK = "test";
export const STACK_FILE = path.join(STACK_DIR, `Pulumi.${STACK}.yaml`);

export function stackText(): string {
  return fs.readFileSync(STACK_FILE, "utf8");
}

/** The test stack's config as raw values keyed without the namespace: the base every config test mutates. */
export function rawConfig(): Record<string, any> {
  const doc = parse(stackText()) as { config: Record<string, unknown> };
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    if (key.startsWith("entra-baseline:")) raw[key.slice("entra-baseline:".length)] = value;
  }
  return structuredClone(raw);
}

/** The test stack, validated the way the program validates it, after `mutate` changed its raw values. */
export function validConfig(mutate?: (raw: Record<string, any>) => void): BaselineConfig {
  const raw = rawConfig();
  mutate?.(raw);
  const result = validateConfig(raw);
  if (!result.config) throw new Error(`invalid test config: ${JSON.stringify(result.errors)}`);
  return result.config;
}

/**
 * A project directory holding the test stack (Pulumi.test.yaml) with `tenant.endpoints` pointed at loopback fakes,
 * as a stack for a local emulator would be: the commands then take every host from the stack, as in production.
 * `config` adds or replaces top-level keys of the file's `config:` (e.g. `azure-native:subscriptionId`).
 */
export function loopbackStackDir(
  endpoints: Partial<Record<"graph" | "arm" | "login" | "logAnalytics", string>>,
  options: { dir?: string; config?: Record<string, unknown> } = {},
): string {
  const doc = parse(stackText()) as { config: Record<string, any> };
  doc.config["entra-baseline:tenant"] = { ...doc.config["entra-baseline:tenant"], endpoints };
  Object.assign(doc.config, options.config);
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "entra-baseline-loopback-stack-"));
  fs.writeFileSync(path.join(dir, `Pulumi.${STACK}.yaml`), stringify(doc));
  return dir;
}
