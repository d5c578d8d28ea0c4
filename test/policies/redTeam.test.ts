/**
 * Attempts to fool the pack, one per test: each crafted stack should be rejected (or, where noted, accepted) and
 * each was a hole before the fix it names. Mutations of the compliant fixture, in the mode the attack needs.
 */
import { describe, expect, it } from "vitest";
import { breakglassAccounts } from "../../policies/rules/breakglassAccounts";
import { caPoliciesExcludeBreakglass } from "../../policies/rules/caPoliciesExcludeBreakglass";
import { breakglassTripwire } from "../../policies/rules/breakglassTripwire";
import { eligibleAssignmentPrincipals } from "../../policies/rules/eligibleAssignmentPrincipals";
import { gaActivationPolicy } from "../../policies/rules/gaActivationPolicy";
import { noStandingTier0Assignment } from "../../policies/rules/noStandingTier0Assignment";
import type { PlannedResource } from "../../src/tools/engine/analyzer";
import { GLOBAL_ADMINISTRATOR, providerTypes, USER_ADMINISTRATOR } from "@entra-baseline/model";
import { messages, mutate, runStackPolicy } from "../support/pack/harness";
import {
  APPROVER_IDS,
  BREAKGLASS_UPNS,
  ELIGIBLE_IDS,
  PACK_CONFIG,
  USER_IDS,
  byName,
  compliantStack,
  resource,
} from "../support/pack/stackFixture";
import { unknownStringValue } from "../support/pack/unknowns";

const GA_ROLE_OBJECT_ID = "ffffffff-0000-4000-8000-0000000000a0";
const EVIL_ID = "aaaaaaaa-0000-4000-8000-00000000e711";

function withDeps(r: PlannedResource, deps: Record<string, PlannedResource[]>): PlannedResource {
  for (const [k, rs] of Object.entries(deps)) r.propertyDependencies[k] = rs.map((x) => x.urn);
  r.dependencies = [
    ...new Set(
      Object.values(deps)
        .flat()
        .map((x) => x.urn),
    ),
  ];
  return r;
}

