/**
 * The bundled Pulumi.prod.yaml demonstrates what it claims: Global Administrator, Privileged Role Administrator and
 * Privileged Authentication Administrator are just-in-time — each with its PIM policy and an eligibility per
 * eligible admin, nothing standing — and the pack passes them. A stack naming a role that does not exist is exit 2
 * from `npm run plan`, one message naming the key, and no plan.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  dynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
} from "@entra-baseline/model";
import { checkPlan, exportPlan, loadStackConfig, planBaseline, plannedResources } from "../../../src/tools/plan/plan";
import { planObjectId } from "../../../src/tools/plan/mocks";
import { ROOT, runCli, stackText, tempDir } from "../../support/cli";
import { STACK, STACK_DIR, validConfig } from "../../support/stack";

const ELIGIBILITY_TYPES: string[] = [
  dynamicTypeToken("roleEligibility"),
  providerTypes.directoryRoleEligibilityScheduleRequest,
];

describe("the bundled prod stack's just-in-time roles", () => {
  it("declares a policy and the eligibilities of each role it makes just-in-time, and the pack passes it", async () => {
    const stack = loadStackConfig(ROOT, "prod");
    if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
    const resources = plannedResources(exportPlan(await planBaseline(stack.stackFile, stack.config)));
    const claimed: [string, string[]][] = [
      [GLOBAL_ADMINISTRATOR, ["adele.vance@contoso.com", "megan.bowen@contoso.com", "nestor.wilke@contoso.com"]],
      [PRIVILEGED_ROLE_ADMINISTRATOR, ["megan.bowen@contoso.com"]],
      [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, ["nestor.wilke@contoso.com"]],
    ];
    for (const [role, admins] of claimed) {
      const policies = resources.filter(
        (r) => r.type === dynamicTypeToken("roleManagementPolicy") && r.inputs.roleDefinitionId === role,
      );
      expect(policies, role).toHaveLength(1);
      expect(policies[0]!.inputs).toMatchObject({
        approval: { required: true },
        authenticationContextId: "c1",
        requireTicket: true,
        notificationRecipients: ["secops@contoso.com", "identity-team@contoso.com"],
      });
      const eligible = resources
        .filter((r) => ELIGIBILITY_TYPES.includes(r.type) && r.inputs.roleDefinitionId === role)
        .map((r) => r.inputs.principalId);
      expect(eligible.sort(), role).toEqual(admins.map((a) => planObjectId(`user:${a}`)).sort());
    }
    expect(
      resources.find(
        (r) =>
          r.type === dynamicTypeToken("roleManagementPolicy") &&
          r.inputs.roleDefinitionId === PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
      )!.inputs.maxActivationDuration,
    ).toBe("PT2H");
    const run = await checkPlan(resources, stack.config);
    expect(run.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  }, 120_000);

  it("a stack with PIM for Groups and RoleEligibility everywhere plans clean through the pack", async () => {
    const stack = loadStackConfig(STACK_DIR, STACK);
    if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
    const config = validConfig((raw) => {
      raw.pim.eligibilityResource = "schedule";
      raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["megan.bowen@contoso.com"] }];
      raw.pim.groups = [
        {
          group: "9a000000-0000-4000-8000-00000000009a",
          label: "PRA admins",
          roles: ["Privileged Role Administrator"],
          eligibleMembers: ["adele.vance@contoso.com"],
        },
      ];
    });
    const resources = plannedResources(exportPlan(await planBaseline(stack.stackFile, config)));
    expect(resources.filter((r) => r.type === providerTypes.groupRoleManagementPolicy)).toHaveLength(1);
    expect(resources.filter((r) => r.type === providerTypes.directoryRoleEligibilityScheduleRequest)).toEqual([]);
    const run = await checkPlan(resources, config);
    expect(run.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    // A weakened member policy is what the pack rejects (the stack analysis reads outputs, as the engine sends them).
    const policy = resources.find((r) => r.type === providerTypes.groupRoleManagementPolicy)!;
    for (const props of [policy.inputs, policy.outputs ?? {}])
      (props.activationRules as Record<string, unknown>).requireApproval = false;
    const weakened = await checkPlan(resources, config);
    expect(weakened.violations.map((v) => v.message)).toContainEqual(
      expect.stringContaining("activation does not require approval"),
    );
  }, 120_000);

  it("npm run plan refuses an unknown role: exit 2, one message naming the key, no plan", async () => {
    const dir = tempDir("roles");
    const text = stackText().replace(
      "  entra-baseline:breakglass:",
      "    roles:\n      - role: Privileged Role Admin\n        eligibleUsers: [megan.bowen@contoso.com]\n  entra-baseline:breakglass:",
    );
    expect(text).toContain("Privileged Role Admin\n");
    fs.writeFileSync(path.join(dir, "Pulumi.roles.yaml"), text);
    const res = await runCli("plan", ["--stack", "roles", "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stdout).not.toContain("Plan of stack");
    expect(res.stderr).toContain("invalid entra-baseline configuration (1 problem); nothing was declared");
    expect(res.stderr).toContain(
      'pim.roles[0].role: "Privileged Role Admin" is not a directory role this model knows (did you mean "Privileged Role Administrator"?)',
    );
  }, 120_000);
});
