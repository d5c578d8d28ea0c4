/**
 * checks/exclusionGroup.ts: the groups named breakglass.groupName, their transitive members and their owners, judged
 * by `exclusionGroupProblems` — exactly one role-assignable security group, members exactly the emergency accounts,
 * owners exactly the declared ones (guarantee 4).
 */
import { describe, expect, it } from "vitest";
import { guid, testConfig, user, type TenantData } from "../../../support/fakes/tenant";
import { validConfig } from "../../../support/stack";
import { auditOf, described, findingsOf } from "../../../support/audit/harness";

const config = testConfig();
const BG1 = guid(1, "b0000000");
const BG2 = guid(2, "b0000000");
const GROUP = guid(1, "9b000000");
const MALLORY = guid(66, "e7000000");

const mallory = (t: TenantData) => t.users.push(user(MALLORY, "mallory@contoso.com"));
const notExact = (audit: Awaited<ReturnType<typeof auditOf>>) =>
  findingsOf(audit, "AUD-EXCLUSION-GROUP-NOT-EXACT").map((f) => f.actual);

describe.concurrent("the exclusion group", () => {
  it("reports a group that is not role-assignable, and a missing one (renamed)", async () => {
    const notAssignable = await auditOf(config, (t) => void (t.groups[0]!.isAssignableToRole = false));
    expect(findingsOf(notAssignable, "AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE")).toHaveLength(1);
    const renamed = await auditOf(config, (t) => void (t.groups[0]!.displayName = "Renamed"));
    expect(findingsOf(renamed, "AUD-BREAKGLASS-GROUP-MISSING")).toEqual([
      expect.objectContaining({ severity: "critical", object: `group "${config.breakglass.groupName}"` }),
    ]);
  });

  it("reports someone else in the group: they would be exempt from every CA policy (critical)", async () => {
    const audit = await auditOf(config, (t) => {
      mallory(t);
      t.groups[0]!.members.push(MALLORY);
    });
    const found = findingsOf(audit, "AUD-EXCLUSION-GROUP-NOT-EXACT");
    expect(found.map((f) => [f.severity, f.object])).toEqual([
      ["critical", `exclusion group "${config.breakglass.groupName}" (${GROUP})`],
    ]);
    expect(found[0]!.actual).toContain(
      `also contains ${MALLORY}, who would be exempt from every Conditional Access policy`,
    );
  });

  it("reports a nested group and its members (members are read transitively)", async () => {
    const nested = guid(5, "9c000000");
    const audit = await auditOf(config, (t) => {
      mallory(t);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: nested,
        displayName: "helpdesk",
        isAssignableToRole: false,
        securityEnabled: true,
        members: [MALLORY],
        owners: [],
      });
      t.groups[0]!.members.push(nested);
    });
    expect(notExact(audit)).toEqual([
      expect.stringMatching(new RegExp(`also contains (${nested}, ${MALLORY}|${MALLORY}, ${nested})`)),
    ]);
  });

  it("reports an extra owner (an owner can add anyone), and a missing declared owner", async () => {
    const extraOwner = await auditOf(config, (t) => {
      mallory(t);
      t.groups[0]!.owners!.push(MALLORY);
    });
    expect(notExact(extraOwner)).toEqual([expect.stringContaining(`is also owned by ${MALLORY}`)]);
    const missingOwner = await auditOf(config, (t) => void (t.groups[0]!.owners = [BG1]));
    expect(notExact(missingOwner)).toEqual([
      expect.stringContaining("is not owned by breakglass-02@contoso.onmicrosoft.com (the declared owners)"),
    ]);
  });

  it("holds the owners to breakglass.groupOwners when declared", async () => {
    const owner = guid(7, "0e000000");
    const declared = validConfig((raw) => (raw.breakglass.groupOwners = [owner]));
    expect(described(await auditOf(declared))).toEqual([]);
    const audit = await auditOf(declared, (t) => void (t.groups[0]!.owners = [BG1, BG2]));
    expect(notExact(audit)).toEqual([
      expect.stringContaining(`is also owned by ${BG1}, ${BG2}`),
      expect.stringContaining(`is not owned by ${owner}`),
    ]);
  });

  it("reports an account missing from the group, and a second group of the same name", async () => {
    const missing = await auditOf(config, (t) => void (t.groups[0]!.members = [BG1]));
    expect(findingsOf(missing, "AUD-BREAKGLASS-GROUP-MEMBERSHIP").map((f) => f.actual)).toEqual([
      expect.stringContaining("does not contain emergency account breakglass-02@contoso.onmicrosoft.com"),
    ]);
    const namesake = guid(3, "9c000000");
    const twice = await auditOf(config, (t) => {
      t.groups.push({ ...structuredClone(t.groups[0]!), id: namesake });
    });
    expect(notExact(twice)).toEqual([
      expect.stringContaining(`2 groups are named "${config.breakglass.groupName}" (${GROUP}, ${namesake})`),
    ]);
  });

  it("reports a group that is not a security group", async () => {
    const audit = await auditOf(config, (t) => void (t.groups[0]!.securityEnabled = false));
    expect(notExact(audit)).toEqual([expect.stringContaining("is not a security group")]);
  });
});
