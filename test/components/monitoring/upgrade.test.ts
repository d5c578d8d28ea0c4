/**
 * Upgrading a deployed stack: the test stack as the previous version planned it (test/support/fixtures/upgrade,
 * from 43a51ab) against the current program. Nothing is deleted; no protected or PIM resource changes at all; the
 * alert rules change only in inputs azure-native updates in place (their queries and the new identity); what is
 * new is one Log Analytics Reader assignment per rule.
 *
 * Why the rule changes are updates, not replacements: azure-native replaces a resource when a create-only property
 * changes (x-ms-mutability without "update") or one in its forceNew list (pulumi/pulumi-azure-native
 * provider/pkg/gen/properties.go `forceNew`, replacement.go `forceNewMap`), and for the path parameters that make
 * up the id. In the scheduledQueryRules spec only `location` is create-only; `identity` and the properties carry no
 * mutability restriction and are also in the PATCH body, and forceNewMap has no ScheduledQueryRule entry.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { exportPlan, loadStackConfig, planBaseline } from "../../../src/tools/plan/plan";
import { STACK, STACK_DIR } from "../../support/stack";
import { fingerprintOf, readFingerprint, upgradeDiff, type UpgradeDiff } from "../../support/upgrade";

const DEPLOYED = path.join(__dirname, "../../support/fixtures/upgrade/plan-0.2.0.json");

/** Types whose every change matters here: the breakglass path and PIM. */
const PIM_TYPES = [
  "pulumi-nodejs:dynamic/pim:RoleManagementPolicy",
  "azuread:index/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest",
  "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
];

/** azure-native inputs that make up the resource id (path parameters) or are create-only (`location`). */
const AZURE_REPLACING_INPUTS = /^(resourceGroupName|location|scope|name|resourceName|[a-z]+Name)$/;

let diff: UpgradeDiff;

describe("upgrading a stack deployed with the previous version", () => {
  it("plans the current program against the deployed fingerprint", async () => {
    const stack = loadStackConfig(STACK_DIR, STACK);
    if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
    const planned = fingerprintOf(exportPlan(await planBaseline(stack.stackFile, stack.config)), "current");
    diff = upgradeDiff(readFingerprint(DEPLOYED), planned);
    expect(diff).toBeDefined();
  }, 120_000);

  it("deletes nothing", () => {
    expect(diff.deleted.map((r) => r.urn)).toEqual([]);
  });

  it("changes no protected or PIM resource", () => {
    const deployed = readFingerprint(DEPLOYED).resources;
    const guarded = deployed.filter((r) => r.protect || PIM_TYPES.includes(r.type));
    expect(guarded.length).toBeGreaterThan(5);
    for (const r of guarded) expect(diff.changed.get(r.urn), r.urn).toBeUndefined();
  });

  it("changes only the alert rules and the workbook, in inputs azure-native updates in place", () => {
    const changed = [...diff.changed].map(([urn, keys]) => [urn.split("::").at(-1), keys]);
    expect(changed).toEqual([
      ["monitoring-breakglass-sign-in-tripwire", ["criteria", "identity"]],
      ["monitoring-breakglass-non-interactive-sign-in-tripwire", ["criteria", "identity"]],
      ["monitoring-breakglass-account-changed", ["criteria", "identity"]],
      ["monitoring-privileged-role-assigned-outside-pim", ["criteria", "identity"]],
      ["monitoring-routine-global-admin-activation", ["criteria", "identity"]],
      ["monitoring-pim-activation-review", ["serializedData"]],
    ]);
    for (const [, keys] of diff.changed) for (const k of keys) expect(k).not.toMatch(AZURE_REPLACING_INPUTS);
  });

  it("creates one Log Analytics Reader assignment per rule and the (empty) JitRoles component, and nothing else", () => {
    expect(diff.created.map((r) => [r.type, r.urn.split("::").at(-1)])).toEqual([
      ["entra-baseline:pim:JitRoles", "jit-roles"],
      ...[
        "breakglass-sign-in-tripwire",
        "breakglass-non-interactive-sign-in-tripwire",
        "breakglass-account-changed",
        "privileged-role-assigned-outside-pim",
        "routine-global-admin-activation",
      ].map((rule) => ["azure-native:authorization:RoleAssignment", `monitoring-${rule}-log-analytics-reader`]),
    ]);
  });
});