describe("no-standing-tier0-assignment: red team", () => {
  const run = (stack: PlannedResource[]) =>
    runStackPolicy(noStandingTier0Assignment, stack, PACK_CONFIG["no-standing-tier0-assignment"]).then(messages);

  it("rejects at preview a principal that comes from a breakglass user AND another user (mixed provenance)", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const evil = resource(providerTypes.user, "evil", {
        userPrincipalName: "evil@contoso.com",
        objectId: unknownStringValue,
      });
      s.push(evil);
      // principalObjectId: pulumi.all([bg.objectId, evil.objectId]).apply(([, e]) => e)
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleAssignment, "evil-ga", {
            roleId: GLOBAL_ADMINISTRATOR,
            principalObjectId: unknownStringValue,
          }),
          { principalObjectId: [byName(s, "breakglass-01"), evil] },
        ),
      );
    });
    const out = await run(stack);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(
      '"evil-ga" gives Global Administrator permanently to a principal that is unknown at preview',
    );
  });

  for (const [label, roleId] of [
    ["upper case", GLOBAL_ADMINISTRATOR.toUpperCase()],
    ["surrounding whitespace", ` ${GLOBAL_ADMINISTRATOR}\n`],
    ["braces", `{${GLOBAL_ADMINISTRATOR}}`],
  ] as const) {
    it(`rejects permanent GA whose roleId is the template id in ${label}`, async () => {
      const stack = mutate(compliantStack({ mode: "update" }), (s) =>
        s.push(resource(providerTypes.directoryRoleAssignment, "odd-ga", { roleId, principalObjectId: EVIL_ID })),
      );
      expect(await run(stack)).toEqual([
        `DirectoryRoleAssignment "odd-ga" gives Global Administrator permanently to ${EVIL_ID} that is not a breakglass account; make it PIM-eligible instead (CISA MS.AAD.7.4).`,
      ]);
    });
  }

  it("rejects permanent GA whose roleId is the GA role's object id (from an azuread.DirectoryRole), known or wired", async () => {
    for (const wired of [false, true]) {
      const stack = mutate(compliantStack({ mode: "update" }), (s) => {
        const role = resource(providerTypes.directoryRole, "ga-role", {
          displayName: "Global Administrator",
          templateId: GLOBAL_ADMINISTRATOR,
          objectId: GA_ROLE_OBJECT_ID,
        });
        s.push(role);
        const a = resource(providerTypes.directoryRoleAssignment, "by-object-id", {
          roleId: GA_ROLE_OBJECT_ID,
          principalObjectId: EVIL_ID,
        });
        s.push(wired ? withDeps(a, { roleId: [role] }) : a);
      });
      const out = await run(stack);
      expect(out, `wired=${wired}`).toHaveLength(1);
      expect(out[0]).toContain('"by-object-id" gives Global Administrator permanently');
    }
  });

  it("rejects a DirectoryRoleMember of a role declared by display name only, or whose templateId has stray case/space", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      const byDisplayName = resource(providerTypes.directoryRole, "ga-by-name", {
        displayName: "Global Administrator",
        objectId: "ffffffff-0000-4000-8000-000000000101",
      });
      const spaced = resource(providerTypes.directoryRole, "ga-spaced", {
        templateId: ` ${GLOBAL_ADMINISTRATOR.toUpperCase()} `,
        objectId: "ffffffff-0000-4000-8000-000000000102",
      });
      s.push(byDisplayName, spaced);
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleMember, "m1", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000101",
            memberObjectId: EVIL_ID,
          }),
          { roleObjectId: [byDisplayName] },
        ),
      );
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleMember, "m2", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000102",
            memberObjectId: EVIL_ID,
          }),
          { roleObjectId: [spaced] },
        ),
      );
    });
    const out = await run(stack);
    expect(out).toHaveLength(2);
    expect(out.every((m) => m.includes("gives Global Administrator permanently"))).toBe(true);
  });

  it("still ignores a DirectoryRoleMember of a declared non-Tier-0 role", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      const reader = resource(providerTypes.directoryRole, "reader", {
        templateId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
        objectId: "ffffffff-0000-4000-8000-000000000103",
      });
      s.push(reader);
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleMember, "m3", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000103",
            memberObjectId: EVIL_ID,
          }),
          { roleObjectId: [reader] },
        ),
      );
    });
    expect(await run(stack)).toEqual([]);
  });

  it("judges a role member through every role it may come from, not the first", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      const reader = resource(providerTypes.directoryRole, "reader", {
        templateId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
        objectId: "ffffffff-0000-4000-8000-000000000103",
      });
      const ua = resource(providerTypes.directoryRole, "ua", {
        templateId: USER_ADMINISTRATOR,
        objectId: "ffffffff-0000-4000-8000-000000000104",
      });
      s.push(reader, ua);
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleMember, "m4", {
            roleObjectId: "ffffffff-0000-4000-8000-000000000104",
            memberObjectId: EVIL_ID,
          }),
          { roleObjectId: [reader, ua] },
        ),
      );
    });
    expect(await run(stack)).toEqual([expect.stringContaining('"m4" gives User Administrator permanently')]);
  });
});

describe("eligible-assignment-principals: red team", () => {
  const run = (stack: PlannedResource[]) =>
    runStackPolicy(eligibleAssignmentPrincipals, stack, PACK_CONFIG["eligible-assignment-principals"]).then(messages);

  it("still rejects at preview an eligibility whose principal comes from a breakglass user mixed with another source", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const other = resource(providerTypes.user, "other", {
        userPrincipalName: "other@contoso.com",
        objectId: unknownStringValue,
      });
      s.push(other);
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, "bg-eligible", {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: unknownStringValue,
            directoryScopeId: "/",
          }),
          {
            principalId: [other, byName(s, "breakglass-02")],
          },
        ),
      );
    });
    expect(await run(stack)).toEqual([
      expect.stringContaining('"bg-eligible" makes a breakglass account eligible for Global Administrator'),
    ]);
  });

  it("does not treat a known, non-breakglass principal as breakglass because of where it was computed", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      s.push(
        withDeps(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, "fine", {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: EVIL_ID,
            directoryScopeId: "/",
          }),
          {
            principalId: [byName(s, "breakglass-02")],
          },
        ),
      );
    });
    expect(await run(stack)).toEqual([]);
  });
});

