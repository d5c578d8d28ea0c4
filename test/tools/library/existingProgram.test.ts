/**
 * SLOW (≈ 1 min: builds, packs and installs the three packages, then plans twice). The library as a user with an
 * existing Pulumi repository meets it: examples/existing-program installs the `npm pack` tarballs of
 * @entra-baseline/model, @entra-baseline/policy-pack and entra-baseline offline from the npm cache, declares the
 * baseline next to its own resources, and plans with the package's own binary — its TypeScript compiled by ts-node
 * as the Pulumi CLI compiles it, so the declaration files and the exports map are what a user's compiler sees.
 * The published pack also starts under the CLI's run-policy-pack from the installed node_modules.
 *
 * The temporary directory's name contains "entra-baseline" on purpose: @pulumi/pulumi's closure serialization maps a
 * captured module through the package's exports map only when the package name does not occur earlier in its path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_POLICY_NAMES, componentTypes, dynamicTypeToken } from "@entra-baseline/model";
import { readManifest } from "../../../scripts/build-packages";
import { ROOT, tempDir } from "../../support/cli";
import { buildAndPack, copyExample, EXAMPLE, run, tarballManifest, type Run } from "../../support/library";
import { analyzerInfo, runPolicyPackFrom } from "../../support/pack/runPolicyPack";

/** The advisory a stack activating with plain MFA gets (baseline-advisories), beside any mandatory verdict. */
const STRENGTH_ADVISORY = expect.objectContaining({
  policyName: "baseline-advisories",
  enforcementLevel: "advisory",
  message: expect.stringMatching(/^Tier-0 activation \(pim\.activationStrength\) demands Multifactor authentication, /),
});

const work = tempDir("library");
const program = path.join(work, "existing-program");
const BASE = "urn:pulumi:dev::fabrikam-platform::";
const VERSION = readManifest(ROOT).version;
let tarballs: string[];
let install: Run;
let plan: Run;
let planned: any;
let standingGa: Run;
let packInfo: Awaited<ReturnType<typeof analyzerInfo>>;

/** The example with a permanent Global Administrator of its own added: the pack must reject it. */
const STANDING_GA = `
const legacyAdmin = new azuread.User("legacy-admin", {
  userPrincipalName: "legacy.admin@fabrikam.onmicrosoft.com",
  displayName: "Legacy admin",
});
new azuread.DirectoryRoleAssignment("legacy-admin-global-administrator", {
  roleId: "62e90394-69f5-4237-9190-012177145e10",
  principalObjectId: legacyAdmin.objectId,
  directoryScopeId: "/",
});
`;

beforeAll(async () => {
  tarballs = buildAndPack(work);
  copyExample(program, tarballs);
  install = await run("npm", ["install", "--offline", "--no-audit", "--no-fund"], program);
  if (install.code !== 0) return;
  fs.writeFileSync(
    path.join(program, "standing-ga.ts"),
    fs.readFileSync(path.join(program, "index.ts"), "utf8") + STANDING_GA,
  );
  const bin = path.join(program, "node_modules", ".bin", "entra-baseline");
  const packDir = path.join(program, "node_modules", "@entra-baseline", "policy-pack");
  // One at a time: each is a program type-checked by ts-node or a pack starting, and on a 2-core machine shared with
  // the rest of the suite, running them side by side only makes each slower.
  plan = await run(bin, ["plan", "--program", ".", "--stack", "dev", "--json"], program);
  // Type-checking was proven by the first plan; this one compiles only (the CLI's PULUMI_NODEJS_TRANSPILE_ONLY).
  standingGa = await run(bin, ["plan", "--program", "standing-ga.ts", "--stack", "dev", "--json"], program, {
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  });
  packInfo = await analyzerInfo(packDir, runPolicyPackFrom(packDir));
  planned = plan.code === 0 ? JSON.parse(plan.stdout) : undefined;
}, 400_000);

// The install is ≈ 300 MB (azure-native alone is 136 MB): removing it takes a while on a loaded machine.
afterAll(() => fs.rmSync(work, { recursive: true, force: true }), 120_000);

