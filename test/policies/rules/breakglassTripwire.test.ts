/**
 * breakglass-tripwire: for each sign-in table, one scheduled query rule that is the model's canonical tripwire
 * (src/model/tripwire.ts, allow-list) for exactly the stack's emergency accounts — enabled, severity 0, every minute,
 * on the workspace that receives that table, heard by a declared action group. At preview the query (built from the
 * accounts' ids) is unknown and accepted only when it came from the emergency accounts alone.
 */
import { describe, expect, it } from "vitest";
import { canonicalTripwireQuery, providerTypes } from "@entra-baseline/model";
import { breakglassTripwire } from "../../../policies/rules/breakglassTripwire";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, urnOf, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(breakglassTripwire);
const { run, stack } = world;
const RULE = "monitoring-breakglass-sign-in-tripwire";
const NON_INTERACTIVE = "monitoring-breakglass-non-interactive-sign-in-tripwire";
const UPNS = ["breakglass-01@contoso.onmicrosoft.com", "breakglass-02@contoso.onmicrosoft.com"];
const IDS = [ids.user("breakglass-01"), ids.user("breakglass-02")];
const ACCOUNTS = UPNS.map((upn, i) => ({ upn, objectId: IDS[i]! }));
const WORKSPACE_URN = urnOf(providerTypes.workspace, "monitoring-workspace");
const notTripwire = (gaps: string, name = "breakglass-sign-in-tripwire", table = "SigninLogs") =>
  `Scheduled query rule ${name} is not the tripwire for ${table}: ${gaps}.`;
const notCanonical = `its query is not the model's tripwire for SigninLogs and exactly the emergency accounts ${UPNS.join(", ")} (compare with src/model/kql/breakglassSignIn.ts)`;

type Rule = Record<string, any>;
const withRule = (mode: Mode, change: (inputs: Rule, s: PlannedResource[]) => void) =>
  stack(mode, (s) => change(byName(s, RULE).inputs as Rule, s));
const queryRun = (query: string) => run(withRule("update", (r) => (r.criteria.allOf[0].query = query)));

