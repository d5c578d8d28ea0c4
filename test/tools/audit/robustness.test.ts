/**
 * The audit never builds a clean report from partial data: paging is followed to the end, transient failures are
 * retried, and what still fails is reported (AUD-READ-FAILED) or stops the run (401/403, exit 2).
 */
import { describe, expect, it } from "vitest";
import { auditSnapshot } from "../../../src/tools/audit/audit";
import { AuditAuthError } from "../../../src/tools/audit/read";
import { GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import { graphError } from "../../support/fakes/graphServer";
import {
  activationCaPolicy,
  assignmentInstance,
  caPolicy,
  healthyTenant,
  pageOf,
  testConfig,
} from "../../support/fakes/tenant";
import { readFake, useFakeTenant } from "../../support/audit/harness";

const config = testConfig();
const CA = "/v1.0/identity/conditionalAccess/policies";
const INSTANCES = "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances";

const tenant = useFakeTenant(
  () => {
    const data = healthyTenant(config);
    // 40 compliant policies, the activation context's, and one without the exclusion, last: a read that stops early misses it.
    const groupId = String(data.groups[0]!.id);
    data.caPolicies = [
      ...Array.from({ length: 40 }, (_, i) => caPolicy(100 + i, [groupId])),
      activationCaPolicy("c1", [groupId]),
      caPolicy(999, []),
    ];
    return data;
  },
  // Role assignments and ARM collections one item a page: every later page goes through nextLink. CA pages stay
  // large unless a test needs them small, because each CA page costs a second of the CA throttle.
  { rolePageSize: 1, armPageSize: 1 },
);

describe("paging", () => {
  it("follows @odata.nextLink across many pages, spaces CA pages at 1 request/s, and follows ARM nextLink", async () => {
    tenant().options.caPageSize = 20;
    // Twelve bounded activations of Global Administrator by the eligible admins: twelve more pages, and nothing the
    // audit may report.
    const admins = tenant().data.eligibilityInstances.map((e) => String(e.principalId));
    for (let i = 0; i < 12; i++) {
      tenant().data.assignmentInstances.push(
        assignmentInstance(300 + i, GLOBAL_ADMINISTRATOR, admins[i % admins.length]!, {
          assignmentType: "Activated",
          startDateTime: "2025-06-01T08:00:00Z",
          endDateTime: "2025-06-01T10:00:00Z",
        }),
      );
    }
    tenant().data.scheduledQueryRules.push({
      id: "/x/other",
      name: "unrelated-rule",
      properties: { displayName: "Other", enabled: true },
    });
    const started = Date.now();
    const snapshot = await readFake(tenant(), config);
    expect(snapshot.errors).toBeUndefined();
    // Global Administrator: the two breakglass assignments and the twelve activations, one a page.
    expect(snapshot.sources.roleAssignmentScheduleInstances).toHaveLength(14);
    expect(
      tenant().graph.requests.filter((r) => r.url.pathname === INSTANCES && r.url.searchParams.has("$skiptoken")),
    ).toHaveLength(13);
    expect(snapshot.sources.scheduledQueryRules).toHaveLength(3);
    expect(snapshot.sources.caPolicies).toHaveLength(42);
    // 3 CA pages (the first inside a $batch), spaced by the built-in CA throttle.
    expect(tenant().graph.requests.filter((r) => r.url.pathname === CA)).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_950);
    const result = auditSnapshot(snapshot, config);
    expect(result.findings.map((f) => f.object)).toEqual([expect.stringContaining("CA policy 999")]);
  });
});

describe("transient failures", () => {
  it("retries a 429 with Retry-After, a 429 without it (CA's way) and a 503, inside $batch", async () => {
    tenant().graph.failNext("GET", "/v1.0/groups", {
      status: 429,
      headers: { "Retry-After": "1" },
      body: graphError("TooManyRequests", "slow down"),
    });
    tenant().graph.failNext("GET", CA, { status: 429, body: graphError("TooManyRequests", "slow down") });
    tenant().graph.failNext("GET", INSTANCES, { status: 503, body: graphError("ServiceUnavailable", "try later") });
    const started = Date.now();
    const snapshot = await readFake(tenant(), config);
    expect(snapshot.errors).toBeUndefined();
    expect(snapshot.sources.breakglassGroups).toHaveLength(1);
    expect(snapshot.sources.caPolicies).toHaveLength(42);
    expect(snapshot.sources.roleAssignmentScheduleInstances).toHaveLength(2);
    // The retry waited for the server's Retry-After (1 s), not the 10 ms backoff step.
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(tenant().graph.requests.filter((r) => r.url.pathname === CA)).toHaveLength(2);
  });

  it("retries a request that times out", async () => {
    tenant().arm.failNext("GET", "/providers/microsoft.aadiam/diagnosticSettings", {
      delayMs: 1_500,
      body: { value: [] },
    });
    const snapshot = await readFake(tenant(), config, { timeoutMs: 500 });
    expect(snapshot.sources.diagnosticSettings).toHaveLength(1);
  });
});

