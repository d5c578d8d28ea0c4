/**
 * The weekly PIM review as one self-contained HTML page (`npm run review -- --html FILE`), as charts a reviewer reads
 * at a glance and the tables behind them: activations per managed role, activations per admin per day (all roles),
 * each activation's duration and approval time, requests without a ticket reference, and who used JIT routinely
 * (active on `minActiveDays` or more days, any role). Pure: the review object (review.ts) in, markup out; everything is escaped.
 */
import { formatOffset } from "@entra-baseline/model";
import { barChart, heatmap, stackedColumns } from "../html/charts";
import { el, escapeHtml, html, htmlPage, SEVERITY_COLORS, table } from "../html/page";
import { type Activation, type PimReview, roleLabel, roleSummaryLabel } from "./review";
import { contents, perRoleAdminTable, perRoleTable } from "./tables";

const PALETTE = ["#2563eb", "#c2410c", "#15803d", "#7c3aed", "#b7791f", "#0e7490", "#be185d", "#4b5563"];

export function renderReviewHtml(review: PimReview): string {
  const days = reviewDays(review);
  const admins = review.perAdmin.filter((a) => a.activations > 0).map((a) => a.admin);
  const color = (admin: string) => PALETTE[admins.indexOf(admin) % PALETTE.length]!;
  const perDay = (admin: string) =>
    days.map((d) => review.activations.filter((a) => a.admin === admin && a.activatedAt.slice(0, 10) === d).length);
  const withoutTicket = review.activations.filter((a) => !a.ticket);
  const routine = review.perAdmin.filter((a) => a.routine);
  const rolesActive = review.perRole.filter((r) => r.activations > 0).length;
  const { start, end, utcOffsetHours } = review.workingHours;
  const parts: string[] = [];

  parts.push(el("p", `Roles reviewed: ${review.roles.join(", ")}.`, { "data-roles": review.roles.length }));
  parts.push(
    `<div class="cards">${[
      summaryCard(
        "activations",
        "Activations",
        review.activations.length,
        `of ${rolesActive} role(s) by ${admins.length} admin(s)`,
      ),
      summaryCard("without-ticket", "Without a ticket", withoutTicket.length, "requests with no ticket reference"),
      summaryCard(
        "outside-hours",
        "Outside working hours",
        review.outsideWorkingHours.length,
        `${start}:00–${end}:00 UTC${formatOffset(utcOffsetHours)}`,
      ),
      summaryCard("denied", "Denied requests", review.denied.length, ""),
      summaryCard("routine", "Routine use", routine.length, `admins active on ${review.minActiveDays}+ days`),
    ].join("")}</div>`,
  );

  parts.push(
    "<h2>Activations per role</h2>",
    barChart({
      id: "per-role",
      caption: "Activations per managed role (a role with none is listed too)",
      bars: review.perRole.map((r) => ({
        label: roleSummaryLabel(r),
        value: r.activations,
        color: r.managed ? SEVERITY_COLORS.low : SEVERITY_COLORS.high,
      })),
    }),
    table(...contents(perRoleTable(review)), { "data-table": "per-role" }),
  );

  parts.push(
    "<h2>Activations per admin and day</h2>",
    stackedColumns({
      id: "per-day",
      caption: "Activations per day (all roles), by admin",
      categories: days,
      series: admins.map((a) => ({ name: a, color: color(a), values: perDay(a) })),
    }),
    heatmap({
      id: "admin-day",
      caption: "Activations per admin per day (all roles)",
      rows: admins,
      columns: days.map((d) => d.slice(5)),
      values: admins.map(perDay),
      color: SEVERITY_COLORS.low,
    }),
  );

  parts.push(
    "<h2>Routine use of just-in-time access</h2>",
    barChart({
      id: "active-days",
      caption: `Days with an activation of any role, per admin (routine at ${review.minActiveDays} or more: monitoring.routineJitUse.minActiveDays)`,
      bars: review.perAdmin.map((a) => ({
        label: a.admin,
        value: a.activeDays,
        color: a.routine ? SEVERITY_COLORS.high : SEVERITY_COLORS.low,
        note: a.routine ? "routine" : undefined,
      })),
      unit: "day(s)",
      threshold: { value: review.minActiveDays, label: `${review.minActiveDays} days` },
    }),
  );

  const label = (a: Activation) => `${a.admin} ${roleLabel(a.role)} ${a.activatedAt.slice(5, 16).replace("T", " ")}`;
  const timed = review.activations.filter((a) => a.durationMinutes !== null);
  const approved = review.activations.filter((a) => a.approvalMinutes !== null);
  parts.push(
    "<h2>Durations and approvals</h2>",
    barChart({
      id: "durations",
      caption: `Activation durations (until expiry; ${review.activations.length - timed.length} still active or ended early, not shown)`,
      bars: timed.map((a) => ({ label: label(a), value: a.durationMinutes!, color: SEVERITY_COLORS.low })),
      unit: "min",
    }),
    barChart({
      id: "approval-times",
      caption: `Time from request to approval (${review.activations.length - approved.length} activation(s) without a recorded approval)`,
      bars: approved.map((a) => ({ label: label(a), value: a.approvalMinutes!, color: SEVERITY_COLORS.medium })),
      unit: "min",
    }),
  );

  parts.push(
    "<h2>Requests without a ticket</h2>",
    barChart({
      id: "without-ticket",
      caption: "Activations without a ticket reference, per admin",
      bars: review.perAdmin
        .filter((a) => a.activations > 0)
        .map((a) => ({
          label: a.admin,
          value: a.withoutTicket,
          color: a.withoutTicket > 0 ? SEVERITY_COLORS.high : SEVERITY_COLORS.ok,
        })),
    }),
    activationTable(withoutTicket, "without-ticket"),
  );

  parts.push(
    "<h2>Per admin</h2>",
    table(
      ["Admin", "Activations", "Active days", "Routine use", "Without ticket", "Outside working hours", "Denied"],
      review.perAdmin.map((a) => [
        a.admin,
        a.activations,
        a.activeDays,
        a.routine ? `yes (≥ ${review.minActiveDays} days)` : "no",
        a.withoutTicket,
        a.outsideWorkingHours,
        a.denied,
      ]),
      { "data-table": "per-admin" },
    ),
    "<h2>Per role and admin</h2>",
    table(...contents(perRoleAdminTable(review)), { "data-table": "per-role-admin" }),
    "<h2>All activations</h2>",
    activationTable(review.activations, "activations"),
    "<h2>Denied requests</h2>",
    table(
      ["Denied at", "Role", "Admin", "Denied by", "Justification"],
      review.denied.map((d) => [d.deniedAt, roleLabel(d.role), d.admin, d.deniedBy, d.justification || "—"]),
      { "data-table": "denied" },
    ),
  );

  return htmlPage({
    title: "PIM activation review: managed roles",
    subtitle: review.period
      ? `${review.eventCount} PIM events from ${review.period.from} to ${review.period.to}; generated ${review.generatedAt}`
      : `No PIM events of the managed roles in the period; generated ${review.generatedAt}`,
    body: parts.join("\n"),
    footer:
      "entra-baseline npm run review: the weekly review of just-in-time use of every managed role (docs/monitoring.md).",
  });
}

