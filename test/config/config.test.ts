/**
 * Bad input gets a clear error naming the key path, quoting the value and saying what is expected (the cases are
 * the one table in ./badInputs.ts; ./entryPoint.test.ts proves the program then declares nothing).
 */
import { describe, expect, it } from "vitest";
import { formatIssue, validateConfig } from "../../src/config/validate";
import { BAD_INPUTS } from "../support/config/badInputs";
import { rawConfig } from "../support/stack";

describe("config validation", () => {
  it("accepts the test stack (Pulumi.test.yaml)", () => {
    const result = validateConfig(rawConfig());
    expect(result.errors).toEqual([]);
    expect(result.config?.breakglass.accounts.map((a) => a.name)).toEqual(["breakglass-01", "breakglass-02"]);
  });

  it.each(BAD_INPUTS)("rejects %s", (_name, mutate, expected) => {
    const raw = rawConfig();
    mutate(raw);
    const result = validateConfig(raw);
    expect(result.config).toBeUndefined();
    const messages = result.errors.map(formatIssue);
    expect(
      messages.some((m) => expected.test(m)),
      `no message matched ${expected}; got:\n${messages.join("\n")}`,
    ).toBe(true);
  });

  it.each<[string, (c: Record<string, any>) => void]>([
    [
      "a role's eligible user who is one of two approvers",
      (c) =>
        (c.pim.roles = [
          {
            role: "Privileged Role Administrator",
            eligibleUsers: ["nestor.wilke@contoso.com"],
            approvers: { users: ["nestor.wilke@contoso.com", "lidia.holloway@contoso.com"] },
          },
        ]),
    ],
    [
      "a role whose only approver user is eligible, beside an approver group",
      (c) =>
        (c.pim.roles = [
          {
            role: "Privileged Role Administrator",
            eligibleUsers: ["nestor.wilke@contoso.com"],
            approvers: { users: ["nestor.wilke@contoso.com"], groups: ["7c000000-0000-4000-8000-00000000007c"] },
          },
        ]),
    ],
    [
      "a role outside Tier-0 whose template needs no approval, eligible user and approver alike",
      (c) => {
        c.pim.templates = {
          selfService: { maxActivationDuration: "PT8H", approvers: { users: ["megan.bowen@contoso.com"] } },
        };
        c.pim.roles = [
          { role: "Helpdesk Administrator", template: "selfService", eligibleUsers: ["megan.bowen@contoso.com"] },
        ];
      },
    ],
    [
      "a group member who is one of the role's approvers, with another",
      (c) => {
        c.pim.groups = [
          {
            group: "9a000000-0000-4000-8000-00000000009a",
            roles: ["Privileged Role Administrator"],
            eligibleMembers: ["adele.vance@contoso.com"],
          },
        ];
      },
    ],
  ])("accepts %s", (_name, mutate) => {
    const raw = rawConfig();
    mutate(raw);
    expect(validateConfig(raw).errors.map(formatIssue)).toEqual([]);
  });

  it("reports every problem at once, across sections", () => {
    const raw = rawConfig();
    raw.pim.maxActivationDuration = "PT9H";
    raw.pim.eligibleAdmins.push("breakglass-01@contoso.onmicrosoft.com", "not a upn");
    raw.breakglass.fido2.profile.aaguids = ["nope"];
    raw.monitoring.retentionInDays = 7;
    const messages = validateConfig(raw).errors.map(formatIssue);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pim\.maxActivationDuration: "PT9H" is longer/),
        expect.stringMatching(/^pim\.eligibleAdmins\[3\]: .* must never be PIM-eligible/),
        expect.stringMatching(/^pim\.eligibleAdmins\[4\]: "not a upn" must be/),
        expect.stringMatching(/^breakglass\.fido2\.profile\.aaguids\[0\]: "nope"/),
        expect.stringMatching(/^monitoring\.retentionInDays: 7 must be 30–730/),
      ]),
    );
  });

  it("warns, without failing, when a single approver is configured", () => {
    const raw = rawConfig();
    raw.pim.approvers = { users: ["lidia.holloway@contoso.com"] };
    const result = validateConfig(raw);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(formatIssue)).toContainEqual(
      expect.stringMatching(/^pim\.approvers: has a single approver; Microsoft recommends at least two/),
    );
  });

  it("shows, never silently accepts, an activation strength below phishing-resistant", () => {
    const result = validateConfig(rawConfig());
    expect(result.config?.pim.activationStrength).toBe("mfa");
    expect(result.warnings.map(formatIssue)).toContainEqual(
      expect.stringMatching(
        /^pim\.activationStrength: "mfa" \(Multifactor authentication\): activation asks for a fresh MFA every time, but not a phishing-resistant one/,
      ),
    );
  });

  it("gives every host of the tenant's cloud together, or a loopback emulator's", () => {
    const gov = rawConfig();
    gov.tenant.cloud = "usGovernmentDoD";
    expect(validateConfig(gov).config?.endpoints).toEqual({
      graph: "https://dod-graph.microsoft.us",
      arm: "https://management.usgovcloudapi.net",
      login: "https://login.microsoftonline.us",
      logAnalytics: "https://api.loganalytics.us",
    });
    const local = rawConfig();
    local.tenant.endpoints = { graph: "http://127.0.0.1:8443/" };
    expect(validateConfig(local).config?.endpoints.graph).toBe("http://127.0.0.1:8443");
  });

  it("applies documented defaults", () => {
    const raw = rawConfig();
    delete raw.limits;
    delete raw.conditionalAccess;
    delete raw.pim.maxActivationDuration;
    const config = validateConfig(raw).config!;
    expect(config.pim.maxActivationDuration).toBe("PT4H");
    expect(config.limits.activationDuration).toEqual({ max: "PT4H" });
    expect(config.tenant.cloud).toBe("public");
    expect(config.endpoints).toEqual({
      graph: "https://graph.microsoft.com",
      arm: "https://management.azure.com",
      login: "https://login.microsoftonline.com",
      logAnalytics: "https://api.loganalytics.io",
    });
    expect(config.conditionalAccess.mfaAllUsers.state).toBe("enabledForReportingButNotEnforced");
  });
});
