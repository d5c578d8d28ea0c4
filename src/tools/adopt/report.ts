/**
 * Renders what adopt did and what the preflight found: a table for people (default), Markdown for a pull request or
 * a CI job summary, JSON for machines. Nothing here prints a secret: the reports hold ids, names and settings only.
 */
import type { ImportPlan } from "./imports";
import type { PreflightReport, Risk } from "./preflight";
import type { Note } from "./propose";

export interface AdoptSummary {
  stack: string;
  /** Files written, relative to the working directory. */
  written: string[];
  changes: string[];
  notes: Note[];
  imports: ImportPlan;
}

export interface ReportInput {
  adopt?: AdoptSummary;
  preflight: PreflightReport;
}

export function renderJson(input: ReportInput): string {
  const { adopt, preflight } = input;
  return `${JSON.stringify(
    {
      ...(adopt
        ? {
            stack: adopt.stack,
            written: adopt.written,
            changes: adopt.changes,
            notes: adopt.notes,
            imports: {
              file: adopt.imports.file,
              imported: adopt.imports.imported,
              adoptedInCreate: adopt.imports.adoptedInCreate,
              created: adopt.imports.created,
            },
          }
        : {}),
      preflight: { ...preflight, lockOutRisks: preflight.risks.length },
    },
    null,
    2,
  )}\n`;
}

function summary(p: PreflightReport): string {
  return p.risks.length === 0
    ? "Preflight: no lock-out risk found."
    : `Preflight: ${p.risks.length} lock-out risk${p.risks.length === 1 ? "" : "s"} found (exit 1): fix them, or accept each one knowingly, before the first up.`;
}

function header(input: ReportInput): string {
  const p = input.preflight;
  const tenant = p.tenantId ? `tenant ${p.tenantId}` : "tenant (id unknown)";
  return input.adopt
    ? `Adopt of stack "${input.adopt.stack}" — ${tenant}, read at ${p.takenAt}`
    : `Preflight — ${tenant}, read at ${p.takenAt}`;
}

export function renderMarkdown(input: ReportInput): string {
  const { adopt, preflight: p } = input;
  const lines = [`## ${header(input)}`, "", `**${summary(p)}**`, ""];
  if (adopt) {
    lines.push("### Files", "", ...adopt.written.map((f) => `- \`${f}\``), "");
    if (adopt.changes.length > 0)
      lines.push("### Stack file changes", "", ...adopt.changes.map((c) => `- ${cell(c)}`), "");
    const todo = adopt.notes.filter((n) => n.todo);
    if (todo.length > 0) lines.push("### To do before the first up", "", ...todo.map((n) => `- ${cell(n.text)}`), "");
    lines.push(
      "### Adoption",
      "",
      `${adopt.imports.imported.length} existing objects to import (\`pulumi import --file import.json\`), ${adopt.imports.adoptedInCreate.length} adopted by the program's own resources in create, ${adopt.imports.created.length} created.`,
      "",
    );
    if (adopt.imports.imported.length > 0) {
      lines.push("| Imported | Resource | Id |", "|---|---|---|");
      for (const i of adopt.imports.imported) lines.push(`| ${cell(i.what)} | \`${i.name}\` | \`${cell(i.id)}\` |`);
      lines.push("");
    }
    if (adopt.imports.adoptedInCreate.length > 0) {
      lines.push("| Adopted in create | Resource |", "|---|---|");
      for (const a of adopt.imports.adoptedInCreate) lines.push(`| ${cell(a.what)} | \`${a.name}\` |`);
      lines.push("");
    }
    const other = adopt.notes.filter((n) => !n.todo);
    if (other.length > 0) lines.push("### Found", "", ...other.map((n) => `- ${cell(n.text)}`), "");
  }
  if (p.risks.length > 0) {
    lines.push("### Lock-out risks", "", "| Kind | Object | Problem | Fix |", "|---|---|---|---|");
    for (const r of p.risks) lines.push(`| ${r.kind} | ${cell(r.object)} | ${cell(r.problem)} | ${cell(r.fix)} |`);
    lines.push("");
  }
  if (p.notices.length > 0) lines.push("### Notices", "", ...p.notices.map((n) => `- ${cell(n.text)}`), "");
  if (p.holders.length > 0) {
    lines.push(
      "### What happens to each Tier-0 holder",
      "",
      "| Principal | Role | Today | After |",
      "|---|---|---|---|",
    );
    for (const h of p.holders)
      lines.push(`| ${cell(h.principal)} | ${cell(h.role)} | ${cell(h.today)} | ${cell(h.after)} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

export function renderTable(input: ReportInput, width = 120): string {
  const { adopt, preflight: p } = input;
  const lines = [header(input), ""];
  if (adopt) {
    lines.push("Written:", ...adopt.written.map((f) => `  ${f}`), "");
    if (adopt.changes.length > 0) lines.push("Stack file changes:", ...adopt.changes.map((c) => `  - ${c}`), "");
    lines.push(
      `Adoption: ${adopt.imports.imported.length} to import (pulumi import --file import.json), ${adopt.imports.adoptedInCreate.length} adopted in create, ${adopt.imports.created.length} created`,
      ...adopt.imports.imported.map((i) => `  import  ${i.what}: ${i.id}`),
      ...adopt.imports.adoptedInCreate.map((a) => `  create  adopts ${a.what}`),
      "",
    );
    const todo = adopt.notes.filter((n) => n.todo);
    if (todo.length > 0) lines.push("To do before the first up:", ...todo.map((n) => `  - ${n.text}`), "");
    const other = adopt.notes.filter((n) => !n.todo);
    if (other.length > 0) lines.push("Found:", ...other.map((n) => `  - ${n.text}`), "");
  }
  lines.push(summary(p));
  if (p.risks.length > 0) lines.push("", ...table(p.risks, width));
  if (p.notices.length > 0) lines.push("", "Notices:", ...p.notices.map((n) => `  - ${n.text}`));
  if (p.holders.length > 0) {
    lines.push("", "What happens to each Tier-0 holder:");
    for (const h of p.holders) lines.push(`  ${h.principal} → ${h.role}: ${h.today} → ${h.after}`);
  }
  return `${lines.join("\n")}\n`;
}

function table(risks: readonly Risk[], width: number): string[] {
  const head = ["RISK", "OBJECT", "PROBLEM"];
  const kind = Math.max(...risks.map((r) => r.kind.length), 4);
  const rest = Math.max(width - kind - 4, 40);
  const widths = [kind, Math.ceil(rest * 0.35), Math.floor(rest * 0.65)];
  const format = (cells: string[]) => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) =>
      wrapped
        .map((w, i) => (w[line] ?? "").padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
  };
  const out = [...format(head), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const r of risks) out.push(...format([r.kind, r.object, `${r.problem}. Fix: ${r.fix}`]));
  return out;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    for (let w = word; w.length > 0; w = w.slice(width)) {
      const piece = w.slice(0, width);
      if (current && current.length + 1 + piece.length > width) {
        lines.push(current);
        current = piece;
      } else current = current ? `${current} ${piece}` : piece;
    }
  }
  lines.push(current);
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
