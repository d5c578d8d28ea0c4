/**
 * Attempts to hide drift from the audit, one per test: a healthy fake tenant with one crafted change, and the
 * finding that must (still) come out. Some held before (kept as regression tests), some were holes (noted).
 */
import { describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import {
  assignmentInstance,
  caPolicy,
  eligibilityInstance,
  guid,
  healthyTenant,
  testConfig,
} from "../../support/fakes/tenant";
import { auditFake, useFakeTenant } from "../../support/audit/harness";

const config = testConfig();
const tenant = useFakeTenant(() => healthyTenant(config));
const bg = () => tenant().data.users.slice(0, 2);
const groupId = () => String(tenant().data.groups[0]!.id);
const find = (result: Awaited<ReturnType<typeof auditFake>>, id: string) => result.findings.filter((f) => f.id === id);

function addGroup(n: number, displayName: string, members: string[], isAssignableToRole = true): string {
  const id = guid(n, "9c000000");
  tenant().data.groups.push({
    "@odata.type": "#microsoft.graph.group",
    id,
    displayName,
    isAssignableToRole,
    securityEnabled: true,
    members,
  });
  tenant().reindex();
  return id;
}

describe("audit red team", () => {
  it("hole: a breakglass account eligible for GA through a group it is in is reported", async () => {
    const sneaky = addGroup(1, "PIM GA candidates", [String(bg()[0]!.id)]);
    tenant().data.eligibilityInstances.push(eligibilityInstance(90, GLOBAL_ADMINISTRATOR, sneaky));
    const found = find(await auditFake(tenant(), config), "AUD-BREAKGLASS-ELIGIBLE");
    expect(found).toHaveLength(1);
    expect(found[0]!.object).toContain(String(bg()[0]!.userPrincipalName));
    expect(found[0]!.actual).toBe(`eligible for Global Administrator through group "PIM GA candidates" (${sneaky})`);
  });

  it("held: permanent GA held by a role-assignable group is reported on the group, even when breakglass accounts are its members", async () => {
    const holder = addGroup(2, "Tier-0 ops", [String(bg()[0]!.id), String(tenant().data.users[2]!.id)]);
    tenant().data.assignmentInstances.push(assignmentInstance(91, GLOBAL_ADMINISTRATOR, holder));
    const found = find(await auditFake(tenant(), config), "AUD-PERMANENT-TIER0");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "critical" });
    expect(found[0]!.object).toContain(holder);
  });

  it("held: a CA policy excluding a different group with the breakglass group's display name is reported", async () => {
    const namesake = addGroup(3, config.breakglass.groupName, []);
    tenant().data.caPolicies.push(caPolicy(30, [namesake], { state: "disabled" }));
    const found = find(await auditFake(tenant(), config), "AUD-CA-NO-BREAKGLASS-EXCLUSION");
    expect(found.map((f) => f.object)).toEqual([expect.stringContaining("CA policy 30")]);
    expect(found[0]!.actual).toContain(String(bg()[0]!.userPrincipalName));
  });

  it("held: a disabled CA policy that includes the breakglass group is reported as targeting it", async () => {
    tenant().data.caPolicies.push(
      caPolicy(31, [groupId()], { state: "disabled", users: { includeUsers: [], includeGroups: [groupId()] } }),
    );
    const found = find(await auditFake(tenant(), config), "AUD-CA-TARGETS-BREAKGLASS");
    expect(found.map((f) => f.object)).toEqual([expect.stringContaining("CA policy 31")]);
  });

  it("held: a breakglass account with onPremisesSyncEnabled true (no immutable id) is reported", async () => {
    Object.assign(bg()[1]!, { onPremisesSyncEnabled: true });
    expect(find(await auditFake(tenant(), config), "AUD-BREAKGLASS-SYNCED").map((f) => f.object)).toEqual([
      expect.stringContaining("breakglass-02"),
    ]);
  });

  it("hole: a tripwire scoped to another workspace is reported as critical", async () => {
    const rule = tenant().data.scheduledQueryRules[0] as { name: string; properties: Record<string, unknown> };
    const elsewhere = `/subscriptions/${guid(7, "77777777")}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/law-elsewhere`;
    rule.properties.scopes = [elsewhere];
    const found = find(await auditFake(tenant(), config), "AUD-TRIPWIRE-WEAK");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "critical", actual: `scopes: ${elsewhere}` });
    expect(found[0]!.object).toContain(rule.name);
  });

  it("hole: a tripwire that names the accounts but cannot fire (negated filter, threshold, muted) is reported", async () => {
    const rule = tenant().data.scheduledQueryRules[0] as { properties: Record<string, any> };
    const c = rule.properties.criteria.allOf[0];
    c.query = String(c.query).replace(/ in~ /g, " !in~ ");
    c.threshold = 50;
    rule.properties.muteActionsDuration = "PT6H";
    const weak = find(await auditFake(tenant(), config), "AUD-TRIPWIRE-WEAK").map((f) => f.actual);
    expect(weak.some((w) => w.includes("uses an operator other than in~"))).toBe(true);
    expect(weak.some((w) => w.includes("fires when the count is GreaterThan 50"))).toBe(true);
    expect(weak.some((w) => w.includes("mutes its actions for PT6H"))).toBe(true);
    expect(find(await auditFake(tenant(), config), "AUD-TRIPWIRE-COVERAGE").length).toBeGreaterThan(0);
  });
});
