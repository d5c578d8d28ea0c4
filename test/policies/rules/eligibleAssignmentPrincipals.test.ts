/**
 * eligible-assignment-principals: PIM eligibility (directory roles, the model's own RoleEligibility, PIM for Groups)
 * only for users and role-assignable groups, never for an emergency account or the exclusion group — at preview by
 * where the principal came from.
 */
import { describe, expect, it } from "vitest";
import { dynamicTypeToken, GLOBAL_ADMINISTRATOR, providerTypes, USER_ADMINISTRATOR } from "@entra-baseline/model";
import { eligibleAssignmentPrincipals } from "../../../policies/rules/eligibleAssignmentPrincipals";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(eligibleAssignmentPrincipals);
const { run, stack } = world;
const EVIL_ID = "aaaaaaaa-0000-4000-8000-00000000e711";
const ADELE_ELIGIBLE = "global-administrator-eligible-adele-vance-contoso-com";

function eligibility(name: string, principalId: string, roleDefinitionId = GLOBAL_ADMINISTRATOR): PlannedResource {
  return resource(providerTypes.directoryRoleEligibilityScheduleRequest, name, {
    roleDefinitionId,
    principalId,
    directoryScopeId: "/",
  });
}

/** An eligibility whose principal id is unknown at preview and came from `sources`. */
function eligibleFrom(s: PlannedResource[], ...sources: string[]): void {
  s.push(dependsOn(eligibility("eligible-x", unknownStringValue), "principalId", ...sources.map((n) => byName(s, n))));
}

const breakglassEligible = (
  what = "Global Administrator",
  name = "eligible-x",
  type = "DirectoryRoleEligibilityScheduleRequest",
) =>
  `${type} "${name}" makes a breakglass account eligible for ${what}; emergency accounts hold permanent Global Administrator and stay out of PIM.`;

describe("eligible-assignment-principals", () => {
  it.each(["update", "preview"] as Mode[])("passes the eligible users (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  it("rejects an emergency account made eligible, at preview by provenance", async () => {
    expect(await run(stack("preview", (s) => eligibleFrom(s, "breakglass-breakglass-02")))).toEqual([
      breakglassEligible(),
    ]);
  });

  it("rejects an emergency account made eligible by object id, for any role", async () => {
    const s = stack("update", (x) => {
      byName(x, ADELE_ELIGIBLE).inputs.principalId = ids.user("breakglass-01");
      x.push(eligibility("bg-ua", ids.user("breakglass-02").toUpperCase(), USER_ADMINISTRATOR));
    });
    expect(await run(s)).toEqual([
      breakglassEligible("Global Administrator", ADELE_ELIGIBLE),
      breakglassEligible("User Administrator", "bg-ua"),
    ]);
  });

  it("rejects an account named in breakglassObjectIds (one this stack does not declare)", async () => {
    const s = stack("update", (x) => x.push(eligibility("external", EVIL_ID)));
    expect(await run(s, { ...world.packConfig, breakglassObjectIds: [EVIL_ID] })).toEqual([
      breakglassEligible("Global Administrator", "external"),
    ]);
  });

  it("rejects the exclusion group made eligible, by provenance or by object id", async () => {
    expect(await run(stack("preview", (s) => eligibleFrom(s, "breakglass-group")))).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "eligible-x" makes the breakglass exclusion group eligible for Global Administrator; it must hold no role through PIM.',
    ]);
    expect(await run(stack("update", (s) => s.push(eligibility("group-ga", ids.group))))).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "group-ga" makes the breakglass exclusion group eligible for Global Administrator; it must hold no role through PIM.',
    ]);
  });

  it("rejects a service principal made eligible", async () => {
    const s = stack("preview", (x) => {
      x.push(resource(providerTypes.servicePrincipal, "automation", { clientId: "x" }));
      eligibleFrom(x, "automation");
    });
    expect(await run(s)).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "eligible-x" makes ServicePrincipal "automation" eligible for Global Administrator; only users and groups can be eligible (service principals take no PIM eligibility).',
    ]);
  });

  it("rejects a group that is not role-assignable made eligible for a role, and accepts a role-assignable one", async () => {
    const GROUP = "9a000000-0000-4000-8000-00000000009a";
    const group = (assignableToRole: boolean) =>
      resource(providerTypes.group, "admins", {
        displayName: "Admins",
        securityEnabled: true,
        assignableToRole,
        objectId: GROUP,
      });
    expect(await run(stack("update", (s) => s.push(group(false), eligibility("admins-ga", GROUP))))).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "admins-ga" makes Group "admins" eligible for Global Administrator, but the group is not role-assignable (assignableToRole: true): anyone who manages groups would decide who may activate the role.',
    ]);
    expect(await run(stack("update", (s) => s.push(group(true), eligibility("admins-ga", GROUP))))).toEqual([]);
  });

  it("judges the model's own RoleEligibility resource and PIM-for-Groups eligibilities alike", async () => {
    const s = stack("preview", (x) => {
      x.push(
        dependsOn(
          resource(dynamicTypeToken("roleEligibility"), "own-eligibility", {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: unknownStringValue,
          }),
          "principalId",
          byName(x, "breakglass-breakglass-01"),
        ),
        dependsOn(
          resource(providerTypes.privilegedAccessGroupEligibilitySchedule, "pag-eligible", {
            groupId: "9a000000-0000-4000-8000-00000000009a",
            principalId: unknownStringValue,
            assignmentType: "member",
          }),
          "principalId",
          byName(x, "breakglass-breakglass-02"),
        ),
      );
    });
    expect(await run(s)).toEqual([
      breakglassEligible("Global Administrator", "own-eligibility", "RoleEligibility"),
      breakglassEligible("a PIM-for-Groups group", "pag-eligible", "PrivilegedAccessGroupEligibilitySchedule"),
    ]);
  });

  it("knows the emergency accounts only from its config: unconfigured, they are ordinary users here", async () => {
    // The missing configuration is breakglass-accounts' finding (fewer than two accounts configured).
    expect(
      await run(
        stack("preview", (s) => eligibleFrom(s, "breakglass-breakglass-02")),
        {},
      ),
    ).toEqual([]);
  });
});

describe("eligible-assignment-principals: red team", () => {
  it("still rejects at preview an eligibility whose principal comes from an emergency account mixed with another source", async () => {
    const s = stack("preview", (x) => {
      x.push(
        resource(providerTypes.user, "other", { userPrincipalName: "other@contoso.com", objectId: unknownStringValue }),
      );
      eligibleFrom(x, "other", "breakglass-breakglass-02");
    });
    expect(await run(s)).toEqual([breakglassEligible()]);
  });

  it("does not treat a known, non-emergency principal as an emergency account because of where it was computed", async () => {
    const s = stack("update", (x) =>
      x.push(dependsOn(eligibility("fine", EVIL_ID), "principalId", byName(x, "breakglass-breakglass-02"))),
    );
    expect(await run(s)).toEqual([]);
  });
});
