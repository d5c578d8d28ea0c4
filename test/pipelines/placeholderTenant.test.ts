/**
 * The pipelines run the user's stacks, never the placeholder tenant of the bundled example: check-stack-tenant.sh
 * refuses a stack that still names it (tenantId 11111111-…, contoso.onmicrosoft.com), and every per-stack job of every
 * GitHub workflow and of the Azure DevOps pipeline runs it first, before npm ci and before any pulumi command. Azure
 * DevOps takes its stacks from a compile-time parameter, so check-pipeline-stacks.sh holds that list to the stack files.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { STACK, STACK_DIR, stackText } from "../support/stack";
import { loadWorkflow, type Step } from "../support/workflowChecks";

const ROOT = join(__dirname, "..", "..");
const CHECK_TENANT = join(ROOT, "scripts", "check-stack-tenant.sh");
const CHECK_STACKS = join(ROOT, "scripts", "check-pipeline-stacks.sh");
// A stack of the placeholder tenant: the test stack's (the bundled Pulumi.prod.yaml is the user's to point at theirs).
const PLACEHOLDER = stackText();
const OWN_TENANT = readFileSync(join(ROOT, "examples", "existing-program", "Pulumi.dev.yaml"), "utf8");

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    env: { ...process.env, STACKS: "", GITHUB_ACTIONS: "", TF_BUILD: "", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function stackDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "stack-tenant-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("check-stack-tenant.sh", () => {
  it("refuses a stack that governs the placeholder tenant (the test stack)", () => {
    const { code, stderr, stdout } = run(CHECK_TENANT, [STACK, STACK_DIR]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /stack 'test' \(.*fixtures\/stack\/Pulumi\.test\.yaml\) still governs the placeholder tenant of the bundled example \(tenantId 11111111-2222-3333-4444-555555555555 and the domain contoso\.onmicrosoft\.com\): set entra-baseline:tenant/,
    );
  });

  it("accepts a stack of the user's own tenant (the example program's)", () => {
    const { code, stdout } = run(CHECK_TENANT, ["dev", stackDir({ "Pulumi.dev.yaml": OWN_TENANT })]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/stack 'dev' names a tenant of its own/);
  });

  it.each([
    ["the placeholder tenant id alone, quoted", OWN_TENANT.replace(/tenantId: .*/, 'tenantId: "11111111-2222-3333-4444-555555555555"')],
    ["the placeholder domain left in the breakglass domain", OWN_TENANT.replace(/domain: fabrikam\.onmicrosoft\.com/, "domain: contoso.onmicrosoft.com")],
  ])("refuses %s", (_what, text) => {
    expect(text).not.toBe(OWN_TENANT);
    const { code, stderr } = run(CHECK_TENANT, ["dev", stackDir({ "Pulumi.dev.yaml": text })]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/still governs the placeholder tenant/);
  });

  it("ignores the placeholder in comments, and a domain that only ends like it", () => {
    const text = `# was: tenantId 11111111-2222-3333-4444-555555555555 (contoso.onmicrosoft.com)\n${OWN_TENANT}`.replace(
      "initialDomain: fabrikam.onmicrosoft.com",
      "initialDomain: notcontoso.onmicrosoft.com # not contoso.onmicrosoft.com",
    );
    expect(run(CHECK_TENANT, ["dev", stackDir({ "Pulumi.dev.yaml": text })]).code).toBe(0);
  });

  it("annotates the refusal for the run's summary on GitHub Actions and Azure Pipelines", () => {
    const dir = stackDir({ "Pulumi.prod.yaml": PLACEHOLDER });
    expect(run(CHECK_TENANT, ["prod", dir], { GITHUB_ACTIONS: "true" }).stdout).toMatch(/^::error title=Placeholder tenant::stack 'prod'/);
    expect(run(CHECK_TENANT, ["prod", dir], { TF_BUILD: "True" }).stdout).toMatch(/^##vso\[task\.logissue type=error\]stack 'prod'/);
  });

  it("refuses a stack without a file and a name that is not a stack name", () => {
    const dir = stackDir({ "Pulumi.prod.yaml": OWN_TENANT });
    const missing = run(CHECK_TENANT, ["staging", dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/stack 'staging' has no .*Pulumi\.staging\.yaml/);
    const injected = run(CHECK_TENANT, ["prod;rm -rf /", dir]);
    expect(injected.code).toBe(2);
    expect(injected.stderr).toMatch(/usage: check-stack-tenant\.sh STACK/);
  });
});

