/**
 * checks/eligibility.ts: each managed role's eligible principals are the stack's (none missing, none unknown to it),
 * no Tier-0 role has eligibilities the stack does not manage, no emergency account or the exclusion group is eligible
 * for anything (directly or through a group), and Global Administrator has 2–8 holders counted through every path.
 */
import { describe, expect, it } from "vitest";
import {
  APPLICATION_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
} from "@entra-baseline/model";
import {
  assignmentInstance,
  eligibilityInstance,
  guid,
  testConfig,
  user,
  type TenantData,
} from "../../../support/fakes/tenant";
import { validConfig } from "../../../support/stack";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const BG1 = guid(1, "b0000000");
const BG2 = guid(2, "b0000000");
const EXCLUSION_GROUP = guid(1, "9b000000");
const NESTOR = guid(5, "ad000000");

function addGroup(t: TenantData, id: string, displayName: string, members: string[]): void {
  t.groups.push({
    "@odata.type": "#microsoft.graph.group",
    id,
    displayName,
    isAssignableToRole: true,
    securityEnabled: true,
    members,
    owners: [],
  });
}

describe.concurrent("Global Administrator count (AUD-GA-COUNT)", () => {
  it("reports a count above limits.globalAdmins.max, counting group members, and the group's undeclared eligibility", async () => {
    const holders = guid(2, "9b000000");
    const audit = await auditOf(config, (t) => {
      const extra = Array.from({ length: 6 }, (_, i) => user(guid(200 + i, "cc000000"), `extra${i}@contoso.com`));
      t.users.push(...extra);
      addGroup(
        t,
        holders,
        "GA holders",
        extra.map((u) => String(u.id)),
      );
      t.eligibilityInstances.push(eligibilityInstance(70, GLOBAL_ADMINISTRATOR, holders));
    });
    // 2 breakglass + 3 eligible admins + 6 group members = 11 > 8
    expect(findingsOf(audit, "AUD-GA-COUNT")).toEqual([
      expect.objectContaining({ actual: "11 holders", controls: expect.arrayContaining(["MS.AAD.7.1"]) }),
    ]);
    expect(findingsOf(audit, "AUD-ELIGIBLE-UNMANAGED").map((f) => f.object)).toEqual([
      `group GA holders (${holders}) → Global Administrator`,
    ]);
  });

  it("reports a count below the minimum and every configured admin who is no longer eligible", async () => {
    const audit = await auditOf(config, (t) => {
      t.eligibilityInstances = [];
      t.assignmentInstances = t.assignmentInstances.slice(0, 1);
    });
    expect(findingsOf(audit, "AUD-GA-COUNT")[0]!.actual).toBe("1 holders");
    expect(findingsOf(audit, "AUD-ELIGIBLE-MISSING").map((f) => f.object)).toEqual(
      config.pim.eligibleAdmins.map((a) => `user ${a} → Global Administrator`),
    );
  });

  it("counts an active holder once, whether eligible, activated or both", async () => {
    const audit = await auditOf(config, (t) =>
      t.assignmentInstances.push(
        assignmentInstance(71, GLOBAL_ADMINISTRATOR, NESTOR, {
          assignmentType: "Activated",
          startDateTime: "2099-01-01T00:00:00Z",
          endDateTime: "2099-01-01T01:00:00Z",
        }),
      ),
    );
    expect(described(audit)).toEqual([]);
  });
});

