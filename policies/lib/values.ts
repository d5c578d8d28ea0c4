/**
 * Reading resource properties without tripping over preview-time unknowns.
 *
 * The pack wraps props in `unknownCheckingProxy`, which throws on touching an unknown; the engine then downgrades
 * the whole policy to an advisory "can't run during preview" — a silent skip of a mandatory rule. Our rules read
 * the raw data instead and decide explicitly what an unknown means (usually: resolve it through
 * `propertyDependencies`, or fail closed with a message that says so).
 */

/**
 * The sentinels the engine sends for unknown values (string, boolean, number, array, asset, archive, object), taken
 * from @pulumi/policy itself (its proxy module exports them at run time, untyped) so they cannot drift.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as Record<string, unknown>;
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set(
  [
    "unknownStringValue",
    "unknownBooleanValue",
    "unknownNumberValue",
    "unknownArrayValue",
    "unknownAssetValue",
    "unknownArchiveValue",
    "unknownObjectValue",
  ]
    .map((k) => sentinels[k])
    .filter((v): v is string => typeof v === "string"),
);
if (UNKNOWN_SENTINELS.size !== 7)
  throw new Error("@pulumi/policy no longer exports its unknown sentinels; update policies/lib/values.ts");

/** Marks a value that is not known yet (preview). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Maybe<T> = T | typeof UNKNOWN | undefined;

export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.has(value));
}

/** The plain data behind an `unknownCheckingProxy` (or the value itself). */
export function raw<T = unknown>(value: T): T {
  if (value !== null && typeof value === "object" && (value as Record<string, unknown>)["__isSpecialProxy"] === true) {
    return (value as Record<string, unknown>)["__getSpecialProxyTarget"] as T;
  }
  return value;
}

/** `props.a.b.c` on raw data: UNKNOWN as soon as a step is unknown, undefined when absent. */
export function read(props: unknown, ...path: (string | number)[]): unknown {
  let v: unknown = raw(props);
  for (const key of path) {
    if (isUnknown(v)) return UNKNOWN;
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return isUnknown(v) ? UNKNOWN : v;
}

export function readString(props: unknown, ...path: (string | number)[]): Maybe<string> {
  const v = read(props, ...path);
  return v === UNKNOWN || typeof v === "string" ? v : undefined;
}

export function readBoolean(props: unknown, ...path: (string | number)[]): Maybe<boolean> {
  const v = read(props, ...path);
  return v === UNKNOWN || typeof v === "boolean" ? v : undefined;
}

export function readNumber(props: unknown, ...path: (string | number)[]): Maybe<number> {
  const v = read(props, ...path);
  if (v === UNKNOWN || typeof v === "number") return v;
  return typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** An array of which each element may itself be unknown; UNKNOWN when the whole array is. */
export function readArray(props: unknown, ...path: (string | number)[]): Maybe<unknown[]> {
  const v = read(props, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  return Array.isArray(v) ? v.map((e) => (isUnknown(e) ? UNKNOWN : e)) : undefined;
}

/** True when any value anywhere inside is unknown. */
export function containsUnknown(value: unknown): boolean {
  const v = raw(value);
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v as Record<string, unknown>).some(containsUnknown);
  return false;
}
