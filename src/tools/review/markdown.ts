/** The review as Markdown, for a CI job summary or a ticket. */
import { formatOffset } from "@entra-baseline/model";
import { type Activation, type PimReview, roleLabel } from "./review";
import { contents, perRoleAdminTable, perRoleTable } from "./tables";

export function renderReviewMarkdown(review: PimReview): string {
  const { start, end, utcOffsetHours } = review.workingHours;
  const lines: string[] = ["# PIM activation review — managed roles, last 7 days", ""];
  lines.push(`Roles reviewed: ${review.roles.join(", ")}.`, "");
  lines.push(
    review.period
      ? `${count(review.eventCount, "PIM event")} from ${review.period.from} to ${review.period.to}; generated ${review.generatedAt}.`
      : `No PIM events of the managed roles in the period; generated ${review.generatedAt}.`,
    "",
  );
  const admins = review.perAdmin.filter((a) => a.activations > 0).length;
  const roles = review.perRole.filter((r) => r.activations > 0).length;
  const routine = review.perAdmin.filter((a) => a.routine).length;
  lines.push(
    `${count(review.activations.length, "activation", "**")} of ${count(roles, "role", "**")} by ${count(admins, "admin", "**")}, ` +
      `**${review.activations.filter((a) => !a.ticket).length}** without a ticket reference, ` +
      `**${review.outsideWorkingHours.length}** outside working hours, ${count(review.denied.length, "denied request", "**")}, ` +
      `${count(routine, "admin", "**")} using JIT routinely (active on ${review.minActiveDays}+ days).`,
    "",
  );

  lines.push("## Activations", "");
  lines.push(...activationTable(review.activations));
  if (review.activations.some((a) => a.ticket)) lines.push(TICKET_NOTE, "");

  lines.push("## Per role", "");
  lines.push(...table(...contents(perRoleTable(review))));

  lines.push("## Per admin", "");
  lines.push(
    "All roles together. Routine use is per admin: active days count the days with an activation of any role.",
    "",
  );
  lines.push(
    ...table(
      ["Admin", "Activations", "Active days", "Routine use", "Without ticket", "Outside working hours", "Denied"],
      review.perAdmin.map((a) => [
        a.admin,
        a.activations,
        a.activeDays,
        a.routine ? `**yes** (≥ ${review.minActiveDays} days)` : "no",
        a.withoutTicket,
        a.outsideWorkingHours,
        a.denied,
      ]),
    ),
  );

  lines.push("## Per role and admin", "");
  lines.push(...table(...contents(perRoleAdminTable(review))));

  lines.push(`## Outside working hours (${start}:00–${end}:00 UTC${formatOffset(utcOffsetHours)})`, "");
  lines.push(...activationTable(review.outsideWorkingHours));

  lines.push("## Denied requests", "");
  lines.push(
    ...table(
      ["Denied at", "Role", "Admin", "Denied by", "Justification"],
      review.denied.map((d) => [d.deniedAt, roleLabel(d.role), d.admin, d.deniedBy, d.justification]),
    ),
  );
  return lines.join("\n");
}

function activationTable(activations: Activation[]): string[] {
  return table(
    ["Activated at", "Role", "Admin", "Duration", "Justification", "Ticket", "Approved by"],
    activations.map((a) => [
      a.activatedAt,
      roleLabel(a.role),
      a.admin,
      a.durationMinutes === null ? "active or ended early" : `${a.durationMinutes} min`,
      a.justification,
      a.ticket ? `${a.ticket}${TICKET_SOURCE_LABELS[a.ticketSource]}` : "**none**",
      a.approvedBy ?? "**not recorded**",
    ]),
  );
}

/** How each ticket was found; PIM's ticket key in the audit log is unconfirmed (docs/monitoring.md). */
const TICKET_SOURCE_LABELS: Record<Activation["ticketSource"], string> = {
  pim: " (PIM)",
  justification: " (from justification)",
  "": "",
};
const TICKET_NOTE =
  "Tickets marked (PIM) are PIM's own ticket field; (from justification) were matched by the ticket pattern in the justification, because the audit record carried no ticket field. Which audit key PIM writes the ticket to is unconfirmed.";

function table(header: string[], rows: (string | number)[][]): string[] {
  if (rows.length === 0) return ["_None._", ""];
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map((c) => cell(String(c))).join(" | ")} |`),
    "",
  ];
}

/** Justifications are free text: keep them on one line and inside their cell. */
function cell(value: string): string {
  return value.replace(/\r?\n/g, " ").replace(/\|/g, "\\|") || "—";
}

/** "1 admin", "2 admins"; `mark` wraps the number ("**"). Every noun here takes a plain -s. */
function count(n: number, noun: string, mark = ""): string {
  return `${mark}${n}${mark} ${noun}${n === 1 ? "" : "s"}`;
}
