/**
 * Transition benchmark (`npm run bench -- transition`): `npm run transition -- --apply` through its real entry point
 * (stack file, credential chain with only `az` faked, the production Graph client and defaults) against the
 * brownfield fake tenant with 1,000 standing assignments to move (6 Global Administrators and 994 holders of three
 * other managed Tier-0 roles, half made through PIM, half directly). Prints the Graph requests, the writes, the wall
 * time (and how much of it is the 5-requests-per-10-s throttle of the registration reports the activation check
 * reads), and the most writes sent in any window of Graph's write limits. Figures are printed, never asserted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo } from "../src/cli/io";
import { main } from "../src/tools/transition/cli";
import type { WriteReport } from "../src/tools/writes/report";
import { WRITE_LIMITS } from "../src/tools/writes/writer";
import { useFakeAzureCli } from "../test/support/fakes/azureCli";
import {
  brownfieldConfig,
  brownfieldTenant,
  deployerToken,
  TENANT_ID,
  writeBrownfieldStack,
  type BrownfieldOptions,
} from "../test/support/fakes/rolloutTenant";
import { startFakeTenant } from "../test/support/fakes/tenant";
import { installTenantWrites } from "../test/support/fakes/tenantWrites";

const OPTIONS: BrownfieldOptions = { emergencyPath: "healthy", perRole: [332, 331, 331] };

async function main_(): Promise<void> {
  const brownfield = brownfieldTenant(brownfieldConfig(OPTIONS), OPTIONS);
  const restore = useFakeAzureCli();
  const tenant = await startFakeTenant(brownfield.data);
  const writes = installTenantWrites(tenant, TENANT_ID);
  writes.registrations = brownfield.registrations;
  const token = deployerToken();
  process.env.FAKE_AZ_TOKEN = token;
  tenant.graph.expectedToken = token;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-transition-"));
  try {
    const stack = writeBrownfieldStack(dir, { ...OPTIONS, graphUrl: tenant.graph.url });
    const io = memoryIo({ cwd: dir });
    const started = performance.now();
    const code = await main(["--stack", stack, "--apply", "--json"], io);
    const seconds = (performance.now() - started) / 1000;
    const report = JSON.parse(io.out) as WriteReport;
    const registrationReads = tenant.graph.requests.filter((r) =>
      r.url.pathname.endsWith("/userRegistrationDetails"),
    ).length;
    const moved = brownfield.listed.filter(
      (l) =>
        tenant.data.eligibilityInstances.some(
          (e) => e.principalId === l.principalId && e.roleDefinitionId === l.roleId,
        ) &&
        !tenant.data.assignmentInstances.some(
          (i) => i.principalId === l.principalId && i.roleDefinitionId === l.roleId && i.assignmentType === "Assigned",
        ),
    ).length;
    console.log(
      `standing assignments to move: ${brownfield.listed.length} (${brownfield.listed.filter((l) => l.path === "pim").length} made through PIM, ${brownfield.listed.filter((l) => l.path === "direct").length} directly)`,
    );
    console.log(
      `exit ${code}, ${report.outcome}: ${moved} moved (eligible, no longer standing); ${report.actions.length} steps`,
    );
    console.log(
      `Graph requests: ${report.requests} (${(report.requests! / brownfield.listed.length).toFixed(1)} per assignment, reads and read-backs included); writes: ${report.writes}`,
    );
    const floor = Math.max(0, Math.ceil((registrationReads + 2) / 5) - 1) * 10;
    console.log(
      `wall time: ${seconds.toFixed(1)} s, of which ~${floor} s is the reports throttle (${registrationReads} userRegistrationDetails requests at 5 per 10 s)`,
    );
    for (const limit of WRITE_LIMITS) {
      const most = writes.maxWritesIn(limit.windowMs);
      console.log(
        `${limit.name}: at most ${most} writes in any ${limit.windowMs / 1000} s (limit ${limit.requests.toLocaleString("en")}): ${most <= limit.requests ? "respected" : "EXCEEDED"}`,
      );
    }
  } finally {
    restore();
    await tenant.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main_().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
