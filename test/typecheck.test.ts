/**
 * `pulumi up` compiles the program with TypeScript and the CLI tools run through tsx, which does not type-check:
 * a type error would first surface on a user's deploy. The whole tree must compile under the strict tsconfig, test/
 * included: the fixtures are typed by the provider SDKs (test/support/world/inputs.ts), so a property an SDK upgrade
 * renames fails here rather than leaving tests that judge a property no program declares.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("the whole project type-checks under the strict tsconfig", () => {
  const root = path.resolve(__dirname, "..");
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "--noEmit", "-p", root], { encoding: "utf8", cwd: root });
  expect(run.stdout + run.stderr).toBe("");
  expect(run.status).toBe(0);
}, 120_000);
