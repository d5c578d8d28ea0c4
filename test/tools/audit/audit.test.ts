/**
 * audit.ts: snapshot + stack config → findings, with no I/O. A tenant that matches the model gives nothing; a source
 * that failed is a critical finding and skips exactly the checks that read it; a snapshot lacking a source is refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { auditSnapshot, CHECKS, REQUIRED_SOURCES } from "../../../src/tools/audit/audit";
import { SnapshotError, type AuditSnapshot, type SourceName } from "../../../src/tools/audit/snapshot";
import { healthyTenant, testConfig } from "../../support/fakes/tenant";
import { auditData } from "../../support/audit/harness";

const config = testConfig();
let healthy: AuditSnapshot;

beforeAll(async () => {
  const { snapshot, result } = await auditData(healthyTenant(config), config);
  expect(result.findings).toEqual([]);
  healthy = snapshot;
});

describe("auditSnapshot", () => {
  it("finds nothing in a tenant that matches the model, and says the report is complete", () => {
    const result = auditSnapshot(healthy, config);
    expect(result.findings).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.skippedChecks).toEqual([]);
    expect(result.snapshot).toEqual({ takenAt: healthy.takenAt, tenantId: config.tenant.tenantId });
  });

  it.each(REQUIRED_SOURCES.map((s) => [s]))("skips exactly the checks reading %s when it failed", (source) => {
    const failed = structuredClone(healthy);
    delete failed.sources[source as SourceName];
    failed.errors = { [source]: "GET … failed with 503 after 6 attempts" };
    const result = auditSnapshot(failed, config);
    expect(result.complete).toBe(false);
    expect(result.findings[0]).toMatchObject({
      id: "AUD-READ-FAILED",
      severity: "critical",
      object: `source ${source}`,
      actual: "GET … failed with 503 after 6 attempts",
    });
    expect(result.skippedChecks).toEqual(
      CHECKS.filter((c) => c.reads.includes(source as SourceName)).map((c) => c.name),
    );
  });

  it("every source is read by some check", () => {
    expect(REQUIRED_SOURCES.filter((s) => !CHECKS.some((c) => c.reads.includes(s)))).toEqual([]);
  });

  it("refuses a snapshot that lacks a source, naming it", () => {
    const partial = structuredClone(healthy);
    delete partial.sources.groupOwners;
    delete partial.sources.workspaceTables;
    expect(() => auditSnapshot(partial, config, "x.json")).toThrow(SnapshotError);
    expect(() => auditSnapshot(partial, config, "x.json")).toThrow(
      'x.json: lacks sources groupOwners, workspaceTables (neither read nor recorded under "errors")',
    );
  });
});
