/** The model's exclusion-group judgement: object ids compare case-insensitively, preview stand-ins exactly. */
import { describe, expect, it } from "vitest";
import { exclusionGroupProblems, type ExclusionGroupFacts } from "@entra-baseline/model";

const ACCOUNT_URN = "urn:pulumi:test::entra-baseline::azuread:index/user:User::breakglass-01";
const ACCOUNT_ID = "3e51fb47-f7df-52c0-94d6-6be4c366fee9";

function group(members: string[], owners: string[] = members): ExclusionGroupFacts {
  return {
    name: "Emergency access accounts",
    key: "g",
    roleAssignable: true,
    securityEnabled: true,
    members: { keys: members, complete: true },
    owners: { keys: owners, complete: true },
  };
}

describe("exclusionGroupProblems keys", () => {
  const want = (key: string) => ({
    groupName: "Emergency access accounts",
    accounts: [{ key, name: "breakglass-01" }],
    owners: [{ key, name: "breakglass-01" }],
  });

  it("matches an object id whatever its case", () => {
    expect(exclusionGroupProblems([group([ACCOUNT_ID.toUpperCase()])], want(ACCOUNT_ID))).toEqual([]);
  });

  it("does not let a stand-in that differs from an account's only in case pass for it", () => {
    const twin = ACCOUNT_URN.replace("breakglass-01", "BREAKGLASS-01");
    const problems = exclusionGroupProblems([group([ACCOUNT_URN, twin], [ACCOUNT_URN])], want(ACCOUNT_URN));
    expect(problems.map((p) => p.kind)).toEqual(["extraMembers"]);
    expect(problems[0]!.message).toContain(twin);
  });
});
