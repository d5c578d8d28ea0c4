/**
 * `npm run transition -- --apply` against the brownfield fake: every listed standing admin made eligible, read back,
 * then stripped of the assignment by the path that made it; what it must not touch left as it was; and the same
 * outcome through throttling, a server error and lost answers half way.
 */
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "@entra-baseline/model";
import { main } from "../../../src/tools/transition/cli";
import {
  AUTOMATION,
  CONTRACTOR,
  DEPLOYER,
  LEGACY_GROUP,
  SCOPED,
  SYNC,
  UNLISTED,
} from "../../support/fakes/rolloutTenant";
import { journalsIn, startBrownfield, type BrownfieldHarness } from "../../support/writes/harness";

let h: BrownfieldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const active = (harness: BrownfieldHarness, principalId: string, roleId?: string) =>
  harness.tenant.data.assignmentInstances.filter(
    (i) =>
      i.principalId === principalId && (!roleId || i.roleDefinitionId === roleId) && i.assignmentType === "Assigned",
  );
const eligible = (harness: BrownfieldHarness, principalId: string, roleId: string) =>
  harness.tenant.data.eligibilityInstances.filter(
    (e) => e.principalId === principalId && e.roleDefinitionId === roleId,
  );

/** Every (principal, role) the stack lists is eligible once, and holds it actively no more. */
function expectAllMoved(harness: BrownfieldHarness): void {
  for (const l of harness.brownfield.listed) {
    expect(eligible(harness, l.principalId, l.roleId), `${l.upn} eligible once`).toHaveLength(1);
    expect(active(harness, l.principalId, l.roleId), `${l.upn} not standing`).toEqual([]);
  }
}

/** What transition never touches still holds what it held. */
function expectUntouched(harness: BrownfieldHarness, removedUnlisted = false): void {
  const breakglass = harness.tenant.data.users.filter((u) => String(u.userPrincipalName).startsWith("breakglass"));
  for (const b of breakglass) expect(active(harness, String(b.id), GLOBAL_ADMINISTRATOR)).toHaveLength(1);
  expect(active(harness, DEPLOYER.id)).toHaveLength(3);
  expect(active(harness, SYNC.id)).toHaveLength(1);
  expect(active(harness, LEGACY_GROUP.id, GLOBAL_ADMINISTRATOR)).toHaveLength(1);
  expect(active(harness, SCOPED.id)).toHaveLength(1);
  expect(harness.tenant.data.groups.find((g) => g.id === LEGACY_GROUP.id)!.members).toContain(CONTRACTOR.id);
  for (const u of UNLISTED) expect(active(harness, u.id)).toHaveLength(removedUnlisted ? 0 : 1);
  expect(active(harness, AUTOMATION.id)).toHaveLength(removedUnlisted ? 0 : 1);
}

