/**
 * `npm run remediate -- ca-exclusions` against the brownfield fake: the exclusion group added to every policy that
 * can apply to users and lacks it, Microsoft-managed ones included (which accept changes to their exclusions only),
 * each PATCH carrying the user conditions as read but for the group, and nothing else changed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../../src/tools/remediate/cli";
import { HAND_MADE, MANAGED_POLICY, MANAGED_REPORT_ONLY, WORKLOAD_POLICY } from "../../support/fakes/rolloutTenant";
import type { Json } from "../../support/fakes/tenant";
import { journalsIn, startBrownfield, type BrownfieldHarness } from "../../support/writes/harness";

let h: BrownfieldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FIXED = [MANAGED_POLICY, MANAGED_REPORT_ONLY, HAND_MADE];
const policy = (harness: BrownfieldHarness, id: string) => harness.tenant.data.caPolicies.find((p) => p.id === id)!;
const exclusionGroup = (harness: BrownfieldHarness) => String(harness.tenant.data.groups[0]!.id);

describe("remediate ca-exclusions", () => {
  it("plans the policies that can apply to users and lack the group (Microsoft-managed ones too), and writes nothing without --apply", async () => {
    h = await startBrownfield({});
    const r = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report).toMatchObject({
      command: "remediate ca-exclusions",
      mode: "dryRun",
      outcome: "planned",
      writes: 0,
    });
    expect(r.report!.actions.map((a) => a.step)).toEqual(FIXED.map((id) => `exclude/${id}`));
    expect(r.report!.notes).toEqual([
      expect.objectContaining({
        kind: "untouched",
        object: expect.stringContaining(WORKLOAD_POLICY),
        detail: "applies to no user (workload identities only): nothing to exclude",
      }),
    ]);
    expect(h.writes.writes).toEqual([]);
    expect(journalsIn(h.dir)).toEqual([]);
  });

  it("--apply: PATCHes only conditions.users, as read but for the group, reads each back, and changes nothing else", async () => {
    h = await startBrownfield({});
    const before = new Map(FIXED.map((id) => [id, structuredClone(policy(h!, id))]));
    const untouched = h.tenant.data.caPolicies
      .filter((p) => !FIXED.includes(String(p.id)))
      .map((p) => structuredClone(p));
    // Conditional Access answers 429 without Retry-After: the client backs off by itself.
    h.tenant.graph.failNext("PATCH", /^\/v1\.0\/identity\/conditionalAccess\/policies\/[^/]+$/, {
      status: 429,
      body: { error: { code: "TooManyRequests", message: "slow down" } },
    });
    const r = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--apply", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report).toMatchObject({ mode: "apply", outcome: "completed" });
    expect(r.report!.actions.map((a) => a.status)).toEqual(["done", "done", "done"]);
    const group = exclusionGroup(h);
    const patches = h.tenant.graph.requests.filter((q) => q.method === "PATCH");
    expect(patches).toHaveLength(4);
    for (const id of FIXED) {
      const was = before.get(id)!;
      const users = (was.conditions as Json).users as Json;
      const sent = patches.filter((q) => q.url.pathname.endsWith(id)).at(-1)!.body;
      expect(sent).toEqual({
        conditions: { users: { ...users, excludeGroups: [...(users.excludeGroups as string[]), group] } },
      });
      const now = policy(h, id);
      const { modifiedDateTime: _m, ...rest } = now;
      expect(rest).toEqual({
        ...was,
        conditions: { ...(was.conditions as Json), users: (sent as Json & { conditions: Json }).conditions.users },
      });
    }
    expect(h.tenant.data.caPolicies.filter((p) => !FIXED.includes(String(p.id)))).toEqual(untouched);
    // The emergency path is still reported (breakglass-02 has no key), but does not hold the exclusion back.
    const path = r.report!.checks.find((c) => c.name === "emergency path once the exclusions are added")!;
    expect(path).toMatchObject({ ok: false, blocking: false });
    expect(path.problems).toEqual([
      "breakglass-02@contoso.onmicrosoft.com has no FIDO2 security key or passkey registered",
    ]);
    // The journal keeps each policy's user conditions as they were.
    const [journal] = journalsIn(h.dir);
    expect(journal).toMatch(/entra-baseline-remediate-ca-exclusions-brownfield-.*\.jsonl$/);
    // Run again: nothing left to do.
    const again = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--apply", "--json"]);
    expect(again.report).toMatchObject({ outcome: "completed", actions: [] });
  }, 60_000);

  it("a Microsoft-managed policy accepts a change of its exclusions only, and that is all the command sends", async () => {
    h = await startBrownfield({});
    // The fake holds Microsoft-managed policies to the Entra docs: state and exclusions may change, nothing else.
    const users = (policy(h, MANAGED_POLICY).conditions as Json).users as Json;
    const direct = await fetch(`${h.tenant.graph.url}/v1.0/identity/conditionalAccess/policies/${MANAGED_POLICY}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${h.tenant.graph.expectedToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ conditions: { users: { ...users, includeRoles: [] } } }),
    });
    expect(direct.status).toBe(400);
    const r = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--apply", "--policy", MANAGED_POLICY, "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report!.actions).toEqual([expect.objectContaining({ step: `exclude/${MANAGED_POLICY}`, status: "done" })]);
    expect(h.tenant.graph.requests.filter((q) => q.method === "PATCH")).toHaveLength(2);
    expect(((policy(h, MANAGED_REPORT_ONLY).conditions as Json).users as Json).excludeGroups).toEqual([]);
  });

  it("a change Graph accepts but does not keep fails the step on read-back, and stops the run", async () => {
    h = await startBrownfield({});
    h.writes.failAfter("PATCH", /\/conditionalAccess\/policies\/[^/]+$/, 0, { status: 204 }, 1);
    const r = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--apply", "--json"]);
    expect(r.code).toBe(1);
    expect(r.report!.outcome).toBe("stopped");
    expect(r.report!.actions.map((a) => a.status)).toEqual(["failed", "notRun", "notRun"]);
    expect(r.report!.actions[0]!.detail).toBe(
      "the policy does not exclude the group when read back: the change did not persist",
    );
  }, 60_000);

  it("refuses before any write when the exclusion group holds someone besides the emergency accounts", async () => {
    h = await startBrownfield({});
    const contractor = h.brownfield.id("contractor@contoso.com");
    h.tenant.data.groups[0]!.members.push(contractor);
    const r = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--apply", "--json"]);
    expect(r.code).toBe(1);
    expect(r.report!.outcome).toBe("refused");
    const check = r.report!.checks.find((c) => c.name === "exclusion group")!;
    expect(check).toMatchObject({ ok: false, blocking: true });
    expect(check.problems.join(" ")).toMatch(/also contains contractor@contoso\.com|also contains c0000000-/);
    expect(h.writes.writes).toEqual([]);
  });

  it("an unknown --policy id, or --restore, is exit 2 and writes nothing", async () => {
    h = await startBrownfield({});
    const unknown = await h.run(main, [
      "ca-exclusions",
      "--stack",
      h.stack,
      "--apply",
      "--policy",
      "00000000-dead-beef-0000-000000000000",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(
      /--policy 00000000-dead-beef-0000-000000000000: no Conditional Access policy of tenant 11111111-.* has this id; nothing was written/,
    );
    const applied = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--apply", "--policy", HAND_MADE]);
    expect(applied.code).toBe(0);
    const [journal] = journalsIn(h.dir);
    const writes = h.writes.writes.length;
    const restore = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--restore", journal!, "--apply"]);
    expect(restore.code).toBe(2);
    expect(restore.err).toMatch(/has no undo: restoring would remove the emergency accounts' exclusion from 1 policy/);
    expect(h.writes.writes.length).toBe(writes);
    const bad = await h.run(main, ["other-thing", "--stack", h.stack]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/command-argument value 'other-thing' is invalid .*Allowed choices are ca-exclusions/);
  }, 60_000);

  it("--is-enabled prints the stack's monitoring.remediation.caExclusions and reads nothing else", async () => {
    h = await startBrownfield({ remediation: true });
    const on = await h.run(main, ["ca-exclusions", "--stack", h.stack, "--is-enabled"]);
    expect(on).toMatchObject({ code: 0, out: "true\n" });
    expect(h.tenant.graph.requests).toEqual([]);
  });
});
