/**
 * Upgrading a deployed stack: the test stack as the previous version planned it (test/support/fixtures/upgrade,
 * from 43a51ab) against the current program. Nothing is deleted or replaced, and exactly these resources change:
 * - the alert rules, only in inputs azure-native updates in place (their queries and the new identity), and the
 *   workbook's queries; what is new is one Log Analytics Reader assignment per rule;
 * - the exclusion group (protected), only its `owners`: they are declared now (breakglass.groupOwners, else the
 *   emergency accounts), where 0.2 left azuread to make the deploying identity the owner. azuread updates `owners`
 *   in place (Optional, Computed, not ForceNew: hashicorp/terraform-provider-azuread
 *   internal/services/groups/group_resource.go), so `protect` does not stop it (docs/breakglass.md);
 * - every Graph-backed dynamic resource, by the connection props it now records (`loginEndpoint`, `tenantId`;
 *   tenant pinning), and the FIDO2 policy also by its passkey-profile props: each an in-place update that writes
 *   nothing to a tenant already holding the settings (test/graph/dynamicProvider.test.ts).
 * CHANGELOG.md's upgrade notes list the same changes.
 *
 * Why the rule changes are updates, not replacements: azure-native replaces a resource when a create-only property
 * changes (x-ms-mutability without "update") or one in its forceNew list (pulumi/pulumi-azure-native
 * provider/pkg/gen/properties.go `forceNew`, replacement.go `forceNewMap`), and for the path parameters that make
 * up the id. In the scheduledQueryRules spec only `location` is create-only; `identity` and the properties carry no
 * mutability restriction and are also in the PATCH body, and forceNewMap has no ScheduledQueryRule entry.
 *
 * Ids: 0.2.0's offline plan gave ARM resources placeholder ids (`…/providers/plan.<module>/<Type>/<name>`, its
 * src/tools/plan/mocks.ts), today's mocks give them ARM's own shape. A deployed stack's ids are Azure's and do not
 * change with the plan's mocks, so inputs that refer to another resource by id are compared in 0.2.0's scheme.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DYNAMIC_MODULE_PREFIX, dynamicTypeToken } from "@entra-baseline/model";
import { fido2MethodPolicyProvider } from "../../../src/components/breakglass/fido2MethodPolicyProvider";
import { authenticationContextProvider } from "../../../src/components/conditionalAccess/authenticationContextProvider";
import { graphCaPolicyProvider } from "../../../src/components/conditionalAccess/graphPolicyProvider";
import { roleManagementPolicyProvider } from "../../../src/components/pim/provider";
import type { StackExportV3 } from "../../../src/tools/engine/stackExport";
import { PLAN_SUBSCRIPTION_ID } from "../../../src/tools/plan/mocks";
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

/** The id 0.2.0's plan mocks gave a resource (src/tools/plan/mocks.ts at 43a51ab); undefined: the same as today. */
function idIn020(type: string, name: string, inputs: Record<string, unknown>): string | undefined {
  if (!type.startsWith("azure-native:")) return undefined;
  const [, module, kind] = type.split(":");
  const group = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg-plan";
  if (kind === "ResourceGroup") return `/subscriptions/${PLAN_SUBSCRIPTION_ID}/resourceGroups/${group}`;
  return `/subscriptions/${PLAN_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/plan.${module}/${kind}/${name}`;
}

/** The export with every input that is another resource's id written as 0.2.0's plan wrote that id. */
function withIdsOf020(exported: StackExportV3): StackExportV3 {
  const ids = new Map<string, string>();
  for (const r of exported.deployment.resources) {
    const old = r.id ? idIn020(r.type, r.urn.split("::").at(-1)!, r.inputs ?? {}) : undefined;
    if (r.id && old) ids.set(r.id, old);
  }
  const remap = (value: unknown): unknown =>
    typeof value === "string"
      ? (ids.get(value) ?? value)
      : Array.isArray(value)
        ? value.map(remap)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v)]))
          : value;
  const resources = exported.deployment.resources.map((r) =>
    r.inputs ? { ...r, inputs: remap(r.inputs) as Record<string, unknown> } : r,
  );
  return { ...exported, deployment: { ...exported.deployment, resources } };
}

const CONNECTION = ["loginEndpoint", "tenantId"];