function summaryCard(id: string, title: string, value: number, detail: string): string {
  return (
    `<div class="card" data-summary="${escapeHtml(id)}">` +
    el("h3", title) +
    el("div", value, { class: "status value" }) +
    (detail ? el("div", detail) : "") +
    "</div>"
  );
}

function activationTable(activations: readonly Activation[], id: string): string {
  return table(
    ["Activated at", "Role", "Admin", "Duration", "Approval", "Justification", "Ticket", "Approved by"],
    activations.map((a) => [
      a.activatedAt,
      roleLabel(a.role),
      a.admin,
      a.durationMinutes === null ? "active or ended early" : `${a.durationMinutes} min`,
      a.approvalMinutes === null ? "—" : `${a.approvalMinutes} min`,
      a.justification || "—",
      a.ticket ? a.ticket : html("<strong>none</strong>"),
      a.approvedBy ?? "not recorded",
    ]),
    { "data-table": id },
  );
}

/** The days the review covers (UTC dates): the seven days up to its end, or its events' span when longer. */
function reviewDays(review: PimReview): string[] {
  const last = Date.parse(`${(review.period?.to ?? review.generatedAt).slice(0, 10)}T00:00:00Z`);
  const first = Math.min(
    last - 6 * 86_400_000,
    Date.parse(`${(review.period?.from ?? review.generatedAt).slice(0, 10)}T00:00:00Z`),
  );
  const days: string[] = [];
  for (let t = first; t <= last; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
