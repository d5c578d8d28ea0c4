/**
 * The rules our GitHub workflows must keep, written as functions that return the problems they find, so that
 * the tests can show both that the real workflows pass and that a mutated copy (pack removed, secret added…) fails.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const WORKFLOW_DIR = join(__dirname, "..", "..", ".github", "workflows");

export type Step = {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  id?: string;
  if?: string;
};
export type Job = {
  name?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps?: Step[];
  needs?: string | string[];
  if?: string;
  "timeout-minutes"?: number | string;
};
export type Workflow = {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  defaults?: { run?: { shell?: string } };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
};

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
}

export function readWorkflowSource(file: string): string {
  return readFileSync(join(WORKFLOW_DIR, file), "utf8");
}

export function loadWorkflow(file: string): Workflow {
  return parse(readWorkflowSource(file), { uniqueKeys: true }) as Workflow;
}

export function environmentName(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

export const usesAction = (step: Step, action: string) => (step.uses ?? "").split("@")[0] === action;

/** A pulumi command a step runs: through pulumi/actions (`command:`) or as a shell command. */
export interface PulumiInvocation {
  job: string;
  command: string;
  policyPacks: string[];
  policyPackConfigs: string[];
  refresh: boolean;
  expectNoChanges: boolean;
}

/** `${{ runner.temp }}` in action inputs and `$RUNNER_TEMP` in scripts name the same directory. */
function normalizePath(path: string): string {
  return path
    .replace(/\$\{\{\s*runner\.temp\s*\}\}/g, "$RUNNER_TEMP")
    .replace(/["']/g, "")
    .trim();
}

function flagValues(script: string, flag: string): string[] {
  const values: string[] = [];
  const re = new RegExp(`${flag}[ =]("[^"]*"|'[^']*'|\\S+)`, "g");
  for (const match of script.matchAll(re)) values.push(normalizePath(match[1]));
  return values;
}

export function pulumiInvocations(jobName: string, job: Job): PulumiInvocation[] {
  const found: PulumiInvocation[] = [];
  for (const step of job.steps ?? []) {
    if (usesAction(step, "pulumi/actions") && step.with?.command) {
      const w = step.with;
      found.push({
        job: jobName,
        command: String(w.command),
        policyPacks: w.policyPacks
          ? String(w.policyPacks)
              .split(/[\n,]+/)
              .map((p) => p.trim())
              .filter(Boolean)
          : [],
        policyPackConfigs: w.policyPackConfigs
          ? normalizePath(String(w.policyPackConfigs))
              .split(/[\n,]+/)
              .map((c) => c.trim())
              .filter(Boolean)
          : [],
        refresh: w.refresh === true || w.refresh === "true",
        expectNoChanges: w["expect-no-changes"] === true || w["expect-no-changes"] === "true",
      });
    }
    // Join continued lines so that flags on the next line belong to their command.
    const script = (step.run ?? "").replace(/\\\n\s*/g, " ");
    for (const line of script.split("\n")) {
      // A command, not a mention inside a quoted string (an echo of the report table).
      const bare = line.replace(/"[^"]*"|'[^']*'/g, '""').trimStart();
      const match = bare.match(/(?:^|[;&|]\s*)pulumi\s+(preview|up|update|refresh|destroy)\b/);
      if (!match) continue;
      found.push({
        job: jobName,
        command: match[1],
        policyPacks: flagValues(line, "--policy-pack"),
        policyPackConfigs: flagValues(line, "--policy-pack-config"),
        refresh: /--refresh\b/.test(line),
        expectNoChanges: /--expect-no-changes\b/.test(line),
      });
    }
  }
  return found;
}

/** The policy config file the job's offline plan writes (`npm run plan -- … --write-policy-config FILE`). */
export function writtenPolicyConfigs(job: Job): string[] {
  return (job.steps ?? []).flatMap((step) =>
    /npm run plan\b/.test(step.run ?? "") ? flagValues(step.run ?? "", "--write-policy-config") : [],
  );
}

/**
 * Every preview/up in the given jobs runs our pack (`policies`) with the config the same job wrote from the stack,
 * and each of these jobs runs pulumi at all (a job whose pulumi step was deleted must not pass silently).
 */
export function policyPackProblems(workflow: Workflow, jobNames: string[]): string[] {
  const problems: string[] = [];
  for (const name of jobNames) {
    const job = workflow.jobs[name];
    if (!job) {
      problems.push(`job '${name}' is missing`);
      continue;
    }
    const invocations = pulumiInvocations(name, job).filter((i) => ["preview", "up", "update"].includes(i.command));
    if (invocations.length === 0) problems.push(`job '${name}' runs no pulumi preview/up`);
    const written = writtenPolicyConfigs(job);
    for (const inv of invocations) {
      if (!inv.policyPacks.includes("policies"))
        problems.push(`job '${name}': pulumi ${inv.command} without the policy pack 'policies'`);
      if (inv.policyPackConfigs.length !== inv.policyPacks.length) {
        problems.push(
          `job '${name}': pulumi ${inv.command} passes ${inv.policyPacks.length} pack(s) but ${inv.policyPackConfigs.length} config(s)`,
        );
      }
      for (const config of inv.policyPackConfigs) {
        if (!written.includes(config))
          problems.push(
            `job '${name}': pack config '${config}' is not the one the plan wrote (${written.join(", ") || "none"})`,
          );
      }
    }
  }
  return problems;
}

/** The longest a job may run on a GitHub-hosted runner (6 hours, GitHub's usage limits): `timeout-minutes` defaults to it. */
export const GITHUB_MAX_JOB_MINUTES = 360;

/**
 * Every job bounds its run time with `timeout-minutes` (1…360, a number: an expression would defeat the check): a
 * hung step must not hold a runner, the stack's concurrency group and a sign-in for GitHub's default of 6 hours.
 */
export function timeoutProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const minutes = job["timeout-minutes"];
    if (minutes === undefined) problems.push(`job '${name}' has no timeout-minutes`);
    else if (
      typeof minutes !== "number" ||
      !Number.isInteger(minutes) ||
      minutes < 1 ||
      minutes > GITHUB_MAX_JOB_MINUTES
    )
      problems.push(
        `job '${name}': timeout-minutes ${JSON.stringify(minutes)} is not a whole number of minutes from 1 to ${GITHUB_MAX_JOB_MINUTES}`,
      );
  }
  return problems;
}

