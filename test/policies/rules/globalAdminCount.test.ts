/**
 * global-admin-count: the distinct principals holding Global Administrator through the stack, eligible plus active,
 * through every path (eligibilities, eligible groups' members, PIM-for-Groups groups, direct and group holdings),
 * between the configured bounds — which only tighten the model's 2–8.
 */
import { describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { globalAdminCount } from "../../../policies/rules/globalAdminCount";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(globalAdminCount);
const { run, stack } = world;
const GROUP = "9a000000-0000-4000-8000-00000000009a";
const person = (i: number) => `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, "0")}`;
const count = (total: number, eligible: number, active: number, range = "2–8") =>
  `${total} Global Administrators (${eligible} eligible + ${active} active); CISA MS.AAD.7.1 and this stack allow ${range}.`;

function eligible(s: PlannedResource[], name: string, principalId: string): PlannedResource {
  const r = resource(providerTypes.directoryRoleEligibilityScheduleRequest, name, {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    principalId,
    directoryScopeId: "/",
  });
  s.push(r);
  return r;
}

describe("global-admin-count", () => {
  it.each(["update", "preview"] as Mode[])("passes 3 eligible + 2 emergency accounts (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  it("rejects more than 8", async () => {
    const s = stack("preview", (x) => [1, 2, 3, 4].forEach((i) => eligible(x, `extra-${i}`, person(i))));
    expect(await run(s)).toEqual([count(9, 7, 2)]);
  });

  it("rejects fewer than the minimum, and follows a stricter config", async () => {
    expect(await run(stack("update"), { ...world.packConfig, min: 6 })).toEqual([count(5, 3, 2, "6–8")]);
    expect(await run(stack("update"), { ...world.packConfig, max: 4 })).toEqual([count(5, 3, 2, "2–4")]);
  });

  it("counts a principal that is both eligible and active once", async () => {
    const s = stack("update", (x) => {
      byName(x, "global-administrator-eligible-adele-vance-contoso-com").inputs.principalId = ids.user("breakglass-01");
    });
    expect(await run(s, { ...world.packConfig, min: 5 })).toEqual([count(4, 2, 2, "5–8")]);
  });

  it("never loosens the model's bounds, whatever config reaches it (limits only tighten)", async () => {
    const nine = stack("update", (x) => [1, 2, 3, 4].forEach((i) => eligible(x, `extra-${i}`, person(i))));
    expect(await run(nine, { ...world.packConfig, min: 1, max: 20 })).toEqual([count(9, 7, 2)]);
    const one = stack("update").filter((r) => !r.name.startsWith("global-administrator-eligible-"));
    const lone = one.filter((r) => r.name !== "breakglass-breakglass-02-global-administrator");
    expect(await run(lone, { ...world.packConfig, min: 1 })).toEqual([count(1, 0, 1)]);
  });

  it("counts the members of an eligible group, and an eligible group it cannot see into once, saying so", async () => {
    const group = (members?: string[]) =>
      resource(providerTypes.group, "ga-admins", {
        displayName: "GA admins",
        securityEnabled: true,
        assignableToRole: true,
        objectId: GROUP,
        ...(members ? { members } : {}),
      });
    const withMembers = stack("update", (x) => {
      x.push(group([person(1), person(2), person(3), person(4)]));
      eligible(x, "group-eligible", GROUP);
    });
    expect(await run(withMembers)).toEqual([count(9, 7, 2)]);
    const opaque = stack("update", (x) => {
      x.push(group());
      eligible(x, "group-eligible", GROUP);
    });
    expect(await run(opaque, { ...world.packConfig, max: 5 })).toEqual([
      count(6, 4, 2, "2–5") + " Groups whose members the stack cannot show count once each: GA admins.",
    ]);
  });

  it("counts active holders through a group that holds Global Administrator", async () => {
    const s = stack("update", (x) => {
      x.push(
        resource(providerTypes.group, "ga-holders", {
          displayName: "GA holders",
          securityEnabled: true,
          assignableToRole: true,
          members: [person(1), person(2), person(3), person(4)],
          objectId: GROUP,
        }),
        resource(providerTypes.directoryRoleAssignment, "ga-holders-ga", {
          roleId: GLOBAL_ADMINISTRATOR,
          principalObjectId: GROUP,
          directoryScopeId: "/",
        }),
      );
    });
    expect(await run(s)).toEqual([count(9, 3, 6)]);
  });

  it("counts the eligible members of a PIM-for-Groups group holding Global Administrator", async () => {
    const cfg = { ...world.packConfig, pimGroups: [{ group: GROUP, roles: [GLOBAL_ADMINISTRATOR] }] };
    const s = stack("update", (x) =>
      [1, 2, 3, 4].forEach((i) =>
        x.push(
          resource(providerTypes.privilegedAccessGroupEligibilitySchedule, `pim-member-${i}`, {
            groupId: GROUP,
            principalId: person(i),
            assignmentType: "member",
          }),
        ),
      ),
    );
    expect(await run(s, cfg)).toEqual([count(9, 7, 2)]);
  });

  it("at preview, tells principals apart by the resources their unknown ids came from", async () => {
    const s = stack("preview", (x) => {
      for (const i of [1, 2, 3, 4]) {
        const u = resource(providerTypes.user, `new-admin-${i}`, {
          userPrincipalName: `admin-${i}@contoso.com`,
          objectId: unknownStringValue,
        });
        x.push(u);
        dependsOn(eligible(x, `new-admin-${i}-eligible`, unknownStringValue), "principalId", u);
      }
    });
    expect(await run(s)).toEqual([count(9, 7, 2)]);
  });
});
