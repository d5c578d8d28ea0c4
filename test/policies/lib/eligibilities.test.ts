/**
 * The stack's PIM eligibilities as facts: for directory roles (azuread's schedule request and the model's own
 * RoleEligibility, which share their input names) and for PIM-for-Groups memberships or ownerships.
 */
import { describe, expect, it } from "vitest";
import { dynamicTypeToken, GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { breakglassView } from "../../../policies/lib/breakglass";
import { groupEligibilities, roleEligibilities, ROLE_ELIGIBILITY_TYPES } from "../../../policies/lib/eligibilities";
import { StackIndex } from "../../../policies/lib/stack";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { dependsOn, resource } from "../../support/world/stack";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const GROUP = "9a000000-0000-4000-8000-00000000009a";

describe("policies/lib/eligibilities", () => {
  it("reads the role and principal of both kinds of role eligibility", () => {
    expect(ROLE_ELIGIBILITY_TYPES).toEqual([
      providerTypes.directoryRoleEligibilityScheduleRequest,
      dynamicTypeToken("roleEligibility"),
    ]);
    const user = resource(providerTypes.user, "new", {
      userPrincipalName: "new@contoso.com",
      objectId: unknownStringValue,
    });
    const index = new StackIndex(
      policyResources([
        user,
        resource(providerTypes.directoryRoleEligibilityScheduleRequest, "request", {
          roleDefinitionId: GLOBAL_ADMINISTRATOR.toUpperCase(),
          principalId: A,
          directoryScopeId: "/",
        }),
        dependsOn(
          resource(dynamicTypeToken("roleEligibility"), "own", {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: unknownStringValue,
          }),
          "principalId",
          user,
        ),
      ]),
    );
    const view = breakglassView(index, { breakglassUpns: [] });
    expect(
      roleEligibilities(index, view).map((e) => [e.resource.name, e.role, e.principal?.key, e.principal?.type]),
    ).toEqual([
      ["request", GLOBAL_ADMINISTRATOR, A, "unknown"],
      ["own", GLOBAL_ADMINISTRATOR, user.urn, "user"],
    ]);
  });

  it("reads a PIM-for-Groups eligibility's group, access (member or owner) and principal", () => {
    const group = resource(providerTypes.group, "pim", { displayName: "PIM", objectId: unknownStringValue });
    const index = new StackIndex(
      policyResources([
        group,
        dependsOn(
          resource(providerTypes.privilegedAccessGroupEligibilitySchedule, "owner", {
            groupId: unknownStringValue,
            principalId: A,
            assignmentType: "Owner",
          }),
          "groupId",
          group,
        ),
        resource(providerTypes.privilegedAccessGroupEligibilitySchedule, "member", { groupId: GROUP, principalId: A }),
      ]),
    );
    const view = breakglassView(index, { breakglassUpns: [] });
    expect(groupEligibilities(index, view).map((e) => [e.resource.name, e.group, e.access, e.principal?.key])).toEqual([
      ["owner", group.urn, "owner", A],
      ["member", GROUP, undefined, A],
    ]);
  });
});