describe("the packages, installed into an existing program (slow)", () => {
  it("are the three tarballs of one version, each with compiled JavaScript, declarations and its manifest", () => {
    expect(tarballs.map((t) => [tarballManifest(t).name, tarballManifest(t).version])).toEqual([
      ["@entra-baseline/model", VERSION],
      ["@entra-baseline/policy-pack", VERSION],
      ["entra-baseline", VERSION],
    ]);
    const example = readManifest(EXAMPLE);
    expect(example.dependencies?.["entra-baseline"]).toBe(VERSION);
    expect(example.devDependencies?.["@entra-baseline/policy-pack"]).toBe(VERSION);
  });

  it("install offline from the cache, with one copy of @pulumi/pulumi and of each provider (the program's own)", async () => {
    expect(install.stderr).not.toMatch(/ERR!|npm error/);
    expect(install.code, install.stderr).toBe(0);
    const ls = await run("npm", ["ls", "--all", "--offline", "--parseable"], program);
    expect(ls.code).toBe(0); // npm finds every edge satisfied, peers included
    for (const name of ["@pulumi/pulumi", "@pulumi/azuread", "@pulumi/azure-native", "@pulumi/random"]) {
      const copies = ls.stdout.split("\n").filter((p) => p.endsWith(`${path.sep}node_modules${path.sep}${name}`));
      expect(copies, name).toEqual([path.join(program, "node_modules", name)]);
    }
    const library = path.join(program, "node_modules", "entra-baseline");
    expect(fs.existsSync(path.join(library, "lib", "library.js"))).toBe(true);
    expect(fs.existsSync(path.join(library, "lib", "library.d.ts"))).toBe(true);
    expect(
      fs
        .readdirSync(path.join(library, "lib"), { recursive: true })
        .some((f) => String(f).endsWith(".ts") && !String(f).endsWith(".d.ts")),
    ).toBe(false);
  });

  it("the library entry reads no config and declares nothing on import", async () => {
    const probe = await run(
      process.execPath,
      ["-e", 'const l = require("entra-baseline"); console.log(Object.keys(l).sort().join(","))'],
      program,
    );
    expect(probe.stderr).toBe("");
    expect(probe.code).toBe(0);
    expect(probe.stdout.trim().split(",")).toEqual(
      expect.arrayContaining(["baselineOutputs", "declareBaseline", "loadBaselineConfig", "validateBaselineConfig"]),
    );
  });

  it("entra-baseline plan --program plans the program's own resources and the baseline's in one stack", () => {
    expect(plan.code, plan.stderr).toBe(0);
    expect(planned).toMatchObject({ project: "fabrikam-platform", stack: "dev", stackFile: "Pulumi.dev.yaml" });
    const byName = (name: string) => planned.resources.find((r: any) => r.name === name);
    expect(byName("platform-team")).toMatchObject({
      urn: `${BASE}azuread:index/group:Group::platform-team`,
      inputs: { displayName: "Fabrikam platform team", securityEnabled: true },
    });
    // westeurope is the Pulumi.yaml default of the program's own config key.
    expect(byName("platform")).toMatchObject({
      urn: `${BASE}azure-native:resources:ResourceGroup::platform`,
      inputs: { location: "westeurope", resourceGroupName: "rg-fabrikam-platform" },
    });
    for (const type of Object.values(componentTypes))
      expect(
        planned.resources.filter((r: any) => r.type === type),
        type,
      ).toHaveLength(1);
    expect(byName("breakglass-breakglass-01").inputs.userPrincipalName).toBe("breakglass-01@fabrikam.onmicrosoft.com");
    // Dynamic resources were serialized from node_modules and their providers load as the engine will load them.
    expect(planned.resources.some((r: any) => r.type === dynamicTypeToken("roleManagementPolicy"))).toBe(true);
  });

  it("runs the published pack over the whole stack: clean for the example", () => {
    // Clean: no mandatory violation. The stack leaves pim.activationStrength at its default, plain MFA, which the
    // pack's advisory rule names (it does not fail the plan).
    expect(planned.policy).toMatchObject({ mandatory: 0, violations: [STRENGTH_ADVISORY] });
    expect(planned.policy).toMatchObject({ pack: "entra-baseline", version: VERSION });
  });

  it("and a permanent Global Administrator the program grants itself is its mandatory violation", () => {
    expect(standingGa.code, standingGa.stderr).toBe(1);
    expect(JSON.parse(standingGa.stdout).policy.violations).toEqual([
      expect.objectContaining({
        policyName: "no-standing-tier0-assignment",
        enforcementLevel: "mandatory",
        urn: `${BASE}azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::legacy-admin-global-administrator`,
      }),
      STRENGTH_ADVISORY,
    ]);
  });

  it("the installed @entra-baseline/policy-pack starts under the CLI's run-policy-pack from node_modules", () => {
    expect(packInfo).toMatchObject({
      name: "entra-baseline",
      version: VERSION,
      policies: [...ALL_POLICY_NAMES].sort(),
      stderr: "",
    });
  });
});
