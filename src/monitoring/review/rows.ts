/**
 * The rows the review is built from: the output of the PIM events query (src/monitoring/kql/pimActivationReview.ts),
 * from Log Analytics or from a JSON file. Accepted file shapes: an array of row objects (column → value), or the
 * Log Analytics query API's `{ "tables": [ { "columns": [{ "name": … }], "rows": [[…]] } ] }`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { PIM_EVENT_COLUMNS, PIM_EVENTS } from "../kql/pimActivationReview";
import type { PimEvent } from "../kql";

export interface PimEventRow {
  /** ISO 8601 UTC. */
  TimeGenerated: string;
  Event: PimEvent | "other";
  Admin: string;
  AdminId: string;
  Actor: string;
  Justification: string;
  Ticket: string;
  Result: string;
  CorrelationId: string;
}

/** A rows source that cannot be used; the message names the source and what is wrong. */
export class RowsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RowsError";
  }
}

const EVENT_NAMES: [string, ...string[]] = ["other", ...PIM_EVENTS];
/** Optional text columns: empty when null or absent (KQL returns "" for empty strings, exports may drop them). */
const text = z.string().nullish().transform((v) => v ?? "");
const rowSchema = z.object({
  TimeGenerated: z.union([z.string(), z.date()]).transform((v, ctx) => {
    const d = v instanceof Date ? v : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)} is not an ISO 8601 date-time` });
      return z.NEVER;
    }
    return d.toISOString();
  }),
  Event: z.enum(EVENT_NAMES, { error: `must be one of ${EVENT_NAMES.join(", ")}` }),
  Admin: z.string({ error: "must be the admin's UPN (a string)" }).min(1, "must not be empty"),
  AdminId: text,
  Actor: text,
  Justification: text,
  Ticket: text,
  Result: text,
  CorrelationId: text,
});

/** Validates rows from any source; `source` names it in errors (a file path, or "Log Analytics"). */
export function rowsFromJson(value: unknown, source: string): PimEventRow[] {
  const objects = toObjects(value, source);
  const problems: string[] = [];
  const rows: PimEventRow[] = [];
  objects.forEach((object, i) => {
    const result = rowSchema.safeParse(object);
    if (result.success) rows.push(result.data as PimEventRow);
    else for (const issue of result.error.issues) problems.push(`row ${i + 1}: ${issue.path.join(".") || "(row)"}: ${describe(issue)}`);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : "";
    throw new RowsError(`${source}: ${problems.length} invalid value${problems.length === 1 ? "" : "s"} in the PIM event rows:\n  ${shown.join("\n  ")}${more}`);
  }
  return rows;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "is missing";
  return issue.message;
}

function toObjects(value: unknown, source: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Array.isArray(value.tables)) {
    const table = value.tables[0];
    if (!isRecord(table) || !Array.isArray(table.columns) || !Array.isArray(table.rows)) {
      throw new RowsError(`${source}: "tables[0]" must have "columns" and "rows" (the Log Analytics query API shape)`);
    }
    const names = table.columns.map((c) => (isRecord(c) ? String(c.name) : String(c)));
    return table.rows.map((row, i) => {
      if (!Array.isArray(row)) throw new RowsError(`${source}: tables[0].rows[${i}] must be an array of values`);
      return Object.fromEntries(names.map((n, j) => [n, row[j]]));
    });
  }
  throw new RowsError(
    `${source}: expected a JSON array of rows with columns ${PIM_EVENT_COLUMNS.join(", ")}, or a Log Analytics response {"tables":[{"columns":…,"rows":…}]}`,
  );
}

export function readRowsFile(path: string): PimEventRow[] {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (e) {
    throw new RowsError(`${path}: cannot read the rows file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (e) {
    throw new RowsError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return rowsFromJson(value, path);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
