/**
 * The preflight over Fabrikam: every lock-out risk the brownfield tenant holds is found, named and given a fix; a
 * mutation that removes the cause removes the risk (so each assertion can fail).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { AdoptResult } from "../../../src/tools/adopt/adopt";
import { preflight, type Risk } from "../../../src/tools/adopt/preflight";
import { tenantView } from "../../../src/tools/adopt/view";
import { BREAKGLASS_GROUP_ID, BG_BRAVO_ID } from "../../support/fakes/brownfield";
import { adoptBrownfield, brownfieldSnapshot, existingStack } from "../../support/adopt/harness";

let result: AdoptResult;
let planned: Parameters<typeof preflight>[0]["planned"];

beforeAll(async () => {
  result = await adoptBrownfield();
  // The planned resources of the proposed stack, planned as adopt plans them.
  const { planProposed } = await import("../../../src/tools/adopt/plan");
  const run = await planProposed(
    { stack: "prod", raw: {}, passthrough: {} },
    result.config,
    tenantView(brownfieldSnapshot()),
    BREAKGLASS_GROUP_ID,
  );
  planned = run.resources;
}, 90_000);

const of = (risks: readonly Risk[], kind: Risk["kind"]) => risks.filter((r) => r.kind === kind);

describe("preflight on the brownfield tenant", () => {
  it("finds the admin who cannot meet the activation strength at all", () => {
    expect(of(result.report.risks, "activation")).toEqual([
      {
        kind: "activation",
        object: "henrietta.mueller@fabrikam.com → Global Administrator",
        problem:
          "no registered method meets Multifactor authentication (registered: email): activating would ask for Multifactor authentication every time and fail",
        fix: "have them register a method that meets Multifactor authentication before the activation policy is enforced (or lower pim.activationStrength)",
      },
    ]);
  });

  it("at phishing-resistant strength, every admin without FIDO2 or Windows Hello is at risk", () => {
    const config = {
      ...result.config,
      pim: { ...result.config.pim, activationStrength: "phishingResistant" as const },
    };
    const report = preflight({ view: tenantView(brownfieldSnapshot()), config, planned });
    const objects = of(report.risks, "activation").map((r) => r.object.split(" → ")[0]);
    expect(objects).toContain("diego.siciliani@fabrikam.com");
    expect(objects).not.toContain("alex.wilber@fabrikam.com"); // passKeyDeviceBound
    expect(objects).not.toContain("isaiah.langer@fabrikam.com"); // windowsHelloForBusiness
  });

  it("finds approvers that are only the requesters, and a disabled approver leaving nobody to approve", () => {
    const approvers = of(result.report.risks, "approvers").map((r) => `${r.object}: ${r.problem}`);
    expect(approvers).toContain(
      "alex.wilber@fabrikam.com → Global Administrator: has no approver other than themselves (a requester never approves their own request)",
    );
    expect(approvers).toContain(
      "approver former.admin@fabrikam.com → Security Administrator: is disabled: they cannot approve anything",
    );
    expect(approvers).toContain(
      "miriam.graham@fabrikam.com → Security Administrator: has no approver who can act: every configured approver is missing or disabled",
    );
    // Members of the eligible group SecOps responders are requesters too.
    expect(approvers).toContain(
      "gerhart.moller@fabrikam.com → Security Administrator: has no approver who can act: every configured approver is missing or disabled",
    );
  });

  it("names the Microsoft-managed policy that does not exclude the emergency accounts", () => {
    const [exposure, ...others] = of(result.report.risks, "emergencyExposure");
    expect(others).toEqual([]);
    expect(exposure!.object).toBe(
      'CA policy "Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals" (enabledForReportingButNotEnforced, Microsoft-managed)',
    );
    expect(exposure!.problem).toContain(
      "does not exclude bg-alpha@fabrikam.onmicrosoft.com, bg-bravo@fabrikam.onmicrosoft.com",
    );
    expect(exposure!.problem).toContain(
      "Microsoft turns report-only managed policies on by itself after about 45 days",
    );
  });

  it("checks the emergency path itself: bg-bravo has no FIDO2 key", () => {
    expect(of(result.report.risks, "emergencyPath").map((r) => [r.object, r.problem])).toEqual([
      [
        "emergency account bg-bravo@fabrikam.onmicrosoft.com",
        "it has no FIDO2 key or passkey registered, so it cannot pass the MFA the admin portals require",
      ],
    ]);
    const snapshot = brownfieldSnapshot();
    snapshot.adopt!.sources.holderMethods![BG_BRAVO_ID]!.push({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
      id: "k2",
    });
    expect(
      of(preflight({ view: tenantView(snapshot), config: result.config, planned }).risks, "emergencyPath"),
    ).toEqual([]);
  });

  it("says what the FIDO2 settings change for every user of a tenant-wide tenant, and only what the stack declares", () => {
    // Fabrikam is on the legacy tenant-wide settings (FIDO2 for all users, no attestation, no key restrictions) and
    // the proposal declares nothing under breakglass.fido2.tenantWide: the stack adds the exclusion group to the
    // targets and leaves everyone else's settings as they are, so there is nothing to warn about.
    expect(of(result.report.risks, "fido2")).toEqual([]);
    const declaring = (tenantWide: Record<string, unknown>) =>
      planned.map((r) =>
        r.type === "pulumi-nodejs:dynamic/breakglass:Fido2MethodPolicy"
          ? { ...r, inputs: { ...r.inputs, tenantWide } }
          : r,
      );
    const risksOf = (plannedResources: typeof planned, snapshot = brownfieldSnapshot()) =>
      preflight({ view: tenantView(snapshot), config: result.config, planned: plannedResources });
    // What breakglass.fido2.tenantWide.enforceAttestation: true (acknowledged) plans.
    const attested = of(risksOf(declaring({ isAttestationEnforced: true })).risks, "fido2");
    expect(attested.map((r) => [r.object, r.problem])).toEqual([
      [
        "FIDO2 method policy (tenant-wide)",
        "the stack enforces attestation for everyone it targets (all users): from then on only attested security keys can be registered, so nobody can register a synced passkey or an unattested key any more",
      ],
    ]);
    // What breakglass.fido2.tenantWide.aaguids plans: one model for everybody.
    const models = of(
      risksOf(
        declaring({
          keyRestrictions: {
            isEnforced: true,
            enforcementType: "allow",
            aaGuids: ["ee882879-721c-4913-9775-3dfcce97072a"],
          },
        }),
      ).risks,
      "fido2",
    );
    expect(models.map((r) => r.problem)).toEqual([
      expect.stringMatching(/^the stack allows only 1 key model\(s\) for everyone it targets \(all users\)/),
    ]);
    // In a passkey-profile tenant the emergency group gets a profile of its own: the tenant-wide keys govern nobody.
    const profiles = brownfieldSnapshot();
    const fido2 = profiles.sources.fido2Policy![0]!;
    fido2.passkeyProfiles = [
      {
        id: "00000000-0000-0000-0000-000000000001",
        name: "Default passkey profile",
        passkeyTypes: "deviceBound,synced",
        attestationEnforcement: "disabled",
        keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
      },
    ];
    fido2.defaultPasskeyProfile = "00000000-0000-0000-0000-000000000001";
    (fido2.includeTargets as Record<string, unknown>[])[0]!.allowedPasskeyProfiles = [
      "00000000-0000-0000-0000-000000000001",
    ];
    const inProfiles = risksOf(declaring({ isAttestationEnforced: true }), profiles);
    expect(of(inProfiles.risks, "fido2")).toEqual([]);
    expect(inProfiles.notices.filter((n) => n.kind === "fido2").map((n) => n.text)).toEqual([
      "the tenant uses passkey profiles: the stack gives the exclusion group a profile of its own and leaves every other target and profile as it is",
    ]);
  });

  it("reports too many Global Administrators, the policy that would newly apply to a group, and the exclusion group's extra member", () => {
    expect(of(result.report.risks, "globalAdminCount")[0]!.problem).toMatch(
      /^10 eligible \+ 2 emergency = 12 Global Administrators/,
    );
    const [adopted] = of(result.report.risks, "adoptedPolicy");
    expect(adopted!.object).toBe('CA policy "Require MFA for all users" (enabled, adopted as mfaAllUsers)');
    expect(adopted!.problem).toContain("so it will newly apply to group 9b0f0000-0000-4000-8000-000000000002");
    expect(of(result.report.risks, "adoption").map((r) => r.object)).toEqual([
      'johanna.lorenz@fabrikam.com in group "BreakGlass Exclusion"',
    ]);
  });

  it("tells what happens to each standing holder", () => {
    const fate = (who: string, role: string) =>
      result.report.holders.find((h) => h.principal === who && h.role === role)?.after;
    expect(fate("user alex.wilber@fabrikam.com", "Global Administrator")).toBe(
      "eligible (pim.eligibleAdmins); its standing assignment is removed by the transition step, after a first activation",
    );
    expect(fate("user bg-alpha@fabrikam.onmicrosoft.com", "Global Administrator")).toBe(
      "keeps permanent Global Administrator: emergency account",
    );
    expect(fate("servicePrincipal fabrikam-iac-deploy", "Privileged Role Administrator")).toBe(
      "stays standing: declared exception until 2025-08-31",
    );
    expect(fate("user ben.walters@fabrikam.com", "User Administrator")).toBe(
      "eligible (pim.groups[0].eligibleMembers); its standing membership is removed by the transition step, after a first activation",
    );
    expect(fate("user lidia.holloway@fabrikam.com", "Global Administrator")).toBe(
      "stays eligible, declared in the stack (pim.eligibleAdmins)",
    );
  });

  it("finds the authentication context already in use when the stack pins it", async () => {
    const pinned = await adoptBrownfield({
      existing: existingStack(`config:\n  entra-baseline:pim:\n    authenticationContextId: c1\n`),
    });
    const [context] = of(pinned.report.risks, "context");
    expect(context!.object).toBe('CA policy "Require compliant device for sensitive sites" (enabled)');
    expect(context!.problem).toContain(
      "also targets authentication context c1, so every activation of Global Administrator",
    );
    expect(context!.problem).toContain("(grant: compliantdevice)");
    expect(of(result.report.risks, "context")).toEqual([]);
  }, 60_000);

  it("counts a source that was not read as a risk, never as clean", () => {
    const snapshot = brownfieldSnapshot();
    delete snapshot.adopt!.sources.registrationDetails;
    snapshot.adopt!.errors = {
      registrationDetails: "GET /v1.0/reports/authenticationMethods/userRegistrationDetails failed with 503",
    };
    const report = preflight({ view: tenantView(snapshot), config: result.config, planned });
    expect(of(report.risks, "unverified").map((r) => r.object)).toEqual(["source registrationDetails"]);
    expect(of(report.risks, "activation")[0]!.problem).toContain("their registered methods could not be verified");
  });
});
