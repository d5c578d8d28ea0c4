/**
 * The review's summary tables as headers and cells, read alike by the Markdown and the HTML page: what a table says
 * is decided here once, each renderer only formats it.
 */
import { type PimReview, roleLabel, roleSummaryLabel } from "./review";

export interface SummaryTable {
  header: string[];
  rows: (string | number)[][];
}

/** A table's header and rows, as the renderers' `table(header, rows)` take them. */
export function contents(t: SummaryTable): [string[], (string | number)[][]] {
  return [t.header, t.rows];
}

export function perRoleTable(review: PimReview): SummaryTable {
  return {
    header: ["Role", "Activations", "Admins", "Without ticket", "Outside working hours", "Denied"],
    rows: review.perRole.map((r) => [
      roleSummaryLabel(r),
      r.activations,
      r.admins,
      r.withoutTicket,
      r.outsideWorkingHours,
      r.denied,
    ]),
  };
}

export function perRoleAdminTable(review: PimReview): SummaryTable {
  return {
    header: ["Role", "Admin", "Activations", "Active days", "Without ticket", "Outside working hours", "Denied"],
    rows: review.perRoleAdmin.map((a) => [
      roleLabel(a.role),
      a.admin,
      a.activations,
      a.activeDays,
      a.withoutTicket,
      a.outsideWorkingHours,
      a.denied,
    ]),
  };
}
