/**
 * The rows the review is built from: the output of the PIM events query (src/model/kql/pimActivationReview.ts),
 * from Log Analytics or from a JSON file. Accepted file shapes: an array of row objects (column → value), or the
 * Log Analytics query API's `{ "tables": [ { "columns": [{ "name": … }], "rows": [[…]] } ] }`.
 */
import { UserInputError } from "../../cli/errors";
import { readJsonFile } from "../../cli/files";
import { z } from "zod";
import { PIM_EVENT_COLUMNS, PIM_EVENTS, type PimEvent, TICKET_SOURCES, type TicketSource } from "@entra-baseline/model";

export interface PimEventRow {
  /** ISO 8601 UTC. */
  TimeGenerated: string;
  Event: PimEvent | "other";
  /**
   * The role's display name (PIM's Role target). "" in rows files written before the query returned it, when it
   * covered Global Administrator only.
   */
  Role: string;
  Admin: string;
  AdminId: string;
  Actor: string;
  Justification: string;
  Ticket: string;
  /**
   * Where the query found the ticket: "pim" (a ticket key of PIM's AdditionalDetails), "justification" (extracted
   * with the ticket pattern), or "" (no ticket, or rows from before the query said).
   */
  TicketSource: TicketSource;
  Result: string;
  CorrelationId: string;
}

/** A rows source that cannot be used; the message names the source and what is wrong. */
export class RowsError extends UserInputError {}

const EVENT_NAMES: [string, ...string[]] = ["other", ...PIM_EVENTS];
/**
 * Columns without which a row means nothing. The others may be dropped by an export (empty everywhere) and then
 * read as empty; a column the query never returns is a renamed one, and is refused rather than ignored.
 */
const REQUIRED_COLUMNS = ["TimeGenerated", "Event", "Admin"] as const;
const KNOWN_COLUMNS: ReadonlySet<string> = new Set(PIM_EVENT_COLUMNS);
/** Optional text columns: empty when null or absent (KQL returns "" for empty strings, exports may drop them). */
const text = z
  .string({ error: "is not a string" })
  .nullish()
  .transform((v) => v ?? "");
const TICKET_SOURCE_VALUES: [string, ...string[]] = ["", ...TICKET_SOURCES];
// Messages complete the sentence `<value> …`: the value found is always printed before them.
const rowSchema = z.object({
  TimeGenerated: z.union([z.string(), z.date()], { error: "is not an ISO 8601 date-time" }).transform((v, ctx) => {
    const d = v instanceof Date ? v : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "is not an ISO 8601 date-time" });
      return z.NEVER;
    }
    return d.toISOString();
  }),
  Event: z.enum(EVENT_NAMES, { error: `is not one of ${EVENT_NAMES.join(", ")}` }),
  Role: text,
  Admin: z.string({ error: "is not the admin's UPN (a string)" }).min(1, "is empty (expected the admin's UPN)"),
  AdminId: text,
  Actor: text,
  Justification: text,
  Ticket: text,
  TicketSource: z
    .enum(TICKET_SOURCE_VALUES, {
      error: `is not one of ${TICKET_SOURCE_VALUES.map((v) => JSON.stringify(v)).join(", ")}`,
    })
    .nullish()
    .transform((v) => v ?? ""),
  Result: text,
  CorrelationId: text,
});

/** Validates rows from any source; `source` names it in errors (a file path, or "Log Analytics"). */
export function rowsFromJson(value: unknown, source: string): PimEventRow[] {
  const { objects, columns } = toObjects(value, source);
  checkColumns(columns, source);
  const problems: string[] = [];
  const rows: PimEventRow[] = [];
  objects.forEach((object, i) => {
    const result = rowSchema.safeParse(object);
    if (result.success) rows.push(result.data as PimEventRow);
    else
      for (const issue of result.error.issues)
        problems.push(`row ${i + 1}: ${issue.path.join(".") || "(row)"}: ${describe(issue, object)}`);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : "";
    throw new RowsError(
      `${source}: ${problems.length} invalid value${problems.length === 1 ? "" : "s"} in the PIM event rows:\n  ${shown.join("\n  ")}${more}`,
    );
  }
  return rows;
}

/**
 * A renamed or missing column is one mistake, reported once for the source (not once per row): the required
 * columns no row has, and the columns the PIM events query never returns.
 */
function checkColumns(columns: ReadonlySet<string> | undefined, source: string): void {
  if (!columns) return;
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  const unknown = [...columns].filter((c) => !KNOWN_COLUMNS.has(c));
  if (missing.length === 0 && unknown.length === 0) return;
  const parts = [
    ...(missing.length > 0 ? [`missing required column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`] : []),
    ...(unknown.length > 0 ? [`unknown column${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}`] : []),
  ];
  throw new RowsError(
    `${source}: the PIM event rows do not have the query's columns: ${parts.join("; ")} (expected ${PIM_EVENT_COLUMNS.join(", ")}; required: ${REQUIRED_COLUMNS.join(", ")})`,
  );
}

/** `<value> <message>` for a value that is there, "is missing" for one that is not. */
function describe(issue: z.core.$ZodIssue, object: unknown): string {
  const value = issue.path.length > 0 && isRecord(object) ? object[String(issue.path[0])] : object;
  if (value === undefined) return "is missing";
  return `${JSON.stringify(value) ?? String(value)} ${issue.message}`;
}

/** The row objects, and the columns they carry (undefined when there is no row to tell them from). */
function toObjects(value: unknown, source: string): { objects: unknown[]; columns?: Set<string> } {
  if (Array.isArray(value)) {
    const records = value.filter(isRecord);
    if (records.length === 0) return { objects: value };
    return { objects: value, columns: new Set(records.flatMap((r) => Object.keys(r))) };
  }
  if (isRecord(value) && Array.isArray(value.tables)) {
    const table = value.tables[0];
    if (!isRecord(table) || !Array.isArray(table.columns) || !Array.isArray(table.rows)) {
      throw new RowsError(`${source}: "tables[0]" must have "columns" and "rows" (the Log Analytics query API shape)`);
    }
    const names = table.columns.map((c) => (isRecord(c) ? String(c.name) : String(c)));
    const objects = table.rows.map((row, i) => {
      if (!Array.isArray(row)) throw new RowsError(`${source}: tables[0].rows[${i}] must be an array of values`);
      return Object.fromEntries(names.map((n, j) => [n, row[j]]));
    });
    return { objects, columns: new Set(names) };
  }
  throw new RowsError(
    `${source}: expected a JSON array of rows with columns ${PIM_EVENT_COLUMNS.join(", ")}, or a Log Analytics response {"tables":[{"columns":…,"rows":…}]}`,
  );
}

export function readRowsFile(path: string): PimEventRow[] {
  return rowsFromJson(readJsonFile(path, "the rows file"), path);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
