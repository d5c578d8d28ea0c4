/**
 * What a write run tells people: the checks it waited on, every action with its status, what it reports but leaves
 * alone, and the outcome. As a table on a terminal, `--json` for machines, `--markdown` for a pull request or an
 * incident ticket. One shape for every write command.
 */
import type { ActionStatus } from "./engine";

export interface ReportCheck {
  name: string;
  ok: boolean;
  /** A failed blocking check stops the run before any write. */
  blocking: boolean;
  summary: string;
  problems: string[];
}

export interface ReportAction {
  step: string;
  action: string;
  object: string;
  status: ActionStatus;
  detail?: string;
}

export interface ReportNote {
  /** e.g. "unlisted", "group", "refused", "untouched". */
  kind: string;
  object: string;
  detail: string;
}

export type RunMode = "plan" | "dryRun" | "apply" | "resume" | "restore" | "restoreDryRun";
export type RunOutcome = "planned" | "refused" | "completed" | "stopped";

export interface WriteReport {
  command: string;
  stack: string;
  tenantId: string;
  mode: RunMode;
  /** Where the plan came from. */
  source: string;
  runId?: string;
  journal?: string;
  /** The identity running it. */
  caller?: string;
  checks: ReportCheck[];
  actions: ReportAction[];
  notes: ReportNote[];
  outcome: RunOutcome;
  /** One sentence: what happened, and what to do next. */
  message: string;
  /** Graph requests and writes this run sent. */
  requests?: number;
  writes?: number;
}

const MODE_TITLES: Readonly<Record<RunMode, string>> = {
  plan: "plan from a snapshot (nothing is written)",
  dryRun: "dry run (nothing is written; --apply writes)",
  apply: "apply",
  resume: "resume",
  restore: "restore",
  restoreDryRun: "restore, dry run (nothing is written; --apply writes)",
};

/** 0 when the run did what it was asked (or would), 1 when it refused to start or stopped part way. */
export function reportExitCode(report: WriteReport): 0 | 1 {
  return report.outcome === "refused" || report.outcome === "stopped" ? 1 : 0;
}

export function renderJson(report: WriteReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function counts(report: WriteReport): string {
  const by = new Map<string, number>();
  for (const a of report.actions) by.set(a.status, (by.get(a.status) ?? 0) + 1);
  return [...by].map(([status, n]) => `${n} ${status}`).join(", ") || "no action";
}

export function renderTable(report: WriteReport, columns = 120): string {
  const out: string[] = [];
  out.push(`${report.command} — stack ${report.stack}, tenant ${report.tenantId}: ${MODE_TITLES[report.mode]}`);
  out.push(`from ${report.source}${report.runId ? `; run ${report.runId}` : ""}`);
  if (report.journal) out.push(`journal: ${report.journal}`);
  if (report.caller) out.push(`identity running it: ${report.caller}`);
  for (const c of report.checks) {
    out.push("");
    out.push(`${c.ok ? "ok  " : c.blocking ? "FAIL" : "warn"} ${c.name}: ${c.summary}`);
    for (const p of c.problems) out.push(`       - ${p}`);
  }
  if (report.actions.length > 0) {
    out.push("", `Actions (${counts(report)}):`);
    const rows = report.actions.map((a) => [a.status, a.action, a.object, a.detail ?? ""]);
    out.push(...table(["STATUS", "ACTION", "OBJECT", "DETAIL"], rows, columns));
  }
  if (report.notes.length > 0) {
    out.push("", `Reported, not changed (${report.notes.length}):`);
    out.push(
      ...table(
        ["KIND", "OBJECT", "WHY"],
        report.notes.map((n) => [n.kind, n.object, n.detail]),
        columns,
      ),
    );
  }
  out.push("", `${report.outcome.toUpperCase()}: ${report.message}`);
  if (report.requests !== undefined)
    out.push(`Graph: ${report.requests} requests${report.writes !== undefined ? `, ${report.writes} writes` : ""}`);
  return `${out.join("\n")}\n`;
}

function table(head: string[], rows: string[][], columns: number): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The last column takes what is left of the terminal; the others keep their width.
  const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 2);
  const last = Math.max(20, columns - fixed);
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === cells.length - 1 ? truncate(c, last) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()}`;
  return [line(head), ...rows.map(line)];
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Markdown table cells: pipes and newlines would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function renderMarkdown(report: WriteReport): string {
  const out: string[] = [];
  out.push(`## \`${report.command}\` — stack \`${report.stack}\`: ${MODE_TITLES[report.mode]}`, "");
  out.push(`**${report.outcome}**: ${report.message}`, "");
  out.push(`- tenant: \`${report.tenantId}\``, `- from: ${report.source}`);
  if (report.runId) out.push(`- run: \`${report.runId}\``);
  if (report.journal) out.push(`- journal: \`${report.journal}\``);
  if (report.caller) out.push(`- identity running it: ${report.caller}`);
  if (report.requests !== undefined) out.push(`- Graph: ${report.requests} requests, ${report.writes ?? 0} writes`);
  if (report.checks.length > 0) {
    out.push("", "### Checks before any write", "", "| check | result | |", "|---|---|---|");
    for (const c of report.checks) {
      const result = c.ok ? "ok" : c.blocking ? "**failed (blocks)**" : "warning";
      out.push(`| ${cell(c.name)} | ${result} | ${cell([c.summary, ...c.problems].join("; "))} |`);
    }
  }
  if (report.actions.length > 0) {
    out.push("", `### Actions (${counts(report)})`, "", "| status | action | object | detail |", "|---|---|---|---|");
    for (const a of report.actions)
      out.push(`| ${a.status} | ${cell(a.action)} | ${cell(a.object)} | ${cell(a.detail ?? "")} |`);
  }
  if (report.notes.length > 0) {
    out.push("", `### Reported, not changed (${report.notes.length})`, "", "| kind | object | why |", "|---|---|---|");
    for (const n of report.notes) out.push(`| ${n.kind} | ${cell(n.object)} | ${cell(n.detail)} |`);
  }
  return `${out.join("\n")}\n`;
}

export function renderReport(report: WriteReport, format: "table" | "json" | "markdown", columns?: number): string {
  return format === "json"
    ? renderJson(report)
    : format === "markdown"
      ? renderMarkdown(report)
      : renderTable(report, columns);
}
