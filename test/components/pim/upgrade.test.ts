/**
 * Moving a deployed stack from azuread's request resources to RoleEligibility without losing an eligibility, planned
 * against the fingerprint of today's program (test/support/fixtures/upgrade/plan-0.2.0-6e73093.json, the test stack
 * as main planned it before issue 13, from its `npm run plan -- --export`):
 *
 * 1. the upgrade alone (`request`, the default): nothing deleted, no PIM resource changed;
 * 2. one `pulumi up` with `migrate`: the request resources keep their URNs and inputs and become retainOnDelete (the
 *    engine records the option on an unchanged resource), each gets a RoleEligibility that adopts its eligibility;
 * 3. then `schedule`: the request resources leave the program; since the state marks them retained, Pulumi removes
 *    them from the state without calling azuread's delete (pulumi.com/docs "retainOnDelete"), and the
 *    RoleEligibility resources are unchanged. The adoption itself is proven against the loopback Graph in
 *    eligibilityProvider.test.ts ("adopts one whose request Graph already purged").
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { dynamicTypeToken, providerTypes } from "@entra-baseline/model";
import { exportPlan, loadStackConfig, planBaseline } from "../../../src/tools/plan/plan";
import { STACK, STACK_DIR, validConfig } from "../../support/stack";
import { fingerprintOf, readFingerprint, upgradeDiff, type PlanFingerprint } from "../../support/upgrade";

const DEPLOYED = readFingerprint(path.join(__dirname, "../../support/fixtures/upgrade/plan-0.2.0-6e73093.json"));
const REQUEST = providerTypes.directoryRoleEligibilityScheduleRequest;
const ELIGIBILITY = dynamicTypeToken("roleEligibility");
const PIM_TYPES: string[] = [REQUEST, dynamicTypeToken("roleManagementPolicy"), ELIGIBILITY];

async function planWith(mode: string | undefined): Promise<PlanFingerprint> {
  const stack = loadStackConfig(STACK_DIR, STACK);
  if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
  const config = mode ? validConfig((raw) => (raw.pim.eligibilityResource = mode)) : stack.config;
  return fingerprintOf(exportPlan(await planBaseline(stack.stackFile, config)), mode ?? "default");
}

const requestsOf = (f: PlanFingerprint) => f.resources.filter((r) => r.type === REQUEST);

describe("upgrading the Global Administrator eligibilities without losing one", () => {
  it("the fixture is today's program: three request resources, no RoleEligibility", () => {
    expect(requestsOf(DEPLOYED)).toHaveLength(3);
    expect(DEPLOYED.resources.filter((r) => r.type === ELIGIBILITY)).toEqual([]);
  });

  it("request (default): nothing deleted, no PIM resource changed, only the empty JitRoles component is new", async () => {
    const diff = upgradeDiff(DEPLOYED, await planWith(undefined));
    expect(diff.deleted).toEqual([]);
    for (const r of DEPLOYED.resources.filter((x) => PIM_TYPES.includes(x.type)))
      expect(diff.changed.get(r.urn), r.urn).toBeUndefined();
    expect(diff.created.filter((r) => PIM_TYPES.includes(r.type))).toEqual([]);
    expect(diff.created.map((r) => r.type)).toContain("entra-baseline:pim:JitRoles");
  }, 120_000);

  let migrated: PlanFingerprint;
  it("migrate: the request resources unchanged and retained on delete, one adopting RoleEligibility each", async () => {
    migrated = await planWith("migrate");
    const diff = upgradeDiff(DEPLOYED, migrated);
    expect(diff.deleted).toEqual([]);
    for (const old of requestsOf(DEPLOYED)) {
      expect(diff.changed.get(old.urn), old.urn).toBeUndefined();
      expect(migrated.resources.find((r) => r.urn === old.urn)).toMatchObject({ retainOnDelete: true });
    }
    const created = diff.created.filter((r) => r.type === ELIGIBILITY).map((r) => r.urn.split("::").at(-1));
    expect(created.sort()).toEqual(
      requestsOf(DEPLOYED)
        .map((r) => r.urn.split("::").at(-1))
        .sort(),
    );
  }, 120_000);

  it("schedule after migrate: only the retained request resources leave; every RoleEligibility stays as it is", async () => {
    const diff = upgradeDiff(migrated, await planWith("schedule"));
    expect(diff.deleted.map((r) => r.type)).toEqual([REQUEST, REQUEST, REQUEST]);
    // Retained in the state the migrate up wrote: Pulumi drops them without azuread's delete (no adminRemove).
    expect(diff.deleted.every((r) => r.retainOnDelete)).toBe(true);
    expect(diff.created).toEqual([]);
    expect([...diff.changed.keys()]).toEqual([]);
  }, 120_000);

  it("schedule straight from today's program would delete the request resources unretained: hence migrate", async () => {
    const diff = upgradeDiff(DEPLOYED, await planWith("schedule"));
    expect(diff.deleted.map((r) => [r.type, r.retainOnDelete])).toEqual(Array(3).fill([REQUEST, false]));
  }, 120_000);
});
