/** eligible-assignment-principals, global-admin-count, entra-diagnostic-setting and breakglass-tripwire. */
import { describe, expect, it } from "vitest";
import { breakglassTripwire } from "../../policies/rules/breakglassTripwire";
import { eligibleAssignmentPrincipals } from "../../policies/rules/eligibleAssignmentPrincipals";
import { entraDiagnosticSetting } from "../../policies/rules/entraDiagnosticSetting";
import { globalAdminCount } from "../../policies/rules/globalAdminCount";
import { GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { PACK_CONFIG, byName, compliantStack, resource, type Mode } from "../support/pack/stackFixture";
import { messages, mutate, runStackPolicy } from "../support/pack/harness";
import { unknownStringValue } from "../support/pack/unknowns";

type Stack = ReturnType<typeof compliantStack>;

describe("eligible-assignment-principals", () => {
  const run = (s: Stack) =>
    runStackPolicy(eligibleAssignmentPrincipals, s, PACK_CONFIG["eligible-assignment-principals"]).then(messages);
  const eligibleFrom = (s: Stack, source: string) =>
    s.push({
      ...resource(providerTypes.directoryRoleEligibilityScheduleRequest, "eligible-x", {
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
        principalId: unknownStringValue,
        directoryScopeId: "/",
      }),
      propertyDependencies: { principalId: [byName(s, source).urn] },
    });

  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes user eligibility (${mode})`, async () => expect(await run(compliantStack({ mode }))).toEqual([]));
  }
  it("rejects a breakglass account made eligible, at preview by provenance", async () => {
    expect(await run(mutate(compliantStack({ mode: "preview" }), (s) => eligibleFrom(s, "breakglass-02")))).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "eligible-x" makes a breakglass account eligible for Global Administrator; emergency accounts hold permanent Global Administrator and stay out of PIM.',
    ]);
  });
  it("rejects a breakglass account made eligible by object id", async () => {
    const stack = mutate(
      compliantStack({ mode: "update" }),
      (s) => (byName(s, "eligible-1").inputs.principalId = "cccccccc-0000-4000-8000-000000000001"),
    );
    expect((await run(stack))[0]).toContain('"eligible-1" makes a breakglass account eligible');
  });
  it("rejects the exclusion group made eligible", async () => {
    expect(await run(mutate(compliantStack({ mode: "preview" }), (s) => eligibleFrom(s, "breakglass-group")))).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "eligible-x" makes the breakglass exclusion group eligible for Global Administrator; it must hold no role through PIM.',
    ]);
  });
  it("rejects a service principal made eligible", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      s.push(resource("azuread:index/servicePrincipal:ServicePrincipal", "automation", { clientId: "x" }));
      eligibleFrom(s, "automation");
    });
    expect(await run(stack)).toEqual([
      'DirectoryRoleEligibilityScheduleRequest "eligible-x" makes ServicePrincipal "automation" eligible for Global Administrator; only users and groups can be eligible (service principals take no PIM eligibility).',
    ]);
  });
});

describe("global-admin-count", () => {
  const run = (s: Stack, cfg: Record<string, unknown> = PACK_CONFIG["global-admin-count"]) =>
    runStackPolicy(globalAdminCount, s, cfg).then(messages);
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes 3 eligible + 2 breakglass (${mode})`, async () =>
      expect(await run(compliantStack({ mode }))).toEqual([]));
  }
  it("rejects more than 8", async () => {
    expect(await run(compliantStack({ mode: "preview", eligibilityRequests: 7 }))).toEqual([
      "9 Global Administrators (7 eligible + 2 permanent); CISA MS.AAD.7.1 and this stack allow 2–8.",
    ]);
  });
  it("counts a principal that is both eligible and permanent once, and follows its config", async () => {
    const stack = mutate(
      compliantStack({ mode: "update" }),
      (s) => (byName(s, "eligible-0").inputs.principalId = "cccccccc-0000-4000-8000-000000000001"),
    );
    expect(await run(stack, { min: 5, max: 8 })).toEqual([
      "4 Global Administrators (2 eligible + 2 permanent); CISA MS.AAD.7.1 and this stack allow 5–8.",
    ]);
  });
});

