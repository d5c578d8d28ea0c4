import { describe, expect, it } from "vitest";
import { ALL_POLICY_NAMES, GLOBAL_ADMINISTRATOR, tier0Requirement } from "@entra-baseline/model";
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
    const upns = ["breakglass-01@contoso.onmicrosoft.com", "breakglass-02@contoso.onmicrosoft.com"];
    expect(cfg["breakglass-accounts"]).toEqual({ breakglassUpns: upns, minAccounts: 2, keptPasswords: [] });
    expect(cfg["activation-policy"]).toMatchObject({
      roles: [
        {
          roleDefinitionId: GLOBAL_ADMINISTRATOR,
          maxActivationMinutes: 240,
          requireJustification: true,
          requireTicket: true,
          requireApproval: true,
          authenticationContextId: "c1",
          activationStrength: "mfa",
          requireNotifications: true,
        },
      ],
      maxActivationMinutes: 240,
      activationStrength: "mfa",
      breakglassUpns: upns,
      breakglassGroupName: "Emergency access accounts",
    });
    expect(cfg["global-admin-count"]).toMatchObject({ min: 2, max: 8, breakglassUpns: upns });
    expect(cfg["entra-diagnostic-setting"]).toEqual({ minRetentionInDays: 90 });
    // A limit changed in the stack reaches the pack: one source of truth.
    const stricter = derivePackConfig({
      ...config,
      limits: { ...config.limits, activationDuration: { max: "PT2H" } },
    });
    expect(stricter["activation-policy"]).toMatchObject({
      maxActivationMinutes: 120,
      roles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR, maxActivationMinutes: 120 }],
    });
  });

  it("with the stack's default limits, derives exactly the pack's own defaults (a pack run without a config file judges alike)", () => {
    const raw = { ...readStackFile(STACK_DIR, STACK).raw };
    expect(raw).toHaveProperty("limits");
    delete raw["limits"];
    // The admin MFA strength is a choice this stack makes above the stack's default; left to the default, it too
    // must match the pack's (an advisory the pack gives without a config, as with one).
    const ca = structuredClone(raw["conditionalAccess"]) as { adminMfa: { strength?: string } };
    delete ca.adminMfa.strength;
    raw["conditionalAccess"] = ca;
    const { config, errors } = validateConfig(raw);
    expect(errors).toEqual([]);
    const derived = derivePackConfig(config!);
    // Keys that name this tenant's identities or choices rather than limits are not defaults by nature. `roles`
    // is one: which roles a stack manages, and each one's context, only its config can say (the pack defaults to
    // none). Its judgement without a config is held below instead: the Tier-0 floor, never looser.
    // The emergency keys' models (fido2 profile aaguids) are the tenant's choice too; the rest of the profile is a
    // limit like any other.
    const identities = new Set([
      "breakglassUpns",
      "breakglassObjectIds",
      "authenticationContextId",
      "roles",
      "aaguids",
    ]);
    const limitsOf = (value: unknown): unknown =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).filter(([k]) => !identities.has(k)))
        : value;
    let compared = 0;
    for (const policy of policies) {
      const defaults = schemaDefaults(policy.configSchema);
      for (const [key, value] of Object.entries(derived[policy.name] ?? {})) {
        if (identities.has(key)) continue;
        expect(limitsOf(value), `${policy.name}.${key}`).toEqual(limitsOf(defaults[key]));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8);

    // Without a config the pack still manages Global Administrator and every Tier-0 role the stack makes anyone
    // eligible for, at the model's floor (tier0Requirement, with the default duration and strength). The roles the
    // default stack derives are exactly those, each at that same floor: a run without the file judges them no
    // more loosely. (A role outside Tier-0 that a config manages has no such default: the pack cannot know it.)
    const activation = schemaDefaults(policies.find((p) => p.name === "activation-policy")!.configSchema);
    const roles = derived["activation-policy"]!.roles as Record<string, unknown>[];
    expect(roles.map((r) => r.roleDefinitionId)).toEqual([GLOBAL_ADMINISTRATOR]);
    for (const r of roles) {
      const floor = tier0Requirement(r.roleDefinitionId as string, (activation.maxActivationMinutes as number) * 60);
      expect(r, `activation-policy.roles ${String(r.roleDefinitionId)}`).toMatchObject({
        maxActivationMinutes: floor.maxActivationSeconds / 60,
        requireJustification: floor.requireJustification,
        requireTicket: floor.requireTicket,
        requireApproval: floor.requireApproval,
        requireNotifications: floor.requireNotifications,
        activationStrength: activation.activationStrength,
      });
    }
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