describe("ca-policies-exclude-breakglass: red team", () => {
  const run = (stack: PlannedResource[]) =>
    runStackPolicy(caPoliciesExcludeBreakglass, stack, PACK_CONFIG["ca-policies-exclude-breakglass"]).then(messages);

  it("rejects at preview an unknown exclusion that comes from another new group while the breakglass group only feeds another condition", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const decoy = resource(providerTypes.group, "decoy", {
        displayName: "Decoy",
        securityEnabled: true,
        objectId: unknownStringValue,
      });
      s.push(decoy);
      const ca = byName(s, "ca-0");
      ca.inputs.conditions = {
        clientAppTypes: [unknownStringValue], // bgGroup.objectId.apply(() => "all")
        applications: { includedApplications: ["All"] },
        users: { includedUsers: ["All"], excludedGroups: [unknownStringValue] }, // decoy.objectId
      };
      withDeps(ca, { conditions: [byName(s, "breakglass-group"), decoy] });
    });
    expect(await run(stack)).toEqual([
      expect.stringContaining('ConditionalAccessPolicy "ca-0" does not exclude the breakglass group'),
    ]);
  });

  it("rejects at preview per-user exclusions where one unknown comes from a non-breakglass user", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const other = resource(providerTypes.user, "other", {
        userPrincipalName: "other@contoso.com",
        objectId: unknownStringValue,
      });
      s.push(other);
      const ca = byName(s, "ca-0");
      ca.inputs.conditions = {
        clientAppTypes: ["all"],
        applications: { includedApplications: ["All"] },
        users: {
          includedUsers: ["All"],
          excludedUsers: [unknownStringValue, unknownStringValue],
          excludedGuestsOrExternalUsers: [{ guestOrExternalUserTypes: [unknownStringValue] }],
        },
      };
      withDeps(ca, { conditions: [byName(s, "breakglass-01"), byName(s, "breakglass-02"), other] });
    });
    expect(await run(stack)).toEqual([
      expect.stringContaining(
        '"ca-0" does not exclude the breakglass group nor breakglass account(s) breakglass-01, breakglass-02',
      ),
    ]);
  });

  it("still accepts at preview the program's shape: the group id in the exclusions, next to a named location created in the same update", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const location = resource("azuread:index/namedLocation:NamedLocation", "trusted", {
        displayName: "Trusted",
        id: unknownStringValue,
      });
      s.push(location);
      const ca = byName(s, "ca-0");
      (ca.inputs.conditions as Record<string, unknown>).locations = {
        includedLocations: ["All"],
        excludedLocations: [unknownStringValue],
      };
      withDeps(ca, { conditions: [byName(s, "breakglass-group"), location] });
    });
    expect(await run(stack)).toEqual([]);
  });

  it("rejects (update) a policy including All users that excludes only one of the two breakglass users, in any state", async () => {
    for (const state of ["enabled", "disabled", "enabledForReportingButNotEnforced", "ENABLED"]) {
      const stack = mutate(compliantStack({ mode: "update" }), (s) => {
        const ca = byName(s, "ca-1");
        ca.inputs.state = state;
        ca.inputs.conditions = {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users: { includedUsers: ["All"], excludedUsers: [USER_IDS[0]!] },
        };
      });
      expect(await run(stack), state).toEqual([
        expect.stringContaining('"ca-1" does not exclude the breakglass group nor breakglass account(s) breakglass-02'),
      ]);
    }
  });
});

