/**
 * Adopt benchmark (`npx tsx bench/adopt.ts`, or `npm run bench -- adopt`): the real adopt reader against the loopback
 * fake tenant — Fabrikam's brownfield tenant (two dozen Tier-0 admins, group paths, emergency accounts), once as it is
 * and once with 100,000 more users and 500 CA policies (paged 50 at a time). Prints the Graph requests each read made
 * (they must be equal: adopt's reads depend on the Tier-0 holders, not on the users), how many of them were per-user
 * reads, and the wall time, which is dominated by two throttles: CA (1 request/s) and the reports API that serves the
 * registration details (5 requests/10 s, about 2 s per admin reported on). Figures are printed, never asserted.
 */
import { readAdoptSnapshot } from "../src/tools/adopt/read";
import { discoveryConfig } from "../src/tools/adopt/discovery";
import { adopt } from "../src/tools/adopt/adopt";
import { useFakeAzureCli } from "../test/support/fakes/azureCli";
import { BREAKGLASS_GROUP_ID, brownfieldTenant } from "../test/support/fakes/brownfield";
import { clients } from "../test/support/fakes/tenantReads";
import { guid, startFakeTenant, SUBSCRIPTION_ID, user, type TenantData } from "../test/support/fakes/tenant";

const USERS = 100_000;
const CA_POLICIES = 500;
const CA_PAGE = 50;

function scaled(): TenantData {
  const data = brownfieldTenant();
  for (let i = 0; i < USERS; i++) data.users.push(user(guid(i, "5e000000"), `user${i}@fabrikam.com`));
  const template = data.caPolicies[0]!;
  for (let i = data.caPolicies.length; i < CA_POLICIES; i++) {
    data.caPolicies.push({
      ...structuredClone(template),
      id: guid(1000 + i, "caf00000"),
      displayName: `Department policy ${i}`,
      conditions: {
        ...(template.conditions as object),
        users: { includeUsers: ["All"], excludeGroups: [BREAKGLASS_GROUP_ID] },
        clientAppTypes: ["browser"],
      },
    });
  }
  return data;
}

async function read(label: string, data: TenantData) {
  const tenant = await startFakeTenant(data, { caPageSize: CA_PAGE });
  try {
    // As the committed brownfield snapshot is read (test/support/adopt/brownfieldSnapshot.ts): the fake az's token.
    const { graph, arm } = clients(tenant);
    const started = performance.now();
    const snapshot = await readAdoptSnapshot({
      graph,
      arm,
      config: (tenantId) => discoveryConfig(tenantId),
      subscriptions: [SUBSCRIPTION_ID],
    });
    const seconds = (performance.now() - started) / 1000;
    const paths = tenant.graph.requests.map((r) => r.url.pathname);
    const reads = paths.filter((p) => !p.endsWith("/$batch")).length;
    const perUser = paths.filter((p) => /^\/v1\.0\/(users\/[^/]+\/|reports\/)/.test(p)).length;
    const reports = paths.filter((p) => p.startsWith("/v1.0/reports/")).length;
    const ca = paths.filter((p) => p === "/v1.0/identity/conditionalAccess/policies").length;
    console.log(
      `${label}: ${data.users.length.toLocaleString("en")} users, ${data.caPolicies.length} CA policies — Graph: ${graph.requestCount} HTTP requests carrying ${reads} reads ($batch), of which ${perUser} per user (${reports} registration details) and ${ca} CA pages; ARM: ${arm.requestCount}, read ${seconds.toFixed(1)} s`,
    );
    return { snapshot, requests: graph.requestCount, beyondCa: graph.requestCount - ca };
  } finally {
    await tenant.close();
  }
}

async function main(): Promise<void> {
  const restore = useFakeAzureCli();
  try {
    const small = await read("as it is ", brownfieldTenant());
    const large = await read("scaled up", scaled());
    // CA policies are paged (50 a page): more policies, more pages. Everything else must not move.
    console.log(
      `requests besides CA pages: ${small.beyondCa} vs ${large.beyondCa} — ${small.beyondCa === large.beyondCa ? "independent of the number of users" : "NOT independent of the number of users"}`,
    );
    const started = performance.now();
    const result = await adopt({ snapshot: large.snapshot, stack: "prod", password: "keep" });
    console.log(
      `proposal, import file and preflight over the scaled snapshot: ${((performance.now() - started) / 1000).toFixed(1)} s (${result.imports.imported.length} imports, ${result.report.risks.length} risks: ${[...new Set(result.report.risks.map((r) => r.kind))].join(", ")})`,
    );
  } finally {
    restore();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
