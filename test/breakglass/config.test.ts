/**
 * Bad breakglass and Conditional Access input is refused before anything is declared, with a message that names
 * the key, quotes the value and says what is expected. Each case mutates the bundled, valid Pulumi.prod.yaml.
 */
import { describe, expect, it } from "vitest";
import { formatIssue, validateConfig } from "../../src/config";
import { prodConfig } from "../config/fixtures";

type Mutation = (c: Record<string, any>) => void;

const BAD_INPUTS: [string, Mutation, RegExp][] = [
  // Domain: cloud-only on the Microsoft-owned initial domain, never a federated/custom one.
  ["a custom domain", (c) => (c.breakglass.domain = "contoso.com"), /^breakglass\.domain: "contoso\.com" must be the tenant's initial \*\.onmicrosoft\.com domain/],
  ["a sub-domain of onmicrosoft.com", (c) => (c.breakglass.domain = "a.contoso.onmicrosoft.com"), /^breakglass\.domain: "a\.contoso\.onmicrosoft\.com" must be the tenant's initial/],
  ["a look-alike domain", (c) => (c.breakglass.domain = "contoso.onmicrosoft.com.evil.com"), /^breakglass\.domain: .* must be the tenant's initial \*\.onmicrosoft\.com domain/],
  ["the mail domain onmicrosoft", (c) => (c.breakglass.domain = "contoso.mail.onmicrosoft.com"), /^breakglass\.domain: "contoso\.mail\.onmicrosoft\.com" must be the tenant's initial/],
  ["another tenant's initial domain", (c) => (c.breakglass.domain = "fabrikam.onmicrosoft.com"), /^breakglass\.domain: "fabrikam\.onmicrosoft\.com" is not the tenant's initial domain "contoso\.onmicrosoft\.com"/],
  ["a custom tenant initial domain", (c) => (c.tenant.initialDomain = "contoso.com"), /^tenant\.initialDomain: "contoso\.com" must be the tenant's initial domain, <name>\.onmicrosoft\.com/],
  // Fewer than two accounts (Microsoft guidance, ZTA 21835).
  ["count 1", (c) => (c.breakglass.count = 1), /^breakglass\.count: 1 must be at least 2 \(Microsoft guidance, ZTA 21835\)/],
  ["count 0", (c) => (c.breakglass.count = 0), /^breakglass\.count: 0 must be at least 2/],
  ["count not an integer", (c) => (c.breakglass.count = 2.5), /^breakglass\.count: 2\.5 /],
  ["count as text", (c) => (c.breakglass.count = "two"), /^breakglass\.count: "two" must be a number/],
  [
    "a single explicit account",
    (c) => (c.breakglass = { ...c.breakglass, count: undefined, accounts: [{ name: "bg-a" }] }),
    /^breakglass\.accounts: \[\{"name":"bg-a"\}\] must list at least 2 emergency accounts/,
  ],
  [
    "no explicit account",
    (c) => (c.breakglass = { ...c.breakglass, count: undefined, accounts: [] }),
    /^breakglass\.accounts: \[\] must list at least 2 emergency accounts/,
  ],
  [
    "count disagreeing with the accounts",
    (c) => (c.breakglass = { ...c.breakglass, count: 3, accounts: [{ name: "bg-a" }, { name: "bg-b" }] }),
    /^breakglass\.count: 3 disagrees with the 2 entries of breakglass\.accounts/,
  ],
  [
    "the same account twice",
    (c) => (c.breakglass = { ...c.breakglass, count: undefined, accounts: [{ name: "bg-a" }, { name: "BG-A" }] }),
    /^breakglass\.accounts\[1\]\.name: "BG-A" is listed twice \(also at \[0\]\)/,
  ],
  [
    "an account name that is not a mail nickname",
    (c) => (c.breakglass = { ...c.breakglass, count: undefined, accounts: [{ name: "bg a" }, { name: "bg-b" }] }),
    /^breakglass\.accounts\[0\]\.name: "bg a" must be a mail nickname/,
  ],
  [
    "a full UPN as account name",
    (c) => (c.breakglass = { ...c.breakglass, count: undefined, accounts: [{ name: "bg-a@contoso.onmicrosoft.com" }, { name: "bg-b" }] }),
    /^breakglass\.accounts\[0\]\.name: "bg-a@contoso\.onmicrosoft\.com" must be a mail nickname/,
  ],
  ["a name prefix with a space", (c) => (c.breakglass.namePrefix = "break glass"), /^breakglass\.namePrefix: "break glass" must be a mail nickname prefix/],
  [
    "a UPN longer than Entra's 113 characters",
    (c) => {
      const domain = `${"t".repeat(60)}.onmicrosoft.com`;
      c.tenant.initialDomain = domain;
      c.breakglass.domain = domain;
      c.breakglass.accounts = [{ name: "b".repeat(60) }, { name: "bg-b" }];
      delete c.breakglass.count;
    },
    /^breakglass\.accounts\[0\]\.name: "b{60}@t+\.\.\. is 137 characters; a user principal name has at most 113/,
  ],
  ["an unknown breakglass key", (c) => (c.breakglass.passwordLength = 64), /^breakglass\.passwordLength: unknown key/],
  ["a lower-case usage location", (c) => (c.breakglass.usageLocation = "us"), /^breakglass\.usageLocation: "us" must be a two-letter ISO country code/],
  // Breakglass accounts are never PIM-eligible (nor approvers): they hold permanent GA outside PIM.
  [
    "a breakglass account made eligible",
    (c) => c.pim.eligibleAdmins.push("breakglass-01@contoso.onmicrosoft.com"),
    /^pim\.eligibleAdmins\[3\]: "breakglass-01@contoso\.onmicrosoft\.com" is breakglass account "breakglass-01": emergency accounts hold permanent Global Administrator and must never be PIM-eligible/,
  ],
  [
    "a breakglass account made eligible, different case",
    (c) => c.pim.eligibleAdmins.push("BreakGlass-02@Contoso.OnMicrosoft.com"),
    /^pim\.eligibleAdmins\[3\]: "BreakGlass-02@Contoso\.OnMicrosoft\.com" is breakglass account "breakglass-02"/,
  ],
  [
    "an explicit breakglass account made eligible",
    (c) => {
      c.breakglass = { ...c.breakglass, count: undefined, accounts: [{ name: "ea-alpha" }, { name: "ea-bravo" }] };
      c.pim.eligibleAdmins[1] = "ea-bravo@contoso.onmicrosoft.com";
    },
    /^pim\.eligibleAdmins\[1\]: "ea-bravo@contoso\.onmicrosoft\.com" is breakglass account "ea-bravo"/,
  ],
  [
    "a breakglass account as approver",
    (c) => c.pim.approvers.users.push("breakglass-02@contoso.onmicrosoft.com"),
    /^pim\.approvers\.users\[2\]: "breakglass-02@contoso\.onmicrosoft\.com" is breakglass account "breakglass-02": .* must never be PIM approvers/,
  ],
  // FIDO2 allow-list.
  ["an AAGUID that is a model name", (c) => (c.breakglass.fido2.aaguids = ["yubikey-5"]), /^breakglass\.fido2\.aaguids\[0\]: "yubikey-5" must be an AAGUID \(GUID\)/],
  ["a truncated AAGUID", (c) => (c.breakglass.fido2.aaguids = ["cb69481e-8ff7-4039-93ec-0a2729a154a"]), /^breakglass\.fido2\.aaguids\[0\]: "cb69481e-8ff7-4039-93ec-0a2729a154a" must be an AAGUID/],
  ["a braced AAGUID", (c) => (c.breakglass.fido2.aaguids = ["{cb69481e-8ff7-4039-93ec-0a2729a154a8}"]), /^breakglass\.fido2\.aaguids\[0\]: "\{cb69481e-8ff7-4039-93ec-0a2729a154a8\}" must be an AAGUID/],
  [
    "an AAGUID listed twice",
    (c) => c.breakglass.fido2.aaguids.push("CB69481E-8FF7-4039-93EC-0A2729A154A8"),
    /^breakglass\.fido2\.aaguids\[2\]: "CB69481E-8FF7-4039-93EC-0A2729A154A8" is listed twice \(also at \[0\]\)/,
  ],
  ["attestation as text", (c) => (c.breakglass.fido2.enforceAttestation = "yes"), /^breakglass\.fido2\.enforceAttestation: "yes" must be a boolean/],
  // Authentication context id: c1…c99.
  ["auth context c0", (c) => (c.pim.authenticationContextId = "c0"), /^pim\.authenticationContextId: "c0" must be an authentication context id c1…c99/],
  ["auth context c100", (c) => (c.pim.authenticationContextId = "c100"), /^pim\.authenticationContextId: "c100" must be an authentication context id c1…c99/],
  ["auth context upper-case", (c) => (c.pim.authenticationContextId = "C1"), /^pim\.authenticationContextId: "C1" must be an authentication context id c1…c99/],
  ["auth context with a leading zero", (c) => (c.pim.authenticationContextId = "c01"), /^pim\.authenticationContextId: "c01" must be an authentication context id/],
  ["auth context as a number", (c) => (c.pim.authenticationContextId = 1), /^pim\.authenticationContextId: 1 must be a string/],
  // CA states.
  ["an unknown activation policy state", (c) => (c.conditionalAccess.activationPolicyState = "on"), /^conditionalAccess\.activationPolicyState: "on" must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"/],
  ["report-only spelt as in the portal", (c) => (c.conditionalAccess.mfaAllUsers.state = "reportOnly"), /^conditionalAccess\.mfaAllUsers\.state: "reportOnly" must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"/],
  ["a state with the wrong case", (c) => (c.conditionalAccess.blockLegacyAuthentication.state = "Enabled"), /^conditionalAccess\.blockLegacyAuthentication\.state: "Enabled" must be one of/],
  ["a state as a boolean", (c) => (c.conditionalAccess.adminPhishingResistantMfa.state = true), /^conditionalAccess\.adminPhishingResistantMfa\.state: true must be one of/],
  ["an unknown CA policy key", (c) => (c.conditionalAccess.blockLegacyAuth = { state: "enabled" }), /^conditionalAccess\.blockLegacyAuth: unknown key/],
];

describe("breakglass and Conditional Access config", () => {
  it("accepts the bundled stack, with its breakglass accounts on the initial domain", () => {
    const result = validateConfig(prodConfig());
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.config!.breakglass.domain).toBe("contoso.onmicrosoft.com");
    expect(result.config!.breakglass.accounts).toEqual([
      { name: "breakglass-01", displayName: "Emergency access breakglass-01" },
      { name: "breakglass-02", displayName: "Emergency access breakglass-02" },
    ]);
  });

  it.each(BAD_INPUTS)("rejects %s", (_name, mutate, expected) => {
    const raw = prodConfig();
    mutate(raw);
    const result = validateConfig(raw);
    expect(result.config).toBeUndefined();
    const messages = result.errors.map(formatIssue);
    expect(messages.some((m) => expected.test(m)), `no message matched ${expected}; got:\n${messages.join("\n")}`).toBe(true);
  });

  it("defaults the breakglass domain to the tenant's initial domain and the CA baseline to report-only", () => {
    const raw = prodConfig();
    delete raw.breakglass.domain;
    delete raw.conditionalAccess;
    const config = validateConfig(raw).config!;
    expect(config.breakglass.domain).toBe("contoso.onmicrosoft.com");
    expect(config.conditionalAccess).toEqual({
      activationPolicyState: "enabled",
      adminPhishingResistantMfa: { state: "enabledForReportingButNotEnforced" },
      blockLegacyAuthentication: { state: "enabledForReportingButNotEnforced" },
      mfaAllUsers: { state: "enabledForReportingButNotEnforced" },
    });
  });

  it("leaves the domain to the azuread.getDomains lookup when neither tenant nor breakglass names it", () => {
    const raw = prodConfig();
    delete raw.breakglass.domain;
    delete raw.tenant.initialDomain;
    const result = validateConfig(raw);
    expect(result.errors).toEqual([]);
    expect(result.config!.breakglass.domain).toBeUndefined();
  });

  it("names the accounts <namePrefix>-NN from count", () => {
    const raw = prodConfig();
    raw.breakglass.count = 3;
    raw.breakglass.namePrefix = "ea";
    raw.pim.eligibleAdmins = ["adele.vance@contoso.com", "megan.bowen@contoso.com"];
    expect(validateConfig(raw).config!.breakglass.accounts.map((a) => a.name)).toEqual(["ea-01", "ea-02", "ea-03"]);
  });

  it("does not mistake an admin with a breakglass-like name on another domain for a breakglass account", () => {
    const raw = prodConfig();
    raw.pim.eligibleAdmins[2] = "breakglass-01@contoso.com";
    expect(validateConfig(raw).errors).toEqual([]);
  });

  it("warns that an activation policy that is not enabled forces no fresh MFA on activation", () => {
    for (const state of ["disabled", "enabledForReportingButNotEnforced"]) {
      const raw = prodConfig();
      raw.conditionalAccess.activationPolicyState = state;
      const result = validateConfig(raw);
      expect(result.errors).toEqual([]);
      expect(result.warnings.map(formatIssue)).toEqual([
        expect.stringMatching(new RegExp(`^conditionalAccess\\.activationPolicyState: "${state}" does not enforce .*fresh phishing-resistant MFA`)),
      ]);
    }
  });
});
