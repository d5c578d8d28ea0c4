/**
 * Builds test/support/fixtures/adopt/brownfield-snapshot.json: Fabrikam's brownfield tenant (test/support/fakes/brownfield.ts)
 * read from the fake tenant through the real adopt reader, with the reading time fixed. The adopt tests read it
 * offline; test/tools/adopt/read.test.ts reads the fake live and checks it gets the same snapshot.
 *
 * Regenerate: `npx tsx test/support/adopt/brownfieldSnapshot.ts > test/support/fixtures/adopt/brownfield-snapshot.json`.
 */
import * as path from "node:path";
import { useFakeAzureCli } from "../fakes/azureCli";
import { brownfieldTenant, BROWNFIELD_TENANT_ID } from "../fakes/brownfield";
import { startFakeTenant, SUBSCRIPTION_ID, type FakeTenant, type TenantData } from "../fakes/tenant";
import { clients } from "../fakes/tenantReads";
import { discoveryConfig } from "../../../src/tools/adopt/discovery";
import { readAdoptSnapshot } from "../../../src/tools/adopt/read";
import { adoptSnapshotText, type AdoptSnapshot } from "../../../src/tools/adopt/snapshot";

export const BROWNFIELD_SNAPSHOT = path.join(__dirname, "..", "fixtures", "adopt", "brownfield-snapshot.json");
export const TAKEN_AT = "2025-06-02T07:30:00.000Z";

/** Reads `tenant` as npm run adopt does live, with the fixture's fixed time and public endpoints. */
export async function readBrownfield(tenant: FakeTenant): Promise<AdoptSnapshot> {
  const { graph, arm } = clients(tenant);
  const snapshot = await readAdoptSnapshot({
    graph,
    arm,
    config: (tenantId) => discoveryConfig(tenantId),
    subscriptions: [SUBSCRIPTION_ID],
  });
  return {
    ...snapshot,
    takenAt: TAKEN_AT,
    endpoints: { graph: "https://graph.microsoft.com", arm: "https://management.azure.com" },
  };
}

export async function brownfieldSnapshotText(data: TenantData = brownfieldTenant()): Promise<string> {
  const restore = useFakeAzureCli();
  const tenant = await startFakeTenant(data);
  try {
    return adoptSnapshotText(await readBrownfield(tenant));
  } finally {
    restore();
    await tenant.close();
  }
}

export { BROWNFIELD_TENANT_ID };

if (require.main === module) {
  brownfieldSnapshotText().then((text) => process.stdout.write(text));
}
