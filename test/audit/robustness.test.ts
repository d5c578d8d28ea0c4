/**
 * The audit never builds a clean report from partial data: paging is followed to the end, transient failures are
 * retried, and what still fails is reported (AUD-READ-FAILED) or stops the run (401/403, exit 2).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditSnapshot } from "../../src/audit/audit";
import { AuditAuthError } from "../../src/audit/read";
import { graphError } from "../fakes/graphServer";
import { useFakeAzureCli } from "../fakes/azureCli";
import { caPolicy, healthyTenant, prodConfig, startFakeTenant, type FakeTenant } from "./fakeTenant";
import { readFake } from "./harness";

const config = prodConfig();
const CA = "/v1.0/identity/conditionalAccess/policies";
const INSTANCES = "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances";
let tenant: FakeTenant;
let restoreCli: () => void;

beforeAll(() => {
  restoreCli = useFakeAzureCli();
});
afterAll(() => restoreCli());
beforeEach(async () => {
  const data = healthyTenant(config);
  // 40 compliant policies and one without the exclusion on the last of 8 pages: only full paging finds it.
  const groupId = String(data.groups[0]!.id);
  data.caPolicies = [...Array.from({ length: 40 }, (_, i) => caPolicy(100 + i, [groupId])), caPolicy(999, [])];
  tenant = await startFakeTenant(data, { rolePageSize: 1, armPageSize: 1 });
});
afterEach(async () => {
  await tenant.close();
});

describe("paging", () => {
  it("follows @odata.nextLink across many pages (CA at 1 request/s) and ARM nextLink", async () => {
    await tenant.close();
    tenant = await startFakeTenant(tenant.data, { caPageSize: 6, rolePageSize: 1, armPageSize: 1 });
    tenant.data.scheduledQueryRules.push({ id: "/x/other", name: "unrelated-rule", properties: { displayName: "Other", enabled: true } });
    const started = Date.now();
    const snapshot = await readFake(tenant, config);
    expect(snapshot.sources.caPolicies).toHaveLength(41);
    expect(snapshot.sources.scheduledQueryRules).toHaveLength(3);
    // 7 CA pages, spaced by the built-in CA throttle.
    expect(tenant.graph.requests.filter((r) => r.url.pathname === CA)).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_900);
    const result = auditSnapshot(snapshot, config);
    expect(result.findings.map((f) => f.object)).toEqual([expect.stringContaining("CA policy 999")]);
  });

  it("reads role assignments page by page (page size 1)", async () => {
    const snapshot = await readFake(tenant, config);
    expect(snapshot.sources.roleAssignmentScheduleInstances).toHaveLength(2);
  });
});

describe("transient failures", () => {
  it("retries a 429 with Retry-After and one without, and a 503", async () => {
    tenant.graph.failNext("GET", CA, { status: 429, headers: { "Retry-After": "1" }, body: graphError("TooManyRequests", "slow down") }, { status: 429 }, { status: 503 });
    const snapshot = await readFake(tenant, config);
    expect(snapshot.errors).toBeUndefined();
    expect(snapshot.sources.caPolicies).toHaveLength(41);
  });

  it("retries a request that times out", async () => {
    tenant.arm.failNext("GET", "/providers/microsoft.aadiam/diagnosticSettings", { delayMs: 1_500, body: { value: [] } });
    const snapshot = await readFake(tenant, config, { timeoutMs: 500 });
    expect(snapshot.sources.diagnosticSettings).toHaveLength(1);
  });
});

describe("failures that persist", () => {
  it("a 5xx that outlasts the retries is a critical finding, and the checks that need it do not run", async () => {
    tenant.graph.route("GET", INSTANCES, () => ({ status: 500, body: graphError("InternalServerError", "boom") }));
    const snapshot = await readFake(tenant, config, { maxRetries: 1 });
    expect(snapshot.errors?.roleAssignmentScheduleInstances).toMatch(/failed with 500/);
    const result = auditSnapshot(snapshot, config);
    expect(result.complete).toBe(false);
    expect(result.findings.filter((f) => f.id === "AUD-READ-FAILED").map((f) => [f.object, f.severity])).toEqual([
      ["source groupMembers", "critical"],
      ["source roleAssignmentScheduleInstances", "critical"],
    ]);
    expect(result.skippedChecks).toContain("permanent Tier-0 assignments");
    // Groups holding GA cannot be known either: that read is marked failed, never empty.
    expect(snapshot.errors?.groupMembers).toMatch(/not read/);
  });

  it("a timeout that outlasts the retries is a finding naming the timeout", async () => {
    tenant.arm.route("GET", "/providers/microsoft.aadiam/diagnosticSettings", () => ({ delayMs: 800, body: { value: [] } }));
    const snapshot = await readFake(tenant, config, { timeoutMs: 200, maxRetries: 1 });
    expect(snapshot.errors?.diagnosticSettings).toMatch(/timed out after 200 ms/);
    expect(auditSnapshot(snapshot, config).findings[0]!.id).toBe("AUD-READ-FAILED");
  });

  it("malformed JSON on a later page is a clear error, not a shorter list", async () => {
    const original = tenant.data.caPolicies;
    tenant.graph.route("GET", CA, (req) =>
      req.url.searchParams.get("$skiptoken") === "12"
        ? { rawBody: '{"value": [ {"id": ' }
        : { body: { value: original.slice(Number(req.url.searchParams.get("$skiptoken") ?? 0), Number(req.url.searchParams.get("$skiptoken") ?? 0) + 6), "@odata.nextLink": `${tenant.graph.url}${CA}?$skiptoken=${Number(req.url.searchParams.get("$skiptoken") ?? 0) + 6}` } },
    );
    const snapshot = await readFake(tenant, config);
    expect(snapshot.sources.caPolicies).toBeUndefined();
    expect(snapshot.errors?.caPolicies).toMatch(/returned malformed JSON/);
  });

  it("an answer that is not a collection is an error", async () => {
    tenant.graph.route("GET", "/v1.0/groups", () => ({ body: { id: "not-a-list" } }));
    const snapshot = await readFake(tenant, config);
    expect(snapshot.errors?.breakglassGroups).toMatch(/no "value" array/);
  });

  it("a 403 stops the run with the missing Graph permission named", async () => {
    tenant.graph.route("GET", CA, () => ({ status: 403, body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation.") }));
    tenant.graph.route("GET", /^\/v1\.0\/users\/[^/]+\/authentication\/methods$/, () => ({ status: 403, body: graphError("Forbidden", "denied") }));
    const error = (await readFake(tenant, config).catch((e: unknown) => e)) as AuditAuthError;
    expect(error).toBeInstanceOf(AuditAuthError);
    expect(error.message).toContain("Policy.Read.All");
    expect(error.message).toContain("UserAuthenticationMethod.Read.All");
  });

  it("an ARM 403 names the Azure role to grant", async () => {
    tenant.arm.route("GET", /scheduledQueryRules$/, () => ({ status: 403, body: { error: { code: "AuthorizationFailed", message: "no access" } } }));
    const error = (await readFake(tenant, config).catch((e: unknown) => e)) as AuditAuthError;
    expect(error.message).toContain("Monitoring Reader");
    expect(error.message).not.toContain("Graph permissions");
  });
});
