/** The emergency path's health: at least two accounts that could sign in and act now, and why any other could not. */
import { describe, expect, it } from "vitest";
import {
  caPolicyFromGraph,
  emergencyPathHealth,
  type EmergencyAccountFacts,
  type EmergencyPathFacts,
} from "@entra-baseline/model";

const GROUP = "9b000000-0000-4000-8000-000000000001";
const OTHER_GROUP = "9b000000-0000-4000-8000-000000000002";

function account(n: number, extra: Partial<EmergencyAccountFacts> = {}): EmergencyAccountFacts {
  return {
    name: `breakglass-0${n}@contoso.onmicrosoft.com`,
    key: `b0000000-0000-4000-8000-00000000000${n}`,
    memberOf: [GROUP],
    enabled: true,
    permanentGlobalAdministrator: true,
    fido2KeyRegistered: true,
    ...extra,
  };
}

function policy(id: string, state: string, excludeGroups: string[], excludeUsers: string[] = []) {
  return caPolicyFromGraph({
    id,
    displayName: `policy ${id}`,
    state,
    conditions: {
      users: {
        includeUsers: ["All"],
        excludeUsers,
        includeGroups: [],
        excludeGroups,
        includeRoles: [],
        excludeRoles: [],
      },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  });
}

const healthy = (): EmergencyPathFacts => ({
  accounts: [account(1), account(2)],
  groupKeys: [GROUP],
  policies: [policy("p1", "enabled", [GROUP]), policy("p2", "enabledForReportingButNotEnforced", [])],
});

describe("emergencyPathHealth", () => {
  it("is healthy with two accounts that are enabled, permanent GA, excluded from every enabled policy, with a key", () => {
    const v = emergencyPathHealth(healthy());
    expect(v).toMatchObject({ healthy: true, problems: [] });
    expect(v.usable).toHaveLength(2);
    // A report-only policy cannot lock anyone out now: it is the audit's to report, not a reason to refuse a write.
    expect(v.summary).toMatch(/^healthy: 2 emergency accounts/);
  });

  it.each<[string, Partial<EmergencyAccountFacts>, string]>([
    ["a disabled account", { enabled: false }, "disabled"],
    ["an account whose enabled state is unknown", { enabled: undefined }, "disabled"],
    [
      "an account without permanent Global Administrator",
      { permanentGlobalAdministrator: false },
      "noPermanentGlobalAdministrator",
    ],
    ["an account without a FIDO2 key", { fido2KeyRegistered: false }, "noFido2"],
    ["an account that does not exist", { key: undefined }, "missing"],
  ])("is unhealthy with %s among two", (_what, change, kind) => {
    const facts = healthy();
    facts.accounts = [account(1), account(2, change)];
    const v = emergencyPathHealth(facts);
    expect(v.healthy).toBe(false);
    expect(v.usable).toEqual([account(1).name]);
    expect(v.problems.map((p) => p.kind)).toEqual([kind]);
    expect(v.summary).toMatch(/^unhealthy: only 1 emergency account can/);
  });

  it("names the enabled policy that does not exclude an account (Microsoft-managed ones included)", () => {
    const facts = healthy();
    facts.policies = [...facts.policies, policy("managed-1", "enabled", [OTHER_GROUP])];
    const v = emergencyPathHealth(facts);
    expect(v.healthy).toBe(false);
    expect(v.usable).toEqual([]);
    expect(v.problems).toHaveLength(2);
    expect(v.problems[0]).toMatchObject({ kind: "exposed", policy: "managed-1" });
    expect(v.problems[0]!.message).toContain('not excluded from enabled CA policy "policy managed-1"');
    expect(v.summary).toMatch(/^unhealthy: no emergency account/);
  });

  it("counts an account excluded by name, or through a group it is in, as excluded", () => {
    const facts = healthy();
    facts.policies = [policy("by-name", "enabled", [], [account(1).key!, account(2).key!])];
    expect(emergencyPathHealth(facts).healthy).toBe(true);
    facts.accounts = [account(1, { memberOf: [OTHER_GROUP] }), account(2, { memberOf: [OTHER_GROUP] })];
    facts.policies = [policy("nested", "enabled", [OTHER_GROUP])];
    facts.groupKeys = [];
    expect(emergencyPathHealth(facts).healthy).toBe(true);
  });

  it("stays healthy when a third account has a problem, and still reports it", () => {
    const facts = healthy();
    facts.accounts = [account(1), account(2), account(3, { fido2KeyRegistered: false })];
    const v = emergencyPathHealth(facts);
    expect(v.healthy).toBe(true);
    expect(v.problems.map((p) => `${p.account}: ${p.kind}`)).toEqual([`${account(3).name}: noFido2`]);
  });
});
