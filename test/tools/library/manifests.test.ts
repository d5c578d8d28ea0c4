/**
 * The published manifests, without building anything: one version everywhere (the three packages, the dependencies
 * between them, the example, the CHANGELOG's latest entry), the Pulumi SDK and providers as peers of the library
 * only, and every package the compiled code imports declared by the package that ships it.
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { inLibrary, libraryManifest, PEERS, policyPackManifest, readManifest } from "../../../scripts/build-packages";
import { ROOT } from "../../support/cli";
import { EXAMPLE } from "../../support/library";

const root = readManifest(ROOT);
const model = readManifest(path.join(ROOT, "src", "model"));
const pack = readManifest(path.join(ROOT, "policies"));
const library = libraryManifest(root, pack);
const publishedPack = policyPackManifest(root, pack);
const VERSION = root.version;

/** The packages a set of TypeScript sources import (bare specifiers, by package name). */
function importedPackages(dir: string, skip: (rel: string) => boolean): Set<string> {
  const names = new Set<string>();
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (
      !rel.endsWith(".ts") ||
      rel.endsWith(".d.ts") ||
      rel.split(path.sep).some((p) => p === "node_modules" || p === "dist")
    )
      continue;
    if (skip(rel.split(path.sep).join("/"))) continue;
    const info = ts.preProcessFile(fs.readFileSync(path.join(dir, rel), "utf8"), true, true);
    for (const { fileName } of info.importedFiles) {
      if (fileName.startsWith(".") || fileName.startsWith("node:") || builtinModules.includes(fileName)) continue;
      const parts = fileName.split("/");
      names.add(fileName.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return names;
}

describe("versions", () => {
  it("one version for the three packages and every dependency between them", () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect({ model: model.version, pack: pack.version, library: library.version }).toEqual({
      model: VERSION,
      pack: VERSION,
      library: VERSION,
    });
    expect(root.dependencies?.["@entra-baseline/model"]).toBe(VERSION);
    expect(root.dependencies?.["@entra-baseline/policy-pack"]).toBe(VERSION);
    expect(pack.dependencies?.["@entra-baseline/model"]).toBe(VERSION);
    expect(library.dependencies?.["@entra-baseline/model"]).toBe(VERSION);
    expect(library.dependencies?.["@entra-baseline/policy-pack"]).toBe(VERSION);
    expect(publishedPack.dependencies?.["@entra-baseline/model"]).toBe(VERSION);
  });

  it("the example installs this version, and the lockfile records it", () => {
    const example = readManifest(EXAMPLE);
    expect(example.dependencies?.["entra-baseline"]).toBe(VERSION);
    expect(example.devDependencies?.["@entra-baseline/policy-pack"]).toBe(VERSION);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
    expect([lock.version, lock.packages["src/model"].version, lock.packages.policies.version]).toEqual([
      VERSION,
      VERSION,
      VERSION,
    ]);
  });

  it("CHANGELOG.md's latest entry is this version", () => {
    const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
    const latest = /^## \[?(\d+\.\d+\.\d+)\]?/m.exec(changelog)?.[1];
    expect(latest).toBe(VERSION);
  });
});

describe("the published manifests", () => {
  it("the library: compiled entry and declarations through an exports map, the binary, no private flag", () => {
    expect(library).toMatchObject({
      name: "entra-baseline",
      main: "lib/library.js",
      types: "lib/library.d.ts",
      bin: { "entra-baseline": "lib/tools/cli.js" },
      exports: {
        ".": { types: "./lib/library.d.ts", default: "./lib/library.js" },
        "./package.json": "./package.json",
        "./lib/*": "./lib/*",
      },
    });
    expect(library.private).toBeUndefined();
    expect(library.files).toEqual(["lib/**/*.js", "lib/**/*.d.ts", "README.md"]);
  });

  it("the Pulumi SDK and providers are the library's peers, at ranges from the repository's pins, never dependencies", () => {
    expect(Object.keys(library.peerDependencies ?? {}).sort()).toEqual([...PEERS].sort());
    for (const name of PEERS) {
      expect(library.peerDependencies?.[name]).toBe(`^${root.dependencies?.[name]}`);
      expect(library.dependencies?.[name]).toBeUndefined();
    }
    expect(publishedPack.peerDependencies).toEqual({ "@pulumi/pulumi": `^${root.dependencies?.["@pulumi/pulumi"]}` });
    expect(publishedPack.dependencies?.["@pulumi/pulumi"]).toBeUndefined();
  });

  it("the pack: compiled, loaded by main as run-policy-pack requires it, PulumiPolicy.yaml shipped", () => {
    expect(publishedPack).toMatchObject({ name: "@entra-baseline/policy-pack", main: "index.js" });
    expect(publishedPack.files).toContain("PulumiPolicy.yaml");
    expect(publishedPack.private).toBeUndefined();
    // The source directory is this repository's pack (TypeScript under the CLI): never published as it is.
    expect(pack).toMatchObject({ private: true, main: "index.ts" });
  });

  it("every package the library's code imports is its dependency or peer (or Node's)", () => {
    const imported = importedPackages(path.join(ROOT, "src"), (rel) => !inLibrary(rel));
    const declared = new Set([
      ...Object.keys(library.dependencies ?? {}),
      ...Object.keys(library.peerDependencies ?? {}),
    ]);
    expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
    expect(imported.size).toBeGreaterThan(8); // the scan found the imports at all
  });

  it("every package the pack's code imports is its dependency or peer", () => {
    const imported = importedPackages(path.join(ROOT, "policies"), () => false);
    const declared = new Set([
      ...Object.keys(publishedPack.dependencies ?? {}),
      ...Object.keys(publishedPack.peerDependencies ?? {}),
    ]);
    expect([...imported].sort()).toEqual(["@entra-baseline/model", "@pulumi/policy"]);
    expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
  });
});
