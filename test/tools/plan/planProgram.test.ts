/**
 * `npm run plan -- --program DIR`: a user's Pulumi program (test/support/fixtures/program) run under the plan's mocks
 * as the Pulumi CLI would run it — its project name in every URN, its stack files from its stackConfigDir, its
 * Pulumi.yaml defaults, its default-exported function — with its own resources planned beside the baseline's and
 * the pack's verdict over the whole stack. The installed-package version of the same is test/tools/library/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { componentTypes, providerTypes } from "@entra-baseline/model";
import { ROOT, runCli, tempDir, type CliResult } from "../../support/cli";

/** The advisory a stack activating with plain MFA gets (baseline-advisories), beside any mandatory verdict. */
const STRENGTH_ADVISORY = expect.objectContaining({
  policyName: "baseline-advisories",
  enforcementLevel: "advisory",
  message: expect.stringMatching(/^Tier-0 activation \(pim\.activationStrength\) demands Multifactor authentication, /),
});

const PROGRAM = path.join(ROOT, "test/support/fixtures/program");
const BASE = "urn:pulumi:test::fixture-program::";
let clean: CliResult;
let standingGa: CliResult;
let plan: any;

beforeAll(async () => {
  [clean, standingGa] = await Promise.all([
    runCli("plan", ["--program", PROGRAM, "--stack", "test", "--json"]),
    runCli("plan", ["--program", PROGRAM, "--stack", "test", "--json"], { env: { STANDING_GA: "1" } }),
  ]);
  plan = JSON.parse(clean.stdout);
}, 120_000);

describe("plan --program", () => {
  it("runs the program's own resources and the baseline it declares, under the program's project name", () => {
    expect(clean.code).toBe(0);
    expect(plan).toMatchObject({ project: "fixture-program", stack: "test", stackFile: "Pulumi.test.yaml" });
    const byName = (name: string) => plan.resources.find((r: any) => r.name === name);
    expect(byName("platform-team")).toMatchObject({
      urn: `${BASE}azuread:index/group:Group::platform-team`,
      parent: `${BASE}pulumi:pulumi:Stack::fixture-program-test`,
      inputs: { displayName: "Platform team", securityEnabled: true },
    });
    // The location comes from the project's Pulumi.yaml default: the program read its own config as under the CLI.
    expect(byName("platform")).toMatchObject({
      type: "azure-native:resources:ResourceGroup",
      inputs: { location: "northeurope" },
    });
    for (const type of Object.values(componentTypes))
      expect(plan.resources.filter((r: any) => r.type === type)).toHaveLength(1);
    expect(plan.resources.filter((r: any) => r.type === providerTypes.randomPassword)).toHaveLength(2);
    for (const r of plan.resources) expect(r.urn.startsWith(BASE)).toBe(true);
    // Clean: no mandatory violation. The stack leaves pim.activationStrength at its default, plain MFA, which the
    // pack's advisory rule names (it does not fail the plan).
    expect(plan.policy).toMatchObject({ mandatory: 0, violations: [STRENGTH_ADVISORY] });
  });

  it("judges the whole stack: a permanent Global Administrator the program grants itself is a mandatory violation", () => {
    expect(standingGa.code).toBe(1);
    const verdict = JSON.parse(standingGa.stdout).policy;
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        policyName: "no-standing-tier0-assignment",
        enforcementLevel: "mandatory",
        urn: `${BASE}azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::legacy-admin-global-administrator`,
      }),
      STRENGTH_ADVISORY,
    ]);
  });
});

describe("plan --program refuses what the Pulumi CLI would not run, before running anything", () => {
  const dir = tempDir("program");
  const project = (name: string, files: Record<string, string>) => {
    const at = path.join(dir, name);
    fs.mkdirSync(at, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(at, file)), { recursive: true });
      fs.writeFileSync(path.join(at, file), text);
    }
    return at;
  };
  const stack = fs.readFileSync(path.join(ROOT, "test/support/fixtures/stack/Pulumi.test.yaml"), "utf8");

  it.concurrent.each([
    ["a path that does not exist", path.join(dir, "nowhere"), /--program .*nowhere: no such file or directory/],
    [
      "a directory outside any Pulumi project",
      project("loose", { "index.ts": "" }),
      /no Pulumi\.yaml in .* or above it/,
    ],
    [
      "a project of another runtime",
      project("python", { "Pulumi.yaml": "name: py\nruntime: python\n", "Pulumi.test.yaml": stack }),
      /runtime is "python"; the plan runs nodejs programs/,
    ],
    [
      "a project whose main does not exist",
      project("main", { "Pulumi.yaml": "name: m\nruntime: nodejs\nmain: src/missing.ts\n", "Pulumi.test.yaml": stack }),
      /project 'main' could not be read: src\/missing\.ts does not exist/,
    ],
    [
      "a program on another copy of @pulumi/pulumi than the plan's",
      project("own-sdk", {
        "Pulumi.yaml": "name: own\nruntime: nodejs\n",
        "Pulumi.test.yaml": stack,
        "package.json": '{"name": "own", "main": "index.ts"}',
        "index.ts": "",
        "node_modules/@pulumi/pulumi/package.json": '{"name": "@pulumi/pulumi", "version": "3.248.0"}',
      }),
      /uses @pulumi\/pulumi from .*own-sdk\/node_modules\/@pulumi\/pulumi, and this plan runs on .*: run the entra-baseline installed in the program's own node_modules/,
    ],
  ])("%s (exit 2)", async (_what, target, message) => {
    const result = await runCli("plan", ["--program", target, "--stack", "test"]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });
});
