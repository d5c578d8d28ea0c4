/**
 * `npm run plan` on the bundled Pulumi.prod.yaml, end to end as a child process: the tree, the JSON, secrets
 * never printed or written, the policy pack's verdict, `--export` read back by `npm run check` with the same
 * verdict, `--write-policy-config`, and `--stack NAME` / `--cwd DIR` with a stack the pack rejects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_POLICY_NAMES, componentTypes, dynamicTypeToken, providerTypes } from "@entra-baseline/model";
import { planPassword } from "../../../src/tools/plan/mocks";
import { DYNAMIC_PROVIDER_PLACEHOLDER } from "../../../src/tools/engine/stackExport";
import { ROOT, stackText, runCli, tempDir, type CliResult } from "../../support/cli";

const out = tempDir("plan-prod");
const exportFile = path.join(out, "prod.export.json");
const policyConfigFile = path.join(out, "policy-config.json");
let tree: CliResult;
let json: CliResult;
let plan: any;

beforeAll(async () => {
  [tree, json] = await Promise.all([
    runCli("plan", [], { cwd: ROOT }),
    runCli("plan", ["--json", "--export", exportFile, "--write-policy-config", policyConfigFile], { cwd: ROOT }),
  ]);
  plan = JSON.parse(json.stdout);
}, 120_000);

/** The pack's one advisory on a stack that activates with plain MFA (the prod and the test stack's choice). */
const STRENGTH_ADVISORY =
  'Tier-0 activation (pim.activationStrength) demands Multifactor authentication, below the phishing-resistant MFA CISA MS.AAD.3.6 asks of privileged roles; move to "phishingResistant" once every admin holds a FIDO2 key, Windows Hello or a certificate.';
const PACK_VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")) as { version: string }
).version;

/** Every RandomPassword's stand-in value, as the plan's mocks produce it. */
function knownPasswords(): string[] {
  return plan.resources
    .filter((r: any) => r.type === providerTypes.randomPassword)
    .map((r: any) => planPassword(r.name, r.inputs.length));
}

