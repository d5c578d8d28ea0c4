/**
 * A structured KQL query: a source table and a pipeline of the operators the project's queries use, with typed
 * scalar expressions. One definition has two interpreters — `renderKql` (the text an alert rule, the workbook or
 * the review runs) and `evaluateKql` (rows over JavaScript records shaped like the documented log records, for the
 * tests) — so a test and the query it checks cannot disagree except in rendering, which the Kusto analyzer checks.
 *
 * Only what the queries need is modelled; adding an operator means adding it to both interpreters.
 */

/** Kusto scalar types, as the analyzer names them. */
export type KqlType = "string" | "long" | "int" | "real" | "bool" | "datetime" | "timespan" | "dynamic";

export type CompareOperator = "==" | "!=" | "=~" | "!~" | "<" | "<=" | ">" | ">=" | "contains" | "startswith";
export type InOperator = "in" | "in~" | "!in" | "!in~";

export type ScalarFunction =
  | "tostring"
  | "tolower"
  | "trim"
  | "coalesce"
  | "iff"
  | "case"
  | "parse_json"
  | "ago"
  | "ingestion_time"
  | "isempty"
  | "isnotempty"
  | "array_length"
  | "strcat"
  | "strcat_array"
  | "extract"
  | "startofday"
  | "hourofday"
  | "datetime_add"
  | "datetime_diff";

export type AggregateFunction =
  "count" | "countif" | "dcount" | "dcountif" | "max" | "maxif" | "min" | "take_any" | "take_anyif" | "make_set";

export type Literal =
  | { kind: "literal"; type: "string"; value: string }
  | { kind: "literal"; type: "long"; value: number }
  | { kind: "literal"; type: "bool"; value: boolean }
  /** ISO 8601 (UTC), or null for `datetime(null)`. */
  | { kind: "literal"; type: "datetime"; value: string | null }
  /** A timespan literal such as `6m` or `2d` (what `ago()` accepts in a log alert). */
  | { kind: "literal"; type: "timespan"; value: string }
  /** `dynamic(<JSON>)`. */
  | { kind: "literal"; type: "dynamic"; value: unknown };

export type Scalar =
  | { kind: "column"; name: string }
  | Literal
  /** `Target.type`: a property of a dynamic value (null when absent). */
  | { kind: "member"; target: Scalar; name: string }
  | { kind: "call"; name: ScalarFunction; args: Scalar[] }
  | { kind: "compare"; op: CompareOperator; left: Scalar; right: Scalar }
  /** `X in~ ("a", "b")`: string lists only, never empty (an empty list would match nothing). */
  | { kind: "in"; op: InOperator; left: Scalar; values: readonly string[] }
  | { kind: "logical"; op: "and" | "or"; terms: Scalar[] }
  | { kind: "not"; operand: Scalar };

export interface Assignment {
  name: string;
  expr: Scalar;
}

export interface Aggregate {
  name: string;
  fn: AggregateFunction;
  args: Scalar[];
}

/** `by Admin` (a column) or `by ActivatedAt = TimeGenerated` (an expression). */
export interface GroupKey {
  name: string;
  expr?: Scalar;
}

export type Operator =
  | { op: "where"; predicate: Scalar }
  | { op: "extend"; columns: Assignment[] }
  /** A plain column name, or `Name = expr`. */
  | { op: "project"; columns: (string | Assignment)[] }
  | { op: "summarize"; aggregates: Aggregate[]; by: GroupKey[] }
  /** `mv-apply Item = array on (body)`: the body runs over each record's elements. */
  | { op: "mv-apply"; item: string; array: Scalar; body: Operator[] }
  /**
   * Joins with a `let` binding on one or more columns of both sides (`on AdminId, Role`: every one equal); the right
   * side's clashing columns get the suffix 1.
   */
  | { op: "join"; kind: "leftouter" | "fullouter"; right: string; on: readonly string[] }
  | { op: "order"; by: string; direction: "asc" | "desc" };

export interface Pipeline {
  /** A table, or an earlier `let` binding. */
  source: string;
  operators: Operator[];
}

export interface KqlQuery {
  /** Rendered as `//` lines before the query (what a reader of the rule sees first). */
  comments?: string[];
  lets?: { name: string; query: Pipeline }[];
  body: Pipeline;
}

// Builders: the definitions read close to the KQL they render.

