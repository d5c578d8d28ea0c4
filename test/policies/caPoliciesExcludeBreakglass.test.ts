import { describe, expect, it } from "vitest";
import { caPoliciesExcludeBreakglass } from "../../policies/rules/caPoliciesExcludeBreakglass";
import { PACK_CONFIG, USER_IDS, byName, compliantStack, type Mode } from "../support/pack/stackFixture";
import { messages, mutate, runStackPolicy } from "../support/pack/harness";
import { unknownStringValue } from "../support/pack/unknowns";

const config = PACK_CONFIG["ca-policies-exclude-breakglass"];
const run = (stack: ReturnType<typeof compliantStack>) =>
  runStackPolicy(caPoliciesExcludeBreakglass, stack, config).then(messages);
const users = (s: ReturnType<typeof compliantStack>, name: string) => (byName(s, name).inputs as any).conditions.users;

describe("ca-policies-exclude-breakglass", () => {
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes policies that exclude the breakglass group (${mode})`, async () => {
      expect(await run(compliantStack({ mode }))).toEqual([]);
    });

    it(`rejects an azuread policy missing the exclusion (${mode})`, async () => {
      const stack = mutate(compliantStack({ mode }), (s) => {
        users(s, "ca-1").excludedGroups = [];
        byName(s, "ca-1").propertyDependencies = {};
      });
      expect(await run(stack)).toEqual([
        'ConditionalAccessPolicy "ca-1" does not exclude the breakglass group nor breakglass account(s) breakglass-01, breakglass-02; a policy that catches the emergency accounts can lock the tenant out (Maester MT.1005).',
      ]);
    });
  }

  it("rejects the Graph-written policy missing the exclusion", async () => {
    const stack = mutate(
      compliantStack({ mode: "update" }),
      (s) => (users(s, "activation-context-policy").excludeGroups = []),
    );
    expect(await run(stack)).toEqual([
      'GraphConditionalAccessPolicy "activation-context-policy" does not exclude the breakglass group nor breakglass account(s) breakglass-01, breakglass-02; a policy that catches the emergency accounts can lock the tenant out (Maester MT.1005).',
    ]);
  });

  it("accepts excluding every breakglass user instead of the group, and names the one left out", async () => {
    const every = mutate(compliantStack({ mode: "update" }), (s) => {
      users(s, "ca-0").excludedGroups = [];
      users(s, "ca-0").excludedUsers = [...USER_IDS];
    });
    expect(await run(every)).toEqual([]);
    const one = mutate(every, (s) => (users(s, "ca-0").excludedUsers = [USER_IDS[0]]));
    expect(await run(one)).toEqual([
      'ConditionalAccessPolicy "ca-0" does not exclude the breakglass group nor breakglass account(s) breakglass-02; a policy that catches the emergency accounts can lock the tenant out (Maester MT.1005).',
    ]);
  });

  it("does not trust an unknown id at preview when it could be an inclusion", async () => {
    const stack = mutate(
      compliantStack({ mode: "preview" }),
      (s) => (users(s, "ca-0").includedGroups = [unknownStringValue]),
    );
    expect((await run(stack))[0]).toMatch(/^ConditionalAccessPolicy "ca-0" does not exclude the breakglass group/);
  });

  it("rejects conditions that are entirely unknown at preview", async () => {
    const stack = mutate(
      compliantStack({ mode: "preview" }),
      (s) => ((byName(s, "ca-0").inputs as any).conditions = unknownStringValue),
    );
    expect(await run(stack)).toEqual([
      'ConditionalAccessPolicy "ca-0" has conditions that are unknown at preview, so its breakglass exclusion cannot be verified; build `conditions` from plain values and Outputs, not inside apply().',
    ]);
  });
});
