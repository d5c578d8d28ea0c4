/**
 * checks/breakglass.ts: the emergency accounts as the design requires them — present (found by adopted object id,
 * UPN, else mail nickname), enabled, cloud-only on *.onmicrosoft.com, permanent Global Administrator held directly at
 * the directory scope, a FIDO2 key or passkey registered and nothing phishable.
 */
import { describe, expect, it } from "vitest";
import { guid, testConfig, type Json } from "../../../support/fakes/tenant";
import { validConfig } from "../../../support/stack";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const BG1 = guid(1, "b0000000");

describe.concurrent("the accounts (AUD-BREAKGLASS-MISSING, -DOMAIN, -DISABLED, -SYNCED)", () => {
  it("reports a missing account, and one found only by mail nickname on another domain", async () => {
    const audit = await auditOf(config, (t) => {
      t.users[0]!.userPrincipalName = "breakglass-01@contoso.com";
      t.users.splice(1, 1);
    });
    expect(findingsOf(audit, "AUD-BREAKGLASS-MISSING")[0]!.object).toBe(
      "breakglass account breakglass-02@contoso.onmicrosoft.com",
    );
    expect(findingsOf(audit, "AUD-BREAKGLASS-DOMAIN")[0]).toMatchObject({
      actual: "breakglass-01@contoso.com",
      expected: "breakglass-01@contoso.onmicrosoft.com",
    });
  });

  it("finds an adopted account by its object id, even renamed, and reports the rename", async () => {
    const ADOPTED = guid(9, "b0000000");
    const adopted = validConfig(
      (raw) => (raw.breakglass.accounts = [{ name: "breakglass-01", objectId: ADOPTED }, { name: "breakglass-02" }]),
    );
    const audit = await auditOf(adopted, (t) => {
      Object.assign(t.users[0]!, {
        userPrincipalName: "emergency-a@contoso.onmicrosoft.com",
        mailNickname: "emergency-a",
      });
    });
    expect(findingsOf(audit, "AUD-BREAKGLASS-MISSING")).toEqual([]);
    expect(findingsOf(audit, "AUD-BREAKGLASS-DOMAIN").map((f) => [f.expected, f.actual])).toEqual([
      ["breakglass-01@contoso.onmicrosoft.com", "emergency-a@contoso.onmicrosoft.com"],
    ]);
  });

  it("reports a disabled account and a synced account", async () => {
    const audit = await auditOf(config, (t) => {
      Object.assign(t.users[0]!, { accountEnabled: false });
      Object.assign(t.users[1]!, { onPremisesSyncEnabled: true, onPremisesImmutableId: "abc==" });
    });
    expect(findingsOf(audit, "AUD-BREAKGLASS-DISABLED")[0]!.object).toContain("breakglass-01");
    expect(findingsOf(audit, "AUD-BREAKGLASS-SYNCED")[0]).toMatchObject({
      severity: "high",
      controls: expect.arrayContaining(["MS.AAD.7.3"]),
    });
  });

  it("reports an account with onPremisesSyncEnabled true and no immutable id as synced", async () => {
    const audit = await auditOf(config, (t) => void Object.assign(t.users[1]!, { onPremisesSyncEnabled: true }));
    expect(findingsOf(audit, "AUD-BREAKGLASS-SYNCED").map((f) => f.object)).toEqual([
      expect.stringContaining("breakglass-02"),
    ]);
  });

  it("reads a missing accountEnabled as not enabled (fails closed)", async () => {
    const audit = await auditOf(config, (t) => void delete t.users[0]!.accountEnabled);
    expect(findingsOf(audit, "AUD-BREAKGLASS-DISABLED").map((f) => f.actual)).toEqual(["accountEnabled = null"]);
  });
});

describe.concurrent("permanent Global Administrator (AUD-BREAKGLASS-NO-PERMANENT-GA)", () => {
  it.each<[string, Json, string]>([
    [
      "no longer permanent",
      { endDateTime: "2099-01-01T00:00:00Z" },
      "Assigned until 2099-01-01T00:00:00Z (Direct, scope /)",
    ],
    ["held through a group", { memberType: "Group" }, "Assigned until never (Group, scope /)"],
    [
      "scoped to an administrative unit",
      { directoryScopeId: "/administrativeUnits/a0000000-0000-4000-8000-0000000000a0" },
      "(Direct, scope /administrativeUnits/a0000000-0000-4000-8000-0000000000a0)",
    ],
    [
      "only activated",
      { assignmentType: "Activated", endDateTime: "2099-01-01T04:00:00Z" },
      "Activated until 2099-01-01T04:00:00Z",
    ],
  ])("reports an account whose Global Administrator is %s", async (_, change, actual) => {
    const audit = await auditOf(config, (t) => void Object.assign(t.assignmentInstances[1]!, change));
    const found = findingsOf(audit, "AUD-BREAKGLASS-NO-PERMANENT-GA");
    expect(found.map((f) => f.object)).toEqual(["breakglass account breakglass-02@contoso.onmicrosoft.com"]);
    expect(found[0]!.actual).toContain(actual);
  });

  it("reports an account without any Global Administrator assignment", async () => {
    const audit = await auditOf(config, (t) => void t.assignmentInstances.splice(0, 1));
    expect(findingsOf(audit, "AUD-BREAKGLASS-NO-PERMANENT-GA").map((f) => f.actual)).toEqual([
      "no active Global Administrator assignment",
    ]);
  });
});

describe.concurrent("authentication methods (AUD-BREAKGLASS-NO-FIDO2, -WEAK-METHODS)", () => {
  const password = { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" };

  it("reports an account without a FIDO2 key, and phishable methods", async () => {
    const audit = await auditOf(config, (t) => {
      t.methods[BG1] = [
        password,
        { "@odata.type": "#microsoft.graph.phoneAuthenticationMethod", id: "ph", phoneType: "mobile" },
      ];
    });
    expect(findingsOf(audit, "AUD-BREAKGLASS-NO-FIDO2")[0]).toMatchObject({ actual: "registered: password, phone" });
    expect(findingsOf(audit, "AUD-BREAKGLASS-WEAK-METHODS")[0]!.actual).toBe("also registered: phone");
  });

  // Microsoft's emergency-access guidance asks for phishing-resistant MFA: passkey (FIDO2) or certificate-based
  // authentication. A certificate is no weaker method; the key is one the stack's profile allows (model, attested).
  it("accepts a certificate beside the FIDO2 key, and compares the method types case-insensitively", async () => {
    const audit = await auditOf(config, (t) => {
      t.methods[BG1] = [
        password,
        {
          "@odata.type": "#microsoft.graph.FIDO2AuthenticationMethod",
          id: "k",
          aaGuid: "ee882879-721c-4913-9775-3dfcce97072a",
          attestationLevel: "attested",
        },
        { "@odata.type": "#microsoft.graph.x509CertificateAuthenticationMethod", id: "c" },
      ];
    });
    expect(described(audit)).toEqual([]);
  });

  it("reports an account with no method at all", async () => {
    const audit = await auditOf(config, (t) => void (t.methods[BG1] = []));
    expect(findingsOf(audit, "AUD-BREAKGLASS-NO-FIDO2").map((f) => f.actual)).toEqual([
      "no authentication method registered",
    ]);
  });
});
