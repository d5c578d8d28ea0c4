/**
 * The bundled Pulumi.prod.yaml is an example the user edits to their own tenant, roles and accounts (or renames): only
 * the tests of that file itself read it — that it plans clean, that it shows what the README says, and that it holds
 * to the CLI's field types. Every other test reads its own stack (test/support/stack.ts), so the suite stays green
 * whatever the user puts there. This finds, in every file under test/, the ways a test reaches the bundled file by
 * name: a path to it or the stack "prod" loaded from the project root, and a CLI or script pointed at the root. The
 * default is the test stack already: runCli runs in its directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

/** The tests of the bundled stack itself: they, and only they, read it. */
const BUNDLED_STACK_TESTS = [
  "test/config/projectFiles.test.ts", // every project file, the bundled stack file included, to the CLI's field types
  "test/policies/prodStack.test.ts", // it plans clean through the real pack
  "test/tools/plan/bundledRoles.test.ts", // it makes just-in-time the roles the README says it does
  "test/tools/plan/planProd.test.ts", // npm run plan on it, end to end
];

const PROJECT_ROOT = /^(ROOT|root)$/;
/** The CLIs' runners whose `cwd` is the directory a command takes the only stack file of. */
const RUNNERS = new Set(["runCli", "memoryIo"]);

const isRoot = (node: ts.Node) => ts.isIdentifier(node) && PROJECT_ROOT.test(node.text);
const isText = (node: ts.Node, ...texts: string[]) =>
  (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && texts.includes(node.text);

/** Where a source text reaches the bundled stack: one line per place, naming the form. */
function bundledStackReads(source: string): string[] {
  const file = ts.createSourceFile("test.ts", source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, form: string) =>
    found.push(`${form} (line ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1})`);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const args = node.arguments;
      // path.join(ROOT, "Pulumi.prod.yaml"), path.resolve(__dirname, "../..", "Pulumi.prod.yaml")
      if (
        args.some((a) => isText(a, "Pulumi.prod.yaml")) &&
        args.some((a) => isRoot(a) || (ts.isIdentifier(a) && a.text === "__dirname"))
      )
        at(node, "a path to the project root's Pulumi.prod.yaml");
      // loadStackConfig(ROOT, "prod")
      if (args.some(isRoot) && args.some((a) => isText(a, "prod"))) at(node, 'the stack "prod" of the project root');
      // runCli("plan", [], { cwd: ROOT }), memoryIo({ cwd: ROOT })
      if (ts.isIdentifier(node.expression) && RUNNERS.has(node.expression.text)) {
        for (const arg of args.filter(ts.isObjectLiteralExpression))
          for (const p of arg.properties)
            if (ts.isPropertyAssignment(p) && p.name.getText(file) === "cwd" && isRoot(p.initializer))
              at(node, `${node.expression.text} in the project root`);
      }
    }
    if (ts.isArrayLiteralExpression(node)) {
      const items = node.elements;
      // ["--cwd", ROOT]
      items.forEach((item, i) => {
        if (isText(item, "--cwd") && items[i + 1] && isRoot(items[i + 1]!)) at(node, "--cwd of the project root");
      });
      // run(CHECK_TENANT, ["prod", ROOT])
      if (items.some(isRoot) && items.some((a) => isText(a, "prod"))) at(node, 'stack "prod" in the project root');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function testFiles(): string[] {
  return fs
    .readdirSync(path.join(root, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.split(path.sep).includes("node_modules"))
    .map((f) => path.posix.join("test", ...f.split(path.sep)))
    .sort();
}

describe("the bundled Pulumi.prod.yaml", () => {
  it("is read only by its own tests: every other test reads its own stack", () => {
    const files = testFiles();
    expect(files.length).toBeGreaterThan(100);
    const readers = Object.fromEntries(
      files
        .map((f) => [f, bundledStackReads(fs.readFileSync(path.join(root, f), "utf8"))] as const)
        .filter(([, reads]) => reads.length > 0),
    );
    expect(Object.keys(readers).sort(), JSON.stringify(readers, null, 2)).toEqual([...BUNDLED_STACK_TESTS].sort());
  });

  // The finder itself, on the forms tests have used: what it must see, and a stack file of a test's own named prod.
  it.each([
    ['fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")', "a path to the project root's Pulumi.prod.yaml"],
    [
      'fs.copyFileSync(join(__dirname, "../..", "Pulumi.prod.yaml"), "x")',
      "a path to the project root's Pulumi.prod.yaml",
    ],
    ['loadStackConfig(ROOT, "prod")', 'the stack "prod" of the project root'],
    ['runCli("check", [file], { cwd: ROOT })', "runCli in the project root"],
    ["memoryIo({ cwd: root, columns: 160 })", "memoryIo in the project root"],
    ['main(["--cwd", ROOT, "--stack", stack])', "--cwd of the project root"],
    ['run(CHECK_TENANT, ["prod", ROOT])', 'stack "prod" in the project root'],
  ])("sees %s", (source, form) => {
    expect(bundledStackReads(source)).toEqual([`${form} (line 1)`]);
  });

  it.each([
    'fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), text)',
    'runCli("plan", ["--cwd", dir, "--stack", "prod"])',
    'spawnSync("npx", ["eslint", "."], { cwd: ROOT })',
    'const urn = "urn:pulumi:prod::entra-baseline::x"',
    '// path.join(ROOT, "Pulumi.prod.yaml") in a comment',
  ])("does not see %s", (source) => {
    expect(bundledStackReads(source)).toEqual([]);
  });
});
