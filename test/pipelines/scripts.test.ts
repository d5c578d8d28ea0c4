/**
 * The shell scripts the pipelines run: list-stacks.sh (the matrix) and publish-policy-pack.sh (server-side
 * enforcement), the latter against a fake `pulumi` on PATH that records its arguments and prints what the real CLI
 * prints when publishing.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK_DIR } from "../support/stack";

const ROOT = join(__dirname, "..", "..");
const LIST_STACKS = join(ROOT, "scripts", "list-stacks.sh");
const PUBLISH = join(ROOT, "scripts", "publish-policy-pack.sh");
const CHECK_REPLACE = join(ROOT, "scripts", "check-replace-urns.sh");

function run(script: string, args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync("bash", [script, ...args], { encoding: "utf8", input, env: { ...process.env, STACKS: "", ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function dirWith(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "stacks-"));
  for (const f of files) writeFileSync(join(dir, f), "config: {}\n");
  return dir;
}

describe("list-stacks.sh", () => {
  it("lists one stack per Pulumi.<stack>.yaml as a JSON array for the matrix", () => {
    const { code, stdout } = run(LIST_STACKS, [dirWith(["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.customer-a.yaml", "README.md"])]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).sort()).toEqual(["customer-a", "prod"]);
  });

  it("lists a real stack file: the test stack's directory holds exactly stack test", () => {
    expect(JSON.parse(run(LIST_STACKS, [STACK_DIR]).stdout)).toEqual(["test"]);
  });

  it("takes STACKS (JSON or a plain list) instead of the files when set", () => {
    const project = dirWith(["Pulumi.other.yaml"]);
    expect(JSON.parse(run(LIST_STACKS, [project], { STACKS: '["prod", "test"]' }).stdout)).toEqual(["prod", "test"]);
    expect(JSON.parse(run(LIST_STACKS, [project], { STACKS: "prod,test tenant-b" }).stdout)).toEqual(["prod", "test", "tenant-b"]);
  });

  it("refuses a stack name that could inject into a shell command or expression", () => {
    const fromFile = run(LIST_STACKS, [dirWith(["Pulumi.prod.yaml", "Pulumi.x$(id).yaml"])]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain("refusing stack name 'x$(id)'");
    expect(run(LIST_STACKS, [dirWith(["Pulumi.prod.yaml"])], { STACKS: '["prod","a`b`"]' }).code).toBe(2);
  });

  it("fails when there is no stack at all rather than running an empty matrix", () => {
    const { code, stderr } = run(LIST_STACKS, [dirWith(["Pulumi.yaml"])]);
    expect(code).toBe(2);
    expect(stderr).toContain("no stacks");
  });
});

/**
 * A fake pulumi CLI: appends "cwd|args|files in cwd" to $PULUMI_CALLS and prints $PUBLISH_OUTPUT for
 * `policy publish`.
 */
function fakePulumi(publishOutput: string) {
  const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
  const calls = join(bin, "calls.log");
  const outputFile = join(bin, "publish-output.txt");
  writeFileSync(outputFile, publishOutput);
  const pulumi = join(bin, "pulumi");
  writeFileSync(
    pulumi,
    `#!/usr/bin/env bash\necho "$PWD|$*|$(ls -A | tr '\\n' ' ')" >> "${calls}"\nif [[ "$1 $2" == "policy publish" ]]; then cat "${outputFile}"; fi\n`,
  );
  chmodSync(pulumi, 0o755);
  const config = join(bin, "policy-config.json");
  writeFileSync(config, JSON.stringify({ "breakglass-excluded-from-every-ca-policy": { enforcementLevel: "mandatory" } }));
  const env = { PATH: `${bin}:${process.env.PATH}` };
  const readCalls = () =>
    readFileSync(calls, "utf8")
      .trim()
      .split("\n")
      .map((line) => {
        const [cwd, args, files] = line.split("|");
        return { cwd, args, files: (files ?? "").trim().split(/\s+/).filter(Boolean) };
      });
  return { env, config, readCalls, calls };
}

describe("publish-policy-pack.sh", () => {
  it("publishes a bundled, self-contained pack, validates the stack's config, and enables exactly the published version for the group", () => {
    const fake = fakePulumi("Obtaining policy metadata from policy plugin\nPublishing entra-baseline to acme\nPublished as version 3\n");
    const { code, stderr } = run(PUBLISH, ["--org", "acme", "--stack", "prod", "--policy-config", fake.config], fake.env);

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const calls = fake.readCalls();
    expect(calls.map((c) => c.args)).toEqual([
      "policy publish acme",
      `policy validate-config acme/entra-baseline 3 --config ${fake.config}`,
      `policy enable acme/entra-baseline 3 --policy-group entra-baseline-prod --config ${fake.config}`,
    ]);
    // Not policies/ itself: its rules import src/model, which `pulumi policy publish` would leave behind.
    expect(calls[0]!.cwd).not.toBe(join(ROOT, "policies"));
    expect(calls[0]!.files.sort()).toEqual(["PulumiPolicy.yaml", "index.js", "node_modules", "package.json"]);
  });

  it("reads the newer publish output format and honours --policy-group", () => {
    const fake = fakePulumi('Publishing "entra-baseline" - version 0.2.0 to "acme"\n');
    const { code } = run(PUBLISH, ["--org", "acme", "--stack", "prod", "--policy-group", "tier0", "--policy-config", fake.config], fake.env);

    expect(code).toBe(0);
    expect(fake.readCalls().at(-1)!.args).toBe(`policy enable acme/entra-baseline 0.2.0 --policy-group tier0 --config ${fake.config}`);
  });

  it("stops before publishing when the policy config is missing", () => {
    const fake = fakePulumi("Published as version 3\n");
    const { code, stderr } = run(PUBLISH, ["--org", "acme", "--stack", "prod", "--policy-config", "/nonexistent.json"], fake.env);

    expect(code).toBe(2);
    expect(stderr).toContain("missing or empty");
    expect(() => readFileSync(fake.calls)).toThrow();
  });

  it("requires --org and --stack", () => {
    const { code, stderr } = run(PUBLISH, ["--stack", "prod"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--org and --stack are required");
  });
});

describe("check-replace-urns.sh", () => {
  const urn = (type: string, name: string) => `urn:pulumi:prod::entra-baseline::entra-baseline:breakglass:Breakglass$${type}::${name}`;
  const password = urn("random:index/randomPassword:RandomPassword", "breakglass-breakglass-01-password");

  it("accepts breakglass passwords, one per line, blank lines and spaces ignored", () => {
    const other = password.replace("breakglass-01", "breakglass-02");
    const { code, stdout } = run(CHECK_REPLACE, [], {}, `  ${password}\n\n${other}  \n`);
    expect(code).toBe(0);
    expect(stdout).toContain("2 breakglass password(s)");
  });

  it("refuses anything else: the user, its GA assignment, a password outside the component, or nothing", () => {
    for (const bad of [
      urn("azuread:index/user:User", "breakglass-breakglass-01"),
      urn("azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", "breakglass-breakglass-01-global-administrator"),
      "urn:pulumi:prod::entra-baseline::random:index/randomPassword:RandomPassword::other",
    ]) {
      const { code, stderr } = run(CHECK_REPLACE, [], {}, `${password}\n${bad}\n`);
      expect(code, bad).toBe(1);
      expect(stderr).toContain(`refusing '${bad}'`);
    }
    expect(run(CHECK_REPLACE, [], {}, "\n").code).toBe(1);
  });
});
