import { describe, expect, it } from "vitest";
import { breakglassExclusionGaps, excludesBreakglassGroup } from "@entra-baseline/model";

const bg = { groupIds: ["G-1"], userIds: ["u-1", "U-2"] };

describe("breakglassExclusionGaps (shared by the pack and the audit)", () => {
  it.each([
    ["the group excluded (case-insensitive)", { excludedGroupIds: ["g-1"], excludedUserIds: [] }, []],
    ["every user excluded", { excludedGroupIds: [], excludedUserIds: ["U-1", "u-2"] }, []],
    ["one user left out", { excludedGroupIds: ["other"], excludedUserIds: ["u-1"] }, ["U-2"]],
    ["nothing excluded", { excludedGroupIds: [], excludedUserIds: [] }, ["u-1", "U-2"]],
  ] as const)("%s", (_, policy, gaps) => {
    expect(breakglassExclusionGaps(policy, bg)).toEqual(gaps);
  });

  it("recognises a group exclusion on its own", () => {
    expect(excludesBreakglassGroup({ excludedGroupIds: ["x", "G-1"] }, bg.groupIds)).toBe(true);
    expect(excludesBreakglassGroup({ excludedGroupIds: ["x"] }, bg.groupIds)).toBe(false);
  });
});
