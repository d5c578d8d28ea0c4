/**
 * How a configuration problem is told: its key path (`pim.eligibleAdmins[2]`), the offending value quoted, and what
 * is expected, with "did you mean" for a misspelt key. Shared by schema errors, migrations and the cross-key checks.
 */
import type { z } from "zod";

/** One problem with the configuration. `path` is a key path such as `pim.eligibleAdmins[2]`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message}`;
}

/** Every zod issue of one top-level key as ConfigIssues (an unknown key names the known ones). */
export function zodIssues(key: string, schema: z.ZodType, root: unknown, issue: z.core.$ZodIssue): ConfigIssue[] {
  const segments = issue.path as PropertyKey[];
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(schema, segments);
    return issue.keys.map((unknown) => ({
      path: formatPath([key, ...segments, unknown]),
      message: `unknown key${didYouMean(unknown, known)} (expected one of: ${known.join(", ")})`,
    }));
  }
  return [zodIssue(key, root, issue, segments)];
}

function zodIssue(key: string, root: unknown, issue: z.core.$ZodIssue, segments: PropertyKey[]): ConfigIssue {
  const path = formatPath([key, ...segments]);
  const value = valueAt(root, segments);
  if (value === undefined) return { path, message: "is required" };
  let message = issue.message;
  if (issue.code === "invalid_type") message = `must be ${article(issue.expected)}`;
  else if (issue.code === "too_small" && issue.origin === "array" && !/^must/.test(message))
    message = `must have at least ${issue.minimum} entries`;
  else if (issue.code === "too_small" || issue.code === "too_big") {
    if (!/^must/.test(message))
      message = `must be ${issue.code === "too_small" ? "at least" : "at most"} ${String((issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum)}`;
  }
  return { path, message: `${quote(value)} ${message}` };
}

/** The keys an object schema accepts at `segments` (through defaults, optionals and list elements). */
function knownKeysAt(schema: z.ZodType, segments: PropertyKey[]): string[] {
  let node: unknown = schema;
  const unwrap = () => {
    for (;;) {
      if (
        node &&
        typeof node === "object" &&
        "unwrap" in node &&
        typeof (node as { unwrap: unknown }).unwrap === "function"
      )
        node = (node as { unwrap(): unknown }).unwrap();
      else if (node && typeof node === "object" && "element" in node) node = (node as { element: unknown }).element;
      else return;
    }
  };
  for (const segment of segments) {
    unwrap();
    if (typeof segment === "number") continue;
    node = (node as { shape?: Record<string, unknown> }).shape?.[String(segment)];
  }
  unwrap();
  return Object.keys((node as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
}

/** ` (did you mean "x"?)` when one known key is a small edit away from `key`. */
export function didYouMean(key: string, known: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  const lower = key.toLowerCase();
  // An abbreviation ("blockLegacyAuth") is as likely a slip as a typo.
  const scored = known
    .map((k) => ({
      k,
      d: k.toLowerCase().startsWith(lower) && lower.length >= 4 ? 1 : distance(lower, k.toLowerCase()),
    }))
    .sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${best.k}"?)` : "";
}

function article(type: string): string {
  if (type === "array") return "a list";
  if (type === "object") return "a map of keys";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function valueAt(root: unknown, segments: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const s of segments) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}

export function formatPath(segments: PropertyKey[]): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)),
    "",
  );
}

export function quote(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The fields of an invalid section that are valid on their own (defaults applied), so that the cross-key checks
 * can still report problems in them.
 */
export function salvage(schema: z.ZodType, value: unknown): Record<string, unknown> | undefined {
  let inner: unknown = schema;
  while (
    inner &&
    typeof inner === "object" &&
    "unwrap" in inner &&
    typeof (inner as { unwrap: unknown }).unwrap === "function"
  ) {
    inner = (inner as { unwrap(): unknown }).unwrap();
  }
  const shape = (inner as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape || !isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(shape)) {
    const r = fieldSchema.safeParse(value[field]);
    if (r.success && r.data !== undefined) out[field] = r.data;
    else if (Array.isArray(value[field]) && (value[field] as unknown[]).every((v) => typeof v === "string"))
      out[field] = value[field];
    else if (isRecord(value[field])) out[field] = salvage(fieldSchema, value[field]);
  }
  return out;
}

/** An error per value listed twice (case-insensitive), naming both places. */
export function duplicates(values: string[], path: string, errors: ConfigIssue[]): void {
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    const prior = seen.get(value.toLowerCase());
    if (prior !== undefined)
      errors.push({ path: `${path}[${i}]`, message: `${quote(value)} is listed twice (also at [${prior}])` });
    else seen.set(value.toLowerCase(), i);
  });
}
