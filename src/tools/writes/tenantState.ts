/**
 * The tenant as a write command plans from it: the audit's own reader (Microsoft Graph only) and snapshot format, so
 * that a plan made offline from `npm run audit -- --save-snapshot` is the plan a live run makes, and the model's facts
 * come from the audit's adapters. A plan is never made from a tenant that was read only in part.
 */
import { UserInputError } from "../../cli/errors";
import type { BaselineConfig } from "../../config/validate";
import type { GraphClient } from "../../graph/client";
import { buildContext, type AuditContext } from "../audit/context";
import { readTenant } from "../audit/read";
import { readSnapshotFile, type AuditSnapshot, type SourceName } from "../audit/snapshot";

export interface TenantState {
  snapshot: AuditSnapshot;
  ctx: AuditContext;
  /** "the live tenant" or "snapshot <file> (taken …)". */
  source: string;
}

/** The reads failed or absent among `needed`, with the reason. */
export function unreadSources(snapshot: AuditSnapshot, needed: readonly SourceName[]): string[] {
  const errors = snapshot.errors ?? {};
  return needed
    .filter((s) => errors[s] !== undefined || snapshot.sources[s] === undefined)
    .map((s) => `${s} (${errors[s] ?? "absent"})`);
}

export async function readLiveState(graph: GraphClient, config: BaselineConfig): Promise<TenantState> {
  const snapshot = await readTenant({ graph, config });
  return { snapshot, ctx: buildContext(snapshot, config), source: "the live tenant" };
}

/** A saved audit snapshot, refused unless it is of the stack's tenant and holds every source the plan reads. */
export function loadSnapshotState(
  file: string,
  config: BaselineConfig,
  needed: readonly SourceName[],
  shown: string,
): TenantState {
  const snapshot = readSnapshotFile(file);
  if (!snapshot.tenantId) {
    throw new UserInputError(
      `${shown}: names no tenant, so it cannot be shown to be of tenant ${config.tenant.tenantId}`,
    );
  }
  if (snapshot.tenantId.toLowerCase() !== config.tenant.tenantId.toLowerCase()) {
    throw new UserInputError(
      `${shown}: is a snapshot of tenant ${snapshot.tenantId}, not of this stack's tenant ${config.tenant.tenantId}`,
    );
  }
  const missing = unreadSources(snapshot, needed);
  if (missing.length > 0) {
    throw new UserInputError(`${shown}: lacks what the plan reads: ${missing.join(", ")}`);
  }
  return { snapshot, ctx: buildContext(snapshot, config), source: `snapshot ${shown} (taken ${snapshot.takenAt})` };
}
