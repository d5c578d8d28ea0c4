import { describe, expect, it } from "vitest";
import { ALL_POLICY_NAMES } from "@entra-baseline/model";
import { policies } from "../../policies/rules";
import { validateConfig } from "../../src/config/validate";
import { schemaDefaults } from "../../policies/lib/config";
import { derivePackConfig } from "../../src/config/packConfig";
import { readStackFile } from "../../src/config/stackFile";
import { STACK, STACK_DIR } from "../support/stack";

const prod = () => {
  const { config, errors } = validateConfig(readStackFile(STACK_DIR, STACK).raw);
  expect(errors).toEqual([]);
  return config!;
};

describe("derivePackConfig", () => {
  it("configures every rule of the pack, with keys each rule's configSchema declares", () => {
    const cfg = derivePackConfig(prod());
    expect(Object.keys(cfg).sort()).toEqual([...ALL_POLICY_NAMES].sort());
    for (const policy of policies) {
      const declared = Object.keys(policy.configSchema?.properties ?? {});
      for (const key of Object.keys(cfg[policy.name] ?? {})) expect(declared, `${policy.name}.${key}`).toContain(key);
    }
  });

  it("takes breakglass accounts, limits and the authentication context from the stack config", () => {
    const config = prod();
    const cfg = derivePackConfig(config);
    expect(cfg["breakglass-accounts"]).toEqual({
      breakglassUpns: ["breakglass-01@contoso.onmicrosoft.com", "breakglass-02@contoso.onmicrosoft.com"],
      minAccounts: 2,
      breakglassGroupName: "Emergency access accounts",
    });
    expect(cfg["ga-activation-policy"]).toEqual({
      maxActivationDuration: "PT4H",
      authenticationContextId: "c1",
      activationStrength: "mfa",
    });
    expect(cfg["global-admin-count"]).toEqual({ min: 2, max: 8 });
    expect(cfg["entra-diagnostic-setting"]).toEqual({ minRetentionInDays: 90 });
    // A limit changed in the stack reaches the pack: one source of truth.
    const stricter = derivePackConfig({
      ...config,
      limits: { ...config.limits, activationDuration: { max: "PT2H" } },
    });
    expect(stricter["ga-activation-policy"]!.maxActivationDuration).toBe("PT2H");
  });

  it("with the stack's default limits, derives exactly the pack's own defaults (a pack run without a config file judges alike)", () => {
    const raw = { ...readStackFile(STACK_DIR, STACK).raw };
    expect(raw).toHaveProperty("limits");
    delete raw["limits"];
    const { config, errors } = validateConfig(raw);
    expect(errors).toEqual([]);
    const derived = derivePackConfig(config!);
    // Keys that name this tenant's identities or choices rather than limits are not defaults by nature.
    const identities = new Set(["breakglassUpns", "breakglassObjectIds", "authenticationContextId"]);
    let compared = 0;
    for (const policy of policies) {
      const defaults = schemaDefaults(policy.configSchema);
      for (const [key, value] of Object.entries(derived[policy.name] ?? {})) {
        if (identities.has(key)) continue;
        expect(value, `${policy.name}.${key}`).toEqual(defaults[key]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });

  it("names accounts by bare name when the domain is left to azuread.getDomains", () => {
    const config = prod();
    const cfg = derivePackConfig({
      ...config,
      tenant: { ...config.tenant, initialDomain: undefined },
      breakglass: { ...config.breakglass, domain: undefined },
    });
    expect(cfg["no-standing-tier0-assignment"]!.breakglassUpns).toEqual(["breakglass-01", "breakglass-02"]);
  });
});
