/** Bad input is exit 2 with one message naming what is wrong, and nothing is written. */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSnapshotFile } from "../../../src/tools/audit/snapshot";
import { main } from "../../../src/tools/transition/cli";
import { main as remediate } from "../../../src/tools/remediate/cli";
import { brownfieldConfig, TENANT_ID, unsignedJwt, DEPLOYER, deployerToken } from "../../support/fakes/rolloutTenant";
import { readFake } from "../../support/fakes/tenantReads";
import { journalsIn, startBrownfield, type BrownfieldHarness } from "../../support/writes/harness";

const OTHER_TENANT = "99999999-2222-3333-4444-555555555555";
let h: BrownfieldHarness;
let journal: string;
let snapshot: string;
let writesBefore: number;

beforeAll(async () => {
  h = await startBrownfield({ emergencyPath: "healthy", perRole: 1 });
  snapshot = path.join(h.dir, "snapshot.json");
  writeSnapshotFile(snapshot, await readFake(h.tenant, brownfieldConfig({ perRole: 1 })));
  // A real journal to tamper with: a run stopped at its first removal.
  h.writes.failAfter("POST", /\/roleAssignmentScheduleRequests$/, 0, {
    status: 400,
    body: { error: { code: "BadRequest", message: "no" } },
  });
  const stopped = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
  expect(stopped.code).toBe(1);
  h.writes.clearFaults();
  [journal] = journalsIn(h.dir) as [string];
  writesBefore = h.writes.writes.length;
});
afterAll(() => h.close());

/** A copy of the journal with `edit` applied to its parsed lines. */
function tampered(name: string, edit: (lines: Record<string, unknown>[]) => void): string {
  const lines = fs
    .readFileSync(journal, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  edit(lines);
  const file = path.join(h.dir, name);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

async function expectRefused(argv: string[], message: RegExp, main_ = main): Promise<void> {
  const r = await h.run(main_, argv);
  expect(r.code, r.out).toBe(2);
  expect(r.err).toMatch(/^error: /);
  expect(r.err).toMatch(message);
  expect(r.out).toBe("");
  expect(h.writes.writes.length).toBe(writesBefore);
}

describe("transition refuses, exit 2, writing nothing", () => {
  it("a snapshot of another tenant", async () => {
    const other = JSON.parse(fs.readFileSync(snapshot, "utf8"));
    other.tenantId = OTHER_TENANT;
    fs.writeFileSync(path.join(h.dir, "other.json"), JSON.stringify(other));
    await expectRefused(
      ["--stack", h.stack, "--snapshot", "other.json", "--json"],
      /other\.json: is a snapshot of tenant 99999999-.*, not of this stack's tenant 11111111-/,
    );
  });

  it("a snapshot that is not one, and --apply with a snapshot", async () => {
    fs.writeFileSync(path.join(h.dir, "bad.json"), '{"version":1}');
    await expectRefused(["--stack", h.stack, "--snapshot", "bad.json"], /bad\.json: is not an audit snapshot/);
    await expectRefused(
      ["--stack", h.stack, "--snapshot", "snapshot.json", "--apply"],
      /--snapshot plans offline and writes nothing: --apply needs the live tenant/,
    );
  });

  it("a journal of another tenant", async () => {
    const file = tampered("tenant.jsonl", (l) => (l[0]!.tenantId = OTHER_TENANT));
    await expectRefused(
      ["--stack", h.stack, "--resume", file, "--apply"],
      /tenant\.jsonl: is the journal of tenant 99999999-.*, not of this stack's tenant/,
    );
    await expectRefused(["--stack", h.stack, "--restore", file, "--apply"], /is the journal of tenant 99999999-/);
  });

  it("a journal that mixes in a line of another run", async () => {
    const file = tampered("mixed.jsonl", (l) => (l[2]!.runId = "another-run"));
    await expectRefused(
      ["--stack", h.stack, "--resume", file, "--apply"],
      /mixed\.jsonl: line 3 belongs to run another-run, not to this journal's run/,
    );
  });

  it("the journal of another command", async () => {
    const file = tampered("remediate.jsonl", (l) => (l[0]!.command = "remediate ca-exclusions"));
    await expectRefused(
      ["--stack", h.stack, "--resume", file, "--apply"],
      /is the journal of `remediate ca-exclusions`, not of `transition`/,
    );
    await expectRefused(
      ["ca-exclusions", "--stack", h.stack, "--resume", journal, "--apply"],
      /is the journal of `transition`, not of `remediate ca-exclusions`/,
      remediate,
    );
  });

  it("a token or a Graph of another tenant", async () => {
    h.signIn(unsignedJwt({ tid: OTHER_TENANT, oid: DEPLOYER.id, idtyp: "app" }));
    const requestsBefore = h.tenant.graph.requests.length;
    await expectRefused(
      ["--stack", h.stack, "--apply"],
      /^error: cannot confirm the tenant: The credential signed in to tenant 99999999-2222-3333-4444-555555555555, but this stack governs tenant 11111111-2222-3333-4444-555555555555 \(tenant\.tenantId\): nothing was sent to Microsoft Graph/,
    );
    expect(h.tenant.graph.requests.length, "the other tenant's token is never sent").toBe(requestsBefore);
    h.signIn(deployerToken());
    h.writes.tenantId = OTHER_TENANT;
    await expectRefused(
      ["--stack", h.stack, "--apply"],
      /the signed-in identity is in tenant 99999999-.*, but the stack governs tenant 11111111-/,
    );
    h.writes.tenantId = TENANT_ID;
  });

  it("flags that do not go together", async () => {
    await expectRefused(
      ["--stack", h.stack, "--restore-eligibilities"],
      /--restore-eligibilities goes with --restore JOURNAL/,
    );
    await expectRefused(
      ["--stack", h.stack, "--resume", journal, "--remove-unlisted"],
      /--remove-unlisted shapes a new plan/,
    );
    const r = await h.run(main, ["--stack", h.stack, "--resume", journal, "--restore", journal]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/option '--resume <journal>' cannot be used with option '--restore <journal>'/);
  });

  it("and the untampered journal still resumes", async () => {
    const r = await h.run(main, ["--stack", h.stack, "--resume", journal, "--apply", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report!.outcome).toBe("completed");
  });
});
