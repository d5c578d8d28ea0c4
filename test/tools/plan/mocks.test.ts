/** The plan's stand-ins for providers: deterministic, derived from config, and loud about what they cannot answer. */
import { describe, expect, it } from "vitest";
import { GUID, providerTypes } from "@entra-baseline/model";
import { planMocks, planObjectId, planPassword } from "../../../src/tools/plan/mocks";
import { validConfig } from "../../support/stack";
import type { FixtureInputs } from "../../support/world/inputs";

// A validated config, as every caller (plan, adopt) passes one: the test stack, on another tenant domain.
const config = validConfig((raw) => {
  raw.tenant.initialDomain = "fabrikam.onmicrosoft.com";
  raw.breakglass.domain = "fabrikam.onmicrosoft.com";
});
const mocks = planMocks(config);
const call = (token: string, inputs: Record<string, unknown>) =>
  mocks.call({ token, inputs, provider: "" }) as Record<string, any>;

describe("plan mocks", () => {
  it("getUser: a stable GUID object id per UPN, case-insensitive", () => {
    const a = call("azuread:index/getUser:getUser", { userPrincipalName: "Adele.Vance@contoso.com" });
    const b = call("azuread:index/getUser:getUser", { userPrincipalName: "adele.vance@contoso.com" });
    const c = call("azuread:index/getUser:getUser", { userPrincipalName: "megan.bowen@contoso.com" });
    expect(a.objectId).toMatch(GUID);
    expect(a.objectId).toBe(b.objectId);
    expect(a.objectId).not.toBe(c.objectId);
    expect(a.userPrincipalName).toBe("Adele.Vance@contoso.com");
  });

  it("getDomains and getClientConfig answer from the stack's tenant config", () => {
    expect(call("azuread:index/getDomains:getDomains", { onlyInitial: true }).domains).toEqual([
      expect.objectContaining({ domainName: "fabrikam.onmicrosoft.com", initial: true }),
    ]);
    expect(call("azuread:index/getClientConfig:getClientConfig", {}).tenantId).toBe(
      "11111111-2222-3333-4444-555555555555",
    );
  });

  it("refuses a function it has no answer for, naming its token", () => {
    expect(() => call("azuread:index/getGroup:getGroup", {})).toThrow(
      /no offline answer for the function azuread:index\/getGroup:getGroup/,
    );
  });

  it("gives a RandomPassword a stand-in of the requested length, and components nothing", () => {
    const pw = mocks.newResource({
      type: providerTypes.randomPassword,
      name: "bg-pw",
      inputs: { length: 256 } satisfies FixtureInputs<typeof providerTypes.randomPassword>,
      custom: true,
    }) as any;
    expect(pw.state.result).toBe(planPassword("bg-pw", 256));
    expect(pw.state.result).toHaveLength(256);
    const user = mocks.newResource({
      type: providerTypes.user,
      name: "u",
      inputs: { displayName: "u" } satisfies FixtureInputs<typeof providerTypes.user>,
      custom: true,
    }) as any;
    expect(user).toEqual({
      id: planObjectId("azuread:index/user:User/u"),
      state: { displayName: "u", objectId: user.id },
    });
    expect(mocks.newResource({ type: "x:y:Component", name: "c", inputs: {}, custom: false })).toEqual({
      id: "",
      state: {},
    });
  });
});
