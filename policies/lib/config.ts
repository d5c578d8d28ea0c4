/**
 * Policy config: each rule declares its tunables in `configSchema` (with defaults, for the Pulumi CLI and for
 * `--policy-pack-config` files) and reads them here with the defaults of that same schema — the one place a
 * default is written — so that a rule behaves identically whether the caller applied schema defaults (the CLI,
 * our analyzer client) or not (unit tests).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import {
  ACTIVATION_STRENGTHS,
  MODEL_BOUNDS,
  TIER0_ROLE_IDS,
  type PrincipalType,
  type StandingException,
} from "@entra-baseline/model";

/** One property of a rule's configSchema (the JSON schema type @pulumi/policy declares for it). */
export type ConfigProperty = PolicyConfigSchema["properties"][string];

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

/** Declared exceptions (exceptions in the stack config), as derived by `npm run plan`. */
export const exceptionsSchema: ConfigProperty = {
  type: "array",
  default: [] as unknown[],
  description:
    "Principals that hold a Tier-0 role standing by declaration (stack config `exceptions`): object id, type, role template ids, reason, owner, expiry (YYYY-MM-DD).",
  items: {
    type: "object",
    required: ["principal", "principalType", "roles", "reason", "owner", "expires"],
    additionalProperties: false,
    properties: {
      principal: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      principalType: { type: "string", enum: ["user", "servicePrincipal", "group"] },
      label: { type: "string" },
      roles: { type: "array", minItems: 1, items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" } },
      reason: { type: "string", minLength: 10 },
      owner: { type: "string", minLength: 3 },
      expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
    },
  },
};

/** The longest Tier-0 activation, in minutes: the model's bound (240) is the schema's maximum, so a config file cannot loosen it. */
export const maxActivationMinutesSchema = {
  type: "integer",
  minimum: Math.round(MODEL_BOUNDS.minActivationSeconds / 60),
  maximum: Math.round(MODEL_BOUNDS.tier0MaxActivationSeconds / 60),
  default: Math.round(MODEL_BOUNDS.tier0MaxActivationSeconds / 60),
  description:
    "Longest allowed Tier-0 activation in minutes (limits.activationDuration.max; at most 240 by the model).",
} as const;

/** Adopted emergency accounts whose own password the stack keeps (breakglass.accounts[].password keepExisting). */
export const keptPasswordsSchema = {
  type: "array",
  items: { type: "string", minLength: 1 },
  default: [] as string[],
  description:
    "Emergency accounts (UPN or bare name) adopted with their current password (password: keepExisting): the stack declares no password for them, and the password rule is reported as unverifiable.",
} as const;

/** Tier-0 roles besides the model's own: the model's list is a floor a config can add to, never take from. */
export const tier0RoleIdsSchema = {
  type: "array",
  items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
  default: [...TIER0_ROLE_IDS],
  description:
    "Role template ids treated as Tier-0 besides the model's own (src/model/roles.ts TIER0_ROLE_IDS, always included: a config may add roles, never remove one).",
} as const;

/** The weakest authentication strength an activation context's CA policy may demand (pim.activationStrength). */
export const activationStrengthSchema: ConfigProperty = {
  type: "string",
  enum: [...ACTIVATION_STRENGTHS],
  default: "mfa",
  description:
    "Authentication strength an activation context's CA policy must demand at least (pim.activationStrength).",
};

/** PIM-for-Groups groups (pim.groups): role-assignable groups whose members are eligible, with the roles they hold. */
export const pimGroupsSchema: ConfigProperty = {
  type: "array",
  default: [] as unknown[],
  description: "PIM-for-Groups groups (pim.groups): object id and the role template ids the group holds.",
  items: {
    type: "object",
    required: ["group", "roles"],
    additionalProperties: false,
    properties: {
      group: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      roles: { type: "array", items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" } },
    },
  },
};

export interface ExceptionConfig {
  principal: string;
  principalType: PrincipalType;
  label?: string;
  roles: string[];
  reason: string;
  owner: string;
  expires: string;
}

/** The configured exceptions as the model reads them (ids lower-case). */
export function standingExceptions(list: readonly ExceptionConfig[] | undefined): StandingException[] {
  return (list ?? []).map((e) => ({
    ...e,
    principal: e.principal.trim().toLowerCase(),
    roles: e.roles.map((r) => r.trim().toLowerCase()),
  }));
}
