/**
 * Policy config: each rule declares its tunables in `configSchema` (with defaults, for the Pulumi CLI and for
 * `--policy-pack-config` files) and reads them here with the same defaults, so that a rule behaves identically
 * whether the caller applied schema defaults (the CLI, our analyzer client) or not (unit tests).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

export function policyConfig<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const out = { ...defaults } as T;
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
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
  description: "Object ids of breakglass accounts not declared in this stack (accounts this stack declares are found by UPN).",
} as const;

export const breakglassGroupNameSchema = {
  type: "string",
  default: "Emergency access accounts",
  description: "Display name of the breakglass exclusion group (breakglass.groupName).",
} as const;

export function schema(properties: PolicyConfigSchema["properties"]): PolicyConfigSchema {
  return { properties };
}
