/**
 * Breakglass and Conditional Access config: defaults, generated names and warnings. The bad inputs (a custom
 * domain, fewer than two accounts, a breakglass account made eligible, an invalid AAGUID, an auth context outside
 * c1–c99, an unknown CA state…) are rows of the one table in test/support/config/badInputs.ts.
 */
import { describe, expect, it } from "vitest";
import { formatIssue, validateConfig } from "../../../src/config/validate";
import { rawConfig } from "../../support/stack";

describe("breakglass and Conditional Access config", () => {
  it("accepts the bundled stack, with its breakglass accounts on the initial domain", () => {
    const result = validateConfig(rawConfig());
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.config!.breakglass.domain).toBe("contoso.onmicrosoft.com");
    expect(result.config!.breakglass.accounts).toEqual([
      { name: "breakglass-01", displayName: "Emergency access breakglass-01", password: "generate" },
      { name: "breakglass-02", displayName: "Emergency access breakglass-02", password: "generate" },
    ]);
  });

  it("defaults the breakglass domain to the tenant's initial domain and the CA baseline to report-only", () => {
    const raw = rawConfig();
    delete raw.breakglass.domain;
    delete raw.conditionalAccess;
    const config = validateConfig(raw).config!;
    expect(config.breakglass.domain).toBe("contoso.onmicrosoft.com");
    expect(config.conditionalAccess).toEqual({
      activationPolicyState: "enabled",
      adoptAuthenticationContext: false,
      adminMfa: { state: "enabledForReportingButNotEnforced", strength: "mfa" },
      blockLegacyAuthentication: { state: "enabledForReportingButNotEnforced" },
      mfaAllUsers: { state: "enabledForReportingButNotEnforced" },
    });
  });

  it("leaves the domain to the azuread.getDomains lookup when neither tenant nor breakglass names it", () => {
    const raw = rawConfig();
    delete raw.breakglass.domain;
    delete raw.tenant.initialDomain;
    const result = validateConfig(raw);
    expect(result.errors).toEqual([]);
    expect(result.config!.breakglass.domain).toBeUndefined();
  });

  it("names the accounts <namePrefix>-NN from count", () => {
    const raw = rawConfig();
    raw.breakglass.count = 3;
    raw.breakglass.namePrefix = "ea";
    raw.pim.eligibleAdmins = ["adele.vance@contoso.com", "megan.bowen@contoso.com"];
    expect(validateConfig(raw).config!.breakglass.accounts.map((a) => a.name)).toEqual(["ea-01", "ea-02", "ea-03"]);
  });

  it("does not mistake an admin with a breakglass-like name on another domain for a breakglass account", () => {
    const raw = rawConfig();
    raw.pim.eligibleAdmins[2] = "breakglass-01@contoso.com";
    expect(validateConfig(raw).errors).toEqual([]);
  });

  it("warns that an activation policy that is not enabled forces no fresh MFA on activation", () => {
    for (const state of ["disabled", "enabledForReportingButNotEnforced"]) {
      const raw = rawConfig();
      raw.conditionalAccess.activationPolicyState = state;
      const result = validateConfig(raw);
      expect(result.errors).toEqual([]);
      expect(result.warnings.map(formatIssue)).toContainEqual(
        expect.stringMatching(
          new RegExp(`^conditionalAccess\\.activationPolicyState: "${state}" does not enforce .*fresh MFA`),
        ),
      );
    }
  });
});
