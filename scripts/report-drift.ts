/**
 * Turns the per-stack results of the scheduled drift check into GitHub issues, so that drift is seen by people
 * and not only by whoever opens the Actions tab: one open issue per failing stack (created once, then commented
 * on by every later failing run), closed with a comment when the stack is clean again.
 *
 * Input: the `drift-<stack>` artifacts of the drift jobs, each holding `status.json` (the outcome of each check)
 * and `drift.md` (the preview and audit output). A stack with no artifact at all counts as failed: a job that never
 * reported must not read as "no drift".
 *
 * Usage (drift.yml): tsx scripts/report-drift.ts --stacks '["prod"]' --reports DIR --repository owner/name --run-url URL
 * Needs GITHUB_TOKEN with `issues: write`; GITHUB_API_URL is honoured (GitHub Enterprise Server).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";

export const DRIFT_LABEL = "drift";
/** GitHub rejects issue bodies over 65,536 characters; keep room for the table around the report. */
const MAX_REPORT_CHARS = 60_000;

export type CheckOutcome = "success" | "failure" | "cancelled" | "skipped";

/** What the drift job of one stack writes to `status.json` (keys are the drift.yml step ids). */
export interface StackDriftStatus {
  stack: string;
  plan: CheckOutcome;
  preview: CheckOutcome;
  audit: CheckOutcome;
}

export const CHECK_LABELS: Record<Exclude<keyof StackDriftStatus, "stack">, string> = {
  plan: "offline plan + policy pack (`npm run plan`)",
  preview: "`pulumi preview --refresh --expect-no-changes` with the policy pack",
  audit: "live-tenant audit (`npm run audit`)",
};

export interface StackReport {
  stack: string;
  /** undefined when the stack's job produced no status (it failed before writing one, or never ran). */
  status?: StackDriftStatus;
  markdown?: string;
}

export function issueTitle(stack: string): string {
  return `Drift check failed: stack ${stack}`;
}

export function isClean(report: StackReport): boolean {
  const s = report.status;
  return s !== undefined && s.plan === "success" && s.preview === "success" && s.audit === "success";
}

export function readStackReport(reportsDir: string, stack: string): StackReport {
  const dir = join(reportsDir, `drift-${stack}`);
  const statusFile = join(dir, "status.json");
  const markdownFile = join(dir, "drift.md");
  const report: StackReport = { stack };
  if (existsSync(statusFile)) {
    const parsed = JSON.parse(readFileSync(statusFile, "utf8")) as Partial<StackDriftStatus>;
    report.status = {
      stack,
      plan: outcome(parsed.plan),
      preview: outcome(parsed.preview),
      audit: outcome(parsed.audit),
    };
  }
  if (existsSync(markdownFile)) report.markdown = readFileSync(markdownFile, "utf8");
  return report;
}

/** Anything but an explicit success/skip/cancel counts as a failure: an unknown word must never read as clean. */
function outcome(value: unknown): CheckOutcome {
  return value === "success" || value === "skipped" || value === "cancelled" ? value : "failure";
}

export function issueBody(report: StackReport, runUrl: string): string {
  const lines = [`The scheduled drift check of stack \`${report.stack}\` failed in [this run](${runUrl}).`, ""];
  if (report.status === undefined) {
    lines.push("The stack's job produced no report (it failed before its checks ran, or never started): open the run.");
  } else {
    lines.push("| check | outcome |", "|---|---|");
    for (const [key, label] of Object.entries(CHECK_LABELS)) {
      lines.push(`| ${label} | ${report.status[key as keyof typeof CHECK_LABELS]} |`);
    }
  }
  if (report.markdown) {
    const text =
      report.markdown.length > MAX_REPORT_CHARS
        ? `${report.markdown.slice(0, MAX_REPORT_CHARS)}\n\n… (truncated: the full report is in the run's artifacts)`
        : report.markdown;
    lines.push("", "<details><summary>Report</summary>", "", text, "", "</details>");
  }
  lines.push(
    "",
    'Runbook: docs/operations.md → "Responding to drift". This issue is closed automatically by the first clean run.',
  );
  return lines.join("\n");
}

export interface GitHubOptions {
  apiUrl: string;
  token: string;
  repository: string;
}

interface Issue {
  number: number;
  title: string;
  pull_request?: unknown;
}

