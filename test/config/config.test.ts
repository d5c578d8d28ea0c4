/**
 * Bad input gets a clear error naming the key path, quoting the value and saying what is expected, and the
 * program declares nothing. Each case mutates the bundled, valid Pulumi.prod.yaml config.
 */
import { describe, expect, it } from "vitest";
import { formatIssue, validateConfig } from "../../src/config";
import { prodConfig } from "./fixtures";

type Mutation = (c: Record<string, any>) => void;

export const BAD_INPUTS: [string, Mutation, RegExp][] = [
  ["activation longer than the limit", (c) => (c.pim.maxActivationDuration = "PT9H"), /^pim\.maxActivationDuration: "PT9H" is longer than the allowed 4 hours/],
  ["activation shorter than the limit", (c) => (c.pim.maxActivationDuration = "PT1H"), /^pim\.maxActivationDuration: "PT1H" is shorter than the allowed 2 hours/],
  ["activation not ISO 8601", (c) => (c.pim.maxActivationDuration = "4 hours"), /^pim\.maxActivationDuration: "4 hours" must be an ISO 8601 duration/],
  ["no eligible admin", (c) => (c.pim.eligibleAdmins = []), /^pim\.eligibleAdmins: \[\] must list at least one eligible Global Administrator/],
  ["malformed UPN", (c) => (c.pim.eligibleAdmins[1] = "megan.bowen"), /^pim\.eligibleAdmins\[1\]: "megan\.bowen" must be a user principal name/],
  ["malformed object id", (c) => (c.pim.eligibleAdmins[0] = "1234-abcd"), /^pim\.eligibleAdmins\[0\]: "1234-abcd" must be a user principal name .* or an object id/],
  ["admin listed twice", (c) => c.pim.eligibleAdmins.push("Megan.Bowen@contoso.com"), /^pim\.eligibleAdmins\[3\]: "Megan\.Bowen@contoso\.com" is listed twice \(also at \[1\]\)/],
  [
    "breakglass account made eligible",
    (c) => c.pim.eligibleAdmins.push("breakglass-02@contoso.onmicrosoft.com"),
    /^pim\.eligibleAdmins\[3\]: "breakglass-02@contoso\.onmicrosoft\.com" is breakglass account "breakglass-02": .* must never be PIM-eligible/,
  ],
  ["no approver", (c) => (c.pim.approvers = { users: [], groups: [] }), /^pim\.approvers: lists no approver/],
  [
    "self-approval is the only path",
    (c) => (c.pim.approvers = { users: ["adele.vance@contoso.com"] }),
    /^pim\.eligibleAdmins\[0\]: "adele\.vance@contoso\.com" is the only approver of their own activation/,
  ],
  ["approver group not a GUID", (c) => (c.pim.approvers.groups = ["secops-approvers"]), /^pim\.approvers\.groups\[0\]: "secops-approvers" must be a GUID/],
  ["approver listed twice", (c) => c.pim.approvers.users.push("LIDIA.holloway@contoso.com"), /^pim\.approvers\.users\[2\]: "LIDIA\.holloway@contoso\.com" is listed twice/],
  ["breakglass account as approver", (c) => c.pim.approvers.users.push("breakglass-01@contoso.onmicrosoft.com"), /^pim\.approvers\.users\[2\]: .* must never be PIM approvers/],
  ["malformed notification email", (c) => (c.pim.notificationRecipients = ["secops"]), /^pim\.notificationRecipients\[0\]: "secops" must be an email address/],
  ["no notification recipient", (c) => (c.pim.notificationRecipients = []), /^pim\.notificationRecipients: \[\] must list at least one recipient/],
  ["auth context outside c1–c99", (c) => (c.pim.authenticationContextId = "c100"), /^pim\.authenticationContextId: "c100" must be an authentication context id c1…c99/],
  ["auth context c0", (c) => (c.pim.authenticationContextId = "c0"), /^pim\.authenticationContextId: "c0" must be an authentication context id/],
  ["ticket flag not a boolean", (c) => (c.pim.requireTicket = "yes"), /^pim\.requireTicket: "yes" must be a boolean/],
  ["misspelt key", (c) => (c.pim.maxActivationDurration = "PT2H"), /^pim\.maxActivationDurration: unknown key/],
  ["unknown top-level key", (c) => (c.breakglas = { count: 2 }), /^breakglas: unknown key \(expected one of: tenant, graph, pim/],
  ["missing required section", (c) => delete c.pim, /^pim: is required/],
  ["tenant id not a GUID", (c) => (c.tenant.tenantId = "contoso"), /^tenant\.tenantId: "contoso" must be a GUID/],
  ["one breakglass account", (c) => (c.breakglass.count = 1), /^breakglass\.count: 1 must be at least 2/],
  ["breakglass on a custom domain", (c) => (c.breakglass.domain = "contoso.com"), /^breakglass\.domain: "contoso\.com" must be the tenant's initial \*\.onmicrosoft\.com domain/],
  [
    "breakglass on another tenant's initial domain",
    (c) => (c.breakglass.domain = "fabrikam.onmicrosoft.com"),
    /^breakglass\.domain: "fabrikam\.onmicrosoft\.com" is not the tenant's initial domain "contoso\.onmicrosoft\.com"/,
  ],
  [
    "breakglass accounts with the same name",
    (c) => (c.breakglass = { ...c.breakglass, count: undefined, accounts: [{ name: "bg-a" }, { name: "BG-A" }] }),
    /^breakglass\.accounts\[1\]\.name: "BG-A" is listed twice/,
  ],
  ["invalid AAGUID", (c) => (c.breakglass.fido2.aaguids = ["yubikey-5"]), /^breakglass\.fido2\.aaguids\[0\]: "yubikey-5" must be an AAGUID/],
  ["unknown CA state", (c) => (c.conditionalAccess.mfaAllUsers.state = "on"), /^conditionalAccess\.mfaAllUsers\.state: "on" must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"/],
  ["unknown log category", (c) => c.monitoring.logCategories = ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs", "SigninLog"], /^monitoring\.logCategories\[3\]: "SigninLog" must be one of AuditLogs, SignInLogs/],
  ["required log category missing", (c) => (c.monitoring.logCategories = ["AuditLogs", "SignInLogs"]), /^monitoring\.logCategories: .* is missing NonInteractiveUserSignInLogs/],
  ["retention below the limit", (c) => (c.monitoring.retentionInDays = 30), /^monitoring\.retentionInDays: 30 is below the required 90 days/],
  ["action group short name too long", (c) => (c.monitoring.actionGroup.shortName = "entra-baseline-prod"), /^monitoring\.actionGroup\.shortName: "entra-baseline-prod" must be at most 12 characters/],
  ["action group without receivers", (c) => (c.monitoring.actionGroup = { emails: [], sms: [] }), /^monitoring\.actionGroup: has no receiver/],
  ["plain-http webhook", (c) => (c.monitoring.actionGroup.webhooks = ["http://hooks.example.com/x"]), /^monitoring\.actionGroup\.webhooks\[0\]: "http:\/\/hooks\.example\.com\/x" must be an https URL/],
  ["invalid ticket pattern", (c) => (c.monitoring.routineJitUse.ticketPattern = "(INC"), /^monitoring\.routineJitUse\.ticketPattern: "\(INC" must be a valid regular expression/],
  ["limits inverted", (c) => (c.limits.activationDuration = { min: "PT4H", max: "PT2H" }), /^limits\.activationDuration: min "PT4H" is longer than max "PT2H"/],
  [
    "too many Global Administrators",
    (c) => c.pim.eligibleAdmins.push("a@contoso.com", "b@contoso.com", "c@contoso.com", "d@contoso.com"),
    /^pim\.eligibleAdmins: 7 eligible \+ 2 breakglass = 9 Global Administrators; CISA MS\.AAD\.7\.1 allows 2–8/,
  ],
];

describe("config validation", () => {
  it("accepts the bundled Pulumi.prod.yaml", () => {
    const result = validateConfig(prodConfig());
    expect(result.errors).toEqual([]);
    expect(result.config?.breakglass.accounts.map((a) => a.name)).toEqual(["breakglass-01", "breakglass-02"]);
  });

  it.each(BAD_INPUTS)("rejects %s", (_name, mutate, expected) => {
    const raw = prodConfig();
    mutate(raw);
    const result = validateConfig(raw);
    expect(result.config).toBeUndefined();
    const messages = result.errors.map(formatIssue);
    expect(messages.some((m) => expected.test(m)), `no message matched ${expected}; got:\n${messages.join("\n")}`).toBe(true);
  });

  it("reports every problem at once, across sections", () => {
    const raw = prodConfig();
    raw.pim.maxActivationDuration = "PT9H";
    raw.pim.eligibleAdmins.push("breakglass-01@contoso.onmicrosoft.com", "not a upn");
    raw.breakglass.fido2.aaguids = ["nope"];
    raw.monitoring.retentionInDays = 7;
    const messages = validateConfig(raw).errors.map(formatIssue);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pim\.maxActivationDuration: "PT9H" is longer/),
        expect.stringMatching(/^pim\.eligibleAdmins\[3\]: .* must never be PIM-eligible/),
        expect.stringMatching(/^pim\.eligibleAdmins\[4\]: "not a upn" must be/),
        expect.stringMatching(/^breakglass\.fido2\.aaguids\[0\]: "nope"/),
        expect.stringMatching(/^monitoring\.retentionInDays: 7 must be 30–730/),
      ]),
    );
  });

  it("warns, without failing, when a single approver is configured", () => {
    const raw = prodConfig();
    raw.pim.approvers = { users: ["lidia.holloway@contoso.com"] };
    const result = validateConfig(raw);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(formatIssue)).toEqual([expect.stringMatching(/^pim\.approvers: has a single approver; Microsoft recommends at least two/)]);
  });

  it("applies documented defaults", () => {
    const raw = prodConfig();
    delete raw.limits;
    delete raw.conditionalAccess;
    delete raw.pim.maxActivationDuration;
    const config = validateConfig(raw).config!;
    expect(config.pim.maxActivationDuration).toBe("PT4H");
    expect(config.limits.activationDuration).toEqual({ min: "PT2H", max: "PT4H" });
    expect(config.conditionalAccess.mfaAllUsers.state).toBe("enabledForReportingButNotEnforced");
  });
});
