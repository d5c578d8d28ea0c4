/**
 * Scalar semantics of the KQL subset the queries use, as Kusto defines them for the cases used (docs: string
 * operators, null values, the functions' pages): strings are never null (a missing string is ""), a comparison
 * with a null non-string is null, `where` keeps a row only when its predicate is true, `and`/`or` are three-valued,
 * `=~`/`in~`/`contains`/`startswith` ignore case, `coalesce` skips nulls and empty strings.
 */
import type { KqlType, Scalar } from "./ast";

/** A datetime value (ms since the epoch, UTC). Distinct from dynamic JSON objects. */
export class DateTimeValue {
  constructor(readonly ms: number) {}
}

/** A timespan value (ms). */
export class TimespanValue {
  constructor(readonly ms: number) {}
}

/** string | number | boolean | null | DateTimeValue | TimespanValue | a dynamic JSON value. */
export type Value = unknown;

export interface Row {
  values: Record<string, Value>;
  /** What ingestion_time() returns for the record; null once rows are aggregated or joined. */
  ingestion: number | null;
}

export interface Env {
  now: number;
}

export type ColumnTypes = ReadonlyMap<string, KqlType>;

const TIMESPAN_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function timespanMs(text: string): number {
  const m = /^(\d+)(d|h|m|s)$/.exec(text);
  if (!m) throw new Error(`${text} is not a timespan literal`);
  return Number(m[1]) * TIMESPAN_UNITS[m[2]!]!;
}

/** The static type of an expression, as the analyzer would infer it for the cases used. */
export function typeOf(e: Scalar, types: ColumnTypes): KqlType {
  switch (e.kind) {
    case "column": {
      const t = types.get(e.name);
      if (!t) throw new Error(`Failed to resolve scalar expression named '${e.name}'`);
      return t;
    }
    case "literal":
      return e.type;
    case "member":
      return "dynamic";
    case "compare":
    case "in":
    case "logical":
    case "not":
      return "bool";
    case "call":
      switch (e.name) {
        case "tostring":
        case "tolower":
        case "trim":
        case "strcat":
        case "strcat_array":
        case "extract":
          return "string";
        case "parse_json":
          return "dynamic";
        case "ago":
        case "ingestion_time":
        case "startofday":
        case "datetime_add":
          return "datetime";
        case "isempty":
        case "isnotempty":
          return "bool";
        case "array_length":
        case "datetime_diff":
          return "long";
        case "hourofday":
          return "int";
        case "coalesce":
          return typeOf(e.args[0]!, types);
        case "iff":
        case "case":
          return typeOf(e.args[1]!, types);
      }
  }
}

/** Kusto's string columns hold "" where other types hold null. */
export function normalize(value: Value, type: KqlType): Value {
  if (type === "string") return value === null || value === undefined ? "" : value;
  return value === undefined ? null : value;
}

export function isEmptyValue(v: Value): boolean {
  return v === null || v === undefined || v === "";
}

/** tostring(): null → "", a dynamic string → its text, an object or array → its JSON text. */
export function toText(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof DateTimeValue) return new Date(v.ms).toISOString().replace(".000Z", "Z");
  if (v instanceof TimespanValue) return `${v.ms}ms`;
  return JSON.stringify(v);
}

function ordinal(v: Value): number | string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof DateTimeValue || v instanceof TimespanValue) return v.ms;
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return JSON.stringify(v);
}

/** For ordering and min/max; nulls are the caller's concern. */
export function compareValues(a: Value, b: Value): number {
  const x = ordinal(a);
  const y = ordinal(b);
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  return x < y ? -1 : 1;
}

/** A grouping or join key: equal values give equal keys; null gives null (it matches nothing in a join). */
export function keyOf(v: Value): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof DateTimeValue) return `datetime:${v.ms}`;
  return `${typeof v}:${toText(v)}`;
}

export function evalScalar(e: Scalar, row: Row, env: Env, types: ColumnTypes): Value {
  const ev = (x: Scalar) => evalScalar(x, row, env, types);
  switch (e.kind) {
    case "column":
      if (!types.has(e.name)) throw new Error(`Failed to resolve scalar expression named '${e.name}'`);
      return row.values[e.name] ?? null;
    case "literal":
      switch (e.type) {
        case "datetime":
          return e.value === null ? null : new DateTimeValue(Date.parse(e.value));
        case "timespan":
          return new TimespanValue(timespanMs(e.value));
        default:
          return e.value;
      }
    case "member": {
      const target = ev(e.target);
      if (typeof target !== "object" || target === null || Array.isArray(target)) return null;
      if (target instanceof DateTimeValue || target instanceof TimespanValue) return null;
      return Object.prototype.hasOwnProperty.call(target, e.name)
        ? ((target as Record<string, Value>)[e.name] ?? null)
        : null;
    }
    case "compare":
      return compare(e.op, ev(e.left), ev(e.right));
    case "in": {
      const left = e.op.endsWith("~") ? toText(ev(e.left)).toLowerCase() : toText(ev(e.left));
      const found = e.values.some((v) => (e.op.endsWith("~") ? v.toLowerCase() : v) === left);
      return e.op.startsWith("!") ? !found : found;
    }
    case "logical": {
      // Three-valued: false decides an `and`, true decides an `or`, otherwise a null makes the result null.
      let sawNull = false;
      for (const t of e.terms) {
        const v = ev(t);
        if (e.op === "and" && v === false) return false;
        if (e.op === "or" && v === true) return true;
        if (v !== true && v !== false) sawNull = true;
      }
      return sawNull ? null : e.op === "and";
    }
    case "not": {
      const v = ev(e.operand);
      return v === true ? false : v === false ? true : null;
    }
    case "call":
      return callFunction(e, row, env, types);
  }
}