// The two plans run once, in beforeAll; the checks on their output are independent and run side by side (each
// check a process starting the pack: slow on a busy machine).
describe.concurrent("npm run plan on the bundled prod stack", { timeout: 120_000 }, () => {
  it("exits 0 with a tree of the five components and the pack's clean verdict", () => {
    expect(tree.stderr).toBe("");
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(
      /^Plan of stack "prod" \(Pulumi\.prod\.yaml\): \d+ resources under 5 top-level components/,
    );
    for (const [name, type] of [
      ["breakglass", componentTypes.breakglass],
      ["conditional-access", componentTypes.conditionalAccess],
      ["jit-global-admin", componentTypes.jitGlobalAdmin],
      ["jit-roles", componentTypes.jitRoles],
      ["monitoring", componentTypes.monitoring],
    ]) {
      expect(tree.stdout).toMatch(new RegExp(`^${name}  ${type.replace(/\$/g, "\\$")}$`, "m"));
    }
    expect(tree.stdout).toMatch(
      /├── .+ {2}azuread:index\/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest/,
    );
    // Key properties under each resource, from the stack's config.
    expect(tree.stdout).toMatch(/^│ +maxActivationDuration: "PT4H"$/m);
    expect(tree.stdout).toMatch(/^│ +userPrincipalName: "breakglass-01@contoso\.onmicrosoft\.com"$/m);
    // Clean is no mandatory violation: the advisory on plain-MFA activation is said, and the plan still exits 0.
    expect(tree.stdout).toContain(
      `\nPolicy pack entra-baseline ${PACK_VERSION}: 1 violation (0 mandatory)\n\n` +
        `  baseline-advisories (advisory)\n    ✗ (stack)\n        ${STRENGTH_ADVISORY}\n`,
    );
  });

  it("--json lists every resource with type, name, parent, inputs and options", () => {
    expect(json.code).toBe(0);
    expect(plan).toMatchObject({ project: "entra-baseline", stack: "prod", stackFile: "Pulumi.prod.yaml" });
    const types = new Set(plan.resources.map((r: any) => r.type));
    for (const t of Object.values(componentTypes)) expect(types).toContain(t);
    expect(types).toContain(dynamicTypeToken("roleManagementPolicy"));
    const urns = new Set(plan.resources.map((r: any) => r.urn));
    for (const r of plan.resources) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(["type", "name", "parent", "inputs", "options"]));
      expect(r.urn).toBe(`urn:pulumi:prod::entra-baseline::${r.urn.split("::")[2]}::${r.name}`);
      expect(r.urn.split("::")[2].endsWith(r.type)).toBe(true);
      expect(Object.keys(r.options).sort()).toEqual(["dependsOn", "protect", "retainOnDelete"]);
      // Every parent is a planned resource or the root stack.
      expect(
        urns.has(r.parent) || r.parent === "urn:pulumi:prod::entra-baseline::pulumi:pulumi:Stack::entra-baseline-prod",
      ).toBe(true);
      for (const dep of r.options.dependsOn) expect(urns.has(dep)).toBe(true);
    }
    const eligibility = plan.resources.filter(
      (r: any) => r.type === providerTypes.directoryRoleEligibilityScheduleRequest,
    );
    expect(eligibility).toHaveLength(3);
    // Activation requires the authentication context only once the context and its every-time MFA policy exist.
    const byType = (t: string) => plan.resources.filter((r: any) => r.type === t).map((r: any) => r.urn);
    const [activationRules] = plan.resources.filter((r: any) => r.type === dynamicTypeToken("roleManagementPolicy"));
    expect(activationRules.options.dependsOn).toEqual(
      expect.arrayContaining([
        ...byType(dynamicTypeToken("authenticationContext")),
        ...byType(dynamicTypeToken("graphConditionalAccessPolicy")),
      ]),
    );
    expect(plan.policy).toMatchObject({
      mandatory: 0,
      violations: [{ policyName: "baseline-advisories", enforcementLevel: "advisory", message: STRENGTH_ADVISORY }],
    });
    expect(plan.policy.violations).toHaveLength(1);
  });

  it("never prints or writes a password: masked as [secret] and the dynamic providers' code left out", () => {
    const passwords = knownPasswords();
    expect(passwords.length).toBeGreaterThanOrEqual(2);
    const exported = fs.readFileSync(exportFile, "utf8");
    for (const pw of passwords) {
      expect(pw.length).toBeGreaterThanOrEqual(256);
      for (const text of [tree.stdout, json.stdout, exported]) expect(text).not.toContain(pw.slice(0, 32));
    }
    const users = plan.resources.filter((r: any) => r.type === providerTypes.user && "password" in r.inputs);
    expect(users.length).toBeGreaterThanOrEqual(2);
    for (const u of users) expect(u.inputs.password).toBe("[secret]");
    expect(tree.stdout).toMatch(/password: \[secret\]/);
    expect(json.stdout).not.toContain("__provider");
    const dynamic = JSON.parse(exported).deployment.resources.filter((r: any) =>
      r.type.startsWith("pulumi-nodejs:dynamic/"),
    );
    expect(dynamic.length).toBeGreaterThan(0);
    for (const r of dynamic) expect(r.inputs.__provider).toBe(DYNAMIC_PROVIDER_PLACEHOLDER);
  });

  it("--export writes a version-3 stack export that npm run check reads with the plan's verdict", async () => {
    const exported = JSON.parse(fs.readFileSync(exportFile, "utf8"));
    expect(exported.version).toBe(3);
    expect(Object.keys(exported.deployment.manifest).sort()).toEqual(["magic", "time", "version"]);
    expect(exported.deployment.resources[0]).toMatchObject({ type: "pulumi:pulumi:Stack", custom: false });
    expect(exported.deployment.resources).toHaveLength(plan.resources.length + 1);
    const check = await runCli("check", [exportFile, "--json"], { cwd: ROOT });
    expect(check.code).toBe(0);
    const verdict = JSON.parse(check.stdout);
    expect(verdict.policy).toEqual(plan.policy);
    expect(verdict.resources).toBe(plan.resources.length);
  });

  it("--write-policy-config writes the pack config for every rule, which check accepts and follows", async () => {
    const packConfig = JSON.parse(fs.readFileSync(policyConfigFile, "utf8"));
    expect(Object.keys(packConfig).sort()).toEqual([...ALL_POLICY_NAMES].sort());
    // A stricter limit in the file changes check's verdict: the file is what the pack is configured with.
    const strict = path.join(out, "strict.json");
    const holders = plan.resources.filter(
      (r: any) => r.type === providerTypes.directoryRoleEligibilityScheduleRequest,
    ).length;
    fs.writeFileSync(
      strict,
      JSON.stringify({ ...packConfig, "global-admin-count": { ...packConfig["global-admin-count"], max: holders } }),
    );
    const res = await runCli("check", [exportFile, "--policy-config", strict], { cwd: ROOT });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/global-admin-count \(mandatory\)/);
  });

  it("a partial pack config takes the policies it leaves out from the stack file, or says why it cannot", async () => {
    const holders = plan.resources.filter(
      (r: any) => r.type === providerTypes.directoryRoleEligibilityScheduleRequest,
    ).length;
    const partial = path.join(out, "partial.json");
    fs.writeFileSync(partial, JSON.stringify({ "global-admin-count": { max: holders } }));
    // Only the named limit bites: the breakglass policies got the stack's accounts, not their fail-closed defaults
    // (and the advisories the stack's own config, so the plain-MFA advisory is all they say).
    const res = await runCli("check", [exportFile, "--policy-config", partial, "--json"], { cwd: ROOT });
    expect(res.code).toBe(1);
    const violations: { policyName: string; enforcementLevel: string; message: string }[] = JSON.parse(res.stdout)
      .policy.violations;
    expect([...new Set(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName))]).toEqual(
      ["global-admin-count"],
    );
    expect(violations.filter((v) => v.enforcementLevel !== "mandatory")).toEqual([
      expect.objectContaining({ policyName: "baseline-advisories", message: STRENGTH_ADVISORY }),
    ]);
    const noStack = await runCli("check", [exportFile, "--policy-config", partial, "--cwd", out]);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toMatch(
      new RegExp(
        `^error: ${partial.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} does not configure no-standing-tier0-assignment, .*; their settings come from the stack file, which cannot be used:\n {2}.*has no Pulumi\\.<stack>\\.yaml: pass --cwd`,
      ),
    );
    expect(noStack.stderr).toContain("list every policy in");
  });
});

