/**
 * sentinel-tripwire: with monitoring.sentinel.enabled each tripwire also runs as a Sentinel analytics rule that
 * matches the log-alert tripwire (src/model/sentinel.ts, allow-list): the canonical query for exactly the emergency
 * accounts, enabled, High, unsuppressed, creating incidents, NRT or every 5 minutes over the tripwire's window, in the
 * workspace that receives the sign-ins. With Sentinel off it requires nothing but still judges a declared one.
 */
import { describe, expect, it } from "vitest";
import { canonicalTripwireQuery, SENTINEL_ALERT_RULE_IDS } from "@entra-baseline/model";
import { sentinelTripwire } from "../../../policies/rules/sentinelTripwire";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { byName, ids, type Mode } from "../../support/world/stack";

const enabled = (extra: Record<string, unknown> = {}) =>
  ruleOnWorld(sentinelTripwire, (raw) => (raw.monitoring.sentinel = { enabled: true, ...extra }));
const nrt = enabled();
const scheduled = enabled({ nearRealTime: false });
const off = ruleOnWorld(sentinelTripwire);

const RULE = "monitoring-sentinel-breakglass-sign-in-tripwire";
const NON_INTERACTIVE = "monitoring-sentinel-breakglass-non-interactive-sign-in-tripwire";
const ID = SENTINEL_ALERT_RULE_IDS.breakglassSignIn;
const UPNS = ["breakglass-01@contoso.onmicrosoft.com", "breakglass-02@contoso.onmicrosoft.com"];
const ACCOUNTS = UPNS.map((upn, i) => ({ upn, objectId: [ids.user("breakglass-01"), ids.user("breakglass-02")][i]! }));
const mismatch = (gaps: string, id = ID, table = "SigninLogs") =>
  `Sentinel analytics rule ${id} does not match the log-alert tripwire for ${table}: ${gaps}.`;

type Rule = Record<string, any>;
const change = (world: typeof nrt, mode: Mode, edit: (r: Rule, s: PlannedResource[]) => void) =>
  world.run(world.stack(mode, (s) => edit(byName(s, RULE).inputs as Rule, s)));

describe("sentinel-tripwire", () => {
  it("is required only with Sentinel enabled", () => {
    expect(nrt.packConfig.required).toBe(true);
    expect(off.packConfig.required).toBe(false);
  });

  it.each(["update", "preview"] as Mode[])("passes the NRT and the scheduled Sentinel tripwires (%s)", async (mode) => {
    expect(await nrt.run(nrt.stack(mode))).toEqual([]);
    expect(await scheduled.run(scheduled.stack(mode))).toEqual([]);
  });

  it("passes a stack without Sentinel when Sentinel is off", async () => {
    expect(await off.run(off.stack("update"))).toEqual([]);
  });

  it("rejects a stack without the Sentinel tripwires when Sentinel is enabled", async () => {
    const s = nrt.stack("update", (x) =>
      x.splice(0, x.length, ...x.filter((r) => !r.name.startsWith("monitoring-sentinel-"))),
    );
    expect(await nrt.run(s)).toEqual([
      "Sentinel is enabled (monitoring.sentinel.enabled) but no Sentinel analytics rule is the tripwire for SigninLogs: declare the model's rule for it.",
      "Sentinel is enabled (monitoring.sentinel.enabled) but no Sentinel analytics rule is the tripwire for AADNonInteractiveUserSignInLogs: declare the model's rule for it.",
    ]);
  });

  const cases: [string, (r: Rule) => void, string][] = [
    ["a disabled rule", (r) => (r.enabled = false), "it is not enabled (enabled false)"],
    ["a lowered severity", (r) => (r.severity = "Medium"), 'its severity is "Medium", not High'],
    [
      "suppression",
      (r) => (r.suppressionEnabled = true),
      "its suppression is true: a suppressed rule stops after the first alert, so a later sign-in raises nothing",
    ],
    [
      "no incident",
      (r) => (r.incidentConfiguration = { createIncident: false }),
      "it creates no incident (createIncident false): Sentinel tells people through incidents",
    ],
  ];
  it.each(cases)("rejects %s", async (_, edit, gaps) => {
    expect(await change(nrt, "update", edit)).toEqual([mismatch(gaps)]);
  });

  it("rejects a query that misses an account, and the other table's query", async () => {
    const gap = `its query is not the log-alert tripwire's for SigninLogs and exactly the emergency accounts ${UPNS.join(", ")} (src/model/kql/breakglassSignIn.ts)`;
    expect(
      await change(nrt, "update", (r) => (r.query = canonicalTripwireQuery("SigninLogs", ACCOUNTS.slice(0, 1)))),
    ).toEqual([mismatch(gap)]);
    expect(
      await change(
        nrt,
        "update",
        (r) => (r.query = canonicalTripwireQuery("AADNonInteractiveUserSignInLogs", ACCOUNTS)),
      ),
    ).toEqual([mismatch(gap)]);
  });

  it("accepts the canonical query up to account order, case and comments", async () => {
    const reordered = canonicalTripwireQuery(
      "SigninLogs",
      [...ACCOUNTS].reverse().map((a) => ({ upn: a.upn.toUpperCase(), objectId: a.objectId })),
    );
    expect(await change(nrt, "update", (r) => (r.query = `// SOC copy\n${reordered}`))).toEqual([]);
  });

  it("rejects, at preview, a query that came from another principal too", async () => {
    const out = await change(nrt, "preview", (_r, s) => {
      const rule = byName(s, RULE);
      rule.propertyDependencies.query = [...rule.propertyDependencies.query!, byName(s, "breakglass-group").urn];
    });
    expect(out).toEqual([mismatch("its query is unknown and not built from the emergency accounts alone")]);
  });

  it("rejects an NRT rule in a workspace that does not receive the sign-ins", async () => {
    const other = ids.workspace("rg-other", "law-other");
    const out = await change(nrt, "update", (r, s) => {
      r.workspaceId = other;
      byName(s, RULE).propertyDependencies.workspaceId = [];
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(`it runs in ${other.toLowerCase()}, not the workspace that receives SigninLogs`);
  });

  it("rejects a scheduled rule that runs too rarely, looks back too little, or needs more than one row", async () => {
    const out = await change(scheduled, "update", (r) => {
      r.queryFrequency = "PT1H";
      r.queryPeriod = "PT5M";
      r.triggerThreshold = 2;
    });
    expect(out).toEqual([
      mismatch(
        [
          'it runs every "PT1H"; a scheduled tripwire runs every 5 minutes (or is a near-real-time rule)',
          'it looks back "PT5M"; it must look back 15 minutes to 14 days so that late sign-in records are still caught',
          "it alerts when the result count is GreaterThan 2; it must alert on the first row (GreaterThan 0)",
        ].join("; "),
      ),
    ]);
  });

  it("judges a declared Sentinel tripwire even with Sentinel off: it must not look like a detector that cannot fire", async () => {
    const s = nrt.stack("update", (x) => ((byName(x, NON_INTERACTIVE).inputs as Rule).enabled = false));
    const out = await off.run(s);
    expect(out).toEqual([
      mismatch(
        "it is not enabled (enabled false)",
        SENTINEL_ALERT_RULE_IDS.breakglassNonInteractiveSignIn,
        "AADNonInteractiveUserSignInLogs",
      ),
    ]);
  });
});
