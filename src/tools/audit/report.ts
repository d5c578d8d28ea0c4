/**
 * Renders an audit result: a table for people (default), Markdown for a CI job summary, JSON for machines.
 * Nothing here prints secrets: findings hold ids, names and settings only.
 */
import type { AuditResult } from "./audit";
import { FINDING_KINDS, SEVERITIES, type Finding, type Severity } from "./findings";

export function summarize(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function summaryLine(result: AuditResult): string {
  const counts = summarize(result.findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return result.findings.length === 0
    ? "No findings: the tenant matches the model."
    : `${result.findings.length} findings: ${parts.join(", ")}.`;
}

function header(result: AuditResult): string {
  const tenant = result.snapshot.tenantId ? `tenant ${result.snapshot.tenantId}` : "tenant (id not configured)";
  return `Entra baseline audit — ${tenant}, read at ${result.snapshot.takenAt}`;
}

function incompleteNote(result: AuditResult): string | undefined {
  if (result.complete) return undefined;
  return `INCOMPLETE: some reads failed (AUD-READ-FAILED); these checks did not run: ${result.skippedChecks.join(", ") || "none"}.`;
}

export function renderJson(result: AuditResult, failOn: Severity): string {
  return `${JSON.stringify(
    {
      tenantId: result.snapshot.tenantId ?? null,
      takenAt: result.snapshot.takenAt,
      complete: result.complete,
      skippedChecks: result.skippedChecks,
      failOn,
      summary: summarize(result.findings),
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}

export function renderMarkdown(result: AuditResult): string {
  const lines = [`## ${header(result)}`, ""];
  const note = incompleteNote(result);
  if (note) lines.push(`> **${note}**`, "");
  lines.push(`**${summaryLine(result)}**`, "");
  if (result.findings.length > 0) {
    lines.push("| Severity | Finding | Object | Expected | Actual | Controls |", "|---|---|---|---|---|---|");
    for (const f of result.findings) {
      lines.push(
        `| ${f.severity} | ${cell(f.id)} ${cell(f.title)} | ${cell(f.object)} | ${cell(f.expected)} | ${cell(f.actual)} | ${cell(f.controls.join(", "))} |`,
      );
    }
    lines.push("", "### Remediation", "");
    for (const id of distinctIds(result.findings))
      lines.push(`- **${id}** — ${cell(remediationOf(result.findings, id))}`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderTable(result: AuditResult, width = 120): string {
  const lines = [header(result)];
  const note = incompleteNote(result);
  if (note) lines.push("", note);
  lines.push("", summaryLine(result));
  if (result.findings.length === 0) return `${lines.join("\n")}\n`;
  const rows = result.findings.map((f) => [f.severity.toUpperCase(), f.id, f.object, f.actual]);
  const head = ["SEVERITY", "FINDING", "OBJECT", "ACTUAL"];
  const fixed = [8, Math.max(...rows.map((r) => r[1]!.length), 7)];
  const rest = Math.max(width - fixed[0]! - fixed[1]! - 6, 40);
  const widths = [fixed[0]!, fixed[1]!, Math.ceil(rest * 0.45), Math.floor(rest * 0.55)];
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
  lines.push("", ...format(head), widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) lines.push(...format(r));
  lines.push("", "Expected values, controls and details: --json or --markdown. Remediation:");
  for (const id of distinctIds(result.findings)) lines.push(`  ${id}: ${remediationOf(result.findings, id)}`);
  return `${lines.join("\n")}\n`;
}

function distinctIds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.id))];
}

function remediationOf(findings: readonly Finding[], id: string): string {
  return findings.find((f) => f.id === id)?.remediation ?? FINDING_KINDS[id as keyof typeof FINDING_KINDS].remediation;
}

/** Word-wraps a cell; words longer than the column are cut. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    for (let w = word; w.length > 0; w = w.slice(width)) {
      const piece = w.slice(0, width);
      if (current && current.length + 1 + piece.length > width) {
        lines.push(current);
        current = piece;
      } else {
        current = current ? `${current} ${piece}` : piece;
      }
    }
  }
  lines.push(current);
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
