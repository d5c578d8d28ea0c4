/**
 * ca-policies-exclude-breakglass: every Conditional Access policy the stack declares — azuread's and the model's
 * Graph-written one — that can apply to users, in any state, excludes the exclusion group or every emergency account
 * (src/model/caPolicy.ts breakglassExclusion). At preview an unknown exclusion counts as an emergency principal only
 * when nothing else unknown could be it.
 */
import { describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { caPoliciesExcludeBreakglass } from "../../../policies/rules/caPoliciesExcludeBreakglass";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(caPoliciesExcludeBreakglass);
const { run, stack } = world;
const BG1 = "breakglass-01@contoso.onmicrosoft.com";
const BG2 = "breakglass-02@contoso.onmicrosoft.com";
const users = (s: PlannedResource[], name: string) => (byName(s, name).inputs as any).conditions.users;
const exposes = (resourceName: string, accounts?: string, type = "ConditionalAccessPolicy") =>
  `${type} "${resourceName}" does not exclude the breakglass group${accounts ? ` nor breakglass account(s) ${accounts}` : ""}; a policy that catches the emergency accounts can lock the tenant out (Maester MT.1005).`;

describe("ca-policies-exclude-breakglass", () => {
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes policies that exclude the exclusion group (${mode})`, async () => {
      expect(await run(stack(mode))).toEqual([]);
    });

    it(`rejects an azuread policy missing the exclusion (${mode})`, async () => {
      const s = stack(mode, (x) => {
        users(x, "ca-1").excludedGroups = [];
        byName(x, "ca-1").propertyDependencies = {};
      });
      expect(await run(s)).toEqual([exposes("ca-1", `${BG1}, ${BG2}`)]);
    });
  }

  it("rejects the Graph-written policy missing the exclusion", async () => {
    const s = stack("update", (x) => (users(x, "activation-policy-c1").excludeGroups = []));
    expect(await run(s)).toEqual([exposes("activation-policy-c1", `${BG1}, ${BG2}`, "GraphConditionalAccessPolicy")]);
  });

  it("accepts excluding every emergency account instead of the group, and names the one left out", async () => {
    const every = (excluded: string[]) =>
      stack("update", (x) => {
        users(x, "ca-0").excludedGroups = [];
        users(x, "ca-0").excludedUsers = excluded;
      });
    expect(await run(every([ids.user("breakglass-01"), ids.user("breakglass-02").toUpperCase()]))).toEqual([]);
    expect(await run(every([ids.user("breakglass-01")]))).toEqual([exposes("ca-0", BG2)]);
  });

  it("rejects a policy in any state, disabled or report-only included", async () => {
    for (const state of ["enabled", "disabled", "enabledForReportingButNotEnforced"]) {
      const s = stack("update", (x) => {
        byName(x, "ca-1").inputs.state = state;
        users(x, "ca-1").excludedGroups = [];
      });
      expect(await run(s), state).toEqual([exposes("ca-1", `${BG1}, ${BG2}`)]);
    }
  });

  it("accepts a policy that applies to no user (workload identities only)", async () => {
    const s = stack("update", (x) =>
      x.push(
        resource(providerTypes.conditionalAccessPolicy, "workload-policy", {
          displayName: "Block risky workload identities",
          state: "enabled",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includedApplications: ["All"] },
            users: { includedUsers: ["None"] },
            clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] },
          },
          grantControls: { operator: "OR", builtInControls: ["block"] },
        }),
      ),
    );
    expect(await run(s)).toEqual([]);
  });

  it("rejects a policy including a role (every Global Administrator) without the exclusion", async () => {
    const s = stack("update", (x) => {
      const u = users(x, "ca-1");
      u.includedUsers = [];
      u.includedRoles = ["62e90394-69f5-4237-9190-012177145e10"];
      u.excludedGroups = [];
    });
    expect(await run(s)).toEqual([exposes("ca-1", `${BG1}, ${BG2}`)]);
  });

  it("takes an exclusion group this stack does not declare from its config (breakglassGroupObjectIds)", async () => {
    const EXTERNAL = "9e000000-0000-4000-8000-00000000009e";
    const s = stack("update", (x) => (users(x, "ca-1").excludedGroups = [EXTERNAL]));
    expect(await run(s)).toEqual([exposes("ca-1", `${BG1}, ${BG2}`)]);
    expect(await run(s, { ...world.packConfig, breakglassGroupObjectIds: [EXTERNAL] })).toEqual([]);
  });

  it("fails closed when it knows no emergency principal at all", async () => {
    expect(await run(stack("update"), { breakglassGroupName: "No such group" })).toEqual([
      "No breakglass account or exclusion group is known (breakglassUpns, breakglassObjectIds, breakglassGroupName), so none of the 3 Conditional Access policies can be shown to exclude them.",
    ]);
  });

  it("does not trust an unknown id at preview when it could be an inclusion", async () => {
    const s = stack("preview", (x) => (users(x, "ca-0").includedGroups = [unknownStringValue]));
    // The unknown inclusion may be the exclusion group itself or an account; the exclusion still holds, so what is
    // judged is the exclusion: the group excluded covers every account.
    expect(await run(s)).toEqual([]);
    const both = stack("preview", (x) => {
      users(x, "ca-0").includedGroups = [unknownStringValue];
      users(x, "ca-0").excludedGroups = [unknownStringValue];
      x.push(resource(providerTypes.group, "new-group", { displayName: "new", objectId: unknownStringValue }));
      dependsOn(byName(x, "ca-0"), "conditions", byName(x, "new-group"));
    });
    expect(await run(both)).toEqual([exposes("ca-0", `${BG1}, ${BG2}`)]);
  });

  it("rejects user conditions that are entirely unknown at preview", async () => {
    const s = stack("preview", (x) => ((byName(x, "ca-0").inputs as any).conditions.users = unknownStringValue));
    expect(await run(s)).toEqual([
      'ConditionalAccessPolicy "ca-0" has user conditions that are unknown at preview, so its breakglass exclusion cannot be verified; build `conditions.users` from plain values and Outputs, not inside apply().',
    ]);
    const whole = stack("preview", (x) => ((byName(x, "ca-0").inputs as any).conditions = unknownStringValue));
    expect(await run(whole)).toEqual([
      'ConditionalAccessPolicy "ca-0" has user conditions that are unknown at preview, so its breakglass exclusion cannot be verified; build `conditions.users` from plain values and Outputs, not inside apply().',
    ]);
  });
});

describe("ca-policies-exclude-breakglass: red team", () => {
  it("rejects at preview an unknown exclusion that comes from another new group while the exclusion group only feeds another condition", async () => {
    const s = stack("preview", (x) => {
      const decoy = resource(providerTypes.group, "decoy", {
        displayName: "Decoy",
        securityEnabled: true,
        objectId: unknownStringValue,
      });
      x.push(decoy);
      const ca = byName(x, "ca-0");
      ca.inputs.conditions = {
        clientAppTypes: [unknownStringValue], // bgGroup.objectId.apply(() => "all")
        applications: { includedApplications: ["All"] },
        users: { includedUsers: ["All"], excludedGroups: [unknownStringValue] }, // decoy.objectId
      };
      ca.propertyDependencies = {};
      dependsOn(ca, "conditions", byName(x, "breakglass-group"), decoy);
    });
    expect(await run(s)).toEqual([exposes("ca-0", `${BG1}, ${BG2}`)]);
  });

  it("rejects at preview per-user exclusions where one unknown comes from a non-emergency user", async () => {
    const s = stack("preview", (x) => {
      const other = resource(providerTypes.user, "other", {
        userPrincipalName: "other@contoso.com",
        objectId: unknownStringValue,
      });
      x.push(other);
      const ca = byName(x, "ca-0");
      ca.inputs.conditions = {
        clientAppTypes: ["all"],
        applications: { includedApplications: ["All"] },
        users: {
          includedUsers: ["All"],
          excludedUsers: [unknownStringValue, unknownStringValue],
          excludedGuestsOrExternalUsers: [{ guestOrExternalUserTypes: [unknownStringValue] }],
        },
      };
      ca.propertyDependencies = {};
      dependsOn(ca, "conditions", byName(x, "breakglass-breakglass-01"), byName(x, "breakglass-breakglass-02"), other);
    });
    expect(await run(s)).toEqual([exposes("ca-0", `${BG1}, ${BG2}`)]);
  });

  it("still accepts at preview the program's shape: the group id in the exclusions, next to a named location created in the same update", async () => {
    const s = stack("preview", (x) => {
      const location = resource("azuread:index/namedLocation:NamedLocation", "trusted", { displayName: "Trusted" });
      x.push(location);
      const ca = byName(x, "ca-0");
      (ca.inputs.conditions as Record<string, unknown>).locations = {
        includedLocations: ["All"],
        excludedLocations: [unknownStringValue],
      };
      dependsOn(ca, "conditions", location);
    });
    expect(await run(s)).toEqual([]);
  });

  it("rejects (update) a policy including All users that excludes only one of the two emergency accounts, in any state", async () => {
    for (const state of ["enabled", "disabled", "enabledForReportingButNotEnforced", "ENABLED"]) {
      const s = stack("update", (x) => {
        const ca = byName(x, "ca-1");
        ca.inputs.state = state;
        ca.inputs.conditions = {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users: { includedUsers: ["All"], excludedUsers: [ids.user("breakglass-01")] },
        };
      });
      expect(await run(s), state).toEqual([exposes("ca-1", BG2)]);
    }
  });
});