describe("transition --apply", () => {
  it("makes each listed admin eligible before removing the assignment, through PIM for PIM-made ones and the legacy endpoint for direct ones", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const legacyIds = new Map(
      h.brownfield.listed
        .filter((l) => l.path === "direct")
        .map((l) => [l.principalId + l.roleId, String(active(h!, l.principalId, l.roleId)[0]!.roleAssignmentOriginId)]),
    );
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(r.code, r.err + r.out.slice(0, 2000)).toBe(0);
    expect(r.report).toMatchObject({ mode: "apply", outcome: "completed" });
    expect(r.report!.actions.filter((a) => a.status === "done")).toHaveLength(71);
    // Nestor was eligible already: nothing to create, and the request was not sent.
    expect(r.report!.actions.find((a) => a.object === "nestor.wilke@contoso.com → Global Administrator")).toMatchObject(
      {
        status: "alreadyDone",
      },
    );
    expectAllMoved(h);
    expectUntouched(h);

    const sent = h.tenant.graph.requests.filter((q) => q.method !== "GET" && !q.url.pathname.endsWith("$batch"));
    for (const l of h.brownfield.listed) {
      const mine = sent.filter(
        (q) =>
          JSON.stringify(q.body ?? "").includes(l.principalId) ||
          q.url.pathname.endsWith(legacyIds.get(l.principalId + l.roleId) ?? "-"),
      );
      const eligibility = mine.findIndex((q) => q.url.pathname.endsWith("/roleEligibilityScheduleRequests"));
      const removal =
        l.path === "pim"
          ? mine.findIndex(
              (q) =>
                q.url.pathname.endsWith("/roleAssignmentScheduleRequests") &&
                (q.body as { action: string }).action === "adminRemove",
            )
          : mine.findIndex(
              (q) =>
                q.method === "DELETE" &&
                q.url.pathname.endsWith(`/roleAssignments/${legacyIds.get(l.principalId + l.roleId)}`),
            );
      expect(removal, `${l.upn}: removed by its path`).toBeGreaterThan(-1);
      if (l.upn !== "nestor.wilke@contoso.com") expect(eligibility, `${l.upn}: eligible first`).toBeLessThan(removal);
      expect(eligibility === -1 || eligibility < removal).toBe(true);
    }
    // The eligibility requests are Graph's documented shape, justified with the run they belong to.
    const request = sent.find((q) => q.url.pathname.endsWith("/roleEligibilityScheduleRequests"))!.body as Record<
      string,
      any
    >;
    expect(Object.keys(request).sort()).toEqual([
      "action",
      "directoryScopeId",
      "justification",
      "principalId",
      "roleDefinitionId",
      "scheduleInfo",
    ]);
    expect(request).toMatchObject({
      action: "adminAssign",
      directoryScopeId: "/",
      scheduleInfo: { expiration: { type: "noExpiration" } },
    });
    expect(request.justification).toContain(`run ${r.report!.runId}`);
    expect(Date.parse(request.scheduleInfo.startDateTime)).not.toBeNaN();

    // The journal: the run, then for every step its intent, what it was about to remove, and its outcome.
    const [file] = journalsIn(h.dir);
    const lines = fs
      .readFileSync(file!, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "run", command: "transition", stack: "brownfield", runId: r.report!.runId });
    expect(lines[0].steps).toHaveLength(72);
    const adeleRemoval = lines.filter(
      (l) => l.step === `remove/${h!.brownfield.id("adele.vance@contoso.com")}/${GLOBAL_ADMINISTRATOR}`,
    );
    expect(adeleRemoval.map((l) => l.type)).toEqual(["intent", "progress", "outcome"]);
    expect(adeleRemoval[1].record.removing).toMatchObject({
      path: "pimAssignment",
      principalId: h.brownfield.id("adele.vance@contoso.com"),
    });
    expect(lines.filter((l) => l.type === "outcome").map((l) => l.status)).toEqual([
      ...Array(10).fill("done"),
      "alreadyDone",
      ...Array(61).fill("done"),
    ]);
  });

  it("--remove-unlisted also removes standing holders the stack does not list, and makes none of them eligible", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--remove-unlisted", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report!.actions.filter((a) => a.action.startsWith("remove unlisted")).map((a) => a.object)).toEqual([
      ...UNLISTED.map((u) => `${u.upn} → Global Administrator`),
      `${AUTOMATION.displayName} → Privileged Role Administrator`,
    ]);
    expectAllMoved(h);
    expectUntouched(h, true);
    for (const u of [...UNLISTED, AUTOMATION])
      expect(h.tenant.data.eligibilityInstances.some((e) => e.principalId === u.id)).toBe(false);
    expect(eligible(h, AUTOMATION.id, PRIVILEGED_ROLE_ADMINISTRATOR)).toEqual([]);
  });

  it("gets through throttling, a 5xx and lost answers half way: every admin moved once, none left with neither", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const g = h.tenant.graph;
    g.failNext("POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", {
      status: 429,
      headers: { "Retry-After": "1" },
      body: { error: { code: "TooManyRequests", message: "Too many requests" } },
    });
    // The fourth DELETE meets a server error (not applied); the client's retry goes through.
    h.writes.failAfter(
      "DELETE",
      /\/roleAssignments\/[^/]+$/,
      3,
      {
        status: 503,
        body: { error: { code: "ServiceUnavailable", message: "try again" } },
      },
      1,
    );
    // Applied, then answered too late: the client times out, retries, and Graph says it is already so.
    h.writes.loseNextAnswer("POST", /\/roleEligibilityScheduleRequests$/);
    h.writes.loseNextAnswer("POST", /\/roleAssignmentScheduleRequests$/);
    h.writes.loseNextAnswer("DELETE", /\/roleAssignments\/[^/]+$/);
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--json"], { timeoutMs: 800 });
    expect(r.code, r.err + JSON.stringify(r.report?.actions.filter((a) => a.status === "failed"))).toBe(0);
    expectAllMoved(h);
    expectUntouched(h);
    const details = r.report!.actions.map((a) => a.detail ?? "");
    expect(details.filter((d) => d.includes("Graph answered RoleAssignmentExists"))).toHaveLength(1);
    expect(details.filter((d) => d.includes("Graph answered RoleAssignmentDoesNotExist"))).toHaveLength(1);
    expect(details.filter((d) => d.includes("Graph answered 404 (already gone)"))).toHaveLength(1);
    // The throttled request was sent again after its Retry-After, the failed DELETE too.
    const eligibilityPosts = g.requests.filter(
      (q) => q.method === "POST" && q.url.pathname.endsWith("/roleEligibilityScheduleRequests"),
    );
    expect(eligibilityPosts).toHaveLength(35 + 1 + 1);
    const deletes = g.requests.filter((q) => q.method === "DELETE");
    expect(deletes).toHaveLength(18 + 1 + 1);
  }, 60_000);
});