describe("npm run plan --stack NAME --cwd DIR on a valid stack the pack rejects", () => {
  it("reads Pulumi.NAME.yaml from DIR, exits 1 with the violation grouped by rule, and check on its --export gives the same verdict", async () => {
    const dir = tempDir("plan-weak");
    const weakStack = stackText()
      .replace("activationPolicyState: enabled", "activationPolicyState: disabled")
      .replace(/law-entra-baseline-prod/g, "law-entra-baseline-weak");
    fs.writeFileSync(path.join(dir, "Pulumi.weak.yaml"), weakStack);
    const exported = path.join(dir, "weak.export.json");
    const text = await runCli("plan", ["--stack", "weak", "--cwd", dir, "--export", exported]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Plan of stack "weak" \(Pulumi\.weak\.yaml\)/);
    expect(text.stdout).toMatch(/warnings:\n( {2}- .*\n)* {2}- conditionalAccess\.activationPolicyState: /);
    expect(text.stdout).toMatch(
      /Policy pack .+: 2 violations \(1 mandatory\)\n\n {2}activation-policy \(mandatory\)\n {4}✗ jit-global-admin-activation-policy {2}urn:pulumi:weak::.*\n.*its state is "disabled", not "enabled"\.\n\n {2}baseline-advisories \(advisory\)\n/,
    );
    // The stack's name is in every URN, and its own values (not prod's) were planned.
    const resources = JSON.parse(fs.readFileSync(exported, "utf8")).deployment.resources;
    for (const r of resources) expect(r.urn.startsWith("urn:pulumi:weak::entra-baseline::")).toBe(true);
    expect(resources.find((r: any) => r.type === providerTypes.workspace).inputs.workspaceName).toBe(
      "law-entra-baseline-weak",
    );
    const check = await runCli("check", [exported, "--stack", "weak", "--cwd", dir]);
    expect(check.code).toBe(1);
    // One renderer, one verdict: the pack's section of both outputs is identical.
    const verdict = (out: string) => /Policy pack [\s\S]*?(?=\nStack export written|\n?$)/.exec(out)?.[0];
    expect(verdict(text.stdout)).toBeDefined();
    expect(verdict(check.stdout)).toBe(verdict(text.stdout));
  }, 120_000);
});