describe("breakglass-accounts: red team", () => {
  const run = (stack: PlannedResource[]) =>
    runStackPolicy(breakglassAccounts, stack, PACK_CONFIG["breakglass-accounts"]).then(messages);

  it("rejects a second azuread.User claiming a breakglass UPN (different case), whose GA would pass by provenance at preview", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const twin = JSON.parse(JSON.stringify(byName(s, "breakglass-01"))) as PlannedResource;
      twin.name = "twin";
      twin.urn = twin.urn.replace(/breakglass-01$/, "twin");
      twin.inputs.userPrincipalName = String(twin.inputs.userPrincipalName).toUpperCase();
      s.push(twin);
    });
    expect(await run(stack)).toContainEqual(
      'Breakglass account "breakglass-01@contoso.onmicrosoft.com" is declared by 2 users (breakglass-01, twin); exactly one azuread.User may claim it.',
    );
  });

  it("rejects a breakglass GA assignment or exclusion group without protect (a refactor could remove the emergency path)", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      byName(s, "breakglass-02-global-admin").protect = false;
      byName(s, "breakglass-group").protect = false;
    });
    expect(await run(stack)).toEqual([
      'Breakglass User "breakglass-02": its Global Administrator assignment DirectoryRoleAssignment "breakglass-02-global-admin" is not protected (protect: true), so a refactor could remove the emergency path.',
      'Breakglass exclusion Group "breakglass-group": is not protected (protect: true); deleting it removes the exclusion every Conditional Access policy relies on.',
    ]);
  });

  it("does not count a GA assignment computed from a breakglass user and another user as the account's GA (preview)", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const other = resource(providerTypes.user, "other", {
        userPrincipalName: "other@contoso.com",
        objectId: unknownStringValue,
      });
      s.push(other);
      withDeps(byName(s, "breakglass-02-global-admin"), { principalObjectId: [byName(s, "breakglass-02"), other] });
    });
    expect(await run(stack)).toContainEqual(
      expect.stringContaining('Breakglass User "breakglass-02": holds no permanent Global Administrator assignment'),
    );
  });

  it("rejects a breakglass user whose accountEnabled is unknown at preview", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      byName(s, "breakglass-01").inputs.accountEnabled = unknownStringValue;
    });
    expect(await run(stack)).toEqual([
      'Breakglass User "breakglass-01": accountEnabled is unknown at preview; an emergency account must be declared enabled.',
    ]);
  });

  it('rejects a 256-character generator with two character classes switched off, or special emptied; accepts length "256"', async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      Object.assign(byName(s, "breakglass-01-password").inputs, { special: false, upper: false });
      Object.assign(byName(s, "breakglass-02-password").inputs, { length: "256", number: false, overrideSpecial: "" });
    });
    expect(await run(stack)).toEqual([
      'Breakglass User "breakglass-01": password generator RandomPassword "breakglass-01-password" uses only lower, numeric character classes; Entra needs at least 3 of lower, upper, numeric, special.',
      'Breakglass User "breakglass-02": password generator RandomPassword "breakglass-02-password" uses only lower, upper character classes; Entra needs at least 3 of lower, upper, numeric, special.',
    ]);
  });

  it("rejects a generator whose character classes are unknown at preview", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      byName(s, "breakglass-01-password").inputs.upper = unknownStringValue;
    });
    expect(await run(stack)).toEqual([
      'Breakglass User "breakglass-01": password generator RandomPassword "breakglass-01-password" has character classes unknown at preview (upper).',
    ]);
  });
});