describe("failures that persist", () => {
  it("a 5xx that outlasts the retries is a critical finding, and the checks that need it do not run", async () => {
    tenant().graph.route("GET", INSTANCES, () => ({ status: 500, body: graphError("InternalServerError", "boom") }));
    const snapshot = await readFake(tenant(), config, { maxRetries: 1 });
    expect(snapshot.errors?.roleAssignmentScheduleInstances).toMatch(/failed with 500/);
    const result = auditSnapshot(snapshot, config);
    expect(result.complete).toBe(false);
    expect(result.findings.filter((f) => f.id === "AUD-READ-FAILED").map((f) => [f.object, f.severity])).toEqual([
      ["source groupAssignmentScheduleInstances", "critical"],
      ["source groupEligibilityScheduleInstances", "critical"],
      ["source groupMembers", "critical"],
      ["source roleAssignmentScheduleInstances", "critical"],
    ]);
    expect(result.skippedChecks).toEqual(
      expect.arrayContaining(["standing Tier-0 access", "Global Administrator count", "activation policies"]),
    );
    // Groups holding a Tier-0 role cannot be known either: their reads are marked failed, never empty.
    for (const source of [
      "groupMembers",
      "groupAssignmentScheduleInstances",
      "groupEligibilityScheduleInstances",
    ] as const)
      expect(snapshot.errors?.[source]).toBe("not read: the Tier-0 role holders could not be read");
  });

  it("a timeout that outlasts the retries is a finding naming the timeout", async () => {
    tenant().arm.route("GET", "/providers/microsoft.aadiam/diagnosticSettings", () => ({
      delayMs: 800,
      body: { value: [] },
    }));
    const snapshot = await readFake(tenant(), config, { timeoutMs: 200, maxRetries: 1 });
    expect(snapshot.errors?.diagnosticSettings).toMatch(/timed out after 200 ms/);
    expect(auditSnapshot(snapshot, config).findings[0]!.id).toBe("AUD-READ-FAILED");
  });

  it("malformed JSON on a later page is a clear error, not a shorter list", async () => {
    const t = tenant();
    t.graph.route("GET", INSTANCES, (req) => {
      if (req.url.searchParams.has("$skiptoken")) return { rawBody: '{"value": [ {"id": ' };
      const role = /roleDefinitionId eq '([^']+)'/.exec(req.url.searchParams.get("$filter") ?? "")?.[1];
      return pageOf(
        t.graph,
        req,
        t.data.assignmentInstances.filter((i) => i.roleDefinitionId === role),
        1,
      );
    });
    const snapshot = await readFake(t, config);
    expect(snapshot.sources.roleAssignmentScheduleInstances).toBeUndefined();
    expect(snapshot.errors?.roleAssignmentScheduleInstances).toMatch(
      /GET \/v1\.0\/roleManagement\/directory\/roleAssignmentScheduleInstances returned malformed JSON/,
    );
    expect(auditSnapshot(snapshot, config).complete).toBe(false);
  });

  it("an answer that is not a collection is an error", async () => {
    tenant().graph.route("GET", "/v1.0/groups", () => ({ body: { id: "not-a-list" } }));
    const snapshot = await readFake(tenant(), config);
    expect(snapshot.errors?.breakglassGroups).toMatch(/no "value" array/);
  });

  it("an item that is not an object, or a user without an id, is an error naming where, not a crash or a dropped item", async () => {
    tenant().graph.route("GET", "/v1.0/groups", () => ({ body: { value: [null] } }));
    tenant().graph.route("GET", "/v1.0/users", () => ({
      body: { value: [{ userPrincipalName: "breakglass-01@contoso.onmicrosoft.com" }] },
    }));
    const snapshot = await readFake(tenant(), config);
    expect(snapshot.errors?.breakglassGroups).toBe(
      "GET /v1.0/groups returned a malformed item at value[0]: null is not an object",
    );
    expect(snapshot.errors?.users).toBe("GET /v1.0/users returned an object without an id at value[0]");
    // The per-account reads depend on the users: failed too, never empty.
    expect(snapshot.errors?.authenticationMethods).toMatch(/not read: the breakglass accounts could not be looked up/);
    expect(snapshot.errors?.groupOwners).toBe("not read: the exclusion group could not be looked up");
    expect(
      auditSnapshot(snapshot, config)
        .findings.filter((f) => f.id === "AUD-READ-FAILED")
        .map((f) => f.object),
    ).toEqual([
      "source authenticationMethods",
      "source breakglassGroups",
      "source groupOwners",
      "source transitiveMemberOf",
      "source users",
    ]);
  });

  it("a 403 stops the run with the missing Graph permission named", async () => {
    tenant().graph.route("GET", CA, () => ({
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    }));
    tenant().graph.route("GET", /^\/v1\.0\/users\/[^/]+\/authentication\/methods$/, () => ({
      status: 403,
      body: graphError("Forbidden", "denied"),
    }));
    const error = (await readFake(tenant(), config).catch((e: unknown) => e)) as AuditAuthError;
    expect(error).toBeInstanceOf(AuditAuthError);
    expect(error.message).toContain("Policy.Read.All");
    expect(error.message).toContain("UserAuthenticationMethod.Read.All");
  });

  it("an ARM 403 names the Azure role to grant", async () => {
    tenant().arm.route("GET", /scheduledQueryRules$/, () => ({
      status: 403,
      body: { error: { code: "AuthorizationFailed", message: "no access" } },
    }));
    const error = (await readFake(tenant(), config).catch((e: unknown) => e)) as AuditAuthError;
    expect(error.message).toContain("Reader (or Monitoring Reader) on the monitoring resource group");
    expect(error.message).not.toContain("Graph permissions");
  });
});
