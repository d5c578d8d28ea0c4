/**
 * `check --policy-config FILE`: the file is checked against the pack's own configSchemas (as GetAnalyzerInfo
 * reports them) before anything runs, and a partial file takes the policies it leaves out from the stack.
 */
import { describe, expect, it } from "vitest";
import { policies as ALL_POLICIES } from "../../../policies/rules";
import type { PackPolicyInfo } from "../../../src/tools/engine/analyzer";
import {
  packConfigProblems,
  policiesTakenFromStack,
  resolvePackConfig,
} from "../../../src/tools/engine/packConfigFile";

// What readInfo builds from GetAnalyzerInfo: each policy's configSchema properties.
const POLICIES: PackPolicyInfo[] = ALL_POLICIES.map((p) => ({
  name: p.name,
  description: p.description,
  enforcementLevel: p.enforcementLevel ?? "advisory",
  configSchema: p.configSchema?.properties as Record<string, unknown> | undefined,
}));

describe("packConfigProblems", () => {
  it("accepts a valid file, enforcement level shorthands and `all`", () => {
    expect(
      packConfigProblems(
        {
          all: "advisory",
          "global-admin-count": { min: 2, max: 4, enforcementLevel: "mandatory" },
          "breakglass-tripwire": "disabled",
        },
        POLICIES,
      ),
    ).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "a wrong type",
      { "global-admin-count": { min: "two" } },
      ['policy "global-admin-count": property "min" must be integer, got "two"'],
    ],
    [
      "a value below its minimum",
      // The model's floor: at least two Global Administrators (CISA MS.AAD.7.1), so one is below it.
      { "global-admin-count": { min: 1 } },
      ['policy "global-admin-count": property "min" must be >= 2, got 1'],
    ],
    [
      "a wrongly typed array item",
      { "no-standing-tier0-assignment": { breakglassUpns: ["a@b.com", 7] } },
      ['policy "no-standing-tier0-assignment": property "breakglassUpns.1" must be string, got 7'],
    ],
    [
      "an unknown property",
      { "global-admin-count": { maximum: 4 } },
      [
        'policy "global-admin-count": unknown property "maximum" (the policy\'s properties: min, max, breakglassUpns, breakglassObjectIds, pimGroups, enforcementLevel)',
      ],
    ],
    [
      "a policy that is not an object",
      { "global-admin-count": 3 },
      ['policy "global-admin-count": must be an object of the policy\'s properties or an enforcement level, got 3'],
    ],
    [
      "a bad level shorthand",
      { "global-admin-count": "strict" },
      ['policy "global-admin-count": "strict" is not an enforcement level (advisory, mandatory, disabled, remediate)'],
    ],
    [
      "a policy renamed since an earlier version",
      { "ga-activation-policy": { maxActivationDuration: "PT4H" } },
      [
        'policy "ga-activation-policy": renamed "activation-policy" (entra-baseline 0.2.0); rename the key and give it activation-policy\'s properties (npm run plan -- --write-policy-config FILE writes them)',
      ],
    ],
    [
      "an unknown policy",
      { "global-admins": {} },
      [
        expect.stringMatching(
          /^policy "global-admins": the pack has no such policy \(known: no-standing-tier0-assignment, /,
        ) as unknown as string,
      ],
    ],
  ])("reports %s, naming the policy and the property", (_, config, problems) => {
    expect(packConfigProblems(config, POLICIES)).toEqual(problems);
  });
});

describe("resolvePackConfig", () => {
  const fromStack = {
    "global-admin-count": { min: 3, max: 5 },
    "breakglass-tripwire": { breakglassUpns: ["bg@contoso.onmicrosoft.com"] },
  };

  it("takes a named policy as written and the others from the stack; `all` and shorthands set levels only", () => {
    const file = { all: "advisory", "global-admin-count": { max: 9 }, "breakglass-tripwire": "mandatory" };
    expect(policiesTakenFromStack(file, POLICIES)).not.toContain("global-admin-count");
    expect(policiesTakenFromStack(file, POLICIES)).toContain("breakglass-tripwire");
    const resolved = resolvePackConfig(file, POLICIES, fromStack);
    expect(resolved["global-admin-count"]).toEqual({ enforcementLevel: "advisory", max: 9 });
    expect(resolved["breakglass-tripwire"]).toEqual({
      breakglassUpns: ["bg@contoso.onmicrosoft.com"],
      enforcementLevel: "mandatory",
    });
    expect(Object.keys(resolved).sort()).toEqual(POLICIES.map((p) => p.name).sort());
  });
});
