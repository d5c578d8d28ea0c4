import { describe, expect, it } from "vitest";
import * as azuread from "@pulumi/azuread";
import * as random from "@pulumi/random";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { policies } from "../../policies/rules";
import { ALL_POLICY_NAMES, policyNames, providerTypes } from "@entra-baseline/model";
import { messages, runStackPolicy } from "../support/pack/harness";
import { worldConfig } from "../support/world/config";
import { worldPackConfig, worldStack, type Mode } from "../support/world/stack";

const pulumiType = (cls: unknown) => (cls as { __pulumiType: string }).__pulumiType;

describe("the pack's type tokens", () => {
  it("are the resource classes' own tokens, so they cannot drift from the SDKs", () => {
    expect({
      user: pulumiType(azuread.User),
      group: pulumiType(azuread.Group),
      groupMember: pulumiType(azuread.GroupMember),
      directoryRole: pulumiType(azuread.DirectoryRole),
      directoryRoleAssignment: pulumiType(azuread.DirectoryRoleAssignment),
      directoryRoleMember: pulumiType(azuread.DirectoryRoleMember),
      directoryRoleEligibilityScheduleRequest: pulumiType(azuread.DirectoryRoleEligibilityScheduleRequest),
      privilegedAccessGroupAssignmentSchedule: pulumiType(azuread.PrivilegedAccessGroupAssignmentSchedule),
      privilegedAccessGroupEligibilitySchedule: pulumiType(azuread.PrivilegedAccessGroupEligibilitySchedule),
      conditionalAccessPolicy: pulumiType(azuread.ConditionalAccessPolicy),
      randomPassword: pulumiType(random.RandomPassword),
      diagnosticSetting: pulumiType(aadiam.DiagnosticSetting),
      scheduledQueryRule: pulumiType(monitor.ScheduledQueryRule),
      actionGroup: pulumiType(monitor.ActionGroup),
      workspace: pulumiType(operationalinsights.Workspace),
    }).toEqual({
      user: providerTypes.user,
      group: providerTypes.group,
      groupMember: providerTypes.groupMember,
      directoryRole: providerTypes.directoryRole,
      directoryRoleAssignment: providerTypes.directoryRoleAssignment,
      directoryRoleMember: providerTypes.directoryRoleMember,
      directoryRoleEligibilityScheduleRequest: providerTypes.directoryRoleEligibilityScheduleRequest,
      privilegedAccessGroupAssignmentSchedule: providerTypes.privilegedAccessGroupAssignmentSchedule,
      privilegedAccessGroupEligibilitySchedule: providerTypes.privilegedAccessGroupEligibilitySchedule,
      conditionalAccessPolicy: providerTypes.conditionalAccessPolicy,
      randomPassword: providerTypes.randomPassword,
      diagnosticSetting: providerTypes.diagnosticSetting,
      scheduledQueryRule: providerTypes.scheduledQueryRule,
      actionGroup: providerTypes.actionGroup,
      workspace: providerTypes.workspace,
    });
  });
});

/**
 * The compliant stack is the world's (test/support/world/stack.ts): what the program declares for the world config,
 * the same stack every case of the table of cases starts from, judged with the pack config `npm run plan` derives.
 */
const config = worldConfig();
const packConfig = worldPackConfig(config);

/** What the advisory rule says of the world: its activation strength is plain MFA (the test stack's choice). */
const WORLD_ADVISORIES = [
  'Tier-0 activation (pim.activationStrength) demands Multifactor authentication, below the phishing-resistant MFA CISA MS.AAD.3.6 asks of privileged roles; move to "phishingResistant" once every admin holds a FIDO2 key, Windows Hello or a certificate.',
];

describe("every rule on the compliant stack", () => {
  it("has one rule per stable name, each with a description and a config schema; only the advisories are advisory", () => {
    expect(policies.map((p) => p.name)).toEqual([...ALL_POLICY_NAMES]);
    for (const p of policies) {
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.enforcementLevel, p.name).toBe(p.name === policyNames.advisories ? "advisory" : "mandatory");
      expect(Object.keys(p.configSchema?.properties ?? {}).length).toBeGreaterThan(0);
    }
  });

  for (const mode of ["update", "preview"] as Mode[]) {
    it.each(policies.map((p) => [p.name, p] as const))(
      `%s passes at ${mode} time, without skipping on unknowns`,
      async (name, policy) => {
        const reported = await runStackPolicy(policy as never, worldStack(config, mode), packConfig[name]);
        expect(messages(reported)).toEqual(name === policyNames.advisories ? WORLD_ADVISORIES : []);
      },
    );
  }
});
