/**
 * Builds examples/audit-snapshot.json: the tenant of the examples' own stack (examples/Pulumi.example.yaml) read from the fake
 * tenant through the real reader, with five things changed outside Pulumi (docs/audit.md lists them):
 *
 *   1. it-ops@contoso.com was made Global Administrator permanently, in the portal (outside PIM);
 *   2. a CA policy "Require compliant device (hand-made)" was created without the breakglass exclusion;
 *   3. the GA activation maximum was raised from PT4H to PT8H;
 *   4. breakglass-02's FIDO2 key was removed (an Authenticator phone sign-in was added instead);
 *   5. NonInteractiveUserSignInLogs was switched off in the Entra diagnostic setting.
 *
 * Regenerate: `npx tsx test/support/audit/exampleSnapshot.ts > examples/audit-snapshot.json`.
 */
import { GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import { useFakeAzureCli } from "../fakes/azureCli";
import {
  assignmentInstance,
  assignmentSchedule,
  caPolicy,
  guid,
  healthyTenant,
  startFakeTenant,
  user,
} from "../fakes/tenant";
import { readFake } from "../fakes/tenantReads";
import { requireStackConfig } from "../../../src/config/stackConfig";
import { ROOT } from "../stack";
import * as path from "node:path";

/** The stack the examples are for (examples/Pulumi.example.yaml). */
export function exampleConfig() {
  return requireStackConfig(path.join(ROOT, "examples"), "example").config;
}

export async function exampleSnapshotJson(): Promise<string> {
  const config = exampleConfig();
  const data = healthyTenant(config);
  const itOps = user(guid(77, "ad000000"), "it-ops@contoso.com", { displayName: "IT Operations" });
  data.users.push(itOps);
  data.assignmentInstances.push(
    assignmentInstance(77, GLOBAL_ADMINISTRATOR, String(itOps.id), { startDateTime: "2025-03-14T09:12:00Z" }),
  );
  data.assignmentSchedules.push(
    assignmentSchedule(77, GLOBAL_ADMINISTRATOR, String(itOps.id), {
      createdUsing: null,
      createdDateTime: "2025-03-14T09:12:00Z",
      scheduleInfo: {
        startDateTime: "2025-03-14T09:12:00Z",
        recurrence: null,
        expiration: { type: "noExpiration", endDateTime: null, duration: null },
      },
    }),
  );
  const handMade = caPolicy(4, [], { state: "enabled" });
  handMade.displayName = "Require compliant device (hand-made)";
  data.caPolicies.push(handMade);
  data.caPolicies.forEach((p, i) => {
    if (i < 3)
      p.displayName = [
        "Baseline: MFA for all users",
        "Baseline: block legacy authentication",
        "Baseline: phishing-resistant MFA for admins",
      ][i];
  });
  const rule = data.pimRules.find((r) => r.id === "Expiration_EndUser_Assignment")!;
  rule.maximumDuration = "PT8H";
  const bg2 = String(data.users[1]!.id);
  data.methods[bg2] = [
    { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
    {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
      id: guid(5, "a0700000"),
      displayName: "Pixel 8",
      deviceTag: "SoftwareTokenActivated",
    },
  ];
  const logs = (data.diagnosticSettings[0]!.properties as { logs: { category: string; enabled: boolean }[] }).logs;
  logs.find((l) => l.category === "NonInteractiveUserSignInLogs")!.enabled = false;

  const restore = useFakeAzureCli();
  const tenant = await startFakeTenant(data);
  try {
    const snapshot = await readFake(tenant, config);
    snapshot.takenAt = "2025-06-02T07:30:00.000Z";
    snapshot.endpoints = { graph: "https://graph.microsoft.com", arm: "https://management.azure.com" };
    return `${JSON.stringify(snapshot, null, 2)}\n`;
  } finally {
    restore();
    await tenant.close();
  }
}

if (require.main === module) {
  exampleSnapshotJson().then((text) => process.stdout.write(text));
}