describe("breakglass-tripwire", () => {
  it.each(["update", "preview"] as Mode[])("passes both tripwires (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  const cases: [string, (r: Rule) => void, string][] = [
    ["a disabled tripwire", (r) => (r.enabled = false), "it is not enabled (enabled false)"],
    ["a lowered severity", (r) => (r.severity = 2), "its severity is 2, not 0 (critical)"],
    [
      "a slow evaluation",
      (r) => (r.evaluationFrequency = "PT5M"),
      'it is evaluated every "PT5M", not every minute (PT1M)',
    ],
    [
      "a window too short for late records",
      (r) => (r.windowSize = "PT5M"),
      'its window is "PT5M"; it must be 15 minutes to 6 hours so that late sign-in records are still caught',
    ],
    [
      "an overridden query time range shorter than the window",
      (r) => (r.overrideQueryTimeRange = "PT5M"),
      'it overrides the query time range with "PT5M", shorter than its window',
    ],
    ["another kind of rule", (r) => (r.kind = "LogToMetric"), 'it is of kind "LogToMetric", not LogAlert'],
    ["no action group", (r) => (r.actions = { actionGroups: [] }), "it has no action group: a tripwire nobody hears"],
  ];
  it.each(cases)("rejects %s", async (_, change, gaps) => {
    expect(await run(withRule("update", change))).toEqual([notTripwire(gaps)]);
  });

  it("rejects a query that misses an account, or names one more", async () => {
    expect(await queryRun(canonicalTripwireQuery("SigninLogs", ACCOUNTS.slice(0, 1)))).toEqual([
      notTripwire(notCanonical),
    ]);
    const extra = [...ACCOUNTS, { upn: "mallory@contoso.com", objectId: "aaaaaaaa-0000-4000-8000-00000000e711" }];
    expect(await queryRun(canonicalTripwireQuery("SigninLogs", extra))).toEqual([notTripwire(notCanonical)]);
  });

  it("accepts the canonical query up to what means nothing: account order, their case, comments and layout", async () => {
    const reordered = canonicalTripwireQuery(
      "SigninLogs",
      [...ACCOUNTS].reverse().map((a) => ({ upn: a.upn.toUpperCase(), objectId: a.objectId.toUpperCase() })),
    );
    expect(await queryRun(`// reviewed by secops\n${reordered.replace(/\n/g, "\n  ")}`)).toEqual([]);
  });

  it("rejects the interactive query on the non-interactive table's rule, leaving that table unwatched", async () => {
    const s = stack("update", (x) => {
      (byName(x, NON_INTERACTIVE).inputs as Rule).criteria.allOf[0].query = canonicalTripwireQuery(
        "SigninLogs",
        ACCOUNTS,
      );
    });
    const out = await run(s);
    expect(out).toEqual([
      notTripwire(
        "its query is not the model's tripwire for AADNonInteractiveUserSignInLogs and exactly the emergency accounts breakglass-01@contoso.onmicrosoft.com, breakglass-02@contoso.onmicrosoft.com (compare with src/model/kql/breakglassSignIn.ts)",
        "breakglass-non-interactive-sign-in-tripwire",
        "AADNonInteractiveUserSignInLogs",
      ),
    ]);
  });

  it("rejects at preview an unknown query that does not come from every emergency account alone", async () => {
    const one = stack(
      "preview",
      (s) => (byName(s, RULE).propertyDependencies.criteria = [byName(s, "breakglass-breakglass-01").urn]),
    );
    expect(await run(one)).toEqual([
      notTripwire("its query is unknown and not built from the emergency accounts alone"),
    ]);
    const mixed = stack("preview", (s) => {
      const other = resource(providerTypes.user, "other", {
        userPrincipalName: "other@contoso.com",
        objectId: unknownStringValue,
      });
      s.push(other);
      dependsOn(byName(s, RULE), "criteria", other);
    });
    expect(await run(mixed)).toEqual([
      notTripwire("its query is unknown and not built from the emergency accounts alone"),
    ]);
  });

  it("rejects a missing tripwire", async () => {
    expect(await run(stack("update").filter((r) => r.name !== NON_INTERACTIVE))).toEqual([
      "No tripwire watches AADNonInteractiveUserSignInLogs: a sign-in of an emergency account there would go unnoticed (declare the model's rule for it).",
    ]);
  });

  it("rejects an action group that is disabled or has no receiver, or is not declared", async () => {
    const disabled = stack("update", (s) => (byName(s, "monitoring-action-group").inputs.enabled = false));
    const none = stack("update", (s) => (byName(s, "monitoring-action-group").inputs.emailReceivers = []));
    const elsewhere = withRule("update", (r, s) => {
      r.actions.actionGroups = [ids.actionGroup("rg-x", "ag-elsewhere")];
      byName(s, RULE).propertyDependencies.actions = [];
    });
    const agKey = urnOf(providerTypes.actionGroup, "monitoring-action-group");
    for (const s of [disabled, none]) {
      expect((await run(s)).map((m) => m.replace(/^Scheduled query rule [^:]+: /, ""))).toEqual([
        `none of its action groups (${agKey}) is known, enabled and has a receiver.`,
        `none of its action groups (${agKey}) is known, enabled and has a receiver.`,
      ]);
    }
    expect(await run(elsewhere)).toEqual([
      notTripwire(
        `none of its action groups (${ids.actionGroup("rg-x", "ag-elsewhere").toLowerCase()}) is known, enabled and has a receiver`,
      ),
    ]);
  });

  it("judges the accounts the stack declares: a configured account's own query is held to them all", async () => {
    // A third configured account the stack does not declare (by UPN) is breakglass-accounts' finding; here the
    // tripwire is judged against the declared accounts.
    const cfg = { ...world.packConfig, breakglassUpns: [...UPNS, "breakglass-03@contoso.onmicrosoft.com"] };
    expect(await run(stack("update"), cfg)).toEqual([]);
  });
});