export class GitHubIssues {
  constructor(private readonly options: GitHubOptions) {}

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; link: string | null }> {
    const url = path.startsWith("http") ? path : `${this.options.apiUrl.replace(/\/$/, "")}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${this.options.token}`,
        "X-GitHub-Api-Version": "2022-11-28",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    return { status: response.status, json, link: response.headers.get("link") };
  }

  private async expectOk(method: string, path: string, body?: unknown): Promise<unknown> {
    const { status, json } = await this.request(method, path, body);
    if (status < 200 || status >= 300) {
      const message = (json as { message?: string } | undefined)?.message ?? "";
      throw new Error(`GitHub ${method} ${path} failed: ${status} ${message}`.trim());
    }
    return json;
  }

  private get repoPath(): string {
    return `/repos/${this.options.repository}`;
  }

  /** Creates the label once; 422 means it already exists. */
  async ensureLabel(): Promise<void> {
    const { status, json } = await this.request("POST", `${this.repoPath}/labels`, {
      name: DRIFT_LABEL,
      color: "d93f0b",
      description: "Live tenant or stack differs from the baseline",
    });
    if (status !== 201 && status !== 422) {
      throw new Error(
        `GitHub POST labels failed: ${status} ${(json as { message?: string } | undefined)?.message ?? ""}`.trim(),
      );
    }
  }

  async findOpenIssue(title: string): Promise<Issue | undefined> {
    let next: string | undefined = `${this.repoPath}/issues?state=open&labels=${DRIFT_LABEL}&per_page=100`;
    while (next) {
      const { status, json, link } = await this.request("GET", next);
      if (status !== 200) throw new Error(`GitHub GET issues failed: ${status}`);
      // The issues endpoint also lists pull requests; a PR titled like a drift issue is not one.
      const found = (json as Issue[]).find((issue) => issue.pull_request === undefined && issue.title === title);
      if (found) return found;
      next = link?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
    }
    return undefined;
  }

  createIssue(title: string, body: string): Promise<unknown> {
    return this.expectOk("POST", `${this.repoPath}/issues`, { title, body, labels: [DRIFT_LABEL] });
  }

  comment(issue: number, body: string): Promise<unknown> {
    return this.expectOk("POST", `${this.repoPath}/issues/${issue}/comments`, { body });
  }

  close(issue: number): Promise<unknown> {
    return this.expectOk("PATCH", `${this.repoPath}/issues/${issue}`, { state: "closed", state_reason: "completed" });
  }
}

export type DriftAction = "opened" | "commented" | "closed" | "none";

export async function reportDrift(
  reports: StackReport[],
  github: GitHubIssues,
  runUrl: string,
): Promise<Record<string, DriftAction>> {
  const actions: Record<string, DriftAction> = {};
  if (reports.some((r) => !isClean(r))) await github.ensureLabel();
  for (const report of reports) {
    const title = issueTitle(report.stack);
    const open = await github.findOpenIssue(title);
    if (!isClean(report)) {
      const body = issueBody(report, runUrl);
      if (open) {
        await github.comment(open.number, body);
        actions[report.stack] = "commented";
      } else {
        await github.createIssue(title, body);
        actions[report.stack] = "opened";
      }
    } else if (open) {
      await github.comment(open.number, `Stack \`${report.stack}\` is clean again in [this run](${runUrl}): closing.`);
      await github.close(open.number);
      actions[report.stack] = "closed";
    } else {
      actions[report.stack] = "none";
    }
  }
  return actions;
}

export function parseStacks(json: string): string[] {
  const stacks: unknown = JSON.parse(json);
  if (!Array.isArray(stacks) || stacks.some((s) => typeof s !== "string")) {
    throw new Error(`--stacks must be a JSON array of stack names, got ${json}`);
  }
  return stacks as string[];
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("report-drift")
    .requiredOption("--stacks <json>", "JSON array of the stacks the drift matrix ran over")
    .requiredOption("--reports <dir>", "directory holding the downloaded drift-<stack> artifacts")
    .requiredOption("--repository <owner/name>", "repository to file issues in")
    .requiredOption("--run-url <url>", "URL of the workflow run, linked from the issues")
    .parse(argv);
  const opts = program.opts<{ stacks: string; reports: string; repository: string; runUrl: string }>();
  const token = process.env.GITHUB_TOKEN;
  if (!token) {
    console.error("report-drift: GITHUB_TOKEN is not set");
    return 2;
  }
  const github = new GitHubIssues({
    apiUrl: process.env.GITHUB_API_URL ?? "https://api.github.com",
    token,
    repository: opts.repository,
  });
  const reports = parseStacks(opts.stacks).map((stack) => readStackReport(opts.reports, stack));
  const actions = await reportDrift(reports, github, opts.runUrl);
  for (const [stack, action] of Object.entries(actions)) console.log(`${stack}: ${action}`);
  return 0;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`report-drift: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
