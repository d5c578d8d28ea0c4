/**
 * Bad input gets a clear error naming the key path, quoting the value and saying what is expected (the cases are
 * the one table in ./badInputs.ts; ./entryPoint.test.ts proves the program then declares nothing).
 */
import { describe, expect, it } from "vitest";
import { formatIssue, validateConfig } from "../../src/config/validate";
import { BAD_INPUTS } from "../support/config/badInputs";
import { prodConfig } from "../support/config/rawConfig";

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
    expect(
      messages.some((m) => expected.test(m)),
      `no message matched ${expected}; got:\n${messages.join("\n")}`,
    ).toBe(true);
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
    expect(result.warnings.map(formatIssue)).toEqual([
      expect.stringMatching(/^pim\.approvers: has a single approver; Microsoft recommends at least two/),
    ]);
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
