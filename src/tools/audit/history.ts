/**
 * The audit's trend: earlier runs' saved snapshots (`--save-snapshot` files in a directory, `--history DIR`),
 * audited again with today's stack config and checks, so every point is judged by the same rules; the count of
 * findings per severity per run. Every snapshot must be of the tenant of the current run: a trend that mixes
 * tenants would compare nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserInputError } from "../../cli/errors";
import { describeFsError, displayPath } from "../../cli/files";
import type { BaselineConfig } from "../../config/validate";
import { auditSnapshot, type AuditResult } from "./audit";
import { SEVERITIES, type Severity } from "./findings";
import { readSnapshotFile } from "./snapshot";

export interface TrendPoint {
  takenAt: string;
  counts: Record<Severity, number>;
  total: number;
  /** False when a read of that run failed (its counts include AUD-READ-FAILED). */
  complete: boolean;
  /** The snapshot file, for earlier runs; undefined for the current one. */
  file?: string;
}

export function trendPoint(result: AuditResult, file?: string): TrendPoint {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) counts[f.severity]++;
  return {
    takenAt: result.snapshot.takenAt,
    counts,
    total: result.findings.length,
    complete: result.complete,
    ...(file ? { file } : {}),
  };
}

/**
 * The earlier runs in `dir`, oldest first. Every `*.json` file is a snapshot; one that is not, or that is of another
 * tenant than `tenantId`, is a UserInputError naming the file.
 */
export function readHistory(dir: string, config: BaselineConfig, tenantId: string): TrendPoint[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith(".json"));
  } catch (e) {
    throw new UserInputError(`--history ${displayPath(dir)}: cannot read the directory: ${describeFsError(e)}`);
  }
  if (names.length === 0)
    throw new UserInputError(
      `--history ${displayPath(dir)}: holds no snapshot (*.json) files; save one per run with --save-snapshot`,
    );
  const points = names.sort().map((name) => {
    const file = path.join(dir, name);
    const snapshot = readSnapshotFile(file);
    if (!snapshot.tenantId)
      throw new UserInputError(
        `--history: ${displayPath(file)} names no tenantId, so it cannot be shown to be of tenant ${tenantId}`,
      );
    assertSameTenant(snapshot.tenantId, tenantId, file);
    return trendPoint(auditSnapshot(snapshot, config, file), file);
  });
  return points.sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt));
}

export function assertSameTenant(snapshotTenant: string, tenantId: string, file: string): void {
  if (snapshotTenant.toLowerCase() !== tenantId.toLowerCase())
    throw new UserInputError(
      `--history: ${displayPath(file)} is a snapshot of tenant ${snapshotTenant}, not of ${tenantId} (this run's): a trend compares one tenant's runs`,
    );
}

/** Earlier runs then the current one, without a repeat of the current run's own snapshot. */
export function trendOf(history: readonly TrendPoint[], current: AuditResult): TrendPoint[] {
  const now = trendPoint(current);
  return [...history.filter((p) => p.takenAt !== now.takenAt), now];
}
