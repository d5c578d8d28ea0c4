/** The bundled stack file's config, as raw values keyed without the namespace: the base every config test mutates. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..", "..");

export function prodConfig(): Record<string, any> {
  const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    if (key.startsWith("entra-baseline:")) raw[key.slice("entra-baseline:".length)] = value;
  }
  return structuredClone(raw);
}