describe.concurrent("eligibilities of managed roles (AUD-ELIGIBLE-UNMANAGED, AUD-ELIGIBLE-MISSING)", () => {
  // Privileged Role Administrator made just-in-time too, for Nestor only.
  const withPra = validConfig((raw) => {
    raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }];
  });

  it("judges every managed role, not only Global Administrator", async () => {
    const intruder = guid(72, "ad100000");
    const audit = await auditOf(withPra, (t) => {
      t.users.push(user(intruder, "intruder@contoso.com"));
      t.eligibilityInstances = t.eligibilityInstances.filter(
        (e) => !(e.roleDefinitionId === PRIVILEGED_ROLE_ADMINISTRATOR && e.principalId === NESTOR),
      );
      t.eligibilityInstances.push(eligibilityInstance(72, PRIVILEGED_ROLE_ADMINISTRATOR, intruder));
    });
    expect(findingsOf(audit, "AUD-ELIGIBLE-MISSING").map((f) => [f.object, f.expected, f.actual])).toEqual([
      [
        "user nestor.wilke@contoso.com → Privileged Role Administrator",
        "eligible for Privileged Role Administrator (pim.roles[0])",
        "not eligible",
      ],
    ]);
    expect(findingsOf(audit, "AUD-ELIGIBLE-UNMANAGED").map((f) => f.object)).toEqual([
      `user intruder@contoso.com (${intruder}) → Privileged Role Administrator`,
    ]);
  });

  it("reports an eligibility for a Tier-0 role the stack does not manage (PIM's defaults govern its activation)", async () => {
    const audit = await auditOf(config, (t) =>
      t.eligibilityInstances.push(eligibilityInstance(73, SECURITY_ADMINISTRATOR, NESTOR)),
    );
    const [f, ...rest] = findingsOf(audit, "AUD-ELIGIBLE-UNMANAGED");
    expect(rest).toEqual([]);
    expect(f!.object).toBe(`user nestor.wilke@contoso.com (${NESTOR}) → Security Administrator`);
    expect(f!.actual).toContain("the stack does not manage Security Administrator");
  });

  it("reports a configured admin who does not exist, and a configured eligible group that is not eligible", async () => {
    const group = guid(9, "9d000000");
    const cfg = validConfig((raw) => {
      raw.pim.eligibleAdmins = [...raw.pim.eligibleAdmins, "ghost@contoso.com"];
      raw.pim.eligibleGroups = [group];
    });
    const audit = await auditOf(cfg, (t) => {
      const ghost = t.users.find((u) => u.userPrincipalName === "ghost@contoso.com")!.id;
      t.users = t.users.filter((u) => u.id !== ghost);
      t.eligibilityInstances = t.eligibilityInstances.filter((e) => e.principalId !== group && e.principalId !== ghost);
    });
    expect(findingsOf(audit, "AUD-ELIGIBLE-MISSING").map((f) => [f.object, f.actual])).toEqual([
      [`group ${group} → Global Administrator`, "not eligible"],
      ["user ghost@contoso.com → Global Administrator", "no such user in the tenant"],
    ]);
  });
});

describe.concurrent("breakglass eligibility (AUD-BREAKGLASS-ELIGIBLE)", () => {
  it("reports an emergency account eligible for Global Administrator", async () => {
    const audit = await auditOf(config, (t) =>
      t.eligibilityInstances.push(eligibilityInstance(80, GLOBAL_ADMINISTRATOR, BG2)),
    );
    const found = findingsOf(audit, "AUD-BREAKGLASS-ELIGIBLE");
    expect(found.map((f) => [f.object, f.actual])).toEqual([
      ["breakglass account breakglass-02@contoso.onmicrosoft.com", "eligible for Global Administrator"],
    ]);
  });

  it("reports an emergency account eligible for GA through a group it is in", async () => {
    const sneaky = guid(1, "9c000000");
    const audit = await auditOf(config, (t) => {
      addGroup(t, sneaky, "PIM GA candidates", [BG1]);
      t.eligibilityInstances.push(eligibilityInstance(90, GLOBAL_ADMINISTRATOR, sneaky));
    });
    const found = findingsOf(audit, "AUD-BREAKGLASS-ELIGIBLE");
    expect(found).toHaveLength(1);
    expect(found[0]!.object).toContain("breakglass-01@contoso.onmicrosoft.com");
    expect(found[0]!.actual).toBe(`eligible for Global Administrator through group "PIM GA candidates" (${sneaky})`);
  });

  it("reports an emergency account eligible for any role, not only GA", async () => {
    const audit = await auditOf(config, (t) =>
      t.eligibilityInstances.push(eligibilityInstance(81, APPLICATION_ADMINISTRATOR, BG1)),
    );
    expect(findingsOf(audit, "AUD-BREAKGLASS-ELIGIBLE").map((f) => f.actual)).toEqual([
      "eligible for Application Administrator",
    ]);
  });

  it("reports the exclusion group made eligible: its members, exempt from every CA policy, could activate", async () => {
    const audit = await auditOf(config, (t) =>
      t.eligibilityInstances.push(eligibilityInstance(82, GLOBAL_ADMINISTRATOR, EXCLUSION_GROUP)),
    );
    const found = findingsOf(audit, "AUD-BREAKGLASS-ELIGIBLE");
    expect(found.map((f) => f.object)).toContain(`exclusion group ${EXCLUSION_GROUP}`);
    expect(found.find((f) => f.object.startsWith("exclusion group"))!.actual).toContain("could activate it");
  });
});