describe("ga-activation-policy: red team", () => {
  const run = (stack: PlannedResource[]) =>
    runStackPolicy(gaActivationPolicy, stack, PACK_CONFIG["ga-activation-policy"]).then(messages);
  const prefix = 'RoleManagementPolicy "global-admin-activation": ';
  const withPolicy = (change: (inputs: Record<string, unknown>) => void) =>
    mutate(compliantStack({ mode: "update" }), (s) => change(byName(s, "global-admin-activation").inputs));

  it("rejects a duration over 4 h written oddly (PT4H0M60S, P1D, pt240m1s) and accepts PT3H60M", async () => {
    for (const d of ["PT4H0M60S", "P1D", "pt240m1s"]) {
      expect(await run(withPolicy((p) => (p.maxActivationDuration = d))), d).toEqual([
        expect.stringContaining(`${prefix}activation maximum duration ${d}`),
      ]);
    }
    expect(await run(withPolicy((p) => (p.maxActivationDuration = "PT3H60M")))).toEqual([]);
  });

  it("rejects an approver that is only the requester in another casing", async () => {
    const stack = withPolicy(
      (p) =>
        ((p.approval as Record<string, unknown>).approvers = [{ kind: "user", id: ELIGIBLE_IDS[0]!.toUpperCase() }]),
    );
    expect(await run(stack)).toEqual([
      `${prefix}eligible admin ${ELIGIBLE_IDS[0]} has no approver other than themselves.`,
    ]);
  });

  it("rejects an empty or non-id approver standing in for 'someone else'", async () => {
    const stack = withPolicy(
      (p) =>
        ((p.approval as Record<string, unknown>).approvers = [
          { kind: "user", id: ELIGIBLE_IDS[0]! },
          { kind: "user", id: "" },
          { kind: "user", id: "lidia@contoso.com" },
        ]),
    );
    expect(await run(stack)).toEqual([
      `${prefix}approver {"kind":"user","id":""} is not a user or group object id.`,
      `${prefix}approver {"kind":"user","id":"lidia@contoso.com"} is not a user or group object id.`,
      `${prefix}eligible admin ${ELIGIBLE_IDS[0]} has no approver other than themselves.`,
    ]);
  });

  it("rejects notification recipients that are empty strings", async () => {
    const stack = withPolicy((p) => (p.notificationRecipients = ["", " "]));
    expect(await run(stack)).toEqual([
      `${prefix}notification recipients "", " " are not e-mail addresses.`,
      `${prefix}no notification recipients: assignments and activations alert nobody (CISA MS.AAD.7.7/7.8).`,
    ]);
  });

  it("keeps accepting the compliant approvers (a second person)", async () => {
    expect(APPROVER_IDS).toHaveLength(2);
    expect(await run(compliantStack({ mode: "update" }))).toEqual([]);
  });
});