function compare(op: string, l: Value, r: Value): Value {
  switch (op) {
    case "=~":
      return toText(l).toLowerCase() === toText(r).toLowerCase();
    case "!~":
      return toText(l).toLowerCase() !== toText(r).toLowerCase();
    case "contains":
      return toText(l).toLowerCase().includes(toText(r).toLowerCase());
    case "startswith":
      return toText(l).toLowerCase().startsWith(toText(r).toLowerCase());
    case "==":
    case "!=": {
      // A string is never null: compare texts. Otherwise null compares to nothing (EngineV3: the result is null).
      if (typeof l === "string" || typeof r === "string")
        return op === "==" ? toText(l) === toText(r) : toText(l) !== toText(r);
      if (l === null || l === undefined || r === null || r === undefined) return null;
      const same = compareValues(l, r) === 0;
      return op === "==" ? same : !same;
    }
    default: {
      if (l === null || l === undefined || r === null || r === undefined) return null;
      const c = compareValues(l, r);
      return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
    }
  }
}

const DATETIME_PARTS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

function part(v: Value): number {
  const unit = DATETIME_PARTS[toText(v)];
  if (!unit) throw new Error(`datetime part ${toText(v)} is not modelled`);
  return unit;
}

function datetimeMs(v: Value): number | null {
  return v instanceof DateTimeValue ? v.ms : null;
}

function callFunction(e: Extract<Scalar, { kind: "call" }>, row: Row, env: Env, types: ColumnTypes): Value {
  const ev = (x: Scalar) => evalScalar(x, row, env, types);
  const args = e.args;
  switch (e.name) {
    case "tostring":
      return toText(ev(args[0]!));
    case "tolower":
      return toText(ev(args[0]!)).toLowerCase();
    case "trim": {
      // trim(regex, text) removes every leading and trailing match of the regex.
      const re = toText(ev(args[0]!));
      return toText(ev(args[1]!))
        .replace(new RegExp(`^(?:${re})+`), "")
        .replace(new RegExp(`(?:${re})+$`), "");
    }
    case "coalesce": {
      for (const a of args) {
        const v = ev(a);
        if (!isEmptyValue(v)) return v;
      }
      return typeOf(e, types) === "string" ? "" : null;
    }
    case "iff":
      return ev(args[0]!) === true ? ev(args[1]!) : ev(args[2]!);
    case "case": {
      for (let i = 0; i + 1 < args.length; i += 2) if (ev(args[i]!) === true) return ev(args[i + 1]!);
      return ev(args[args.length - 1]!);
    }
    case "parse_json": {
      const v = ev(args[0]!);
      if (typeof v !== "string") return v;
      try {
        return JSON.parse(v) as Value;
      } catch {
        return v;
      }
    }
    case "ago": {
      const span = ev(args[0]!);
      if (!(span instanceof TimespanValue)) throw new Error("ago() takes a timespan");
      return new DateTimeValue(env.now - span.ms);
    }
    case "ingestion_time":
      return row.ingestion === null ? null : new DateTimeValue(row.ingestion);
    case "isempty":
      return isEmptyValue(ev(args[0]!));
    case "isnotempty":
      return !isEmptyValue(ev(args[0]!));
    case "array_length": {
      const v = ev(args[0]!);
      return Array.isArray(v) ? v.length : null;
    }
    case "strcat":
      return args.map((a) => toText(ev(a))).join("");
    case "strcat_array": {
      const v = ev(args[0]!);
      return Array.isArray(v) ? v.map(toText).join(toText(ev(args[1]!))) : "";
    }
    case "extract": {
      const m = new RegExp(toText(ev(args[0]!))).exec(toText(ev(args[2]!)));
      return m?.[Number(ev(args[1]!))] ?? "";
    }
    case "startofday": {
      const ms = datetimeMs(ev(args[0]!));
      return ms === null ? null : new DateTimeValue(Math.floor(ms / 86_400_000) * 86_400_000);
    }
    case "hourofday": {
      const ms = datetimeMs(ev(args[0]!));
      return ms === null ? null : new Date(ms).getUTCHours();
    }
    case "datetime_add": {
      const ms = datetimeMs(ev(args[2]!));
      const amount = ev(args[1]!);
      return ms === null || typeof amount !== "number" ? null : new DateTimeValue(ms + amount * part(ev(args[0]!)));
    }
    case "datetime_diff": {
      // The number of period boundaries between the two (datetime_diff counts calendar periods, not elapsed time).
      const unit = part(ev(args[0]!));
      const a = datetimeMs(ev(args[1]!));
      const b = datetimeMs(ev(args[2]!));
      return a === null || b === null ? null : Math.floor(a / unit) - Math.floor(b / unit);
    }
  }
}
