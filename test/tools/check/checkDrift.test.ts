/**
 * Drift through `npm run check`, end to end: the plan's own export of the test stack (test/support/fixtures/stack) is
 * the deployed state (clean), and each scenario changes it the way an out-of-band edit or a bad commit would. The pack's own
 * tests cover every rule; these prove the CLI path names the rule, the resource and its URN, and exits 1. Issue 5's
 * scenarios: permanent GA for a regular user, a CA policy missing the exclusion, activation raised to 8 h, approval
 * turned off, a third-party tripwire disabled (plus an unprotected breakglass user).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dynamicTypeToken, GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { runCli, STACK, STACK_DIR, tempDir } from "../../support/cli";
import type { FixtureInputs } from "../../support/world/inputs";

const dir = tempDir("check-drift");
const baseFile = path.join(dir, "base.json");
let base: any;
const stackUrn = "urn:pulumi:test::entra-baseline::pulumi:pulumi:Stack::entra-baseline-test";
/** The test stack, never the bundled Pulumi.prod.yaml (the user's to edit): it plans the base and judges every drift. */
const TEST_STACK = ["--cwd", STACK_DIR, "--stack", STACK];

beforeAll(async () => {
  const res = await runCli("plan", [...TEST_STACK, "--export", baseFile, "--no-policy"]);
  expect(res.code).toBe(0);
  expect(res.stdout).toContain("Policy pack: skipped (--no-policy)");
  base = JSON.parse(fs.readFileSync(baseFile, "utf8"));
}, 120_000);

function drifted(name: string, mutate: (resources: any[]) => void): string {
  const copy = structuredClone(base);
  mutate(copy.deployment.resources);
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(copy));
  return file;
}

/**
 * `npm run check` on a file, at most two at a time: each starts its own pack, and more packs starting side by side on
 * a busy machine than it has cores miss the pack's 30-second start deadline.
 */
