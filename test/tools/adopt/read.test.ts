/**
 * Adopt's reader against the loopback fake tenant: the committed brownfield snapshot is exactly what it reads from
 * Fabrikam's tenant, and its cost does not grow with the tenant's users (the audit's budget plus reads per Tier-0
 * holder: registration details of the admins it reports on, the emergency accounts' groups and methods).
 */
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { discoveryConfig } from "../../../src/tools/adopt/discovery";
import { readAdoptSnapshot } from "../../../src/tools/adopt/read";
import { brownfieldFido2 } from "../../support/fakes/brownfield";
import {
  guid,
  healthyTenant,
  startFakeTenant,
  SUBSCRIPTION_ID,
  testConfig,
  user,
  type TenantData,
} from "../../support/fakes/tenant";
import { clients, useFakeAzureCliInFile } from "../../support/audit/harness";
import { BROWNFIELD_SNAPSHOT, brownfieldSnapshotText } from "../../support/adopt/brownfieldSnapshot";

useFakeAzureCliInFile();

describe("reading Fabrikam's brownfield tenant", () => {
  it("gives exactly the committed snapshot the other adopt tests read", async () => {
    expect(await brownfieldSnapshotText()).toBe(fs.readFileSync(BROWNFIELD_SNAPSHOT, "utf8"));
  }, 180_000);
});

function contoso(extraUsers = 0): TenantData {
  const config = testConfig();
  const data = healthyTenant(config);
  data.organization = {
    id: config.tenant.tenantId,
    verifiedDomains: [{ name: "contoso.onmicrosoft.com", isInitial: true, isDefault: true }],
  };
  data.fido2Policy = brownfieldFido2();
  data.registrationDetails = Object.fromEntries(
    data.users.map((u) => [String(u.id), { id: u.id, methodsRegistered: ["microsoftAuthenticatorPush"] }]),
  );
  for (let i = 0; i < extraUsers; i++) data.users.push(user(guid(i, "5e000000"), `user${i}@contoso.com`));
  return data;
}

async function reads(data: TenantData): Promise<{ count: number; perUser: string[] }> {
  const tenant = await startFakeTenant(data, { caPageSize: 500 });
  try {
    const { graph, arm } = clients(tenant);
    await readAdoptSnapshot({
      graph,
      arm,
      config: (tenantId) => discoveryConfig(tenantId),
      subscriptions: [SUBSCRIPTION_ID],
    });
    const perUser = tenant.graph.requests
      .map((r) => r.path)
      .filter((p) => /^\/v1\.0\/(users\/[^/]+\/|reports\/)/.test(p))
      .sort();
    return { count: graph.requestCount, perUser };
  } finally {
    await tenant.close();
  }
}

describe("adopt's request budget", () => {
  it("is the same for 100,000 users as for a handful: only Tier-0 holders are read one by one", async () => {
    const small = await reads(contoso());
    const large = await reads(contoso(100_000));
    expect(large.count).toBe(small.count);
    expect(large.perUser).toEqual(small.perUser);
    // Registration details of the five Tier-0 holders (three eligible admins, two emergency accounts), and the two
    // emergency accounts' groups and methods.
    expect(large.perUser.filter((p) => p.startsWith("/v1.0/reports/"))).toHaveLength(5);
    expect(large.perUser.filter((p) => /\/authentication\/methods$/.test(p))).toHaveLength(2);
    expect(large.perUser.filter((p) => /\/transitiveMemberOf/.test(p))).toHaveLength(2);
    expect(JSON.stringify(large.perUser)).not.toContain("user1@contoso.com");
  }, 120_000);
});
