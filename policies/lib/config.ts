/**
 * Policy config: each rule declares its tunables in `configSchema` (with defaults, for the Pulumi CLI and for
 * `--policy-pack-config` files) and reads them here with the defaults of that same schema — the one place a
 * default is written — so that a rule behaves identically whether the caller applied schema defaults (the CLI,
 * our analyzer client) or not (unit tests).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** The `default` of every property of a rule's configSchema (copies, so a rule cannot alter the schema). */
export function schemaDefaults(configSchema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(configSchema?.properties ?? {})) {
    const value = (property as { default?: unknown }).default;
    if (value !== undefined) out[key] = structuredClone(value);
  }
  return out;
}

/** The rule's config: what was configured, else its schema's defaults. */
export function policyConfig<T extends object>(
  args: { getConfig<C extends object>(): C },
  configSchema: PolicyConfigSchema | undefined,
): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const out = schemaDefaults(configSchema) as T;
  for (const [k, v] of Object.entries(given))
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The breakglass accounts: full UPNs, or bare local parts meaning "on the tenant's initial *.onmicrosoft.com domain". */
export const breakglassUpnsSchema = {
  type: "array",
  items: { type: "string", minLength: 1 },
  default: [] as string[],
  description:
    "Breakglass (emergency access) accounts by UPN (name@tenant.onmicrosoft.com), or by bare name meaning that name on the tenant's initial *.onmicrosoft.com domain. Derived from the stack config by `npm run plan`.",
} as const;

export const breakglassObjectIdsSchema = {
  type: "array",
  items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
  default: [] as string[],
  description:
    "Object ids of breakglass accounts not declared in this stack (accounts this stack declares are found by UPN).",
} as const;

export const breakglassGroupNameSchema = {
  type: "string",
  default: "Emergency access accounts",
  description: "Display name of the breakglass exclusion group (breakglass.groupName).",
} as const;

export function schema(properties: PolicyConfigSchema["properties"]): PolicyConfigSchema {
  return { properties };
}
