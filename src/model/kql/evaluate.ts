/**
 * Runs a query definition over JavaScript records shaped like the documented log records — there is no KQL
 * engine here, so this is how the tests see what a query returns. It follows Kusto's semantics for the operators
 * and cases the queries use (scalars.ts), and computes the output schema the same way the analyzer does, so tests
 * can hold the two to each other.
 *
 * Input: each table's declared columns (name → type, the documented schema) and its records. Dynamic columns are
 * JSON values, datetime columns ISO strings, string columns strings (a JSON-string column stays a string). A record
 * key the schema does not declare is an error (a fixture typo would otherwise read as an empty column). A record
 * may carry `$ingestionTime` (ISO) for ingestion_time(); it defaults to TimeGenerated.
 *
 * Two choices where Kusto's documentation is silent, both made so that a query that works here works there:
 * mv-apply over an empty array yields nothing for that record (as mv-expand does), and a non-array expands to one
 * element, itself (as mv-expand keeps such a row).
 */
import type { Aggregate, GroupKey, KqlQuery, KqlType, Operator, Pipeline } from "./ast";
import {
  type ColumnTypes,
  compareValues,
  DateTimeValue,
  type Env,
  evalScalar,
  isEmptyValue,
  keyOf,
  normalize,
  type Row,
  TimespanValue,
  typeOf,
  type Value,
} from "./scalars";

export const INGESTION_TIME_FIELD = "$ingestionTime";

export interface KqlTable {
  columns: Readonly<Record<string, KqlType>>;
  rows: readonly Record<string, unknown>[];
}

export interface KqlColumn {
  name: string;
  type: KqlType;
}

export interface KqlResult {
  columns: KqlColumn[];
  /** Datetimes as ISO strings, dynamic values as JSON values. */
  rows: Record<string, unknown>[];
}

export interface EvaluateOptions {
  /** What now() and ago() are relative to. */
  now: Date;
}

interface Table {
  columns: KqlColumn[];
  rows: Row[];
}

export function evaluateKql(
  query: KqlQuery,
  tables: Readonly<Record<string, KqlTable>>,
  options: EvaluateOptions,
): KqlResult {
  const env: Env = { now: options.now.getTime() };
  const lets = new Map<string, Table>();
  const source = (name: string): Table => {
    const bound = lets.get(name);
    if (bound) return bound;
    const table = tables[name];
    if (!table) throw new Error(`Failed to resolve table or column expression named '${name}'`);
    return loadTable(name, table);
  };
  const run = (p: Pipeline) => runOperators(p.operators, source(p.source), env, lets);
  for (const binding of query.lets ?? []) lets.set(binding.name, run(binding.query));
  const result = run(query.body);
  return {
    columns: result.columns,
    rows: result.rows.map((r) => Object.fromEntries(result.columns.map((c) => [c.name, plain(r.values[c.name])]))),
  };
}

function loadTable(name: string, table: KqlTable): Table {
  const columns = Object.entries(table.columns).map(([n, type]) => ({ name: n, type }));
  const rows = table.rows.map((record, i): Row => {
    for (const key of Object.keys(record)) {
      if (key !== INGESTION_TIME_FIELD && !(key in table.columns))
        throw new Error(`${name} record ${i + 1} has "${key}", which is not a column of ${name}`);
    }
    const values: Record<string, Value> = {};
    for (const c of columns) values[c.name] = inputValue(record[c.name], c, `${name} record ${i + 1}`);
    const ingestion = record[INGESTION_TIME_FIELD] ?? record.TimeGenerated;
    return {
      values,
      ingestion: typeof ingestion === "string" ? parseTime(ingestion, `${name} record ${i + 1}`) : null,
    };
  });
  return { columns, rows };
}

function inputValue(v: unknown, c: KqlColumn, where: string): Value {
  if (v === undefined || v === null) return normalize(null, c.type);
  const fail = () => {
    throw new Error(`${where}: ${c.name} is ${JSON.stringify(v)}, not a ${c.type}`);
  };
  switch (c.type) {
    case "string":
      return typeof v === "string" ? v : fail();
    case "datetime":
      return typeof v === "string" ? new DateTimeValue(parseTime(v, where)) : fail();
    case "long":
    case "int":
    case "real":
      return typeof v === "number" ? v : fail();
    case "bool":
      return typeof v === "boolean" ? v : fail();
    case "timespan":
      return fail();
    case "dynamic":
      return v;
  }
}

