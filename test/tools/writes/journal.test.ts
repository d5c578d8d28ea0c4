/** The journal: written line by line, never overwritten, and refused when it is not this tenant's, stack's, command's or run's. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/cli/errors";
import { completedSteps, Journal, readJournal } from "../../../src/tools/writes/journal";

const TENANT = "11111111-2222-3333-4444-555555555555";
const expected = { command: "transition", stack: "prod", tenantId: TENANT };
const steps = [
  { id: "eligible/a/ga", kind: "createEligibility", object: "a → GA", data: { principalId: "a" } },
  { id: "remove/a/ga", kind: "removeActive", object: "a → GA", data: { principalId: "a" } },
];

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
  file = path.join(dir, "run.jsonl");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function started(): Journal {
  return Journal.create(file, { ...expected, runId: "run-1", startedAt: "2027-01-01T00:00:00Z", options: {}, steps });
}

describe("Journal", () => {
  it("writes each event as one JSON line, on disk before append returns", () => {
    const j = started();
    j.append({ type: "intent", phase: "apply", step: steps[0]!.id });
    // Read while the journal is still open: what a crash right now would leave.
    const lines = fs
      .readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ type: "run", version: 1, runId: "run-1", tenantId: TENANT, steps });
    expect(lines[1]).toMatchObject({ type: "intent", runId: "run-1", step: "eligible/a/ga" });
    expect(Date.parse(lines[1].at)).not.toBeNaN();
    j.close();
  });

  it("never overwrites an existing journal", () => {
    started().close();
    expect(() => started()).toThrow(UserInputError);
    expect(() => started()).toThrow(/already exists \(a journal is never overwritten/);
  });

  it("shows which steps are confirmed: a later failure of a step un-confirms it", () => {
    const j = started();
    j.append({ type: "outcome", phase: "apply", step: steps[0]!.id, status: "done", detail: "ok" });
    j.append({ type: "outcome", phase: "apply", step: steps[1]!.id, status: "failed", detail: "503" });
    j.close();
    const { entries } = readJournal(file, expected);
    expect([...completedSteps(entries, "apply")]).toEqual([steps[0]!.id]);
    expect([...completedSteps(entries, "restore")]).toEqual([]);
  });

  it("ignores a last line cut short by a crash, and nothing else", () => {
    const j = started();
    j.append({ type: "intent", phase: "apply", step: steps[0]!.id });
    j.close();
    fs.appendFileSync(file, '{"type":"outcome","runId":"run-1","at":"2027');
    expect(readJournal(file, expected).entries).toHaveLength(1);
    fs.appendFileSync(file, "\n");
    expect(() => readJournal(file, expected)).toThrow(/line 3 is not JSON/);
  });

  it.each([
    [
      "another tenant",
      { tenantId: "99999999-2222-3333-4444-555555555555" },
      /journal of tenant 11111111-.* not of this stack's tenant 99999999-/,
    ],
    ["another stack", { stack: "staging" }, /journal of stack "prod", not of "staging"/],
    [
      "another command",
      { command: "remediate ca-exclusions" },
      /journal of `transition`, not of `remediate ca-exclusions`/,
    ],
  ])("refuses the journal of %s", (_what, change, message) => {
    started().close();
    expect(() => readJournal(file, { ...expected, ...change })).toThrow(message);
  });

  it("refuses a journal with a line of another run, or naming a step the run did not plan", () => {
    const j = started();
    j.close();
    fs.appendFileSync(
      file,
      `${JSON.stringify({ type: "intent", runId: "run-2", at: "x", phase: "apply", step: steps[0]!.id })}\n`,
    );
    expect(() => readJournal(file, expected)).toThrow(/line 2 belongs to run run-2, not to this journal's run run-1/);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").split("\n")[0] + "\n");
    fs.appendFileSync(
      file,
      `${JSON.stringify({ type: "intent", runId: "run-1", at: "x", phase: "apply", step: "remove/b/ga" })}\n`,
    );
    expect(() => readJournal(file, expected)).toThrow(/line 2 names step "remove\/b\/ga", which the run did not plan/);
  });

  it("refuses what is not a journal, naming the file", () => {
    fs.writeFileSync(file, '{"version":2}\n');
    expect(() => readJournal(file, expected)).toThrow(/run\.jsonl: line 1 is not the run of a journal/);
    fs.writeFileSync(file, "");
    expect(() => readJournal(file, expected)).toThrow(/is empty/);
    expect(() => readJournal(path.join(dir, "missing.jsonl"), expected)).toThrow(/no such file or directory/);
  });
});
