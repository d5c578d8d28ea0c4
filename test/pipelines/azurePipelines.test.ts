/**
 * The Azure DevOps pipeline: parsed with `yaml` (no schema validator for Azure Pipelines ships on npm), its template
 * `each` loops flattened, its step templates followed, then held to the same rules as the GitHub workflows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = join(__dirname, "..", "..", "pipelines");

type Node = Record<string, unknown>;
type Pipeline = { stages: Node[]; trigger: Node; pr: Node; schedules: Node[]; lockBehavior?: string; parameters: Node[] };

const load = <T>(file: string): T => parse(readFileSync(join(DIR, file), "utf8"), { uniqueKeys: true }) as T;
const pipeline = load<Pipeline>("azure-pipelines.yml");
const pulumiTemplate = load<{ parameters: Node[]; steps: Node[] }>("templates/pulumi-stack.yml");
const prepareTemplate = load<{ steps: Node[] }>("templates/prepare-stack.yml");

/** `- ${{ each stack in parameters.stacks }}: [ …jobs ]` → the jobs it generates (one per stack). */
function expandEach(items: Node[]): Node[] {
  return items.flatMap((item) => {
    const keys = Object.keys(item);
    if (keys.length === 1 && /^\$\{\{\s*each\s+stack\s+in\s+parameters\.stacks\s*\}\}$/.test(keys[0])) return item[keys[0]] as Node[];
    return [item];
  });
}

const stage = (name: string) => pipeline.stages.find((s) => s.stage === name)!;
const jobsOf = (name: string) => expandEach(stage(name).jobs as Node[]);
function stepsOf(job: Node): Node[] {
  if (job.steps) return job.steps as Node[];
  const deploy = (job.strategy as { runOnce: { deploy: { steps: Node[] } } }).runOnce.deploy;
  return deploy.steps;
}
const templateCall = (job: Node, template: string) =>
  stepsOf(job).find((s) => s.template === template) as { template: string; parameters: Record<string, string> } | undefined;

/** The pack flags every pulumi command of the template passes (the template adds them; callers cannot drop them). */
function templateProblems(template: { steps: Node[] }): string[] {
  const problems: string[] = [];
  const tasks = template.steps.filter((s) => s.task === "AzureCLI@2");
  if (tasks.length === 0) problems.push("no AzureCLI@2 step");
  for (const task of tasks) {
    const inputs = task.inputs as Record<string, unknown>;
    if (inputs.addSpnToEnvironment !== true) problems.push("AzureCLI@2 without addSpnToEnvironment");
    const script = String(inputs.inlineScript).replace(/\\\n\s*/g, " ");
    const commands = script.split("\n").filter((l) => /^\s*pulumi \$\{\{ parameters\.pulumiArgs \}\}/.test(l));
    if (commands.length !== 1) problems.push(`expected one pulumi command, found ${commands.length}`);
    for (const command of commands) {
      if (!/--policy-pack policies\b/.test(command)) problems.push("pulumi without --policy-pack policies");
      if (!/--policy-pack-config "\$\(Agent\.TempDirectory\)\/policy-config\.json"/.test(command)) problems.push("pulumi without the stack's pack config");
    }
  }
  return problems;
}

/** Azure Pipelines' ceiling for a job on a Microsoft-hosted agent (private projects: 360 minutes). */
const ADO_MAX_JOB_MINUTES = 360;

/** Every job and deployment job of every stage bounds its run time (`timeoutInMinutes`, 1…360). */
function timeoutProblems(stages: Node[]): string[] {
  return stages.flatMap((s) =>
    expandEach(s.jobs as Node[]).flatMap((job) => {
      const name = String(job.job ?? job.deployment);
      const minutes = job.timeoutInMinutes;
      if (minutes === undefined) return [`job '${name}' has no timeoutInMinutes`];
      return typeof minutes === "number" && Number.isInteger(minutes) && minutes >= 1 && minutes <= ADO_MAX_JOB_MINUTES
        ? []
        : [`job '${name}': timeoutInMinutes ${JSON.stringify(minutes)} is not 1…${ADO_MAX_JOB_MINUTES}`];
    }),
  );
}

