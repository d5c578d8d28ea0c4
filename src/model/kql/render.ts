/**
 * A query definition as KQL text: one operator per line, `mv-apply` bodies indented, a top-level `or` in a
 * `where` split over lines. Deterministic: the same definition always renders the same text, which the policy
 * pack and the audit compare deployed rules against (see tripwireQueryDefinition).
 */
import { kqlString } from "../logAlertQuery";
import type { KqlQuery, Operator, Pipeline, Scalar } from "./ast";

const INDENT = "    ";

export function renderKql(query: KqlQuery): string {
  const lines = (query.comments ?? []).map((c) => `// ${c}`);
  for (const binding of query.lets ?? []) {
    assertIdentifier(binding.name);
    lines.push(`let ${binding.name} = ${renderPipeline(binding.query, "")};`);
  }
  lines.push(renderPipeline(query.body, ""));
  return lines.join("\n");
}

function renderPipeline(p: Pipeline, indent: string): string {
  assertIdentifier(p.source);
  return [p.source, ...renderOperators(p.operators, indent)].join("\n");
}

function renderOperators(operators: readonly Operator[], indent: string): string[] {
  return operators.map((o) => `${indent}| ${renderOperator(o, indent)}`);
}

function renderOperator(o: Operator, indent: string): string {
  switch (o.op) {
    case "where":
      return `where ${renderPredicate(o.predicate, indent)}`;
    case "extend":
      return `extend ${o.columns.map((c) => `${name(c.name)} = ${scalar(c.expr)}`).join(", ")}`;
    case "project":
      return `project ${o.columns.map((c) => (typeof c === "string" ? name(c) : `${name(c.name)} = ${scalar(c.expr)}`)).join(", ")}`;
    case "summarize": {
      const aggregates = o.aggregates.map((a) => `${name(a.name)} = ${a.fn}(${a.args.map(scalar).join(", ")})`);
      const by = o.by.map((k) => (k.expr ? `${name(k.name)} = ${scalar(k.expr)}` : name(k.name)));
      // One aggregate per line when there are several: they are what a reader checks.
      const separator = aggregates.length > 1 ? `,\n${indent}${INDENT}${INDENT}` : ", ";
      return `summarize ${aggregates.join(separator)}${by.length > 0 ? `${aggregates.length > 1 ? `\n${indent}${INDENT}` : " "}by ${by.join(", ")}` : ""}`;
    }
    case "mv-apply": {
      const inner = indent + INDENT;
      const [first, ...rest] = o.body;
      if (!first) throw new Error("mv-apply needs a body");
      return [
        `mv-apply ${name(o.item)} = ${scalar(o.array)} on (`,
        `${inner}${renderOperator(first, inner)}`,
        ...renderOperators(rest, inner),
        `${indent}  )`,
      ].join("\n");
    }
    case "join":
      if (o.on.length === 0) throw new Error(`a join with ${o.right} needs at least one key column`);
      return `join kind=${o.kind} ${name(o.right)} on ${o.on.map(name).join(", ")}`;
    case "order":
      return `order by ${name(o.by)} ${o.direction}`;
  }
}

/** A top-level disjunction reads best one alternative per line. */
function renderPredicate(p: Scalar, indent: string): string {
  if (p.kind === "logical" && p.op === "or")
    return p.terms.map((t) => operand(t, "or")).join(`\n${indent}${INDENT}or `);
  return scalar(p);
}

function scalar(e: Scalar): string {
  switch (e.kind) {
    case "column":
      return name(e.name);
    case "literal":
      return literal(e);
    case "member":
      return `${scalar(e.target)}${/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name) ? `.${e.name}` : `[${kqlString(e.name)}]`}`;
    case "call":
      return `${e.name}(${e.args.map(scalar).join(", ")})`;
    case "compare":
      return `${operand(e.left, "compare")} ${e.op} ${operand(e.right, "compare")}`;
    case "in":
      if (e.values.length === 0) throw new Error(`an empty ${e.op} list would match nothing`);
      return `${operand(e.left, "compare")} ${e.op} (${e.values.map(kqlString).join(", ")})`;
    case "logical":
      if (e.terms.length === 0) throw new Error(`an empty '${e.op}'`);
      return e.terms.map((t) => operand(t, e.op)).join(` ${e.op} `);
    case "not":
      return `not(${scalar(e.operand)})`;
  }
}

/**
 * Parenthesizes what would bind differently: a disjunction inside a conjunction, any logical expression inside a
 * comparison, and (for the reader, though `and` binds tighter) a conjunction inside a disjunction.
 */
function operand(e: Scalar, context: "or" | "and" | "compare"): string {
  const text = scalar(e);
  if (e.kind === "logical" && !(context === e.op)) return `(${text})`;
  return text;
}

function literal(e: Extract<Scalar, { kind: "literal" }>): string {
  switch (e.type) {
    case "string":
      return kqlString(e.value);
    case "long":
      if (!Number.isInteger(e.value)) throw new Error(`${e.value} is not a long`);
      return String(e.value);
    case "bool":
      return e.value ? "true" : "false";
    case "datetime":
      if (e.value === null) return "datetime(null)";
      if (Number.isNaN(Date.parse(e.value))) throw new Error(`${e.value} is not a date-time`);
      return `datetime(${new Date(e.value).toISOString().replace(".000Z", "Z")})`;
    case "timespan":
      if (!/^\d+(d|h|m|s)$/.test(e.value)) throw new Error(`${e.value} is not a timespan literal such as 5m`);
      return e.value;
    case "dynamic":
      return `dynamic(${JSON.stringify(e.value)})`;
  }
}

function name(n: string): string {
  assertIdentifier(n);
  return n;
}

function assertIdentifier(n: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new Error(`'${n}' is not a plain KQL identifier`);
}
