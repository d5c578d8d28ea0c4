/**
 * Style and layering are not review topics: ESLint (typescript-eslint, with the import boundaries of
 * eslint.config.mjs) and Prettier run over the whole repository as part of the test suite.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const bin = (pkg: string, file: string) => path.join(root, "node_modules", pkg, file);

it("ESLint reports nothing (typescript-eslint recommended, import boundaries, no unused disable directives)", () => {
  const run = spawnSync(process.execPath, [bin("eslint", "bin/eslint.js"), "."], { encoding: "utf8", cwd: root });
  expect(run.stdout + run.stderr).toBe("");
  expect(run.status).toBe(0);
}, 120_000);

it("every file is formatted by Prettier", () => {
  const run = spawnSync(
    process.execPath,
    [bin("prettier", "bin/prettier.cjs"), "--check", "--log-level", "warn", "."],
    { encoding: "utf8", cwd: root },
  );
  expect(run.stdout + run.stderr).toBe("");
  expect(run.status).toBe(0);
}, 120_000);
