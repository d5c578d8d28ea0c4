/**
 * Pulumi secrets as they travel in property bags. On the engine's wire a secret is
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`; in a `pulumi stack export`
 * the same signature carries `ciphertext` (or `plaintext`, JSON-encoded, with `--show-secrets`).
 * Nothing the plan prints or writes ever holds a secret's value.
 */
import { SECRET_PLACEHOLDER, SECRET_SIG, SECRET_SIG_KEY } from "./analyzer";

export { SECRET_PLACEHOLDER, SECRET_SIG, SECRET_SIG_KEY };

/** Dynamic resources carry their serialized provider (code, possibly with captured values) under this key. */
export const DYNAMIC_PROVIDER_KEY = "__provider";

export function isSecret(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  );
}

/** Replaces every secret, at any depth, with `"[secret]"`. */
export function maskSecrets(value: unknown): unknown {
  if (isSecret(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

/** A property bag fit for display: secrets masked, the dynamic provider's serialized code left out. */
export function displayProperties(props: Record<string, unknown>): Record<string, unknown> {
  const { [DYNAMIC_PROVIDER_KEY]: _provider, ...rest } = props;
  return maskSecrets(rest) as Record<string, unknown>;
}
