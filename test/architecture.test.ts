/**
 * The layering of docs/architecture.md, checked over the import graph TypeScript itself resolves (paths, index files,
 * the model package): no import cycles anywhere in src/ or policies/, and every cross-folder arrow pointing down.
 * ESLint's boundaries (eslint.config.mjs) catch a wrong import as it is written; this catches what a pattern cannot
 * see, such as a cycle through three modules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter(
      (f) =>
        f.endsWith(".ts") &&
        !f.endsWith(".d.ts") &&
        !f.split(path.sep).includes("node_modules") &&
        !f.split(path.sep).includes("dist"),
    )
    .map((f) => path.join(root, dir, f));
}

function importGraph(files: string[]): Map<string, string[]> {
  const configFile = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root).options;
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles
      .map((i) => ts.resolveModuleName(i.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter(
        (f): f is string =>
          f !== undefined && !f.includes(`${path.sep}node_modules${path.sep}`) && !f.endsWith(".d.ts"),
      )
      .map((f) => fs.realpathSync(f));
    graph.set(fs.realpathSync(file), [...new Set(targets)]);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

/** Which layer a file is in, and the layers each may import (docs/architecture.md). */
const LAYERS: [string, RegExp, string[]][] = [
  ["model", /^src\/model\//, ["model"]],
  ["cli", /^src\/cli\//, ["cli"]],
  ["config", /^src\/config\//, ["config", "model", "cli"]],
  ["graph", /^src\/graph\//, ["graph", "model", "cli"]],
  ["components", /^src\/components\//, ["components", "model", "config", "graph"]],
  ["tools", /^src\/tools\//, ["tools", "components", "model", "config", "graph", "cli"]],
  ["entry", /^src\/[^/]+\.ts$/, ["entry", "components", "model", "config"]],
  ["pack", /^policies\//, ["pack", "model"]],
];

function layerOf(file: string): string | undefined {
  const rel = path.relative(root, file).split(path.sep).join("/");
  return LAYERS.find(([, pattern]) => pattern.test(rel))?.[0];
}

describe("the import graph", () => {
  const graph = importGraph([...sourceFiles("src"), ...sourceFiles("policies")]);

  it("has no cycle", () => {
    const rel = (f: string) => path.relative(root, f);
    expect(cycles(graph).map((c) => c.map(rel).join(" → "))).toEqual([]);
  });

  it("only points down the layers", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      const allowed = LAYERS.find(([name]) => name === from)?.[2] ?? [];
      for (const target of targets) {
        const to = layerOf(target);
        if (to && !allowed.includes(to))
          wrong.push(`${path.relative(root, file)} (${from}) → ${path.relative(root, target)} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("sees the model package as the model (the check would pass vacuously otherwise)", () => {
    const pack = [...graph.entries()].find(([f]) =>
      f.endsWith(path.join("policies", "rules", "breakglassTripwire.ts")),
    );
    expect(pack?.[1].some((t) => layerOf(t) === "model")).toBe(true);
  });
});
