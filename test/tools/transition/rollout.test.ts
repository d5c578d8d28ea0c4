/**
 * The first rollout's last steps on one brownfield tenant, through both commands: the transition refuses while a
 * Microsoft-managed policy locks the emergency accounts out and one has no key; remediation puts the exclusion back;
 * once the key is registered, the transition moves everyone the stack lists.
 */
import { expect, it } from "vitest";
import { main as remediate } from "../../../src/tools/remediate/cli";
import { main as transition } from "../../../src/tools/transition/cli";
import { MANAGED_POLICY } from "../../support/fakes/rolloutTenant";
import { startBrownfield } from "../../support/writes/harness";

it("refuses on an unhealthy emergency path, goes once remediation and the key have made it healthy", async () => {
  const h = await startBrownfield({ emergencyPath: "unhealthy" });
  try {
    const refused = await h.run(transition, ["--stack", h.stack, "--apply", "--json"]);
    expect(refused.code).toBe(1);
    expect(refused.report!.checks[0]!.problems.some((p) => p.includes(MANAGED_POLICY))).toBe(true);

    const fixed = await h.run(remediate, ["ca-exclusions", "--stack", h.stack, "--apply", "--json"]);
    expect(fixed.code, fixed.err).toBe(0);
    const still = await h.run(transition, ["--stack", h.stack, "--apply", "--json"]);
    expect(still.code).toBe(1);
    expect(still.report!.checks[0]!.problems).toEqual([
      "breakglass-02@contoso.onmicrosoft.com has no FIDO2 security key or passkey registered",
    ]);

    // The custodian registers the key (docs/operations.md, "Runbook: breakglass FIDO2 registration").
    const bg02 = String(h.tenant.data.users.find((u) => String(u.userPrincipalName).startsWith("breakglass-02"))!.id);
    h.tenant.data.methods[bg02]!.push({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
      id: "f1d00000-0000-4000-8000-0000000000b2",
      displayName: "BG02-A",
      model: "YubiKey 5 NFC",
    });
    const moved = await h.run(transition, ["--stack", h.stack, "--apply", "--json"]);
    expect(moved.code, moved.err).toBe(0);
    expect(moved.report!.outcome).toBe("completed");
    expect(moved.report!.checks.map((c) => c.ok)).toEqual([true, true]);
  } finally {
    await h.close();
  }
}, 120_000);