const SECRET_PATTERNS = [/client[-_ ]?secret/i, /AZURE_CREDENTIALS/i, /\bcreds\s*:/i, /certificate[-_ ]?password/i];

/** OIDC only: no client secret anywhere, azure/login with ids from `vars`, id-token only where azure/login runs. */
export function identityProblems(workflow: Workflow, source: string): string[] {
  const problems: string[] = [];
  for (const pattern of SECRET_PATTERNS)
    if (pattern.test(source)) problems.push(`references a client secret (${pattern})`);
  if (typeof workflow.permissions !== "object" || Object.keys(workflow.permissions).length !== 0) {
    problems.push("workflow-level permissions must be {} (each job asks for its own)");
  }
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const perms = job.permissions;
    if (typeof perms !== "object") {
      problems.push(`job '${name}' has no explicit permissions map`);
      continue;
    }
    const logsIn = (job.steps ?? []).some((s) => usesAction(s, "azure/login"));
    if (logsIn !== (perms["id-token"] === "write"))
      problems.push(`job '${name}': id-token: write must go with azure/login and only with it`);
    if (perms.contents && perms.contents !== "read") problems.push(`job '${name}': contents must be read`);
    for (const [scope, level] of Object.entries(perms)) {
      if (!["contents", "id-token", "pull-requests", "issues"].includes(scope))
        problems.push(`job '${name}': unexpected permission ${scope}: ${level}`);
    }
    for (const step of job.steps ?? []) {
      if (!usesAction(step, "azure/login")) continue;
      for (const input of ["client-id", "tenant-id", "subscription-id"]) {
        if (!/^\$\{\{\s*vars\.[A-Z_]+\s*\}\}$/.test(String(step.with?.[input] ?? "")))
          problems.push(`job '${name}': azure/login ${input} must come from vars`);
      }
    }
    if (pulumiInvocations(name, job).length > 0) {
      const env = job.env ?? {};
      if (env.ARM_USE_OIDC !== "true") problems.push(`job '${name}' runs pulumi without ARM_USE_OIDC=true`);
      for (const key of ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]) {
        if (!/^\$\{\{\s*vars\.[A-Z_]+\s*\}\}$/.test(env[key] ?? ""))
          problems.push(`job '${name}': ${key} must come from vars`);
      }
    }
  }
  return problems;
}