describe("check-pipeline-stacks.sh", () => {
  const dir = stackDir({ "Pulumi.yaml": "name: x\n", "Pulumi.prod.yaml": OWN_TENANT, "Pulumi.staging.yaml": OWN_TENANT });

  it("accepts a stacks parameter that is exactly the stack files, in any order", () => {
    expect(run(CHECK_STACKS, ["staging,prod", dir]).code).toBe(0);
  });

  it("names a stack file the parameter leaves out, and a listed stack without a file", () => {
    const { code, stderr } = run(CHECK_STACKS, ["prod,test", dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Pulumi\.staging\.yaml is not in the stacks parameter: add '- staging' to parameters\.stacks/);
    expect(stderr).toMatch(/the stacks parameter lists 'test', which has no Pulumi\.test\.yaml/);
  });

  it("holds the repository's own pipeline parameter to its stack files", () => {
    const pipeline = parse(readFileSync(join(ROOT, "pipelines", "azure-pipelines.yml"), "utf8")) as {
      parameters: { name: string; default: string[] }[];
    };
    const stacks = pipeline.parameters.find((p) => p.name === "stacks")!.default;
    expect(run(CHECK_STACKS, [stacks.join(","), ROOT]).code).toBe(0);
  });
});

/** A step that installs or reaches a tenant: anything the refusal must come before. */
const isConsequential = (step: Step) =>
  (step.uses !== undefined && !step.uses.startsWith("actions/checkout@")) || /\b(npm|pulumi|az)\b/.test(step.run ?? "");

describe("every per-stack job refuses the placeholder tenant first", () => {
  const PER_STACK: Record<string, string[]> = {
    "preview.yml": ["preview"],
    "deploy.yml": ["preview", "deploy"],
    "drift.yml": ["drift", "remediate"],
    "review.yml": ["review"],
  };

  it.each(Object.entries(PER_STACK))("%s", (file, jobs) => {
    const workflow = loadWorkflow(file);
    const withMatrix = Object.entries(workflow.jobs).filter(([, job]) => job.strategy?.matrix?.stack !== undefined);
    expect(withMatrix.map(([name]) => name).sort()).toEqual([...jobs].sort());
    for (const name of jobs) {
      const job = workflow.jobs[name]!;
      expect(job.env?.STACK).toBe("${{ matrix.stack }}");
      const steps = job.steps ?? [];
      const check = steps.findIndex((s) => /^scripts\/check-stack-tenant\.sh "\$STACK"$/.test((s.run ?? "").trim()));
      expect(check, `${file} ${name}`).toBeGreaterThan(0);
      expect(steps.slice(0, check).some(isConsequential), `${file} ${name}: a step before the refusal`).toBe(false);
      expect(steps[check]!.if, "the refusal is unconditional").toBeUndefined();
    }
  });

  it("the Azure DevOps per-stack steps and the review stage do, and the test stage checks the stacks parameter", () => {
    const prepare = parse(readFileSync(join(ROOT, "pipelines", "templates", "prepare-stack.yml"), "utf8")) as {
      steps: Record<string, unknown>[];
    };
    const refusal = (steps: Record<string, unknown>[], stack: string) =>
      steps.findIndex((s) => s.script === `scripts/check-stack-tenant.sh "${stack}"`);
    expect(refusal(prepare.steps, "${{ parameters.stack }}")).toBe(1); // right after the checkout
    const source = readFileSync(join(ROOT, "pipelines", "azure-pipelines.yml"), "utf8");
    const pipeline = parse(source) as { stages: { stage: string; jobs: Record<string, unknown>[] }[] };
    const review = pipeline.stages.find((s) => s.stage === "Review")!;
    const reviewJob = (Object.values(review.jobs[0]!)[0] as Record<string, unknown>[])[0]!;
    expect(refusal(reviewJob.steps as Record<string, unknown>[], "${{ stack }}")).toBe(1);
    const test = pipeline.stages.find((s) => s.stage === "Test")!;
    const testSteps = test.jobs[0]!.steps as Record<string, unknown>[];
    expect(testSteps.map((s) => s.script)).toContain(`scripts/check-pipeline-stacks.sh "\${{ join(',', parameters.stacks) }}"`);
  });
});
