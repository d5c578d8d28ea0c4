import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DRIFT_LABEL,
  GitHubIssues,
  isClean,
  issueBody,
  issueTitle,
  parseStacks,
  readStackReport,
  reportDrift,
  type StackDriftStatus,
  type StackReport,
} from "../../scripts/report-drift";
import { FakeGitHub } from "../support/fakes/github";

const RUN_URL = "https://github.com/acme/entra/actions/runs/42";
const REPO = "acme/entra";
const clean = (stack: string): StackReport => ({ stack, status: { stack, plan: "success", preview: "success", audit: "success" } });
const drifted = (stack: string, over: Partial<StackDriftStatus> = {}): StackReport => ({
  stack,
  status: { stack, plan: "success", preview: "failure", audit: "success", ...over },
  markdown: "### Audit\n| finding | severity |\n|---|---|\n| permanent GA outside PIM | high |",
});

let github: FakeGitHub;
let client: GitHubIssues;

beforeEach(async () => {
  github = new FakeGitHub();
  await github.start();
  client = new GitHubIssues({ apiUrl: github.url, token: "test-token", repository: REPO });
});
afterEach(async () => {
  await github.stop();
});

describe("reportDrift", () => {
  it("opens one labelled issue for a failing stack, with the outcome table, the report and the run link", async () => {
    const actions = await reportDrift([drifted("prod"), clean("test")], client, RUN_URL);

    expect(actions).toEqual({ prod: "opened", test: "none" });
    expect(github.issues).toHaveLength(1);
    const [issue] = github.issues;
    expect(issue.title).toBe("Drift check failed: stack prod");
    expect(issue.labels).toEqual([DRIFT_LABEL]);
    expect(issue.body).toContain(RUN_URL);
    expect(issue.body).toMatch(/`pulumi preview --refresh --expect-no-changes` with the policy pack \| failure \|/);
    expect(issue.body).toContain("permanent GA outside PIM");
    expect(github.labels.has(DRIFT_LABEL)).toBe(true);
    expect(github.requests.every((r) => r.authorization === "Bearer test-token")).toBe(true);
  });

  it("comments on the stack's open issue instead of opening another, ignoring pull requests and other pages", async () => {
    github.pageSize = 2;
    github.labels.add(DRIFT_LABEL);
    github.issues.push(
      { number: 1, title: issueTitle("prod"), state: "open", labels: [DRIFT_LABEL], pull_request: { url: "x" }, comments: [] },
      { number: 2, title: issueTitle("test"), state: "open", labels: [DRIFT_LABEL], comments: [] },
      { number: 3, title: issueTitle("prod"), state: "closed", labels: [DRIFT_LABEL], comments: [] },
      { number: 4, title: "unrelated", state: "open", labels: [DRIFT_LABEL], comments: [] },
      { number: 5, title: issueTitle("prod"), state: "open", labels: [DRIFT_LABEL], comments: [] },
    );

    const actions = await reportDrift([drifted("prod")], client, RUN_URL);

    expect(actions).toEqual({ prod: "commented" });
    expect(github.issues).toHaveLength(5);
    expect(github.issues.find((i) => i.number === 5)!.comments).toHaveLength(1);
    expect(github.issues.find((i) => i.number === 1)!.comments).toHaveLength(0);
    expect(github.requests.filter((r) => r.method === "GET").length).toBeGreaterThan(1);
  });

  it("closes the stack's open issue with a comment once the stack is clean", async () => {
    github.issues.push({ number: 7, title: issueTitle("prod"), state: "open", labels: [DRIFT_LABEL], comments: [] });

    const actions = await reportDrift([clean("prod")], client, RUN_URL);

    expect(actions).toEqual({ prod: "closed" });
    expect(github.issues[0].state).toBe("closed");
    expect(github.issues[0].comments[0]).toContain("clean again");
  });

  it("writes nothing when every stack is clean and no issue is open", async () => {
    const actions = await reportDrift([clean("prod"), clean("test")], client, RUN_URL);

    expect(actions).toEqual({ prod: "none", test: "none" });
    expect(github.writes()).toEqual([]);
  });

  it("treats a stack whose job produced no report as failed, never as clean", async () => {
    const actions = await reportDrift([{ stack: "prod" }], client, RUN_URL);

    expect(actions).toEqual({ prod: "opened" });
    expect(github.issues[0].body).toContain("produced no report");
  });

  it("fails loudly when GitHub refuses to create the issue", async () => {
    github.failures.set("POST /repos/acme/entra/issues", 500);

    await expect(reportDrift([drifted("prod")], client, RUN_URL)).rejects.toThrow(/POST \/repos\/acme\/entra\/issues failed: 500/);
  });
});

describe("drift reports", () => {
  it("counts only three successes as clean; an unknown or skipped outcome is not clean", () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-"));
    mkdirSync(join(dir, "drift-prod"));
    writeFileSync(join(dir, "drift-prod", "status.json"), JSON.stringify({ plan: "success", preview: "weird", audit: "success" }));
    mkdirSync(join(dir, "drift-test"));
    writeFileSync(join(dir, "drift-test", "status.json"), JSON.stringify({ plan: "success", preview: "skipped", audit: "success" }));

    const prod = readStackReport(dir, "prod");
    expect(prod.status?.preview).toBe("failure");
    expect(isClean(prod)).toBe(false);
    expect(isClean(readStackReport(dir, "test"))).toBe(false);
    expect(isClean(readStackReport(dir, "missing"))).toBe(false);
    expect(isClean(clean("prod"))).toBe(true);
  });

  it("keeps the issue body under GitHub's 65,536-character limit", () => {
    const body = issueBody({ ...drifted("prod"), markdown: "x".repeat(200_000) }, RUN_URL);
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("truncated");
  });

  it("accepts only a JSON array of stack names", () => {
    expect(parseStacks('["prod","test"]')).toEqual(["prod", "test"]);
    expect(() => parseStacks('{"prod":1}')).toThrow(/JSON array/);
  });
});

describe("report-drift CLI", () => {
  it("reads the downloaded artifacts and files the issue (as drift.yml runs it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-"));
    mkdirSync(join(dir, "drift-prod"));
    writeFileSync(join(dir, "drift-prod", "status.json"), JSON.stringify({ stack: "prod", plan: "success", preview: "success", audit: "failure" }));
    writeFileSync(join(dir, "drift-prod", "drift.md"), "### Audit\nCA policy 'Legacy block' does not exclude the breakglass group");

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [require.resolve("tsx/cli"), "scripts/report-drift.ts", "--stacks", '["prod","test"]', "--reports", dir, "--repository", REPO, "--run-url", RUN_URL],
      { cwd: join(__dirname, "..", ".."), env: { ...process.env, GITHUB_TOKEN: "cli-token", GITHUB_API_URL: github.url } },
    );

    expect(stdout).toContain("prod: opened");
    expect(stdout).toContain("test: opened"); // no artifact for test: its job never reported
    expect(github.issues.map((i) => i.title).sort()).toEqual([issueTitle("prod"), issueTitle("test")]);
    expect(github.issues.find((i) => i.title === issueTitle("prod"))!.body).toContain("does not exclude the breakglass group");
  });
});
