/**
 * A `--policy-pack-config` file as the Pulumi CLI treats it: checked against each policy's configSchema (from the
 * pack's GetAnalyzerInfo) before Configure, with schema defaults filled in, and `all` / string shorthands for
 * enforcement levels.
 */
import Ajv, { type ErrorObject } from "ajv";
import { RENAMED_POLICIES } from "@entra-baseline/model";
import type { PackPolicyInfo } from "./analyzer";

/** Enforcement levels a pack config may set (the Pulumi CLI's, as the analyzer maps them). */
const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/**
 * A pack config file (`pulumi … --policy-pack-config FILE`) checked against the pack's own configSchemas (from
 * GetAnalyzerInfo), as the Pulumi CLI checks it before Configure: per policy an object of its schema's properties
 * plus `enforcementLevel`, nothing else, every value of its schema's type; or an enforcement level string; `all`
 * sets every policy's level. Returns the problems, each naming the policy and the property; [] when valid.
 */
export function packConfigProblems(config: Record<string, unknown>, policies: readonly PackPolicyInfo[]): string[] {
  const problems: string[] = [];
  const known = new Map(policies.map((p) => [p.name, p]));
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const [name, value] of Object.entries(config)) {
    if (name === "all") {
      if (!isLevel(value))
        problems.push(
          `"all": must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}), got ${JSON.stringify(value)}`,
        );
      continue;
    }
    const policy = known.get(name);
    const renamed = RENAMED_POLICIES[name];
    if (!policy && renamed !== undefined && known.has(renamed)) {
      // A file written for an earlier version: say what the policy is called now rather than that it is gone.
      problems.push(
        `policy "${name}": renamed "${renamed}" (entra-baseline 0.2.0); rename the key and give it ${renamed}'s properties (npm run plan -- --write-policy-config FILE writes them)`,
      );
      continue;
    }
    if (!policy) {
      problems.push(`policy "${name}": the pack has no such policy (known: ${[...known.keys()].join(", ")})`);
      continue;
    }
    if (typeof value === "string") {
      if (!isLevel(value))
        problems.push(
          `policy "${name}": ${JSON.stringify(value)} is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`,
        );
      continue;
    }
    const properties = {
      ...(policy.configSchema ?? {}),
      enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] },
    };
    const validate = ajv.compile({ type: "object", properties, additionalProperties: false });
    if (validate(value)) continue;
    for (const error of validate.errors ?? [])
      problems.push(`policy "${name}": ${describeSchemaError(error, value, Object.keys(properties))}`);
  }
  return problems;
}

function isLevel(value: unknown): boolean {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** "property "min": must be integer, got "two"" — the property path, the rule broken and the value found. */
function describeSchemaError(error: ErrorObject, root: unknown, known: string[]): string {
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return `unknown property "${extra}" (the policy's properties: ${known.join(", ")})`;
  }
  if (error.instancePath === "")
    return `must be an object of the policy's properties or an enforcement level, got ${JSON.stringify(root)}`;
  const pointer = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let value: unknown = root;
  for (const key of pointer) value = (value as Record<string, unknown> | undefined)?.[key];
  const allowed =
    error.keyword === "enum"
      ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")})`
      : "";
  return `property "${pointer.join(".")}" ${error.message ?? "is invalid"}${allowed}, got ${JSON.stringify(value)}`;
}

/**
 * The config the pack runs with: the file's `all` level and string shorthands expanded to `{ enforcementLevel }`,
 * and each policy the file does not name taken from `fallback` (what the stack file derives). A policy the file
 * names is used as written; its missing properties get the schema defaults (as the Pulumi CLI does).
 */
export function resolvePackConfig(
  config: Record<string, unknown>,
  policies: readonly PackPolicyInfo[],
  fallback: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> {
  const all = typeof config.all === "string" ? { enforcementLevel: config.all } : {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const policy of policies) {
    const given = config[policy.name];
    if (typeof given === "string") out[policy.name] = { ...(fallback?.[policy.name] ?? {}), enforcementLevel: given };
    else if (given !== undefined) out[policy.name] = { ...all, ...(given as Record<string, unknown>) };
    else out[policy.name] = { ...(fallback?.[policy.name] ?? {}), ...all };
  }
  return out;
}

/** Policies whose settings a pack config file leaves to the stack: not named, or named by an enforcement level only. */
export function policiesTakenFromStack(config: Record<string, unknown>, policies: readonly PackPolicyInfo[]): string[] {
  return policies.map((p) => p.name).filter((name) => config[name] === undefined || typeof config[name] === "string");
}