let running = 0;
const waiting: (() => void)[] = [];
async function check(file: string) {
  while (running >= 2) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await runCli("check", [file, ...TEST_STACK]);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Replaces a value wherever it occurs in a property bag. */
function replaceDeep(value: any, from: unknown, to: unknown): any {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}

// Each scenario is its own check process (the CLI as users run it); they are independent, so they run side by side,
// and a busy machine makes each pack's start slow.
describe.concurrent("npm run check on drifted state", { timeout: 240_000 }, () => {
  it("the undrifted export is clean: no mandatory violation (advisories do not fail a check)", async () => {
    const res = await check(baseFile);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Policy pack entra-baseline \S+: (no violations|\d+ violations? \(0 mandatory\))/m);
    expect(res.stdout).not.toContain("(mandatory)");
  });

  it("permanent Global Administrator for a regular user → no-standing-tier0-assignment", async () => {
    const type = providerTypes.directoryRoleAssignment;
    const urn = `urn:pulumi:test::entra-baseline::${type}::ga-for-adele`;
    const props = {
      roleId: GLOBAL_ADMINISTRATOR,
      principalObjectId: "5f0e7c1a-1111-4222-8333-444455556666",
      directoryScopeId: "/",
    } satisfies FixtureInputs<typeof type>;
    const file = drifted("permanent-ga", (rs) =>
      rs.push({
        urn,
        custom: true,
        type,
        id: "assignment-1",
        inputs: props,
        outputs: props,
        parent: stackUrn,
        dependencies: [],
        propertyDependencies: {},
      }),
    );
    const res = await check(file);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(
      /no-standing-tier0-assignment \(mandatory\)\n {4}✗ ga-for-adele {2}urn:pulumi:test::entra-baseline::azuread:index\/directoryRoleAssignment:DirectoryRoleAssignment::ga-for-adele/,
    );
    expect(res.stdout).toContain("5f0e7c1a-1111-4222-8333-444455556666");
  });

  it("Global Admin activation raised to 8 hours → activation-policy", async () => {
    const token = dynamicTypeToken("roleManagementPolicy");
    const file = drifted("activation-8h", (rs) => {
      const policy = rs.find((r) => r.type === token);
      expect(JSON.stringify(policy.inputs)).toContain('"PT4H"');
      policy.inputs = replaceDeep(policy.inputs, "PT4H", "PT8H");
      policy.outputs = replaceDeep(policy.outputs, "PT4H", "PT8H");
    });
    const res = await check(file);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(
      /activation-policy \(mandatory\)\n {4}✗ \S+ {2}urn:pulumi:test::entra-baseline::\S+pulumi-nodejs:dynamic\/pim:RoleManagementPolicy::/,
    );
  });

  it("a Conditional Access policy without the breakglass exclusion → ca-policies-exclude-breakglass", async () => {
    let name = "";
    const file = drifted("ca-no-exclusion", (rs) => {
      const policy = rs.find(
        (r) => r.type === providerTypes.conditionalAccessPolicy && r.inputs.conditions.users.excludedGroups?.length > 0,
      );
      name = policy.urn.split("::").pop();
      for (const bag of [policy.inputs, policy.outputs]) {
        bag.conditions.users.excludedGroups = [];
        bag.conditions.users.excludedUsers = [];
      }
      policy.propertyDependencies.conditions = [];
    });
    const res = await check(file);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(
      new RegExp(`ca-policies-exclude-breakglass \\(mandatory\\)\\n {4}✗ ${name} {2}urn:pulumi:test::entra-baseline::`),
    );
  });

  it("approval to activate Global Administrator turned off → activation-policy", async () => {
    const token = dynamicTypeToken("roleManagementPolicy");
    const file = drifted("approval-off", (rs) => {
      const policy = rs.find((r) => r.type === token);
      for (const bag of [policy.inputs, policy.outputs]) {
        expect(bag.approval.required).toBe(true);
        bag.approval.required = false;
      }
    });
    const res = await check(file);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(
      /activation-policy \(mandatory\)\n {4}✗ \S+ {2}urn:pulumi:test::entra-baseline::\S+pulumi-nodejs:dynamic\/pim:RoleManagementPolicy::/,
    );
    expect(res.stdout).toContain("activation does not require approval (CISA MS.AAD.7.6)");
  });

  it("a tripwire declared outside the baseline, disabled → breakglass-tripwire", async () => {
    // Another team's stack (or a hand-written resource) declares the sign-in tripwire instead of the baseline's:
    // wherever it is declared, the table is watched only if some rule is the model's tripwire, enabled. (A disabled
    // copy beside the baseline's enabled rule leaves the table watched, so it is no finding.)
    const type = providerTypes.scheduledQueryRule;
    const name = "soc-breakglass-sign-in";
    const file = drifted("third-party-tripwire", (rs) => {
      const ours = rs.find((r) => r.type === type && r.inputs.ruleName === "breakglass-sign-in-tripwire");
      rs.splice(rs.indexOf(ours), 1);
      const theirs = structuredClone(ours);
      theirs.urn = `urn:pulumi:test::entra-baseline::${type}::${name}`;
      theirs.parent = stackUrn;
      theirs.id = "soc-rule";
      for (const bag of [theirs.inputs, theirs.outputs]) {
        bag.ruleName = name;
        bag.enabled = false;
      }
      rs.push(theirs);
    });
    const res = await check(file);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(
      new RegExp(
        `breakglass-tripwire \\(mandatory\\)\\n {4}✗ ${name} {2}urn:pulumi:test::entra-baseline::azure-native:monitor:ScheduledQueryRule::${name}`,
      ),
    );
    expect(res.stdout).toContain(`Scheduled query rule ${name} is not the tripwire for SigninLogs: it is not enabled`);
  });

  it("a breakglass user no longer protected → breakglass-accounts", async () => {
    let name = "";
    const file = drifted("unprotected", (rs) => {
      const user = rs.find((r) => r.type === providerTypes.user && r.protect === true);
      name = user.urn.split("::").pop();
      delete user.protect;
    });
    const res = await check(file);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`breakglass-accounts \\(mandatory\\)\\n {4}✗ ${name} {2}urn:`));
  });
});
