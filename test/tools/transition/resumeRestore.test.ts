/**
 * The journal at work: a run stopped part way leaves nobody with neither assignment nor eligibility and is finished
 * with --resume; a run killed right after a write resumes without repeating it; --restore puts back what a run removed
 * (through PIM, or the legacy endpoint when PIM refuses) and, if asked, takes back the eligibilities it created.
 */
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import { main } from "../../../src/tools/transition/cli";
import { ALREADY_ELIGIBLE } from "../../support/fakes/rolloutTenant";
import { journalsIn, startBrownfield, type BrownfieldHarness } from "../../support/writes/harness";

let h: BrownfieldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const active = (harness: BrownfieldHarness, principalId: string, roleId: string) =>
  harness.tenant.data.assignmentInstances.filter(
    (i) => i.principalId === principalId && i.roleDefinitionId === roleId && i.assignmentType === "Assigned",
  );
const eligible = (harness: BrownfieldHarness, principalId: string, roleId: string) =>
  harness.tenant.data.eligibilityInstances.filter(
    (e) => e.principalId === principalId && e.roleDefinitionId === roleId,
  );
const lines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("--resume", () => {
  it("finishes a run a persistent server error stopped, leaving nobody without either assignment or eligibility meanwhile", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    // The fourth PIM removal and every one after it fail (each try, retries included) until the outage ends.
    const outage = { status: 503, body: { error: { code: "ServiceUnavailable", message: "PIM is down" } } };
    h.writes.failAfter("POST", /\/roleAssignmentScheduleRequests$/, 3, outage, 1_000);
    const first = await h.run(main, ["--stack", h.stack, "--apply", "--json"], { maxRetries: 1 });
    expect(first.code).toBe(1);
    const report = first.report!;
    expect(report.outcome).toBe("stopped");
    const failed = report.actions.find((a) => a.status === "failed")!;
    expect(failed.action).toBe("remove standing (PIM request)");
    expect(report.message).toMatch(
      new RegExp(
        `^stopped at remove standing \\(PIM request\\) ${failed.object.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*503.*continue with --resume entra-baseline-transition-brownfield-.*\\.jsonl --apply$`,
      ),
    );
    const after = report.actions.slice(report.actions.indexOf(failed) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((a) => a.status === "notRun")).toBe(true);

    // Every listed admin holds the role one way or the other, and the one the outage hit holds it both ways.
    for (const l of h.brownfield.listed) {
      const ways = active(h, l.principalId, l.roleId).length + eligible(h, l.principalId, l.roleId).length;
      expect(ways, l.upn).toBeGreaterThan(0);
    }
    const hit = h.brownfield.listed.find((l) => failed.step === `remove/${l.principalId}/${l.roleId}`)!;
    expect(active(h, hit.principalId, hit.roleId)).toHaveLength(1);
    expect(eligible(h, hit.principalId, hit.roleId)).toHaveLength(1);

    // A dry run of the resume changes neither the tenant nor the journal.
    const [journal] = journalsIn(h.dir);
    const bytes = fs.readFileSync(journal!, "utf8");
    const writes = h.writes.writes.length;
    const dry = await h.run(main, ["--stack", h.stack, "--resume", journal!, "--json"]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.report!.actions.filter((a) => a.status === "planned").length).toBe(after.length + 1);
    expect(fs.readFileSync(journal!, "utf8")).toBe(bytes);
    expect(h.writes.writes.length).toBe(writes);

    h.writes.clearFaults(); // the outage is over
    const resumed = await h.run(main, ["--stack", h.stack, "--resume", journal!, "--apply", "--json"]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.report).toMatchObject({ mode: "resume", outcome: "completed", runId: report.runId });
    const earlier = resumed.report!.actions.slice(0, report.actions.indexOf(failed));
    expect(
      earlier.every((a) => a.status === "alreadyDone" && a.detail === "confirmed by an earlier session of this run"),
    ).toBe(true);
    for (const l of h.brownfield.listed) {
      expect(eligible(h, l.principalId, l.roleId), l.upn).toHaveLength(1);
      expect(active(h, l.principalId, l.roleId), l.upn).toEqual([]);
    }
    expect(
      lines(journal!)
        .filter((l) => l.type === "session")
        .map((l) => l.action),
    ).toEqual(["apply", "resume"]);
  }, 60_000);

  it("resumes a journal cut short by a crash right after a write, without sending that write again", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const done = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(done.code).toBe(0);
    const [journal] = journalsIn(h.dir);
    // Keep the journal up to the 20th step's intent and what it was about to remove; then a half-written line.
    const kept = fs.readFileSync(journal!, "utf8").split("\n");
    const cut = kept.findIndex((l) => l.includes('"type":"intent"') && l.includes(done.report!.actions[19]!.step));
    fs.writeFileSync(
      journal!,
      `${kept.slice(0, cut + 2).join("\n")}\n{"type":"outcome","runId":"${done.report!.runId}","at":"20`,
    );
    const writes = h.writes.writes.length;
    const resumed = await h.run(main, ["--stack", h.stack, "--resume", journal!, "--apply", "--json"]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(h.writes.writes.length).toBe(writes);
    const statuses = resumed.report!.actions.map((a) => a.status);
    expect(statuses.every((s) => s === "alreadyDone")).toBe(true);
    expect(resumed.report!.actions[19]!.detail).toBe("no standing assignment left");
  });
});

