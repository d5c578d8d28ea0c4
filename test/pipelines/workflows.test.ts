import { describe, expect, it } from "vitest";
import { validateWorkflow } from "@action-validator/core";
import {
  deployProblems,
  identityProblems,
  loadWorkflow,
  matrixProblems,
  policyPackProblems,
  pulumiInvocations,
  readWorkflowSource,
  timeoutProblems,
  usesAction,
  workflowFiles,
  writeIdentityProblems,
  type Workflow,
} from "../support/workflowChecks";

const clone = (w: Workflow): Workflow => structuredClone(w);

/** The jobs whose pulumi preview/up must run the policy pack, per workflow. */
const PACK_JOBS: Record<string, string[]> = {
  "preview.yml": ["preview"],
  "deploy.yml": ["preview", "deploy"],
  "drift.yml": ["drift"],
};

describe("GitHub workflows", () => {
  it("ships the four workflows the baseline is run with", () => {
    expect(workflowFiles().sort()).toEqual(["deploy.yml", "drift.yml", "preview.yml", "review.yml"]);
  });

  describe.each(workflowFiles())("%s", (file) => {
    const source = readWorkflowSource(file);
    const workflow = loadWorkflow(file);

    it("is valid against the GitHub workflow schema (action-validator)", () => {
      expect(validateWorkflow(source).errors).toEqual([]);
    });

    it("uses OIDC only: no client secret, ids from vars, id-token only with azure/login, least privilege per job", () => {
      expect(identityProblems(workflow, source)).toEqual([]);
    });

    it("runs every stack of the matrix to the end (fail-fast: false)", () => {
      expect(matrixProblems(workflow)).toEqual([]);
    });

    it("bounds every job's run time (timeout-minutes), so a hung step cannot hold the runner and the stack for 6 hours", () => {
      expect(timeoutProblems(workflow)).toEqual([]);
      const first = Object.keys(workflow.jobs)[0]!;
      const without = clone(workflow);
      delete without.jobs[first]!["timeout-minutes"];
      expect(timeoutProblems(without)).toEqual([`job '${first}' has no timeout-minutes`]);
      const unbounded = clone(workflow);
      unbounded.jobs[first]!["timeout-minutes"] = "${{ vars.TIMEOUT }}";
      expect(timeoutProblems(unbounded)).toHaveLength(1);
    });

    it("runs scripts with bash -eo pipefail, so that a failing `plan | tee` fails the step", () => {
      expect(workflow.defaults?.run?.shell).toBe("bash");
    });

    it("pins every action to a release (major version or commit), never a branch", () => {
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses) expect(step.uses, step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
        }
      }
    });

    it("uses the write identity only for pulumi up (deploy-<stack>) and the remediation (remediate-<stack>), and pulumi up only there", () => {
      expect(writeIdentityProblems(workflow)).toEqual([]);
    });
  });

  it("the schema validator is real: it rejects a job with a misspelt key and a bad permission level", () => {
    const source = readWorkflowSource("deploy.yml");
    const misspelt = source.replace("  deploy:\n    name: deploy", "  deploy:\n    nmae: deploy");
    const badPermission = source.replace("id-token: write # OIDC: federated credential of the write identity", "id-token: admin");
    expect(misspelt).not.toBe(source);
    expect(badPermission).not.toBe(source);
    expect(validateWorkflow(misspelt).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(badPermission).errors.length).toBeGreaterThan(0);
  });

  describe.each(Object.entries(PACK_JOBS))("%s passes the policy pack", (file, jobs) => {
    const workflow = loadWorkflow(file);

    it(`on every preview/up of ${jobs.join(", ")}, with the config the offline plan wrote for the stack`, () => {
      expect(policyPackProblems(workflow, jobs)).toEqual([]);
    });

    it("and the check fails on a copy without the pack", () => {
      const mutated = clone(workflow);
      for (const job of jobs) {
        for (const step of mutated.jobs[job].steps ?? []) {
          if (step.with) delete step.with.policyPacks;
          if (step.run) step.run = step.run.replace(/--policy-pack policies/g, "");
        }
      }
      expect(policyPackProblems(mutated, jobs).some((p) => p.includes("without the policy pack"))).toBe(true);
    });

    it("and the check fails on a copy whose pack config is not the one the plan wrote", () => {
      const mutated = clone(workflow);
      for (const job of jobs) {
        for (const step of mutated.jobs[job].steps ?? []) {
          if (step.with?.policyPackConfigs) step.with.policyPackConfigs = "other.json";
          if (step.run) step.run = step.run.replace(/--policy-pack-config "\$RUNNER_TEMP\/policy-config.json"/g, "--policy-pack-config other.json");
        }
      }
      expect(policyPackProblems(mutated, jobs).some((p) => p.includes("is not the one the plan wrote"))).toBe(true);
    });

    it("and the check fails on a copy whose pulumi step was deleted", () => {
      const mutated = clone(workflow);
      const job = mutated.jobs[jobs[0]];
      job.steps = (job.steps ?? []).filter((s) => !usesAction(s, "pulumi/actions") && !/pulumi (preview|up)/.test(s.run ?? ""));
      expect(policyPackProblems(mutated, jobs)).toContain(`job '${jobs[0]}' runs no pulumi preview/up`);
    });
  });

  describe("preview.yml", () => {
    const workflow = loadWorkflow("preview.yml");
    const job = workflow.jobs.preview;

    it("runs on pull requests, after the tests, and comments the preview on the pull request", () => {
      expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
      expect(job.needs).toContain("test");
      const step = job.steps!.find((s) => usesAction(s, "pulumi/actions"))!;
      expect(step.with).toMatchObject({ command: "preview", "comment-on-pr": true });
      expect(job.permissions).toMatchObject({ "pull-requests": "write", "id-token": "write", contents: "read" });
    });

    it("runs the tests (npm ci, npm test) and the offline plan before any cloud call", () => {
      const runs = workflow.jobs.test.steps!.map((s) => s.run).filter(Boolean);
      expect(runs).toEqual(["npm ci", "npm test"]);
      const steps = job.steps!;
      const plan = steps.findIndex((s) => /npm run plan -- --stack "\$STACK"/.test(s.run ?? ""));
      const login = steps.findIndex((s) => usesAction(s, "azure/login"));
      expect(plan).toBeGreaterThan(-1);
      expect(plan).toBeLessThan(login);
    });

    it("never gives fork pull requests a job that asks for an OIDC token", () => {
      expect(job.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    });
  });

  describe("deploy.yml", () => {
    const workflow = loadWorkflow("deploy.yml");

    it("runs on pushes to main, behind an environment, one deploy at a time", () => {
      expect(workflow.on).toHaveProperty("push");
      expect((workflow.on.push as { branches: string[] }).branches).toEqual(["main"]);
      expect(deployProblems(workflow)).toEqual([]);
    });

    it("the deploy check fails on a copy without the environment or the concurrency", () => {
      const noEnvironment = clone(workflow);
      delete noEnvironment.jobs.deploy.environment;
      expect(deployProblems(noEnvironment)).toContain("deploy job is not behind the deploy-<stack> environment");
      const noConcurrency = clone(workflow);
      delete noConcurrency.jobs.deploy.concurrency;
      expect(deployProblems(noConcurrency)).toContain("deploy job lacks a per-stack concurrency group that never cancels");
    });

    it("deploys only after the tests, whatever another stack's preview did", () => {
      const deploy = workflow.jobs.deploy;
      expect(deploy.needs).toEqual(expect.arrayContaining(["test", "stacks", "preview"]));
      expect(deploy.if).toContain("!cancelled()");
      expect(deploy.if).toContain("needs.test.result == 'success'");
    });

    it("rotates breakglass passwords by hand: URNs checked before approval, unprotected then replaced by up", () => {
      const dispatch = workflow.on.workflow_dispatch as { inputs: Record<string, unknown> };
      expect(Object.keys(dispatch.inputs)).toEqual(["stack", "replace"]);
      const stacks = workflow.jobs.stacks.steps!;
      expect(stacks.find((s) => s.id === "list")!.env).toEqual({ STACKS: "${{ inputs.stack || vars.STACKS }}" });
      expect(stacks.find((s) => /check-replace-urns\.sh/.test(s.run ?? ""))?.if).toBe("inputs.replace != ''");

      const steps = workflow.jobs.deploy.steps!;
      const unprotect = steps.findIndex((s) => /pulumi state unprotect/.test(s.run ?? ""));
      const up = steps.findIndex((s) => usesAction(s, "pulumi/actions") && s.with?.command === "up");
      expect(unprotect).toBeGreaterThan(-1);
      expect(unprotect).toBeLessThan(up);
      expect(steps[unprotect].run).toMatch(/^scripts\/check-replace-urns\.sh/);
      expect(steps[up].with?.replace).toBe("${{ inputs.replace }}");
      // A preview cannot replace a protected resource: the replacement is shown by the approved up, not the preview.
      expect(workflow.jobs.preview.steps!.find((s) => usesAction(s, "pulumi/actions"))!.with?.replace).toBeUndefined();
    });

    it("shares the per-stack concurrency group with the drift check", () => {
      const drift = loadWorkflow("drift.yml").jobs.drift;
      const group = (j: typeof drift) => (typeof j.concurrency === "object" ? j.concurrency.group : j.concurrency);
      expect(group(drift)).toBe(group(workflow.jobs.deploy));
    });
  });

  describe("drift.yml", () => {
    const workflow = loadWorkflow("drift.yml");
    const job = workflow.jobs.drift;

    it("runs daily and on demand", () => {
      expect(workflow.on).toHaveProperty("workflow_dispatch");
      const [schedule] = workflow.on.schedule as { cron: string }[];
      expect(schedule.cron.split(" ").slice(2)).toEqual(["*", "*", "*"]);
    });

    it("previews with --refresh --expect-no-changes and runs the live-tenant audit, each allowed to fail alone", () => {
      const previews = pulumiInvocations("drift", job).filter((i) => i.command === "preview");
      expect(previews).toHaveLength(1);
      expect(previews[0]).toMatchObject({ refresh: true, expectNoChanges: true });
      const audit = job.steps!.find((s) => s.id === "audit")!;
      expect(audit.run).toMatch(/npm run --silent audit -- --stack "\$STACK" --markdown --fail-on/);
      // An exit 2 (missing permission, invalid config) is explained on stderr only: the report must carry it.
      expect(audit.run).toMatch(/2> >\(tee "\$REPORT_DIR\/audit-errors\.txt" >&2\)/);
      const report = job.steps!.find((s) => s.name === "Write the stack's report")!;
      expect(report.run).toContain('cat "$REPORT_DIR/audit-errors.txt"');
      for (const id of ["plan", "preview", "audit"]) {
        expect(job.steps!.find((s) => s.id === id), id).toMatchObject({ "continue-on-error": true });
      }
    });

    it("fails the stack's job visibly and files the result as an issue whatever the drift jobs did", () => {
      const fail = job.steps!.find((s) => s.run?.includes("exit 1"))!;
      expect(fail.if).toMatch(/steps\.plan\.outcome != 'success'.*steps\.preview\.outcome != 'success'.*steps\.audit\.outcome != 'success'/);
      const upload = job.steps!.find((s) => usesAction(s, "actions/upload-artifact"))!;
      expect(upload.if).toBe("always()");
      const report = workflow.jobs.report;
      expect(report.if).toContain("always()");
      expect(report.permissions).toEqual({ contents: "read", issues: "write" });
      expect(report.steps!.some((s) => /scripts\/report-drift\.ts/.test(s.run ?? ""))).toBe(true);
    });
  });

  describe("drift.yml remediation", () => {
    const workflow = loadWorkflow("drift.yml");
    const job = workflow.jobs.remediate;
    const step = (id: string) => job.steps!.find((s) => s.id === id)!;

    it("runs after the drift check, for every stack, whatever the drift check found", () => {
      expect(job.needs).toEqual(["stacks", "drift"]);
      expect(job.if).toContain("always()");
      expect(matrixProblems({ ...workflow, jobs: { remediate: job } })).toEqual([]);
      const group = (j: typeof job) => (typeof j.concurrency === "object" ? j.concurrency.group : j.concurrency);
      expect(group(job)).toBe(group(workflow.jobs.drift));
    });

    it("signs in and writes only where the stack config turns it on, and then with --apply", () => {
      const setting = step("setting");
      expect(setting.run).toContain('npm run --silent remediate -- ca-exclusions --stack "$STACK" --is-enabled');
      expect(setting.run).toContain('>> "$GITHUB_OUTPUT"');
      const steps = job.steps!;
      const login = steps.findIndex((s) => usesAction(s, "azure/login"));
      expect(steps.indexOf(setting)).toBeLessThan(login);
      expect(steps[login]!.if).toBe("steps.setting.outputs.on == 'true'");
      expect(step("remediate").if).toBe("steps.setting.outputs.on == 'true'");
      expect(step("remediate").run).toMatch(/npm run --silent remediate -- ca-exclusions --stack "\$STACK" --apply --markdown/);
      // The journal is kept with the run, and an exit 2 explains itself in the summary.
      expect(step("remediate").run).toContain('--journal "$REPORT_DIR/journal.jsonl"');
      expect(step("remediate").run).toMatch(/2> >\(tee "\$REPORT_DIR\/remediate-errors\.txt" >&2\)/);
      expect(steps.some((s) => usesAction(s, "actions/upload-artifact") && s.if?.includes("always()"))).toBe(true);
    });

    it("the write identity check fails on a copy whose remediation job runs pulumi or another command", () => {
      const pulumi = clone(workflow);
      pulumi.jobs.remediate.steps!.push({ run: "pulumi up --yes" });
      expect(writeIdentityProblems(pulumi)).toEqual([
        "job 'remediate': pulumi up outside the deploy environment",
        "job 'remediate': pulumi with the remediation's write identity",
      ]);
      const other = clone(workflow);
      other.jobs.remediate.steps!.push({ run: 'npm run --silent transition -- --stack "$STACK" --apply' });
      expect(writeIdentityProblems(other)).toEqual(["job 'remediate': runs more than the remediation with the write identity"]);
    });
  });

  describe("review.yml", () => {
    const workflow = loadWorkflow("review.yml");
    const job = workflow.jobs.review;

    it("runs weekly and writes the review to the job summary and an artifact", () => {
      const [schedule] = workflow.on.schedule as { cron: string }[];
      expect(schedule.cron.split(" ")[4]).toMatch(/^[0-6]$/);
      const review = job.steps!.find((s) => /npm run --silent review/.test(s.run ?? ""))!;
      expect(review.run).toContain('--stack "$STACK"');
      expect(review.run).toContain('--workspace "$LOG_ANALYTICS_WORKSPACE_ID"');
      expect(review.run).toContain("$GITHUB_STEP_SUMMARY");
      expect(job.steps!.some((s) => usesAction(s, "actions/upload-artifact"))).toBe(true);
    });
  });
});
