/**
 * `npm run check` judges an export only by the config of the stack it is an export of: resources carry their stack
 * in their URNs (`urn:pulumi:<stack>::<project>::…`), and another stack's export (another tenant's resources) held
 * to this stack's breakglass accounts, approvers and limits would be a verdict about the wrong tenant. A pack config
 * given whole with --policy-config belongs to no stack unless --stack names one; the verdict then names the export's
 * stack instead. The export is the test stack's (test/support/fixtures/stack), never the bundled Pulumi.prod.yaml's,
 * which is the user's to edit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, STACK, STACK_DIR, tempDir } from "../../support/cli";

const dir = tempDir("check-stack");
const baseFile = path.join(dir, "test.json");
const packConfig = path.join(dir, "policy-config.json");
let base: { deployment: { resources: { urn: string; parent?: string }[] } };

beforeAll(async () => {
  const res = await runCli("plan", [
    "--cwd",
    STACK_DIR,
    "--stack",
    STACK,
    "--export",
    baseFile,
    "--write-policy-config",
    packConfig,
    "--no-policy",
  ]);
  expect(res.code).toBe(0);
  base = JSON.parse(fs.readFileSync(baseFile, "utf8"));
}, 120_000);

/** The export with every URN moved to stack `to` (`only`: just the resources whose URN matches). */
function moved(name: string, to: string, only?: (urn: string) => boolean): string {
  const text = JSON.stringify(base).replace(/urn:pulumi:test::[^"]*/g, (urn) =>
    only && !only(urn) ? urn : urn.replace("urn:pulumi:test::", `urn:pulumi:${to}::`),
  );
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, text);
  return file;
}

// Each case is a check process (the CLI as users run it); a busy machine makes the pack's start slow.
describe.concurrent("npm run check and the export's stack", { timeout: 120_000 }, () => {
  it("refuses an export of another stack (exit 2, naming both), before the pack starts", async () => {
    const file = moved("staging", "staging");
    const res = await runCli("check", [file, "--cwd", STACK_DIR]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain(
      `${file} is an export of stack staging, but the config of stack test would judge it: check it with --stack staging (Pulumi.staging.yaml), or export stack test`,
    );
  });

  it("refuses an export that mixes the resources of two stacks", async () => {
    const file = moved("mixed", "staging", (urn) => urn.includes("azuread:index/user:User"));
    const res = await runCli("check", [file, "--cwd", STACK_DIR]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /holds resources of 2 stacks \((test, staging|staging, test)\): a pulumi stack export is one stack's/,
    );
  });

  it("checks its own stack's export, and says which stack it checked", async () => {
    const res = await runCli("check", [baseFile, "--cwd", STACK_DIR]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Checked \d+ resources of stack test in /);
  });

  it("a complete --policy-config without --stack judges any stack's export, naming the stack", async () => {
    const file = moved("staging-own-config", "staging");
    // --cwd names a directory without any stack file: nothing but the pack config judges the export.
    const res = await runCli("check", [file, "--policy-config", packConfig, "--cwd", dir, "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ stack: "staging" });
  });

  it("a complete --policy-config with --stack is that stack's: another stack's export is refused", async () => {
    const file = moved("staging-named", "staging");
    const res = await runCli("check", [file, "--policy-config", packConfig, "--stack", STACK, "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("is an export of stack staging, but the config of stack test would judge it");
  });
});