describe("Azure DevOps pipeline", () => {
  it("bounds every job's run time (timeoutInMinutes); the check fails on a copy without one", () => {
    expect(timeoutProblems(pipeline.stages)).toEqual([]);
    const copy = structuredClone(pipeline);
    delete (copy.stages[0]!.jobs as Node[])[0]!.timeoutInMinutes;
    expect(timeoutProblems(copy.stages)).toEqual(["job 'test' has no timeoutInMinutes"]);
  });

  it("has the stages of the GitHub workflows: test, PR preview, main deploy, scheduled drift and review", () => {
    expect(pipeline.stages.map((s) => s.stage)).toEqual(["Test", "Preview", "Deploy", "Drift", "Review"]);
    expect(pipeline.trigger).toEqual({ branches: { include: ["main"] } });
    expect(pipeline.pr).toEqual({ branches: { include: ["main"] } });
    expect(pipeline.schedules.map((s) => s.displayName)).toEqual(["Daily drift check", "Weekly PIM review"]);
    expect(pipeline.lockBehavior).toBe("sequential");
  });

  it("runs one job per stack in every per-stack stage", () => {
    for (const name of ["Preview", "Deploy", "Drift", "Review"]) {
      const raw = stage(name).jobs as Node[];
      expect(raw, name).toHaveLength(1);
      expect(Object.keys(raw[0])[0], name).toMatch(/each stack in parameters\.stacks/);
      expect(jobsOf(name), name).toHaveLength(1);
    }
  });

  it("the pulumi template always passes the policy pack and the stack's pack config, through a federated service connection", () => {
    expect(templateProblems(pulumiTemplate)).toEqual([]);
    const prepare = prepareTemplate.steps.map((s) => String(s.script ?? ""));
    expect(prepare.some((s) => /npm run plan -- --stack "\$\{\{ parameters\.stack \}\}" --write-policy-config "\$\(Agent\.TempDirectory\)\/policy-config\.json"/.test(s))).toBe(true);
  });

  it("and the template check fails on a copy without the pack", () => {
    const mutated = structuredClone(pulumiTemplate);
    for (const step of mutated.steps) {
      const inputs = step.inputs as Record<string, string> | undefined;
      if (inputs?.inlineScript) inputs.inlineScript = inputs.inlineScript.replace("--policy-pack policies ", "");
    }
    expect(templateProblems(mutated)).toContain("pulumi without --policy-pack policies");
  });

  it("previews and checks drift with the read connection, deploys with the write connection behind an environment", () => {
    const preview = templateCall(jobsOf("Preview")[0], "templates/pulumi-stack.yml")!;
    expect(preview.parameters).toMatchObject({ serviceConnection: "entra-baseline-read-${{ stack }}", pulumiArgs: "preview --diff" });

    const [deploy] = jobsOf("Deploy");
    expect(deploy.deployment).toBeDefined();
    expect(deploy.environment).toBe("entra-baseline-${{ stack }}");
    const up = templateCall(deploy, "templates/pulumi-stack.yml")!;
    expect(up.parameters.serviceConnection).toBe("entra-baseline-deploy-${{ stack }}");
    expect(up.parameters.pulumiArgs).toMatch(/^up --yes\b/);

    const drift = templateCall(jobsOf("Drift")[0], "templates/pulumi-stack.yml")!;
    expect(drift.parameters.serviceConnection).toBe("entra-baseline-read-${{ stack }}");
    expect(drift.parameters.pulumiArgs).toMatch(/^preview --refresh --expect-no-changes\b/);
  });

  it("every per-stack job runs the offline plan (which writes the pack config) before pulumi", () => {
    for (const name of ["Preview", "Deploy", "Drift"]) {
      const steps = stepsOf(jobsOf(name)[0]).map((s) => s.template);
      expect(steps.indexOf("templates/prepare-stack.yml"), name).toBeGreaterThan(-1);
      expect(steps.indexOf("templates/prepare-stack.yml"), name).toBeLessThan(steps.indexOf("templates/pulumi-stack.yml"));
    }
  });

  it("deploys only from main, never for pull requests or schedules, and each stack only after its own preview", () => {
    const condition = String(stage("Deploy").condition);
    expect(condition).toContain("eq(variables.isMain, true)");
    expect(condition).toContain("ne(variables.isPullRequest, true)");
    expect(condition).toContain("ne(variables.isScheduled, true)");
    expect(String(jobsOf("Deploy")[0].condition)).toMatch(/stageDependencies\.Preview\.preview_.*\.result, 'Succeeded'/);
  });

  it("drift runs the live-tenant audit even when the preview failed, and publishes a summary", () => {
    const steps = stepsOf(jobsOf("Drift")[0]);
    const audit = steps.find((s) => /audit/.test(String(s.displayName)))!;
    expect(audit.condition).toBe("succeededOrFailed()");
    expect(String((audit.inputs as Node).inlineScript)).toMatch(/npm run --silent audit -- --stack/);
    const summary = steps.find((s) => /task\.uploadsummary/.test(String(s.script ?? "")))!;
    expect(summary).toBeDefined();
    // An exit 2 (missing permission, invalid config) is explained on stderr only: the summary must carry it.
    expect(String((audit.inputs as Node).inlineScript)).toMatch(/2> >\(tee "\$\(Agent\.TempDirectory\)\/audit-errors\.txt" >&2\)/);
    expect(String(summary.script)).toContain("audit-errors.txt");
  });

  it("drift remediates CA exclusions with the write connection, only where the stack config turns it on", () => {
    const steps = stepsOf(jobsOf("Drift")[0]);
    const setting = steps.findIndex((s) => /--is-enabled/.test(String(s.script ?? "")));
    const remediate = steps.findIndex((s) => /Remediate CA exclusions/.test(String(s.displayName)));
    expect(setting).toBeGreaterThan(-1);
    expect(String(steps[setting].script)).toContain("##vso[task.setvariable variable=remediateCaExclusions]");
    expect(remediate).toBeGreaterThan(setting);
    const task = steps[remediate];
    expect(task.condition).toBe("and(succeededOrFailed(), eq(variables.remediateCaExclusions, 'true'))");
    const inputs = task.inputs as Node;
    expect(inputs.azureSubscription).toBe("entra-baseline-deploy-${{ stack }}");
    expect(String(inputs.inlineScript)).toMatch(/npm run --silent remediate -- ca-exclusions --stack "\$\{\{ stack \}\}" --apply --markdown/);
    const summary = steps.find((s) => /task\.uploadsummary/.test(String(s.script ?? "")))!;
    expect(steps.indexOf(summary)).toBeGreaterThan(remediate);
    expect(String(summary.script)).toContain("remediate.md");
  });

  it("the weekly review publishes the Markdown as the run summary and an artifact", () => {
    const steps = stepsOf(jobsOf("Review")[0]);
    const review = steps.find((s) => s.task === "AzureCLI@2")!;
    const inputs = review.inputs as Node;
    expect(inputs.addSpnToEnvironment).toBe(true);
    expect(String(inputs.inlineScript)).toMatch(/--stack "\$\{\{ stack \}\}"/);
    expect(String(inputs.inlineScript)).toContain('npm run --silent review -- "${args[@]}"');
    expect(String(inputs.inlineScript)).toContain("task.uploadsummary");
    expect(steps.some((s) => s.task === "PublishPipelineArtifact@1")).toBe(true);
  });

  it("references no client secret anywhere", () => {
    for (const file of ["azure-pipelines.yml", "templates/pulumi-stack.yml", "templates/prepare-stack.yml"]) {
      const text = readFileSync(join(DIR, file), "utf8");
      expect(text, file).not.toMatch(/client[-_ ]?secret|servicePrincipalKey|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET/i);
    }
  });
});