/** Every change the upgrade makes, by resource name: the list the CHANGELOG's upgrade notes give. */
const EXPECTED_CHANGES: [string, string[]][] = [
  ["breakglass-group", ["owners"]],
  ["breakglass-fido2", ["aaGuids", "isAttestationEnforced", "loginEndpoint", "profile", "tenantId", "tenantWide"]],
  ["conditional-access-context-c1", ["adoptExisting", ...CONNECTION]],
  ["conditional-access-activation-c1", CONNECTION],
  ["jit-global-admin-activation-policy", CONNECTION],
  ["monitoring-breakglass-sign-in-tripwire", ["criteria", "identity"]],
  ["monitoring-breakglass-non-interactive-sign-in-tripwire", ["criteria", "identity"]],
  ["monitoring-breakglass-account-changed", ["criteria", "identity"]],
  ["monitoring-privileged-role-assigned-outside-pim", ["criteria", "identity"]],
  ["monitoring-routine-global-admin-activation", ["criteria", "identity"]],
  ["monitoring-pim-activation-review", ["serializedData"]],
];

/** Each Graph-backed dynamic resource's own provider, by type token. */
const DYNAMIC_PROVIDERS: Record<string, pulumi.dynamic.ResourceProvider> = {
  [dynamicTypeToken("fido2MethodPolicy")]: fido2MethodPolicyProvider,
  [dynamicTypeToken("authenticationContext")]: authenticationContextProvider,
  [dynamicTypeToken("graphConditionalAccessPolicy")]: graphCaPolicyProvider,
  [dynamicTypeToken("roleManagementPolicy")]: roleManagementPolicyProvider,
};

let diff: UpgradeDiff;
let planned: StackExportV3;

describe("upgrading a stack deployed with the previous version", () => {
  it("plans the current program against the deployed fingerprint", async () => {
    const stack = loadStackConfig(STACK_DIR, STACK);
    if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
    planned = exportPlan(await planBaseline(stack.stackFile, stack.config));
    diff = upgradeDiff(readFingerprint(DEPLOYED), fingerprintOf(withIdsOf020(planned), "current"));
    expect(diff).toBeDefined();
  }, 120_000);

  it("deletes nothing", () => {
    expect(diff.deleted.map((r) => r.urn)).toEqual([]);
  });

  it("changes no protected or PIM resource but the exclusion group's owners and the PIM policy's connection", () => {
    const deployed = readFingerprint(DEPLOYED).resources;
    const guarded = deployed.filter((r) => r.protect || PIM_TYPES.includes(r.type));
    expect(guarded.length).toBeGreaterThan(5);
    const changed = guarded.flatMap((r) => {
      const keys = diff.changed.get(r.urn);
      return keys ? [[r.urn.split("::").at(-1), r.protect, keys]] : [];
    });
    expect(changed).toEqual([
      ["breakglass-group", true, ["owners"]],
      ["jit-global-admin-activation-policy", false, CONNECTION],
    ]);
  });

  it("changes exactly the resources and inputs the upgrade notes list", () => {
    const changed = [...diff.changed].map(([urn, keys]) => [urn.split("::").at(-1), keys]);
    expect(changed).toEqual(EXPECTED_CHANGES);
  });

  it("makes each change an update in place, never a replacement", async () => {
    for (const [urn, keys] of diff.changed) {
      const resource = planned.deployment.resources.find((r) => r.urn === urn)!;
      if (resource.type.startsWith("azure-native:")) {
        for (const k of keys) expect(k, urn).not.toMatch(AZURE_REPLACING_INPUTS);
      } else if (resource.type.startsWith(DYNAMIC_MODULE_PREFIX)) {
        // The resource's own provider judges a state without the changed inputs against the program's.
        const provider = DYNAMIC_PROVIDERS[resource.type];
        expect(provider, resource.type).toBeDefined();
        const news = resource.inputs!;
        const olds = Object.fromEntries(Object.entries(news).filter(([k]) => !keys.includes(k)));
        const planDiff = await provider!.diff!(resource.id ?? "", olds, news);
        expect(planDiff.changes, urn).toBe(true);
        expect(planDiff.replaces ?? [], urn).toEqual([]);
      } else {
        // azuread: only the exclusion group's owners, which azuread updates in place (see the module comment).
        expect([resource.type, keys], urn).toEqual(["azuread:index/group:Group", ["owners"]]);
      }
    }
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