describe("breakglass-tripwire: red team", () => {
  const IDS_LIST = `("${IDS[0]}", "${IDS[1]}")`;
  const UPNS_LIST = `("${UPNS[0]}", "${UPNS[1]}")`;

  it("no longer accepts a hand-written equivalent (== / =~ comparisons): the query must be the canonical one", async () => {
    const q = `SigninLogs | where UserId == "${IDS[0]}" or UserId =~ "${IDS[1]}" or (UserPrincipalName in~ ${UPNS_LIST}) | project UserPrincipalName`;
    expect(await queryRun(q)).toEqual([notTripwire(notCanonical)]);
  });

  it("rejects accounts named only in a string that is never compared", async () => {
    const q = `SigninLogs | where UserId in~ ("00000000-0000-0000-0000-000000000000") | extend Decoy = dynamic([${IDS_LIST.slice(1, -1)}, ${UPNS_LIST.slice(1, -1)}])`;
    expect(await queryRun(q)).toEqual([notTripwire(notCanonical)]);
  });

  it("rejects a negated filter (!in~, !=, not())", async () => {
    for (const q of [
      `SigninLogs | where UserId !in~ ${IDS_LIST} or UserPrincipalName !in~ ${UPNS_LIST}`,
      `SigninLogs | where not(UserId in~ ${IDS_LIST} or UserPrincipalName in~ ${UPNS_LIST})`,
      `SigninLogs | where UserId != "${IDS[0]}"`,
    ]) {
      expect(await queryRun(q), q).toEqual([notTripwire(notCanonical)]);
    }
  });

  it("rejects extra conditions and row-dropping operators after the filter, and a let that shadows the table", async () => {
    const canonical = canonicalTripwireQuery("SigninLogs", ACCOUNTS);
    const filter = `| where UserId in~ ${IDS_LIST}\n    or UserPrincipalName in~ ${UPNS_LIST}`;
    expect(canonical).toContain(filter);
    for (const q of [
      canonical.replace(filter, `${filter} and ResultType == "never"`),
      `${canonical}\n| where ResultType == "0"`,
      `${canonical}\n| summarize n = count() | where n > 100`,
      `let SigninLogs = datatable(UserId: string)[]; ${canonical}`,
    ]) {
      expect(await queryRun(q), q).toEqual([notTripwire(notCanonical)]);
    }
  });

  it("rejects a threshold that never fires, a second AND-ed condition, an excluding dimension, extra failing periods, muted actions", async () => {
    const s = withRule("update", (r) => {
      const c = r.criteria.allOf[0];
      c.threshold = 1000;
      c.dimensions = [{ name: "UserPrincipalName", operator: "Exclude", values: [UPNS[0]] }];
      c.failingPeriods = { numberOfEvaluationPeriods: 6, minFailingPeriodsToAlert: 6 };
      r.criteria.allOf.push({ ...c, query: 'SigninLogs | where UserId in~ ("x")' });
      r.muteActionsDuration = "P1D";
    });
    const out = (await run(s)).join("\n");
    expect(out).toContain('it mutes its actions for "P1D" after firing, so later sign-ins notify nobody');
    expect(out).toContain("it has 2 conditions; a tripwire has exactly one (every condition must hold to fire)");
    const one = withRule("update", (r) => {
      const c = r.criteria.allOf[0];
      c.threshold = 1000;
      c.dimensions = [{ name: "UserPrincipalName", operator: "Exclude", values: [UPNS[0]] }];
      c.failingPeriods = { numberOfEvaluationPeriods: 6, minFailingPeriodsToAlert: 6 };
    });
    expect(await run(one)).toEqual([
      notTripwire(
        [
          "it fires when the count is GreaterThan 1000; it must fire on the first row (GreaterThan 0)",
          `it splits by UserPrincipalName with Exclude ["${UPNS[0]}"]; only Include ["*"] keeps every sign-in`,
          "it needs 6 of 6 failing periods; one sign-in must be enough",
        ].join("; "),
      ),
    ]);
  });

  it('accepts severity "0" and threshold "0" as strings (the same numbers)', async () => {
    expect(await run(withRule("update", (r) => ((r.severity = "0"), (r.criteria.allOf[0].threshold = "0"))))).toEqual(
      [],
    );
  });

  it("rejects a tripwire scoped to another workspace (update) or to an unknown scope not from the logs' workspace (preview)", async () => {
    const other = ids.workspace("rg-x", "law-elsewhere");
    expect(await run(withRule("update", (r) => (r.scopes = [other])))).toEqual([
      notTripwire(
        `it reads ${other.toLowerCase()}, not the workspace that receives SigninLogs (${WORKSPACE_URN.toLowerCase()})`,
      ),
    ]);
    const preview = stack("preview", (s) => {
      const elsewhere = resource(providerTypes.workspace, "elsewhere", {
        workspaceName: "law-elsewhere",
        resourceGroupName: "rg-x",
        retentionInDays: 30,
      });
      s.push(elsewhere);
      byName(s, RULE).propertyDependencies.scopes = [elsewhere.urn];
    });
    expect(await run(preview)).toEqual([
      notTripwire(
        `it reads ${urnOf(providerTypes.workspace, "elsewhere")}, not the workspace that receives SigninLogs (${WORKSPACE_URN.toLowerCase()})`,
      ),
    ]);
  });

  it("rejects a tripwire reading a workspace of the same name in another resource group", async () => {
    const namesake = ids.workspace("rg-attacker", "law-entra-baseline-prod");
    expect(await run(withRule("update", (r) => (r.scopes = [namesake])))).toEqual([
      notTripwire(
        `it reads ${namesake.toLowerCase()}, not the workspace that receives SigninLogs (${WORKSPACE_URN.toLowerCase()})`,
      ),
    ]);
  });

  it.each(["update", "preview"] as Mode[])(
    "rejects a tripwire reading a second workspace whose resource name differs from the logs' only in case (%s)",
    async (mode) => {
      const s = stack(mode, (x) => {
        const twin = resource(providerTypes.workspace, "MONITORING-workspace", {
          workspaceName: "law-empty",
          resourceGroupName: "rg-entra-baseline-prod",
          retentionInDays: 180,
        });
        x.push(twin);
        const rule = byName(x, RULE);
        (rule.inputs as Rule).scopes = [
          mode === "update" ? ids.workspace("rg-entra-baseline-prod", "law-empty") : unknownStringValue,
        ];
        rule.propertyDependencies.scopes = [twin.urn];
      });
      const out = await run(s);
      expect(out).toHaveLength(1);
      expect(out[0]).toContain(
        `it reads ${urnOf(providerTypes.workspace, "MONITORING-workspace")}#2, not the workspace that receives SigninLogs`,
      );
    },
  );
});
