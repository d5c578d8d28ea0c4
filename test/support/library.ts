/**
 * The packages as a user gets them: built and `npm pack`ed by scripts/build-packages.ts, then installed into a copy
 * of examples/existing-program with npm, offline, from the cache `npm ci` filled.
 *
 * Offline, npm can only install what a lockfile names: npm 11 resolves any package the lockfile lacks from its full
 * registry document, which `npm ci` does not cache (it fetches the abbreviated one). So the copy gets the lockfile it
 * would have after `npm install entra-baseline@<version>` from a registry: the program's own dependencies and the
 * packages' dependencies at the versions this repository's package-lock.json pins (the versions in the cache), and
 * our three packages at their version with the tarball as `resolved` and its sha512 as `integrity`, where a registry
 * would have served them. The example's package.json keeps its version specs; npm holds every edge, peers included,
 * to them.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildPackages, packPackages, type Manifest } from "../../scripts/build-packages";
import { ROOT } from "./cli";

export const EXAMPLE = path.join(ROOT, "examples", "existing-program");

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Builds the packages into `dir`/build and packs them into `dir`/packs; returns the tarballs. */
export function buildAndPack(dir: string): string[] {
  const built = buildPackages(path.join(dir, "build"));
  return packPackages(built, path.join(dir, "packs"));
}

/** The manifest inside a tarball, as npm reads it. */
export function tarballManifest(tarball: string): Manifest {
  return JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })) as Manifest;
}

/** Copies the example (its own files only) to `into` and writes the lockfile its install would have. */
export function copyExample(into: string, tarballs: string[]): void {
  fs.cpSync(EXAMPLE, into, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
  const manifest = JSON.parse(fs.readFileSync(path.join(into, "package.json"), "utf8")) as Manifest;
  fs.writeFileSync(
    path.join(into, "package-lock.json"),
    `${JSON.stringify(lockfile(into, manifest, tarballs), null, 2)}\n`,
  );
}

function lockfile(dir: string, manifest: Manifest, tarballs: string[]) {
  const repoLock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const ours: Record<string, LockEntry> = {};
  for (const tarball of tarballs) {
    const m = tarballManifest(tarball);
    ours[`node_modules/${m.name}`] = {
      version: m.version,
      resolved: `file:${path.relative(dir, tarball)}`,
      integrity: `sha512-${createHash("sha512").update(fs.readFileSync(tarball)).digest("base64")}`,
      license: m.license,
      ...(m.dependencies ? { dependencies: m.dependencies } : {}),
      ...(m.peerDependencies ? { peerDependencies: m.peerDependencies } : {}),
      ...(m.bin ? { bin: m.bin } : {}),
      ...(m.engines ? { engines: m.engines } : {}),
    };
  }
  const entryAt = (location: string) =>
    ours[location] ?? (repoLock.packages[location]?.link ? undefined : repoLock.packages[location]);
  // Node's lookup: node_modules of the requiring package, then of each directory above it.
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ;) {
      const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (entryAt(candidate)) return candidate;
      if (!base) return undefined;
      const i = base.lastIndexOf("/node_modules/");
      base = i >= 0 ? base.slice(0, i) : "";
    }
  };
  const packages: Record<string, LockEntry> = {};
  const queue = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).map((name) => {
    const at = resolve("", name);
    if (!at) throw new Error(`neither the packed tarballs nor package-lock.json have ${name}`);
    return at;
  });
  while (queue.length > 0) {
    const at = queue.pop()!;
    if (packages[at]) continue;
    // Whether a package is dev-only is the example's to say, not this repository's: npm recomputes those flags.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = entryAt(at)!;
    packages[at] = entry;
    for (const dep of Object.keys({
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
    })) {
      const found = resolve(at, dep);
      if (found) queue.push(found);
    }
  }
  const root = {
    name: manifest.name,
    version: manifest.version,
    dependencies: manifest.dependencies,
    devDependencies: manifest.devDependencies,
  };
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: { "": root, ...sorted },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in `cwd` (no shell), with a clean NODE_OPTIONS and the given environment on top. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NODE_OPTIONS: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
