/**
 * The drill's evidence, to keep with the drill ticket: JSON (the report as judged), Markdown (the ticket comment)
 * and one self-contained HTML page (../html/page.ts). Every stage is shown with its target; targets are targets.
 */
import { describeSeconds } from "@entra-baseline/model";
import { barChart } from "../html/charts";
import { el, escapeHtml, htmlPage, SEVERITY_COLORS, table } from "../html/page";
import type { AccountResult, DrillReport } from "./drill";

const STAGE_NAMES = {
  ingestion: "Sign-in → ingested (queryable)",
  alert: "Ingested → alert fired",
  notification: "Alert fired → notified",
  endToEnd: "Sign-in → alert fired (end to end)",
} as const;

const TARGETS_NOTE =
  "Targets, not promises: Microsoft publishes no service level for Entra log delivery or alert latency (docs/monitoring.md, Drill targets).";

export function renderDrillJson(report: DrillReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function verdict(report: DrillReport): string {
  return report.passed
    ? `PASSED: the tripwire fired within ${describeSeconds(report.targets.endToEndSeconds)} of every drilled sign-in.`
    : `FAILED: the tripwire did not fire within ${describeSeconds(report.targets.endToEndSeconds)} for ${report.accounts
        .filter((a) => !a.firedInTime)
        .map((a) => a.upn)
        .join(", ")}. Treat it as a P1: the tripwire is broken (docs/operations.md, the drill runbook).`;
}

function seconds(s: number | undefined): string {
  if (s === undefined) return "—";
  const m = Math.floor(Math.abs(s) / 60);
  return `${s < 0 ? "-" : ""}${m} min ${Math.round(Math.abs(s) % 60)} s`;
}

function met(v: boolean | undefined): string {
  return v === undefined ? "not observable" : v ? "met" : "MISSED";
}

function accountRows(a: AccountResult): string[][] {
  return [
    ["Sign-in (CreatedDateTime)", a.signIn?.createdAt ?? "—"],
    ["Received (_TimeReceived)", a.signIn?.receivedAt ?? "—"],
    ["Ingested (ingestion_time())", a.signIn?.ingestedAt ?? "—"],
    ["Alert fired (startDateTime)", a.alert ? `${a.alert.firedAt} (${a.alert.id})` : "NOT FIRED"],
    ["Notified", a.notifiedAt ?? a.notificationSource],
  ];
}

export function renderDrillMarkdown(report: DrillReport): string {
  const lines = [`## Breakglass tripwire drill — tenant ${report.tenantId}`, ""];
  lines.push(`**${verdict(report)}**`, "");
  lines.push(
    `Window ${report.window.since} – ${report.window.until}; workspace ${report.workspace.customerId}; read ${report.recordedAt}.`,
    "",
  );
  for (const a of report.accounts) {
    lines.push(`### ${a.upn}${a.objectId ? ` (${a.objectId})` : ""}`, "");
    lines.push(
      `Sign-in: ${a.signIn?.table}, result ${a.signIn?.resultType === "0" ? "success" : `failure (${a.signIn?.resultType})`}, app ${a.signIn?.app || "—"}, Conditional Access ${a.signIn?.conditionalAccessStatus || "—"} (${a.signInRows} row(s) in the window).`,
      "",
    );
    lines.push("| Time | Value |", "|---|---|", ...accountRows(a).map(([k, v]) => `| ${k} | ${cell(v!)} |`), "");
    lines.push("| Stage | Took | Target | |", "|---|---|---|---|");
    for (const s of a.stages)
      lines.push(
        `| ${STAGE_NAMES[s.stage]} | ${seconds(s.seconds)} | ≤ ${describeSeconds(s.targetSeconds)} | ${met(s.met)} |`,
      );
    lines.push("");
  }
  if (report.notDrilled.length > 0)
    lines.push(`Not drilled this time (no sign-in in the window): ${report.notDrilled.join(", ")}.`, "");
  lines.push(`_${TARGETS_NOTE}_`);
  return `${lines.join("\n")}\n`;
}

export function renderDrillHtml(report: DrillReport): string {
  const parts = [
    `<p class="banner${report.passed ? " ok" : ""}" data-verdict="${report.passed ? "passed" : "failed"}">${escapeHtml(verdict(report))}</p>`,
  ];
  for (const a of report.accounts) {
    parts.push(`<section data-account="${escapeHtml(a.upn)}">`, el("h2", a.upn));
    parts.push(table(["Time", "Value"], accountRows(a), { "data-table": "times" }));
    parts.push(
      barChart({
        id: `stages-${a.upn}`,
        caption: "Each stage against its target (the dashed line is the end-to-end target)",
        bars: a.stages.map((s) => ({
          label: STAGE_NAMES[s.stage],
          value: s.seconds === undefined ? 0 : Math.round(s.seconds),
          color: s.met === false ? SEVERITY_COLORS.critical : s.met ? SEVERITY_COLORS.ok : SEVERITY_COLORS.info,
          note: `target ${describeSeconds(s.targetSeconds)}, ${met(s.met)}`,
        })),
        unit: "s",
        threshold: { value: report.targets.endToEndSeconds, label: describeSeconds(report.targets.endToEndSeconds) },
      }),
    );
    parts.push(
      table(
        ["Stage", "Took", "Target", "Result"],
        a.stages.map((s) => [
          STAGE_NAMES[s.stage],
          seconds(s.seconds),
          `≤ ${describeSeconds(s.targetSeconds)}`,
          met(s.met),
        ]),
        { "data-table": "stages" },
      ),
      "</section>",
    );
  }
  if (report.notDrilled.length > 0)
    parts.push(el("p", `Not drilled this time (no sign-in in the window): ${report.notDrilled.join(", ")}.`));
  parts.push(el("p", TARGETS_NOTE, { class: "meta" }));
  return htmlPage({
    title: "Breakglass tripwire drill",
    subtitle: `Tenant ${report.tenantId}; window ${report.window.since} – ${report.window.until}; workspace ${report.workspace.customerId}; read ${report.recordedAt}`,
    body: parts.join("\n"),
    footer: "entra-baseline npm run drill: the 90-day validation of the emergency access path (docs/operations.md).",
  });
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
