/**
 * The audit's cost does not grow with the tenant: the same Graph requests for 10 users as for 100,000, per-object
 * reads only for the breakglass accounts, and within the budget of 60 Graph requests. (bench/audit.ts adds
 * the 500 CA policies paged 50 at a time; here CA fits one page so that the test does not wait on the CA throttle.)
 */
import { describe, expect, it } from "vitest";
import { auditSnapshot } from "../../../src/tools/audit/audit";
import { readTenant } from "../../../src/tools/audit/read";
import { GLOBAL_ADMINISTRATOR, TIER0_ROLE_IDS } from "@entra-baseline/model";
import {
  SUBSCRIPTION_ID,
  activationCaPolicy,
  assignmentInstance,
  assignmentSchedule,
  caPolicy,
  guid,
  healthyTenant,
  testConfig,
  startFakeTenant,
  user,
  type TenantData,
} from "../../support/fakes/tenant";
import { clients, useFakeAzureCliInFile } from "../../support/audit/harness";

const config = testConfig();

function bigTenant(): TenantData {
  const data = healthyTenant(config);
  const groupId = String(data.groups[0]!.id);
  for (let i = 0; i < 100_000; i++) data.users.push(user(guid(i, "5e000000"), `user${i}@contoso.com`));
  // 500 policies (one page), the activation context's among them.
  data.caPolicies = [
    ...Array.from({ length: 499 }, (_, i) => caPolicy(i + 1, [groupId])),
    activationCaPolicy("c1", [groupId]),
  ];
  const roles = TIER0_ROLE_IDS.filter((r) => r !== GLOBAL_ADMINISTRATOR);
  for (let i = 0; i < 2_000; i++) {
    const role = roles[i % roles.length]!;
    data.assignmentInstances.push(
      assignmentInstance(1_000 + i, role, guid(i, "5e000000"), {
        assignmentType: "Activated",
        endDateTime: "2099-01-01T04:00:00Z",
      }),
    );
    data.assignmentSchedules.push(
      assignmentSchedule(1_000 + i, role, guid(i, "5e000000"), { assignmentType: "Activated" }),
    );
  }
  return data;
}

async function graphRequests(data: TenantData): Promise<{ count: number; paths: string[]; findings: number }> {
  const tenant = await startFakeTenant(data, { caPageSize: 500, rolePageSize: 200 });
  try {
    const { graph, arm } = clients(tenant);
    const snapshot = await readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
    const result = auditSnapshot(snapshot, config);
    expect(result.complete).toBe(true);
    return {
      count: graph.requestCount,
      paths: tenant.graph.requests.map((r) => r.url.pathname),
      findings: result.findings.length,
    };
  } finally {
    await tenant.close();
  }
}

describe("request budget", () => {
  useFakeAzureCliInFile();

  it("is the same for 100,000 users and 2,000 assignments as for a handful, and at most 60 Graph requests", async () => {
    const small = await graphRequests(healthyTenant(config));
    const large = await graphRequests(bigTenant());
    expect(large.findings).toBe(0);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(60);
    // Per-object reads name only the two breakglass accounts.
    const perUser = new Set(large.paths.filter((p) => /^\/v1\.0\/users\/[^/]+\//.test(p)).map((p) => p.split("/")[3]));
    expect([...perUser].sort()).toEqual([guid(1, "b0000000"), guid(2, "b0000000")]);
  });
});