export const column = (name: string): Scalar => ({ kind: "column", name });
export const str = (value: string): Scalar => ({ kind: "literal", type: "string", value });
export const long = (value: number): Scalar => ({ kind: "literal", type: "long", value });
export const bool = (value: boolean): Scalar => ({ kind: "literal", type: "bool", value });
export const datetime = (value: string | null): Scalar => ({ kind: "literal", type: "datetime", value });
export const timespan = (value: string): Scalar => ({ kind: "literal", type: "timespan", value });
export const dynamic = (value: unknown): Scalar => ({ kind: "literal", type: "dynamic", value });

/** `base.a.b`: nested properties of a dynamic value. */
export function member(base: Scalar, ...names: string[]): Scalar {
  return names.reduce<Scalar>((target, name) => ({ kind: "member", target, name }), base);
}

export const call = (name: ScalarFunction, ...args: Scalar[]): Scalar => ({ kind: "call", name, args });
export const tostring = (e: Scalar): Scalar => call("tostring", e);
export const coalesce = (...args: Scalar[]): Scalar => call("coalesce", ...args);
export const iff = (cond: Scalar, then: Scalar, otherwise: Scalar): Scalar => call("iff", cond, then, otherwise);
export const isempty = (e: Scalar): Scalar => call("isempty", e);
export const isnotempty = (e: Scalar): Scalar => call("isnotempty", e);

/** `case(c1, v1, c2, v2, …, otherwise)`. */
export function caseOf(branches: readonly [Scalar, Scalar][], otherwise: Scalar): Scalar {
  return call("case", ...branches.flat(), otherwise);
}

const compare =
  (op: CompareOperator) =>
  (left: Scalar, right: Scalar): Scalar => ({ kind: "compare", op, left, right });
export const eq = compare("==");
export const ne = compare("!=");
export const eqCi = compare("=~");
export const lt = compare("<");
export const ge = compare(">=");
export const gt = compare(">");
export const contains = compare("contains");
export const startswith = compare("startswith");

const inList =
  (op: InOperator) =>
  (left: Scalar, values: readonly string[]): Scalar => ({ kind: "in", op, left, values });
export const isIn = inList("in");
export const isInCi = inList("in~");
export const notIn = inList("!in");

export const and = (...terms: Scalar[]): Scalar => ({ kind: "logical", op: "and", terms });
export const or = (...terms: Scalar[]): Scalar => ({ kind: "logical", op: "or", terms });
export const not = (operand: Scalar): Scalar => ({ kind: "not", operand });

export const where = (predicate: Scalar): Operator => ({ op: "where", predicate });

/** `extend A = …, B = …` in the object's key order. */
export function extend(columns: Record<string, Scalar>): Operator {
  return { op: "extend", columns: Object.entries(columns).map(([name, expr]) => ({ name, expr })) };
}

export function project(...columns: (string | Record<string, Scalar>)[]): Operator {
  return {
    op: "project",
    columns: columns.flatMap((c): (string | Assignment)[] =>
      typeof c === "string" ? [c] : Object.entries(c).map(([name, expr]) => ({ name, expr })),
    ),
  };
}

export const aggregate = (fn: AggregateFunction, ...args: Scalar[]) => ({ fn, args });

/** `summarize N = f(…), … by K, …`. */
export function summarize(
  aggregates: Record<string, { fn: AggregateFunction; args: Scalar[] }>,
  by: (string | Record<string, Scalar>)[] = [],
): Operator {
  return {
    op: "summarize",
    aggregates: Object.entries(aggregates).map(([name, a]) => ({ name, ...a })),
    by: by.flatMap((k) =>
      typeof k === "string" ? [{ name: k }] : Object.entries(k).map(([name, expr]) => ({ name, expr })),
    ),
  };
}

export const mvApply = (item: string, array: Scalar, body: Operator[]): Operator => ({
  op: "mv-apply",
  item,
  array,
  body,
});

/**
 * The array to expand, or one empty element when it is empty or missing. Whether mv-apply keeps a record whose
 * array is empty is not documented (mv-expand drops it), so a lookup whose body summarizes must never see one.
 */
export function nonEmptyArray(array: Scalar): Scalar {
  return iff(gt(call("array_length", array), long(0)), array, dynamic([{}]));
}

export const join = (kind: "leftouter" | "fullouter", right: string, on: string | readonly string[]): Operator => ({
  op: "join",
  kind,
  right,
  on: typeof on === "string" ? [on] : [...on],
});

export const orderBy = (by: string, direction: "asc" | "desc"): Operator => ({ op: "order", by, direction });

export const pipeline = (source: string, ...operators: Operator[]): Pipeline => ({ source, operators });
