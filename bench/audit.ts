/**
 * Audit benchmark (`npx tsx bench/audit.ts`, or `npm run bench -- audit`): the real reader and checks against the
 * loopback fake tenant with 100,000 users, 500 CA policies (paged 50 at a time) and 2,000 active role assignments
 * (plus their schedules) over 40 roles. Prints requests made and wall time; the target is ≤ 60 Graph requests and a
 * wall time dominated by the CA throttle (1 request/s), not by our code. Figures are printed, never asserted.
 */
import { auditSnapshot } from "../src/tools/audit/audit";
import { readTenant } from "../src/tools/audit/read";
import { createGraphClient } from "../src/graph/client";
import { CLOUDS, GLOBAL_ADMINISTRATOR, TIER0_ROLE_IDS } from "@entra-baseline/model";
import { useFakeAzureCli } from "../test/support/fakes/azureCli";
import {
  SUBSCRIPTION_ID,
  assignmentInstance,
  assignmentSchedule,
  caPolicy,
  guid,
  healthyTenant,
  testConfig,
  startFakeTenant,
  user,
} from "../test/support/fakes/tenant";

const USERS = 100_000;
const CA_POLICIES = 500;
const CA_PAGE = 50;
const ASSIGNMENTS = 2_000;

async function main(): Promise<void> {
  const config = testConfig();
  const data = healthyTenant(config);
  const groupId = String(data.groups[0]!.id);
  for (let i = 0; i < USERS; i++) data.users.push(user(guid(i, "5e000000"), `user${i}@contoso.com`));
  data.caPolicies = Array.from({ length: CA_POLICIES }, (_, i) =>
    caPolicy(i + 1, [groupId], { state: i % 3 === 0 ? "enabledForReportingButNotEnforced" : "enabled" }),
  );
  // 40 roles: the Tier-0 ones but Global Administrator (whose holders the count check limits to 8) and 24 others
  // (ids made up); all activations through PIM, so the tenant stays clean and every check runs over all of it.
  const roles = [
    ...TIER0_ROLE_IDS.filter((r) => r !== GLOBAL_ADMINISTRATOR),
    ...Array.from({ length: 24 }, (_, i) => guid(i, "7e000000")),
  ];
  for (let i = 0; i < ASSIGNMENTS; i++) {
    const role = roles[i % roles.length]!;
    const principal = guid(i % USERS, "5e000000");
    data.assignmentInstances.push(
      assignmentInstance(1_000 + i, role, principal, {
        assignmentType: "Activated",
        endDateTime: "2099-01-01T04:00:00Z",
      }),
    );
    data.assignmentSchedules.push(assignmentSchedule(1_000 + i, role, principal, { assignmentType: "Activated" }));
  }
  const restore = useFakeAzureCli();
  const tenant = await startFakeTenant(data, { caPageSize: CA_PAGE });
  try {
    // The production factory with its default retry timing; loopback Graph and ARM, the public login host.
    const endpoints = { graph: tenant.graph.url, arm: tenant.arm.url, login: CLOUDS.public.login };
    const graph = createGraphClient({ service: "graph", endpoints, tenantId: config.tenant.tenantId });
    const arm = createGraphClient({ service: "arm", endpoints, tenantId: config.tenant.tenantId });
    const started = performance.now();
    const snapshot = await readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
    const read = performance.now() - started;
    const checksStarted = performance.now();
    const result = auditSnapshot(snapshot, config);
    const checks = performance.now() - checksStarted;
    const caRequests = tenant.graph.requests.filter(
      (r) => r.url.pathname === "/v1.0/identity/conditionalAccess/policies",
    ).length;
    const caFloor = (caRequests - 1) * 1000;
    console.log(
      `tenant: ${USERS.toLocaleString("en")} users, ${CA_POLICIES} CA policies (pages of ${CA_PAGE}), ${ASSIGNMENTS.toLocaleString("en")} role assignments over ${roles.length} roles`,
    );
    console.log(
      `Graph requests: ${graph.requestCount} (target ≤ 60), of which CA pages: ${caRequests} (the first inside a $batch)`,
    );
    console.log(`ARM requests:   ${arm.requestCount}`);
    console.log(
      `read:   ${(read / 1000).toFixed(2)} s (CA throttle floor: ${(caFloor / 1000).toFixed(0)} s = ${caRequests - 1} pages after the first at 1 request/s)`,
    );
    console.log(
      `checks: ${checks.toFixed(1)} ms over ${snapshot.sources.caPolicies?.length} policies and ${snapshot.sources.roleAssignmentScheduleInstances?.length} Tier-0 instances`,
    );
    console.log(
      `not throttle: ${((read - caFloor) / 1000).toFixed(2)} s; findings: ${result.findings.length}; complete: ${result.complete}`,
    );
  } finally {
    restore();
    await tenant.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