describe("entra-diagnostic-setting", () => {
  const run = (s: Stack, cfg: Record<string, unknown> = PACK_CONFIG["entra-diagnostic-setting"]) =>
    runStackPolicy(entraDiagnosticSetting, s, cfg).then(messages);
  const logsOf = (s: Stack) => (byName(s, "entra-logs").inputs as any).logs as { category: string; enabled: boolean }[];
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes (${mode})`, async () => expect(await run(compliantStack({ mode }))).toEqual([]));
  }
  it("rejects a missing or disabled required category", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      (byName(s, "entra-logs").inputs as any).logs = logsOf(s).filter(
        (l) => l.category !== "NonInteractiveUserSignInLogs",
      );
      logsOf(s).find((l) => l.category === "AuditLogs")!.enabled = false;
    });
    expect(await run(stack)).toEqual([
      'DiagnosticSetting "entra-logs": does not stream AuditLogs, NonInteractiveUserSignInLogs (enabled); the tripwire and the PIM review read them.',
    ]);
  });
  it("rejects short retention, at preview through the workspace it depends on", async () => {
    const stack = mutate(
      compliantStack({ mode: "preview" }),
      (s) => (byName(s, "workspace").inputs.retentionInDays = 30),
    );
    expect(await run(stack)).toEqual([
      'DiagnosticSetting "entra-logs": workspace Workspace "workspace" keeps logs 30 days; at least 90 are required.',
    ]);
  });
  it("rejects a stack without a diagnostic setting", async () => {
    const stack = compliantStack({ mode: "update" }).filter((r) => r.name !== "entra-logs");
    expect((await run(stack))[0]).toMatch(/^No Entra diagnostic setting/);
  });
});

describe("breakglass-tripwire", () => {
  const run = (s: Stack, cfg: Record<string, unknown> = PACK_CONFIG["breakglass-tripwire"]) =>
    runStackPolicy(breakglassTripwire, s, cfg).then(messages);
  const rule = (s: Stack) => byName(s, "monitoring-breakglass-sign-in-tripwire");
  const prefix = 'ScheduledQueryRule "monitoring-breakglass-sign-in-tripwire": ';
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes both tripwires (${mode})`, async () => expect(await run(compliantStack({ mode }))).toEqual([]));
  }
  const cases: [string, (r: Record<string, any>) => void, string][] = [
    ["a disabled tripwire", (r) => (r.enabled = false), "Breakglass sign-in (tripwire): the rule is not enabled."],
    [
      "a lowered severity",
      (r) => (r.severity = 2),
      "Breakglass sign-in (tripwire): severity is 2, must be 0 (critical).",
    ],
    [
      "a slow evaluation",
      (r) => (r.evaluationFrequency = "PT15M"),
      "Breakglass sign-in (tripwire): evaluationFrequency PT15M is slower than PT5M.",
    ],
    [
      "no action group",
      (r) => (r.actions = { actionGroups: [] }),
      "has no action group, so nobody is told when it fires.",
    ],
  ];
  it.each(cases)("rejects %s", async (_, change, message) => {
    expect(await run(mutate(compliantStack({ mode: "update" }), (s) => change(rule(s).inputs)))).toEqual([
      prefix + message,
    ]);
  });
  it("rejects a query that misses an account", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      const c = (rule(s).inputs as any).criteria.allOf[0];
      c.query = c.query.replace(/,\s*"breakglass-02@contoso\.onmicrosoft\.com"/i, "");
    });
    expect(await run(stack)).toEqual([
      prefix +
        "Breakglass sign-in (tripwire): the query does not name breakglass account breakglass-02@contoso.onmicrosoft.com by upn.",
    ]);
  });
  it("rejects at preview an unknown query that does not come from every breakglass user", async () => {
    const stack = mutate(
      compliantStack({ mode: "preview" }),
      (s) => (rule(s).propertyDependencies.criteria = [byName(s, "breakglass-01").urn]),
    );
    expect(await run(stack)).toEqual([
      prefix + 'its query is unknown at preview and does not come from breakglass User "breakglass-02".',
    ]);
  });
  it("rejects a missing tripwire", async () => {
    const stack = compliantStack({ mode: "update" }).filter(
      (r) => r.name !== "monitoring-breakglass-non-interactive-sign-in-tripwire",
    );
    expect(await run(stack)).toEqual([
      'The "Breakglass non-interactive sign-in (tripwire)" tripwire (scheduled query rule "breakglass-non-interactive-sign-in-tripwire") is not declared: a breakglass sign-in would go unnoticed.',
    ]);
  });
});
