/**
 * `pulumi preview --policy-pack policies` does not use our tsx start-up: the CLI runs the pack through
 * @pulumi/pulumi's run-policy-pack, which compiles it with ts-node and type-checks it (typeCheck: true) using
 * policies/tsconfig.json. Start the pack exactly that way and ask it what it is — both policies/ as it is, and the
 * self-contained bundle scripts/publish-policy-pack.sh publishes, built outside the repository so that any import
 * it failed to inline would fail to resolve.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "vitest";
import { ALL_POLICY_NAMES } from "@entra-baseline/model";
import { buildPolicyPack } from "../../scripts/build-policy-pack";
import { analyzerInfo } from "../support/pack/runPolicyPack";

const ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bundled-pack-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("policies/ starts under the Pulumi CLI's own runner (ts-node, type-checked) and lists every rule", async () => {
  const info = await analyzerInfo(path.join(ROOT, "policies"), RUNNER);
  expect(info).toMatchObject({ name: "entra-baseline", policies: [...ALL_POLICY_NAMES].sort(), stderr: "" });
}, 120_000);

it("the bundle published to Pulumi Cloud is self-contained: it loads outside the repository with only its npm dependencies", async () => {
  const dir = path.join(tmp, "pack");
  const { entry, external } = buildPolicyPack(dir);
  expect(external.sort()).toEqual(["@pulumi/policy", "@pulumi/pulumi"]);
  // Only the pack's declared dependencies may be required at run time; the shared model is inlined.
  const required = [...fs.readFileSync(entry, "utf8").matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
  for (const name of required)
    expect(external.some((dep) => name === dep || name.startsWith(`${dep}/`)) || name.startsWith("node:")).toBe(true);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const info = await analyzerInfo(dir, RUNNER);
  expect(info).toMatchObject({ name: "entra-baseline", policies: [...ALL_POLICY_NAMES].sort(), stderr: "" });
}, 120_000);
