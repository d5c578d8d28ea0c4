/** The bundled Pulumi.prod.yaml, validated the way the program validates it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { validateConfig, type BaselineConfig } from "../../src/config";

export function rawProdConfig(): Record<string, unknown> {
  const doc = parse(fs.readFileSync(path.join(__dirname, "../../Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(doc.config)
      .filter(([k]) => k.startsWith("entra-baseline:"))
      .map(([k, v]) => [k.slice("entra-baseline:".length), v]),
  );
}

export function prodConfig(mutate?: (raw: Record<string, any>) => void): BaselineConfig {
  const raw = structuredClone(rawProdConfig()) as Record<string, any>;
  mutate?.(raw);
  const result = validateConfig(raw);
  if (!result.config) throw new Error(`invalid test config: ${JSON.stringify(result.errors)}`);
  return result.config;
}