function parseTime(iso: string, where: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${where}: ${iso} is not an ISO 8601 date-time`);
  return ms;
}

function plain(v: Value): unknown {
  if (v instanceof DateTimeValue) return new Date(v.ms).toISOString();
  if (v instanceof TimespanValue) return v.ms;
  return v;
}

function typesOf(columns: readonly KqlColumn[]): ColumnTypes {
  return new Map(columns.map((c) => [c.name, c.type]));
}

function runOperators(operators: readonly Operator[], input: Table, env: Env, lets: ReadonlyMap<string, Table>): Table {
  return operators.reduce((table, o) => runOperator(o, table, env, lets), input);
}

function runOperator(o: Operator, input: Table, env: Env, lets: ReadonlyMap<string, Table>): Table {
  const types = typesOf(input.columns);
  switch (o.op) {
    case "where":
      return { ...input, rows: input.rows.filter((r) => evalScalar(o.predicate, r, env, types) === true) };
    case "extend": {
      // Later assignments see earlier ones; an existing column is replaced where it stands.
      const columns = [...input.columns];
      let rows = input.rows;
      for (const a of o.columns) {
        const current = typesOf(columns);
        const type = typeOf(a.expr, current);
        rows = rows.map((r) => ({
          ...r,
          values: { ...r.values, [a.name]: normalize(evalScalar(a.expr, r, env, current), type) },
        }));
        const at = columns.findIndex((c) => c.name === a.name);
        if (at >= 0) columns[at] = { name: a.name, type };
        else columns.push({ name: a.name, type });
      }
      return { columns, rows };
    }
    case "project": {
      const specs = o.columns.map((c) =>
        typeof c === "string" ? { name: c, expr: { kind: "column", name: c } as const } : c,
      );
      const columns = specs.map((s) => ({ name: s.name, type: typeOf(s.expr, types) }));
      const rows = input.rows.map((r) => ({
        ingestion: r.ingestion,
        values: Object.fromEntries(
          specs.map((s, i) => [s.name, normalize(evalScalar(s.expr, r, env, types), columns[i]!.type)]),
        ),
      }));
      return { columns, rows };
    }
    case "summarize":
      return summarizeTable(o.aggregates, o.by, input, env);
    case "mv-apply":
      return mvApply(o, input, env, lets);
    case "join":
      return joinTables(o.kind, input, lets.get(o.right) ?? missing(o.right), o.on);
    case "order": {
      if (!types.has(o.by)) throw new Error(`Failed to resolve scalar expression named '${o.by}'`);
      const sign = o.direction === "asc" ? 1 : -1;
      // Nulls first ascending, last descending (Kusto's defaults); the sort is stable.
      const rows = [...input.rows].sort((a, b) => sign * compareValues(a.values[o.by], b.values[o.by]));
      return { ...input, rows };
    }
  }
}

function missing(name: string): never {
  throw new Error(`Failed to resolve table or column expression named '${name}'`);
}

function summarizeTable(aggregates: readonly Aggregate[], by: readonly GroupKey[], input: Table, env: Env): Table {
  const types = typesOf(input.columns);
  const keys = by.map((k) => ({ name: k.name, expr: k.expr ?? ({ kind: "column", name: k.name } as const) }));
  const keyColumns = keys.map((k) => ({ name: k.name, type: typeOf(k.expr, types) }));
  const aggColumns = aggregates.map((a) => ({ name: a.name, type: aggregateType(a, types) }));
  const groups = new Map<string, { keyValues: Value[]; rows: Row[] }>();
  for (const r of input.rows) {
    const keyValues = keys.map((k, i) => normalize(evalScalar(k.expr, r, env, types), keyColumns[i]!.type));
    const id = JSON.stringify(keyValues.map(keyOf));
    const g = groups.get(id) ?? { keyValues, rows: [] };
    g.rows.push(r);
    groups.set(id, g);
  }
  // Without group keys, summarize returns one row even for no input.
  if (keys.length === 0 && groups.size === 0) groups.set("[]", { keyValues: [], rows: [] });
  const rows = [...groups.values()].map((g): Row => ({
    ingestion: null,
    values: Object.fromEntries([
      ...keyColumns.map((c, i) => [c.name, g.keyValues[i]]),
      ...aggregates.map((a, i) => [a.name, normalize(aggregateValue(a, g.rows, env, types), aggColumns[i]!.type)]),
    ]),
  }));
  return { columns: [...keyColumns, ...aggColumns], rows };
}

function aggregateType(a: Aggregate, types: ColumnTypes): KqlType {
  switch (a.fn) {
    case "count":
    case "countif":
    case "dcount":
    case "dcountif":
      return "long";
    case "make_set":
      return "dynamic";
    default:
      return typeOf(a.args[0]!, types);
  }
}

function aggregateValue(a: Aggregate, rows: readonly Row[], env: Env, types: ColumnTypes): Value {
  const ev = (i: number, r: Row) => evalScalar(a.args[i]!, r, env, types);
  const selected = a.fn.endsWith("if") ? rows.filter((r) => ev(a.args.length - 1, r) === true) : rows;
  const values = () => selected.map((r) => ev(0, r));
  switch (a.fn) {
    case "count":
    case "countif":
      return a.fn === "count" ? rows.length : selected.length;
    case "dcount":
    case "dcountif":
      return new Set(
        values()
          .map(keyOf)
          .filter((k) => k !== null),
      ).size;
    case "max":
    case "maxif":
    case "min": {
      const present = values().filter((v) => v !== null && v !== undefined);
      if (present.length === 0) return null;
      const sign = a.fn === "min" ? -1 : 1;
      return present.reduce((best, v) => (sign * compareValues(v, best) > 0 ? v : best));
    }
    case "take_any":
    case "take_anyif":
      // take_any "attempts to return a non-null/non-empty value, if such value is present".
      return values().find((v) => !isEmptyValue(v)) ?? null;
    case "make_set": {
      const seen = new Map<string, Value>();
      for (const v of values()) {
        const k = keyOf(v);
        if (k !== null && !seen.has(k)) seen.set(k, v);
      }
      return [...seen.values()];
    }
  }
}

function mvApply(
  o: Extract<Operator, { op: "mv-apply" }>,
  input: Table,
  env: Env,
  lets: ReadonlyMap<string, Table>,
): Table {
  const types = typesOf(input.columns);
  if (types.has(o.item)) throw new Error(`mv-apply item ${o.item} shadows a column`);
  const subColumns = [...input.columns, { name: o.item, type: "dynamic" as const }];
  // The body's schema does not depend on the data: run it over no rows.
  const bodyColumns = runOperators(o.body, { columns: subColumns, rows: [] }, env, lets).columns;
  const added = bodyColumns.filter((c) => !types.has(c.name));
  const replaced = new Map(bodyColumns.filter((c) => types.has(c.name)).map((c) => [c.name, c.type]));
  const columns = [...input.columns.map((c) => ({ name: c.name, type: replaced.get(c.name) ?? c.type })), ...added];
  const rows: Row[] = [];
  for (const r of input.rows) {
    const array = evalScalar(o.array, r, env, types);
    const elements = Array.isArray(array) ? array : [array];
    if (elements.length === 0) continue;
    const sub: Table = {
      columns: subColumns,
      rows: elements.map((el) => ({ ingestion: r.ingestion, values: { ...r.values, [o.item]: el } })),
    };
    for (const out of runOperators(o.body, sub, env, lets).rows) {
      const values: Record<string, Value> = {};
      for (const c of columns) values[c.name] = c.name in out.values ? out.values[c.name] : r.values[c.name];
      rows.push({ ingestion: r.ingestion, values });
    }
  }
  return { columns, rows };
}

function joinTables(kind: "leftouter" | "fullouter", left: Table, right: Table, on: readonly string[]): Table {
  const leftTypes = typesOf(left.columns);
  if (on.length === 0) throw new Error("a join needs at least one key column");
  for (const k of on)
    if (!leftTypes.has(k) || !right.columns.some((c) => c.name === k))
      throw new Error(`join key ${k} is not a column of both sides`);
  // Rows match when every key is equal; a null key matches nothing.
  const keyOfRow = (r: Row): string | null => {
    const keys = on.map((k) => keyOf(r.values[k]));
    return keys.includes(null) ? null : JSON.stringify(keys);
  };
  // The right side's clashing columns get the suffix 1 (then 2, …), as Kusto names them.
  const taken = new Set(left.columns.map((c) => c.name));
  const renamed = right.columns.map((c) => {
    let name = c.name;
    for (let n = 1; taken.has(name); n++) name = `${c.name}${n}`;
    taken.add(name);
    return { from: c.name, name, type: c.type };
  });
  const columns = [...left.columns, ...renamed.map((c) => ({ name: c.name, type: c.type }))];
  const combine = (l: Row | undefined, r: Row | undefined): Row => ({
    ingestion: null,
    values: Object.fromEntries([
      ...left.columns.map((c) => [c.name, l ? l.values[c.name] : normalize(null, c.type)]),
      ...renamed.map((c) => [c.name, r ? r.values[c.from] : normalize(null, c.type)]),
    ]),
  });
  const rows: Row[] = [];
  const matchedRight = new Set<Row>();
  for (const l of left.rows) {
    const key = keyOfRow(l);
    const matches = key === null ? [] : right.rows.filter((r) => keyOfRow(r) === key);
    if (matches.length === 0) rows.push(combine(l, undefined));
    for (const r of matches) {
      matchedRight.add(r);
      rows.push(combine(l, r));
    }
  }
  if (kind === "fullouter") for (const r of right.rows) if (!matchedRight.has(r)) rows.push(combine(undefined, r));
  return { columns, rows };
}
