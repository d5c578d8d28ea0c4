/** The bundled Pulumi.prod.yaml, validated the way the program validates it. */
import { validateConfig, type BaselineConfig } from "../../../src/config/validate";
import { prodConfig as rawProdConfig } from "./rawConfig";

export function prodConfig(mutate?: (raw: Record<string, any>) => void): BaselineConfig {
  const raw = rawProdConfig();
  mutate?.(raw);
  const result = validateConfig(raw);
  if (!result.config) throw new Error(`invalid test config: ${JSON.stringify(result.errors)}`);
  return result.config;
}
