/**
 * "Every CA policy declared anywhere in this program excludes the breakglass group" — checked over the whole
 * program (declareBaseline, as src/index.ts runs it) for several configs, with the same predicate the policy pack
 * and the audit use (src/model/breakglassExclusion.ts). The same runs check that the only permanent Global
 * Administrators are the breakglass accounts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { declareBaseline } from "../../../src/components/baseline";
import { validateConfig, type BaselineConfig } from "../../../src/config/validate";
import { CA_POLICY_TYPES, isCaPolicyType } from "../../../src/components/conditionalAccess/exclusion";
import { GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { rawConfig } from "../../support/stack";
import { runProgram, type Registered } from "../../support/pulumiMocks";

const CONFIGS: [string, (c: Record<string, any>) => void][] = [
  ["the test stack", () => undefined],
  [
    "defaults: no CA section, domain looked up",
    (c) => {
      delete c.conditionalAccess;
      delete c.breakglass.domain;
      delete c.tenant.initialDomain;
    },
  ],
  [
    "three explicit accounts, context c42, every policy enforced",
    (c) => {
      c.breakglass = {
        ...c.breakglass,
        count: undefined,
        accounts: [{ name: "ea-alpha" }, { name: "ea-bravo" }, { name: "ea-charlie" }],
        groupName: "EA exclusion",
      };
      c.pim.authenticationContextId = "c42";
      c.conditionalAccess = {
        activationPolicyState: "enabled",
        adminMfa: { state: "enabled", strength: "phishingResistant" },
        blockLegacyAuthentication: { state: "enabled" },
        mfaAllUsers: { state: "enabled" },
      };
    },
  ],
  [
    "four generated accounts, a national cloud, policies disabled",
    (c) => {
      c.breakglass.count = 4;
      c.breakglass.namePrefix = "ea";
      c.pim.eligibleAdmins = ["adele.vance@contoso.com", "megan.bowen@contoso.com"];
      c.tenant.cloud = "usGovernment";
      c.conditionalAccess = {
        activationPolicyState: "disabled",
        adminMfa: { state: "disabled" },
        blockLegacyAuthentication: { state: "disabled" },
        mfaAllUsers: { state: "disabled" },
      };
    },
  ],
];

function config(mutate: (c: Record<string, any>) => void): BaselineConfig {
  const raw = rawConfig();
  mutate(raw);
  const result = validateConfig(raw);
  if (!result.config) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  return result.config;
}

/** The exclusion/inclusion lists of a CA policy, whichever API's field names it uses. */
function usersOf(policy: Registered) {
  const users = policy.inputs.conditions?.users ?? {};
  const graph = policy.type !== providerTypes.conditionalAccessPolicy;
  const list = (azuread: string, graphName: string) => ((graph ? users[graphName] : users[azuread]) ?? []) as string[];
  return {
    excludedGroupIds: list("excludedGroups", "excludeGroups"),
    excludedUserIds: list("excludedUsers", "excludeUsers"),
    includedGroupIds: list("includedGroups", "includeGroups"),
    includedUserIds: list("includedUsers", "includeUsers"),
  };
}

describe.each(CONFIGS)("the whole program (%s)", (_name, mutate) => {
  let cfg: BaselineConfig;
  let run: Awaited<ReturnType<typeof runProgram>>;
  // One run of the whole program per config, for both tests; the first loads every provider SDK, which takes more
  // than a test's 30 s on a busy machine.
  beforeAll(async () => {
    cfg = config(mutate);
    run = await runProgram(() => declareBaseline(cfg));
  }, 120_000);

  it("excludes the breakglass group from every CA policy it declares, and includes no breakglass principal", () => {
    const [group] = run.ofType(providerTypes.group).filter((g) => g.inputs.displayName === cfg.breakglass.groupName);
    const userIds = run.ofType(providerTypes.user).map((u) => u.id);
    expect(group).toBeDefined();
    expect(userIds).toHaveLength(cfg.breakglass.accounts.length);

    const policies = run.registered.filter((r) => isCaPolicyType(r.type));
    // The baseline's own four at least; every CA type we know of is covered by the exclusion.
    expect(policies.length).toBeGreaterThanOrEqual(4);
    expect(new Set(policies.map((p) => p.type))).toEqual(new Set(Object.keys(CA_POLICY_TYPES)));
    // Nothing else in the program looks like a CA policy (a new CA resource type would need adding to CA_POLICY_TYPES).
    const lookalikes = run.registered.filter(
      (r) => !isCaPolicyType(r.type) && r.inputs.conditions?.users !== undefined,
    );
    expect(lookalikes.map((r) => r.type)).toEqual([]);

    for (const policy of policies) {
      const users = usersOf(policy);
      // The program's one form: the exclusion group itself is excluded (not the accounts one by one).
      expect(
        users.excludedGroupIds.map((g) => g.toLowerCase()),
        `${policy.type} ${policy.name}`,
      ).toContain(group!.id.toLowerCase());
      expect(users.includedGroupIds).not.toContain(group!.id);
      for (const id of userIds) expect(users.includedUserIds).not.toContain(id);
    }
  });

  it("gives permanent Global Administrator to the breakglass accounts only, all protected and retained", () => {
    const userIds = run
      .ofType(providerTypes.user)
      .filter((u) => cfg.breakglass.accounts.some((a) => u.inputs.mailNickname === a.name))
      .map((u) => u.id);
    const permanentGa = run
      .ofType(providerTypes.directoryRoleAssignment)
      .filter((a) => a.inputs.roleId === GLOBAL_ADMINISTRATOR);
    expect(permanentGa.map((a) => a.inputs.principalObjectId).sort()).toEqual([...userIds].sort());
    expect(run.ofType(providerTypes.directoryRoleMember)).toEqual([]);
    const bypass = run.constructed.filter(
      (c) =>
        [
          providerTypes.user,
          providerTypes.randomPassword,
          providerTypes.directoryRoleAssignment,
          providerTypes.group,
        ].includes(c.type as never) && c.name.startsWith("breakglass-"),
    );
    expect(bypass.length).toBe(3 * cfg.breakglass.accounts.length + 1);
    for (const c of bypass) expect(c.opts, c.name).toMatchObject({ protect: true, retainOnDelete: true });
  });
});