describe("breakglass-tripwire: red team", () => {
  const run = (stack: PlannedResource[]) =>
    runStackPolicy(breakglassTripwire, stack, PACK_CONFIG["breakglass-tripwire"]).then(messages);
  const RULE = "monitoring-breakglass-sign-in-tripwire";
  const prefix = `ScheduledQueryRule "${RULE}": `;
  const withRule = (mode: "update" | "preview", change: (inputs: Record<string, any>) => void) =>
    mutate(compliantStack({ mode }), (s) => change(byName(s, RULE).inputs as Record<string, any>));
  const ids = `("${USER_IDS[0]}", "${USER_IDS[1]}")`;
  const upns = `("${BREAKGLASS_UPNS[0]}", "${BREAKGLASS_UPNS[1]}")`;
  const queryRun = (query: string) => run(withRule("update", (r) => (r.criteria.allOf[0].query = query)));

  it("accepts the canonical shape with == / =~ comparisons", async () => {
    const q = `SigninLogs | where UserId == "${USER_IDS[0]}" or UserId =~ "${USER_IDS[1]}" or (UserPrincipalName in~ ${upns}) | project UserPrincipalName`;
    expect(await queryRun(q)).toEqual([]);
  });

  it("rejects accounts named only in a string that is never compared", async () => {
    const q = `SigninLogs | where UserId in~ ("00000000-0000-0000-0000-000000000000") | extend Decoy = dynamic([${ids.slice(1, -1)}, ${upns.slice(1, -1)}])`;
    const out = await queryRun(q);
    expect(out).toContain(
      `${prefix}Breakglass sign-in (tripwire): the query does not name breakglass account ${BREAKGLASS_UPNS[0]} by objectId and upn.`,
    );
  });

  it("rejects a negated filter (!in~, !=, not())", async () => {
    for (const q of [
      `SigninLogs | where UserId !in~ ${ids} or UserPrincipalName !in~ ${upns}`,
      `SigninLogs | where not(UserId in~ ${ids} or UserPrincipalName in~ ${upns})`,
      `SigninLogs | where UserId != "${USER_IDS[0]}"`,
    ]) {
      const out = await queryRun(q);
      expect(
        out.some((m) => m.includes("the account filter")),
        q,
      ).toBe(true);
      expect(
        out.some((m) => m.includes(`does not name breakglass account ${BREAKGLASS_UPNS[0]}`)),
        q,
      ).toBe(true);
    }
  });

  it("rejects extra conditions and row-dropping operators after the filter, and a let that shadows the table", async () => {
    const cases: [string, string][] = [
      [
        `SigninLogs | where UserId in~ ${ids} or UserPrincipalName in~ ${upns} and ResultType == "never"`,
        "goes on after the comparisons ('and')",
      ],
      [
        `SigninLogs | where UserId in~ ${ids} or UserPrincipalName in~ ${upns} | where ResultType == "0"`,
        "'where' after the account filter can drop sign-ins",
      ],
      [
        `SigninLogs | where UserId in~ ${ids} or UserPrincipalName in~ ${upns} | summarize n = count() | where n > 100`,
        "'summarize' after the account filter",
      ],
      [
        `let SigninLogs = datatable(UserId: string)[]; SigninLogs | where UserId in~ ${ids} or UserPrincipalName in~ ${upns}`,
        "`let` or several statements",
      ],
    ];
    for (const [q, why] of cases) expect((await queryRun(q)).join("\n"), q).toContain(why);
  });

  it("rejects a threshold that never fires, a second AND-ed condition, an excluding dimension, extra failing periods, muted actions", async () => {
    const stack = withRule("update", (r) => {
      const c = r.criteria.allOf[0];
      c.threshold = 1000;
      c.dimensions = [{ name: "UserPrincipalName", operator: "Exclude", values: [BREAKGLASS_UPNS[0]] }];
      c.failingPeriods = { numberOfEvaluationPeriods: 6, minFailingPeriodsToAlert: 6 };
      r.criteria.allOf.push({ ...c, query: 'SigninLogs | where UserId in~ ("x")' });
      r.muteActionsDuration = "P1D";
    });
    const out = (await run(stack)).join("\n");
    for (const why of [
      "has 2 conditions (criteria.allOf)",
      "fires when the count is GreaterThan 1000",
      "splits by dimension UserPrincipalName with Exclude",
      "needs 6 failing periods",
      "mutes its actions for P1D",
    ])
      expect(out).toContain(why);
  });

  it('accepts severity "0" and threshold "0" as strings (the same numbers)', async () => {
    expect(await run(withRule("update", (r) => ((r.severity = "0"), (r.criteria.allOf[0].threshold = "0"))))).toEqual(
      [],
    );
  });

  it("rejects a tripwire scoped to another workspace (update) or to an unknown scope not from the logs' workspace (preview)", async () => {
    const other =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/law-elsewhere";
    expect(await run(withRule("update", (r) => (r.scopes = [other])))).toEqual([
      expect.stringContaining(`${prefix}its scopes (${other}) do not include the workspace`),
    ]);
    const preview = mutate(compliantStack({ mode: "preview" }), (s) => {
      const elsewhere = resource(providerTypes.workspace, "elsewhere", {
        workspaceName: "law-elsewhere",
        retentionInDays: 30,
      });
      s.push(elsewhere);
      withDeps(byName(s, RULE), {
        scopes: [elsewhere],
        criteria: [byName(s, "breakglass-01"), byName(s, "breakglass-02")],
        actions: [byName(s, "action-group")],
      });
    });
    expect(await run(preview)).toEqual([
      expect.stringContaining(`${prefix}its scopes (unknown) do not include the workspace`),
    ]);
  });
});
