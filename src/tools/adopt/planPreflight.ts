/**
 * `npm run plan -- --preflight SNAPSHOT`: adopt's preflight over the planned stack, so a pull request that changes
 * the stack is judged against the tenant as its last snapshot shows it. Loaded by the plan only when asked for.
 */
import { displayPath } from "../../cli/files";
import type { BaselineConfig } from "../../config/validate";
import { preflight, type PlannedResourceView, type PreflightReport } from "./preflight";
import { renderTable } from "./report";
import { assertSameTenant, readAdoptSnapshotFile, type AdoptSnapshot } from "./snapshot";
import { tenantView } from "./view";

/** An adopt (or audit) snapshot of the stack's own tenant; another tenant's is refused before anything is declared. */
export function readPreflightSnapshot(file: string, config: BaselineConfig): AdoptSnapshot {
  const snapshot = readAdoptSnapshotFile(file);
  assertSameTenant(config.tenant.tenantId, snapshot, `--preflight ${displayPath(file)}`);
  return snapshot;
}

export function planPreflight(
  snapshot: AdoptSnapshot,
  config: BaselineConfig,
  resources: readonly PlannedResourceView[],
): PreflightReport {
  return preflight({ view: tenantView(snapshot), config, planned: resources });
}

export function renderPlanPreflight(report: PreflightReport, width: number): string {
  return renderTable({ preflight: report }, width);
}