/** Matrix jobs run every stack to the end: a failing tenant must not cancel the others. */
export function matrixProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (!job.strategy?.matrix) continue;
    if (job.strategy["fail-fast"] !== false) problems.push(`job '${name}': matrix without fail-fast: false`);
    if (!/fromJSON\(needs\.stacks\.outputs\.stacks\)/.test(String(job.strategy.matrix.stack))) {
      problems.push(`job '${name}': matrix is not over the listed stacks`);
    }
  }
  return problems;
}

/** Only a deploy-<stack> environment (write identity, reviewers) may run `pulumi up`, and it must not overlap. */
export function deployProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  const deploy = workflow.jobs.deploy;
  if (!deploy) return ["no deploy job"];
  if (!/^deploy-\$\{\{\s*matrix\.stack\s*\}\}$/.test(environmentName(deploy) ?? ""))
    problems.push("deploy job is not behind the deploy-<stack> environment");
  const concurrency = deploy.concurrency;
  if (
    typeof concurrency !== "object" ||
    !/matrix\.stack/.test(concurrency.group) ||
    concurrency["cancel-in-progress"] !== false
  ) {
    problems.push("deploy job lacks a per-stack concurrency group that never cancels");
  }
  if (workflow.concurrency?.["cancel-in-progress"] !== false)
    problems.push("deploy workflow runs may overlap or cancel");
  return problems;
}

/**
 * The write identity serves two jobs and nothing else: `pulumi up` behind deploy-<stack> (and pulumi up only there),
 * and the scheduled remediation behind remediate-<stack>, which runs `npm run remediate` and no pulumi at all. Every
 * other environment is read-<stack>.
 */
export function writeIdentityProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const env = environmentName(job);
    const pulumi = pulumiInvocations(name, job);
    const ups = pulumi.filter((i) => i.command === "up" || i.command === "update");
    if (env?.startsWith("deploy-")) {
      if (ups.length === 0) problems.push(`job '${name}': the deploy environment without pulumi up`);
    } else if (ups.length > 0) problems.push(`job '${name}': pulumi up outside the deploy environment`);
    if (env?.startsWith("remediate-")) {
      if (!/^remediate-\$\{\{\s*matrix\.stack\s*\}\}$/.test(env)) problems.push(`job '${name}': environment ${env}`);
      if (pulumi.length > 0) problems.push(`job '${name}': pulumi with the remediation's write identity`);
      const commands = (job.steps ?? []).map((s) => s.run ?? "").filter((r) => /npm run/.test(r));
      if (!commands.every((r) => /npm run --silent remediate -- ca-exclusions /.test(r)))
        problems.push(`job '${name}': runs more than the remediation with the write identity`);
    } else if (env && !env.startsWith("deploy-") && !/^read-\$\{\{\s*matrix\.stack\s*\}\}$/.test(env)) {
      problems.push(`job '${name}': environment ${env} is neither read-, deploy- nor remediate-<stack>`);
    }
  }
  return problems;
}
