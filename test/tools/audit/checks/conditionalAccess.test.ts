/**
 * checks/conditionalAccess.ts: every Conditional Access policy of the tenant, in any state and whoever made it, read
 * into the model's facts (`caPolicyFromGraph`) and judged by `breakglassExclusion` against the accounts as they
 * really are — each with the groups it is transitively in — and the exclusion group only where it holds them all.
 */
import { describe, expect, it } from "vitest";
import { caPolicy, guid, testConfig, type Json, type TenantData } from "../../../support/fakes/tenant";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const BG1 = guid(1, "b0000000");
const BG2 = guid(2, "b0000000");
const GROUP = guid(1, "9b000000");
const BG1_UPN = "breakglass-01@contoso.onmicrosoft.com";
const BG2_UPN = "breakglass-02@contoso.onmicrosoft.com";

function addGroup(t: TenantData, id: string, displayName: string, members: string[]): void {
  t.groups.push({
    "@odata.type": "#microsoft.graph.group",
    id,
    displayName,
    isAssignableToRole: true,
    securityEnabled: true,
    members,
    owners: [BG1, BG2],
  });
}

const policyNumber = (object: string) => object.match(/CA policy \d+/)![0];

describe.concurrent("breakglass exclusion (AUD-CA-NO-BREAKGLASS-EXCLUSION)", () => {
  it("reports every policy, in any state, that excludes neither the accounts nor a group they are in", async () => {
    const audit = await auditOf(config, (t) =>
      t.caPolicies.push(
        caPolicy(10, []),
        caPolicy(11, [], { state: "disabled" }),
        caPolicy(12, [], { users: { excludeUsers: [BG1] } }),
        caPolicy(13, [], { users: { excludeUsers: [BG1, BG2] } }),
      ),
    );
    const found = findingsOf(audit, "AUD-CA-NO-BREAKGLASS-EXCLUSION");
    expect(found.map((f) => [policyNumber(f.object), f.severity])).toEqual([
      ["CA policy 10", "critical"],
      ["CA policy 12", "critical"],
      ["CA policy 11", "high"],
    ]);
    expect(found.find((f) => f.object.includes("CA policy 12"))!.actual).toBe(`does not exclude ${BG2_UPN}`);
    expect(found[0]!.controls).toContain("MT.1005");
  });

  it("does not accept the group exclusion when an account is no longer a member", async () => {
    const audit = await auditOf(config, (t) => void (t.groups[0]!.members = [BG1]));
    // All four: the three baseline policies and the one on the activation authentication context.
    const found = findingsOf(audit, "AUD-CA-NO-BREAKGLASS-EXCLUSION");
    expect(found).toHaveLength(4);
    for (const f of found) expect(f.actual).toBe(`does not exclude ${BG2_UPN}`);
    expect(findingsOf(audit, "AUD-BREAKGLASS-GROUP-MEMBERSHIP")[0]!.actual).toContain(BG2_UPN);
  });

  it("reports a policy excluding a different group with the exclusion group's display name", async () => {
    const namesake = guid(3, "9c000000");
    const audit = await auditOf(config, (t) => {
      addGroup(t, namesake, config.breakglass.groupName, []);
      t.caPolicies.push(caPolicy(30, [namesake], { state: "disabled" }));
    });
    const found = findingsOf(audit, "AUD-CA-NO-BREAKGLASS-EXCLUSION");
    expect(found.map((f) => f.object)).toEqual([expect.stringContaining("CA policy 30")]);
    expect(found[0]!.actual).toBe(`does not exclude ${BG1_UPN}, ${BG2_UPN}`);
    // The namesake itself is the exclusion group check's finding.
    expect(findingsOf(audit, "AUD-EXCLUSION-GROUP-NOT-EXACT").map((f) => f.actual)).toContainEqual(
      expect.stringContaining(`2 groups are named "${config.breakglass.groupName}"`),
    );
  });

  it("accepts the exclusion of a group every account is transitively in (nested in another group)", async () => {
    const outer = guid(4, "9c000000");
    const audit = await auditOf(config, (t) => {
      addGroup(t, outer, "All emergency access", [GROUP]);
      t.caPolicies.push(caPolicy(31, [outer]));
    });
    expect(findingsOf(audit, "AUD-CA-NO-BREAKGLASS-EXCLUSION")).toEqual([]);
  });

  it("accepts a policy that can apply to no user (a workload-identity policy), whatever it excludes", async () => {
    const audit = await auditOf(config, (t) => {
      const p = caPolicy(32, []);
      (p.conditions as Json).users = { includeUsers: ["None"], excludeUsers: [], includeGroups: [], excludeGroups: [] };
      (p.conditions as Json).clientApplications = { includeServicePrincipals: ["ServicePrincipalsInMyTenant"] };
      t.caPolicies.push(p);
    });
    expect(described(audit)).toEqual([]);
  });

  it("reports a policy scoped to a directory role that does not exclude the accounts (GA holders include them)", async () => {
    const audit = await auditOf(config, (t) =>
      t.caPolicies.push(
        caPolicy(33, [], { users: { includeUsers: [], includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] } }),
      ),
    );
    expect(findingsOf(audit, "AUD-CA-NO-BREAKGLASS-EXCLUSION").map((f) => policyNumber(f.object))).toEqual([
      "CA policy 33",
    ]);
  });

  it("with no account left to test, still requires the exclusion of the group", async () => {
    const audit = await auditOf(config, (t) => {
      t.users = t.users.slice(2);
      t.groups[0]!.members = [];
      t.caPolicies.push(caPolicy(34, []));
    });
    const found = findingsOf(audit, "AUD-CA-NO-BREAKGLASS-EXCLUSION");
    expect(found.map((f) => [policyNumber(f.object), f.actual])).toEqual([["CA policy 34", "does not exclude it"]]);
    expect(findingsOf(audit, "AUD-BREAKGLASS-MISSING")).toHaveLength(2);
  });
});

describe.concurrent("policies targeting the emergency accounts (AUD-CA-TARGETS-BREAKGLASS)", () => {
  it("reports policies that include the breakglass group or an account", async () => {
    const audit = await auditOf(config, (t) =>
      t.caPolicies.push(
        caPolicy(20, [GROUP], { users: { includeUsers: [], includeGroups: [GROUP] } }),
        caPolicy(21, [GROUP], { users: { includeUsers: [BG2] } }),
      ),
    );
    expect(findingsOf(audit, "AUD-CA-TARGETS-BREAKGLASS").map((f) => f.actual)).toEqual([
      `includes group "${config.breakglass.groupName}"`,
      `includes user ${BG2_UPN}`,
    ]);
  });

  it("reports a disabled policy that includes the breakglass group (any state counts)", async () => {
    const audit = await auditOf(config, (t) =>
      t.caPolicies.push(
        caPolicy(31, [GROUP], { state: "disabled", users: { includeUsers: [], includeGroups: [GROUP] } }),
      ),
    );
    expect(findingsOf(audit, "AUD-CA-TARGETS-BREAKGLASS").map((f) => f.object)).toEqual([
      expect.stringContaining("CA policy 31"),
    ]);
  });
});
