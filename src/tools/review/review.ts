/**
 * The weekly PIM activation review of the managed roles, from the PIM event rows: the same pairing the workbook does
 * in KQL (justification from the activation or its request, approver by correlation id, duration up to the expiry
 * of the same admin's same role), counted per role, per admin and per role and admin.
 */
import { reviewedRoleNames, type TicketSource } from "@entra-baseline/model";
import type { PimEventRow } from "./rows";

export interface WorkingHours {
  start: number;
  end: number;
  utcOffsetHours: number;
}

export interface Activation {
  activatedAt: string;
  /** The role activated (its display name); "" when the rows do not say (rows files from before they carried it). */
  role: string;
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

/** One role: its activations and denied requests. */
export interface RoleSummary {
  role: string;
  /** One of the roles the review covers (the stack's managed roles); false for a role only the rows name. */
  managed: boolean;
  activations: number;
  /** Distinct admins with an activation of the role. */
  admins: number;
  withoutTicket: number;
  outsideWorkingHours: number;
  denied: number;
}

/** All roles together: one admin's activations and denied requests. */
export interface AdminSummary {
  admin: string;
  activations: number;
  activeDays: number;
  withoutTicket: number;
  outsideWorkingHours: number;
  denied: number;
  /**
   * Activated (any role) on `minActiveDays` or more days of the period: JIT used as standing access
   * (monitoring.routineJitUse). Per admin, not per role: privileged access every day is routine whichever role it is.
   */
  routine: boolean;
}

/** One admin's activations and denied requests of one role (routine use is judged per admin, above). */
export interface RoleAdminSummary extends Omit<AdminSummary, "routine"> {
  role: string;
}

export interface DeniedRequest {
  deniedAt: string;
  role: string;
  admin: string;
  deniedBy: string;
  justification: string;
}

export interface PimReview {
  generatedAt: string;
  /** First and last event in the rows (null when there are none). */
  period: { from: string; to: string } | null;
  eventCount: number;
  /** The managed roles the review covers, Global Administrator first (the roles the query asked for). */
  roles: string[];
  workingHours: WorkingHours;
  minActiveDays: number;
  activations: Activation[];
  /** Every managed role (none left out for having no events), then any other role the rows name. */
  perRole: RoleSummary[];
  perAdmin: AdminSummary[];
  perRoleAdmin: RoleAdminSummary[];
  outsideWorkingHours: Activation[];
  denied: DeniedRequest[];
}

/** Default of monitoring.routineJitUse.minActiveDays. */
export const DEFAULT_MIN_ACTIVE_DAYS = 4;

export function buildPimReview(
  rows: readonly PimEventRow[],
  options: {
    /** The managed roles' display names, Global Administrator first (`managedRoles(config.pim)`). */
    roles: readonly string[];
    workingHours: WorkingHours;
    now: Date;
    minActiveDays?: number;
  },
): PimReview {
  const minActiveDays = options.minActiveDays ?? DEFAULT_MIN_ACTIVE_DAYS;
  const roles = reviewedRoleNames(options.roles);
  // The query matched the roles case-insensitively: a row's role is the managed role's name whatever its case.
  const managed = new Map(roles.map((r) => [r.toLowerCase(), r]));
  const roleOf = (r: PimEventRow) => managed.get(r.Role.trim().toLowerCase()) ?? r.Role.trim();
  const sorted = [...rows].sort((a, b) => a.TimeGenerated.localeCompare(b.TimeGenerated));
  const requests = new Map(sorted.filter((r) => r.Event === "requested").map((r) => [r.CorrelationId, r]));
  const approvals = new Map(sorted.filter((r) => r.Event === "approved").map((r) => [r.CorrelationId, r]));
  const expiries = sorted.filter((r) => r.Event === "expired");

  const activations: Activation[] = sorted
    .filter((r) => r.Event === "activated")
    .map((r) => {
      const request = r.CorrelationId ? requests.get(r.CorrelationId) : undefined;
      // The same admin's expiry of the same role: another role they hold at the same time expires on its own.
      const expiry = expiries.find(
        (e) => sameAdmin(e, r) && roleOf(e) === roleOf(r) && e.TimeGenerated > r.TimeGenerated,
      );
      const approval = r.CorrelationId ? approvals.get(r.CorrelationId) : undefined;
      return {
        activatedAt: r.TimeGenerated,
        role: roleOf(r),
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
    .map((r) => ({
      deniedAt: r.TimeGenerated,
      role: roleOf(r),
      admin: r.Admin,
      deniedBy: r.Actor,
      justification: r.Justification,
    }));

  const byAdmin = countBy(activations, denied, (e) => e.admin);
  const perAdmin: AdminSummary[] = [...byAdmin.values()].map(({ key, admins: _, ...c }) => ({
    admin: key.admin,
    ...c,
    routine: c.activeDays >= minActiveDays,
  }));

  const perRole = roleSummaries(roles, activations, denied);
  const roleOrder = (role: string) => perRole.findIndex((r) => r.role === role);
  return {
    generatedAt: options.now.toISOString(),
    period: sorted.length > 0 ? { from: sorted[0]!.TimeGenerated, to: sorted.at(-1)!.TimeGenerated } : null,
    eventCount: sorted.length,
    roles,
    workingHours: options.workingHours,
    minActiveDays,
    activations: [...activations].reverse(),
    perRole,
    perAdmin: perAdmin.sort((a, b) => b.activations - a.activations || a.admin.localeCompare(b.admin)),
    perRoleAdmin: [...countBy(activations, denied, (e) => JSON.stringify([e.role, e.admin])).values()]
      .map(({ key, admins: _, ...c }): RoleAdminSummary => ({ role: key.role, admin: key.admin, ...c }))
      .sort(
        (a, b) =>
          roleOrder(a.role) - roleOrder(b.role) || b.activations - a.activations || a.admin.localeCompare(b.admin),
      ),
    outsideWorkingHours: activations.filter((a) => a.outsideWorkingHours).reverse(),
    denied: [...denied].reverse(),
  };
}

/** The counts of one group of activations and denied requests (by admin, by role, by role and admin). */
interface Counts {
  activations: number;
  /** Days with an activation. */
  activeDays: number;
  /** Distinct admins with an activation. */
  admins: number;
  withoutTicket: number;
  outsideWorkingHours: number;
  denied: number;
}

/** Counts per group, in the order groups first appear; `key` is the first event of the group. */
function countBy(
  activations: readonly Activation[],
  denied: readonly DeniedRequest[],
  group: (e: { role: string; admin: string }) => string,
): Map<string, Counts & { key: { role: string; admin: string } }> {
  const out = new Map<string, Counts & { key: { role: string; admin: string } }>();
  const days = new Map<string, Set<string>>();
  const admins = new Map<string, Set<string>>();
  const counts = (e: { role: string; admin: string }) => {
    const g = group(e);
    let c = out.get(g);
    if (!c) {
      c = { key: e, activations: 0, activeDays: 0, admins: 0, withoutTicket: 0, outsideWorkingHours: 0, denied: 0 };
      out.set(g, c);
      days.set(g, new Set());
      admins.set(g, new Set());
    }
    return { c, days: days.get(g)!, admins: admins.get(g)! };
  };
  for (const a of activations) {
    const { c, days, admins } = counts(a);
    c.activations++;
    if (!a.ticket) c.withoutTicket++;
    if (a.outsideWorkingHours) c.outsideWorkingHours++;
    c.activeDays = days.add(a.activatedAt.slice(0, 10)).size;
    c.admins = admins.add(a.admin).size;
  }
  for (const d of denied) counts(d).c.denied++;
  return out;
}

/** Every managed role in the given order, then the other roles the rows name (by name; an unnamed role last). */
function roleSummaries(
  roles: readonly string[],
  activations: readonly Activation[],
  denied: readonly DeniedRequest[],
): RoleSummary[] {
  const byRole = countBy(activations, denied, (e) => e.role);
  const others = [...byRole.keys()]
    .filter((r) => !roles.includes(r))
    .sort((a, b) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)));
  return [...roles, ...others].map((role) => {
    const c = byRole.get(role);
    return {
      role,
      managed: roles.includes(role),
      activations: c?.activations ?? 0,
      admins: c?.admins ?? 0,
      withoutTicket: c?.withoutTicket ?? 0,
      outsideWorkingHours: c?.outsideWorkingHours ?? 0,
      denied: c?.denied ?? 0,
    };
  });
}

/** A role as the review prints it: rows files from before the query returned the role do not say which it was. */
export function roleLabel(role: string): string {
  return role || "(not recorded)";
}

/** A role of the per-role summary: one only the rows name is not one this stack manages, worth a look. */
export function roleSummaryLabel(r: RoleSummary): string {
  return r.managed || !r.role ? roleLabel(r.role) : `${r.role} (not managed by this stack)`;
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
