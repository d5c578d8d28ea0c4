/** The exclusion group's owners: who the stack declares, and every other owner as a problem. */
import { describe, expect, it } from "vitest";
import { declaredExclusionGroupOwners, exclusionGroupOwnerProblems } from "@entra-baseline/model";

describe("exclusion group owners", () => {
  const ACCOUNTS = ["11111111-aaaa-4aaa-8aaa-000000000001", "11111111-aaaa-4aaa-8aaa-000000000002"];
  const CI = "22222222-bbbb-4bbb-8bbb-000000000001";

  it("declares the emergency accounts by default, else breakglass.groupOwners, in lower case", () => {
    expect(declaredExclusionGroupOwners(undefined, ACCOUNTS)).toEqual(ACCOUNTS);
    expect(declaredExclusionGroupOwners([CI.toUpperCase(), CI], ACCOUNTS)).toEqual([CI]);
  });

  it("reports every owner that is not declared, naming it", () => {
    const owners = [
      { id: ACCOUNTS[0]!.toUpperCase(), type: "#microsoft.graph.user" },
      { id: CI, type: "#microsoft.graph.servicePrincipal", displayName: "github-entra-baseline" },
    ];
    expect(exclusionGroupOwnerProblems(owners, ACCOUNTS)).toEqual([
      `"github-entra-baseline" ${CI} (servicePrincipal) owns the breakglass exclusion group but is not a declared owner (breakglass.groupOwners, default the emergency accounts): an owner can add anyone to the group and so exempt them from every Conditional Access policy`,
    ]);
    expect(exclusionGroupOwnerProblems([], ACCOUNTS)).toEqual([]);
  });
});
