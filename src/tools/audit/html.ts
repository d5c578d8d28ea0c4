/**
 * The audit as one self-contained HTML page (`--html FILE`): the posture of each pillar at a glance, findings per
 * severity as a chart, the trend over earlier runs when given (`--history DIR`), and every finding with its
 * severity, control ids, expected and actual state and the remediation. Pure: result in, markup out. Finding text
 * comes from tenant data and is escaped throughout (../html/page.ts).
 */
import { barChart, lineChart } from "../html/charts";
import { el, escapeHtml, htmlPage, SEVERITY_COLORS, table } from "../html/page";
import type { AuditResult } from "./audit";
import { SEVERITIES, severityRank, type Finding, type Severity } from "./findings";
import type { TrendPoint } from "./history";
import { failedSource, PILLAR_KEYS, PILLARS, pillarOf, SOURCE_PILLARS, type Pillar } from "./pillars";
import { summarize } from "./report";

export interface AuditHtmlOptions {
  /** Earlier runs and this one, oldest first (history.ts trendOf); no trend section without two or more. */
  trend?: readonly TrendPoint[];
  failOn: Severity;
}

export function renderAuditHtml(result: AuditResult, options: AuditHtmlOptions): string {
  const tenant = result.snapshot.tenantId ?? "(tenant id not configured)";
  const counts = summarize(result.findings);
  const failing = result.findings.filter((f) => severityRank(f.severity) >= severityRank(options.failOn)).length;
  const parts: string[] = [];
  parts.push(
    result.findings.length === 0
      ? `<p class="banner ok" data-verdict="clean">No findings: the tenant matches the model.</p>`
      : `<p class="banner" data-verdict="findings">${escapeHtml(
          `${result.findings.length} findings, ${failing} at or above ${options.failOn} (the audit's --fail-on).`,
        )}</p>`,
  );
  if (!result.complete) {
    parts.push(
      `<p class="banner" data-verdict="incomplete">${escapeHtml(
        `INCOMPLETE: some reads failed (AUD-READ-FAILED), so these checks did not run: ${result.skippedChecks.join(", ") || "none"}.`,
      )}</p>`,
    );
  }
  parts.push("<h2>Posture by pillar</h2>", pillarCards(result));
  parts.push(
    "<h2>Findings by severity</h2>",
    barChart({
      id: "severity",
      caption: "Findings per severity (this run)",
      bars: SEVERITIES.map((s) => ({ label: s, value: counts[s], color: SEVERITY_COLORS[s] })),
    }),
  );
  if (options.trend && options.trend.length > 1) parts.push("<h2>Trend</h2>", trendSection(options.trend));
  const failedReads = result.findings.filter((f) => f.id === "AUD-READ-FAILED");
  if (failedReads.length > 0) {
    parts.push("<h2>Reads that failed</h2>", ...failedReads.map(findingBlock));
  }
  parts.push("<h2>Findings</h2>");
  if (result.findings.length === failedReads.length) parts.push(el("p", "None.", { class: "none" }));
  for (const pillar of PILLAR_KEYS) {
    const findings = result.findings.filter((f) => pillarOf(f) === pillar);
    if (findings.length === 0) continue;
    parts.push(
      `<section data-pillar="${pillar}">`,
      el("h3", `${PILLARS[pillar]} (${findings.length})`),
      ...findings.map(findingBlock),
      "</section>",
    );
  }
  return htmlPage({
    title: "Entra baseline audit",
    subtitle: `Tenant ${tenant}, read at ${result.snapshot.takenAt}`,
    body: parts.join("\n"),
    footer:
      "entra-baseline npm run audit: a read-only comparison of the live tenant with the baseline model (docs/audit.md). Control ids: CISA ScubaGear MS.AAD, Maester MT, Microsoft Zero Trust Assessment (ZTA).",
  });
}

interface PillarPosture {
  pillar: Pillar;
  findings: Finding[];
  worst?: Severity;
  /** Sources whose read failed and that this pillar's checks need. */
  unread: string[];
}

export function pillarPosture(result: AuditResult): PillarPosture[] {
  const unreadSources = result.findings.map(failedSource).filter((s) => s !== undefined);
  return PILLAR_KEYS.map((pillar) => {
    const findings = result.findings.filter((f) => pillarOf(f) === pillar);
    const worst = SEVERITIES.find((s) => findings.some((f) => f.severity === s));
    const unread = unreadSources.filter((s) => SOURCE_PILLARS[s].includes(pillar));
    return { pillar, findings, worst, unread };
  });
}

function pillarCards(result: AuditResult): string {
  const cards = pillarPosture(result).map(({ pillar, findings, worst, unread }) => {
    const status =
      worst !== undefined ? `${worst.toUpperCase()}` : unread.length > 0 ? "NOT FULLY CHECKED" : "MATCHES THE MODEL";
    const color = worst ? SEVERITY_COLORS[worst] : unread.length > 0 ? SEVERITY_COLORS.critical : SEVERITY_COLORS.ok;
    const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(
      ([, n]) => n > 0,
    );
    return (
      `<div class="card" data-pillar="${pillar}" style="--accent:${color}">` +
      el("h3", PILLARS[pillar]) +
      el("div", status, { class: "status" }) +
      el("div", findings.length === 0 ? "No findings" : counts.map(([s, n]) => `${n} ${s}`).join(", "), {
        class: "counts",
      }) +
      (findings.length > 0 ? el("div", [...new Set(findings.map((f) => f.id))].join(", "), { class: "ids" }) : "") +
      (unread.length > 0 ? el("div", `Not read: ${unread.join(", ")}`, { class: "unread" }) : "") +
      "</div>"
    );
  });
  return `<div class="cards">${cards.join("")}</div>`;
}

function findingBlock(f: Finding): string {
  const color = SEVERITY_COLORS[f.severity];
  return (
    `<article class="finding" data-finding="${escapeHtml(f.id)}" data-severity="${f.severity}" style="--accent:${color}">` +
    `<div><span class="badge">${escapeHtml(f.severity)}</span> <strong>${escapeHtml(f.id)}</strong> ${escapeHtml(f.title)}</div>` +
    "<dl>" +
    [
      ["Object", f.object],
      ["Expected", f.expected],
      ["Actual", f.actual],
      ["Controls", f.controls.join(", ") || "—"],
      ["Remediation", f.remediation],
    ]
      .map(
        ([k, v]) => `<dt>${escapeHtml(k)}</dt><dd data-field="${escapeHtml(k!.toLowerCase())}">${escapeHtml(v)}</dd>`,
      )
      .join("") +
    "</dl></article>"
  );
}

function trendSection(trend: readonly TrendPoint[]): string {
  const labels = trend.map((p) => p.takenAt.slice(0, 10));
  // Two runs on one day: the label needs the time too.
  const categories = labels.map((l, i) =>
    labels.filter((x) => x === l).length > 1 ? trend[i]!.takenAt.slice(0, 16).replace("T", " ") : l,
  );
  const series = SEVERITIES.filter((s) => trend.some((p) => p.counts[s] > 0)).map((s) => ({
    name: s,
    color: SEVERITY_COLORS[s],
    values: trend.map((p) => p.counts[s]),
  }));
  return (
    lineChart({
      id: "trend",
      caption: `Findings per severity over ${trend.length} runs (each run audited with today's stack config)`,
      categories,
      series:
        series.length > 0 ? series : [{ name: "findings", color: SEVERITY_COLORS.ok, values: trend.map(() => 0) }],
    }) +
    table(
      ["Run", ...SEVERITIES, "Total", "Complete"],
      trend.map((p) => [p.takenAt, ...SEVERITIES.map((s) => p.counts[s]), p.total, p.complete ? "yes" : "no"]),
      { "data-table": "trend" },
    )
  );
}