describe("--restore", () => {
  it("puts back every removed assignment (through the legacy endpoint where PIM refuses) and, if asked, the eligibilities it created", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const applied = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(applied.code).toBe(0);
    const [journal] = journalsIn(h.dir);

    const dry = await h.run(main, ["--stack", h.stack, "--restore", journal!, "--restore-eligibilities", "--json"]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.report).toMatchObject({ mode: "restoreDryRun", outcome: "planned", writes: 0 });
    expect(dry.report!.actions.filter((a) => a.action === "put back active")).toHaveLength(36);
    // Nestor's eligibility was there before the run: it is not the run's to take back.
    expect(dry.report!.actions.filter((a) => a.action === "remove eligibility")).toHaveLength(35);
    expect(dry.report!.actions.findIndex((a) => a.action === "remove eligibility")).toBe(36);

    // PIM refuses the first re-assignment (a policy that no longer allows permanent active assignment).
    h.tenant.graph.failNext("POST", "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests", {
      status: 400,
      body: {
        error: {
          code: "RoleAssignmentRequestPolicyValidationFailed",
          message: 'The following policy rules failed: ["ExpirationRule"]',
        },
      },
    });
    const restored = await h.run(main, [
      "--stack",
      h.stack,
      "--restore",
      journal!,
      "--restore-eligibilities",
      "--apply",
      "--json",
    ]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.report).toMatchObject({ mode: "restore", outcome: "completed", runId: applied.report!.runId });
    for (const l of h.brownfield.listed) {
      expect(active(h, l.principalId, l.roleId), l.upn).toHaveLength(1);
      expect(eligible(h, l.principalId, l.roleId), l.upn).toHaveLength(
        l.upn === ALREADY_ELIGIBLE && l.roleId === GLOBAL_ADMINISTRATOR ? 1 : 0,
      );
    }
    const puts = restored.report!.actions.filter((a) => a.action === "put back active");
    expect(puts[0]!.detail).toMatch(
      /^active again through the legacy endpoint, as PIM refused \(.*RoleAssignmentRequestPolicyValidationFailed.*\) — unconfirmed path/,
    );
    expect(puts.slice(1).every((a) => a.detail!.startsWith("active again through PIM (request "))).toBe(true);
    expect(
      h.tenant.graph.requests.filter(
        (q) => q.method === "POST" && q.url.pathname.endsWith("/roleManagement/directory/roleAssignments"),
      ),
    ).toHaveLength(1);
    // The restore is journaled in the same file, and running it again has nothing left to do.
    expect(
      lines(journal!)
        .filter((l) => l.type === "session")
        .map((l) => l.action),
    ).toEqual(["apply", "restore"]);
    const again = await h.run(main, [
      "--stack",
      h.stack,
      "--restore",
      journal!,
      "--restore-eligibilities",
      "--apply",
      "--json",
    ]);
    expect(again.report).toMatchObject({ outcome: "completed", message: "nothing to do: every step is confirmed" });
  }, 60_000);

  it("of a stopped run, puts back only what was removed", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    h.writes.failAfter(
      "DELETE",
      /\/roleAssignments\/[^/]+$/,
      2,
      { status: 500, body: { error: { code: "InternalServerError", message: "boom" } } },
      1_000,
    );
    const stopped = await h.run(main, ["--stack", h.stack, "--apply", "--json"], { maxRetries: 0 });
    expect(stopped.code).toBe(1);
    const [journal] = journalsIn(h.dir);
    // Meanwhile an emergency account lost its key: a restore says so, and gives the access back all the same.
    const bg02 = String(h.tenant.data.users.find((u) => String(u.userPrincipalName).startsWith("breakglass-02"))!.id);
    h.tenant.data.methods[bg02] = [];
    const removedSoFar = stopped.report!.actions.filter(
      (a) => a.step.startsWith("remove/") && a.status === "done",
    ).length;
    h.writes.clearFaults();
    const dry = await h.run(main, ["--stack", h.stack, "--restore", journal!, "--json"]);
    // The failed DELETE was journaled before it was sent: restore checks that one too, and finds it still there.
    expect(dry.report!.actions.map((a) => a.action)).toEqual(Array(removedSoFar + 1).fill("put back active"));
    const restored = await h.run(main, ["--stack", h.stack, "--restore", journal!, "--apply", "--json"]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.report!.actions.at(-1)).toMatchObject({ status: "alreadyDone" });
    expect(restored.report!.actions.slice(0, -1).every((a) => a.status === "done")).toBe(true);
    expect(restored.report!.checks).toEqual([
      expect.objectContaining({ name: "emergency path", ok: false, blocking: false }),
    ]);
  }, 60_000);
});
