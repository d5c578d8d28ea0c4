/**
 * The weekly PIM activation review, from the PIM event rows: the same pairing the workbook does in KQL
 * (justification from the activation or its request, approver by correlation id, duration up to the expiry).
 */
import type { TicketSource } from "@entra-baseline/model";
import type { PimEventRow } from "./rows";

export interface WorkingHours {
  start: number;
  end: number;
  utcOffsetHours: number;
}

export interface Activation {
  activatedAt: string;
  admin: string;
  /** Minutes until the activation expired; null while active or if it ended early (not in these events). */
  durationMinutes: number | null;
  justification: string;
  ticket: string;
  /** "pim": PIM's own ticket field; "justification": matched by the ticket pattern; "": none, or not said. */
  ticketSource: TicketSource;
  approvedBy: string | null;
  /** When the request (same correlation id) was made and approved; null when the events do not show it. */
  requestedAt: string | null;
  approvedAt: string | null;
  /** Minutes from the request to its approval: how long the second person took. */
  approvalMinutes: number | null;
  outsideWorkingHours: boolean;
}

export interface AdminSummary {
  admin: string;
  activations: number;
  activeDays: number;
  withoutTicket: number;
  outsideWorkingHours: number;
  denied: number;
  /** Activated on `minActiveDays` or more days of the period: JIT used as standing access (monitoring.routineJitUse). */
  routine: boolean;
}

export interface DeniedRequest {
  deniedAt: string;
  admin: string;
  deniedBy: string;
  justification: string;
}

export interface PimReview {
  generatedAt: string;
  /** First and last event in the rows (null when there are none). */
  period: { from: string; to: string } | null;
  eventCount: number;
  workingHours: WorkingHours;
  minActiveDays: number;
  activations: Activation[];
  perAdmin: AdminSummary[];
  outsideWorkingHours: Activation[];
  denied: DeniedRequest[];
}

/** Default of monitoring.routineJitUse.minActiveDays. */
export const DEFAULT_MIN_ACTIVE_DAYS = 4;

export function buildPimReview(
  rows: readonly PimEventRow[],
  options: { workingHours: WorkingHours; now: Date; minActiveDays?: number },
): PimReview {
  const minActiveDays = options.minActiveDays ?? DEFAULT_MIN_ACTIVE_DAYS;
  const sorted = [...rows].sort((a, b) => a.TimeGenerated.localeCompare(b.TimeGenerated));
  const requests = new Map(sorted.filter((r) => r.Event === "requested").map((r) => [r.CorrelationId, r]));
  const approvals = new Map(sorted.filter((r) => r.Event === "approved").map((r) => [r.CorrelationId, r]));
  const expiries = sorted.filter((r) => r.Event === "expired");

  const activations: Activation[] = sorted
    .filter((r) => r.Event === "activated")
    .map((r) => {
      const request = r.CorrelationId ? requests.get(r.CorrelationId) : undefined;
      const expiry = expiries.find((e) => sameAdmin(e, r) && e.TimeGenerated > r.TimeGenerated);
      const approval = r.CorrelationId ? approvals.get(r.CorrelationId) : undefined;
      return {
        activatedAt: r.TimeGenerated,
        admin: r.Admin,
        durationMinutes: expiry
          ? Math.round((Date.parse(expiry.TimeGenerated) - Date.parse(r.TimeGenerated)) / 60_000)
          : null,
        justification: r.Justification || request?.Justification || "",
        ticket: r.Ticket || request?.Ticket || "",
        ticketSource: r.Ticket ? r.TicketSource : request?.Ticket ? request.TicketSource : "",
        approvedBy: approval?.Actor || null,
        requestedAt: request?.TimeGenerated ?? null,
        approvedAt: approval?.TimeGenerated ?? null,
        approvalMinutes:
          request && approval
            ? Math.round((Date.parse(approval.TimeGenerated) - Date.parse(request.TimeGenerated)) / 60_000)
            : null,
        outsideWorkingHours: isOutsideWorkingHours(r.TimeGenerated, options.workingHours),
      };
    });

  const denied: DeniedRequest[] = sorted
    .filter((r) => r.Event === "denied")
    .map((r) => ({ deniedAt: r.TimeGenerated, admin: r.Admin, deniedBy: r.Actor, justification: r.Justification }));

  const admins = new Map<string, AdminSummary>();
  const summary = (admin: string) => {
    let s = admins.get(admin);
    if (!s)
      admins.set(
        admin,
        (s = {
          admin,
          activations: 0,
          activeDays: 0,
          withoutTicket: 0,
          outsideWorkingHours: 0,
          denied: 0,
          routine: false,
        }),
      );
    return s;
  };
  const days = new Map<string, Set<string>>();
  for (const a of activations) {
    const s = summary(a.admin);
    s.activations++;
    if (!a.ticket) s.withoutTicket++;
    if (a.outsideWorkingHours) s.outsideWorkingHours++;
    days.set(a.admin, (days.get(a.admin) ?? new Set()).add(a.activatedAt.slice(0, 10)));
  }
  for (const d of denied) summary(d.admin).denied++;
  for (const [admin, set] of days) {
    const s = summary(admin);
    s.activeDays = set.size;
    s.routine = set.size >= minActiveDays;
  }

  return {
    generatedAt: options.now.toISOString(),
    period: sorted.length > 0 ? { from: sorted[0]!.TimeGenerated, to: sorted.at(-1)!.TimeGenerated } : null,
    eventCount: sorted.length,
    workingHours: options.workingHours,
    minActiveDays,
    activations: [...activations].reverse(),
    perAdmin: [...admins.values()].sort((a, b) => b.activations - a.activations || a.admin.localeCompare(b.admin)),
    outsideWorkingHours: activations.filter((a) => a.outsideWorkingHours).reverse(),
    denied: [...denied].reverse(),
  };
}

function sameAdmin(a: PimEventRow, b: PimEventRow): boolean {
  return a.AdminId && b.AdminId
    ? a.AdminId.toLowerCase() === b.AdminId.toLowerCase()
    : a.Admin.toLowerCase() === b.Admin.toLowerCase();
}

/** The local hour (UTC + offset) is before `start` or at/after `end` — the same test as the workbook's KQL. */
export function isOutsideWorkingHours(isoTime: string, hours: WorkingHours): boolean {
  const local = new Date(Date.parse(isoTime) + Math.round(hours.utcOffsetHours * 60) * 60_000);
  const hour = local.getUTCHours();
  return hour < hours.start || hour >= hours.end;
}
