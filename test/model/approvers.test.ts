/** A requester never approves their own request: who is left without someone else to approve them. */
import { describe, expect, it } from "vitest";
import { requestersWithoutApprover } from "@entra-baseline/model";

const A = "a0000000-0000-4000-8000-000000000001";
const B = "a0000000-0000-4000-8000-000000000002";
const G = "9a000000-0000-4000-8000-000000000001";

describe("requestersWithoutApprover", () => {
  it("is everyone when there is no approver", () => {
    expect(requestersWithoutApprover([], { requesters: [A, B] })).toEqual([A, B]);
  });
  it("is the requester who is the only approver", () => {
    expect(requestersWithoutApprover([{ kind: "user", id: A.toUpperCase() }], { requesters: [A, B] })).toEqual([A]);
  });
  it("counts an approver group through its members, and an unread group as someone else", () => {
    const members = new Map([[G, [A]]]);
    expect(
      requestersWithoutApprover([{ kind: "group", id: G }], { requesters: [A, B], groupMembers: members }),
    ).toEqual([A]);
    expect(requestersWithoutApprover([{ kind: "group", id: G }], { requesters: [A, B] })).toEqual([]);
  });
});
