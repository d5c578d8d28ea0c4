/**
 * Builds the three publishable packages (docs/library.md) and, with --pack, `npm pack`s them:
 *
 *   @entra-baseline/model        src/model as it is: its package.json already is the published one (dist/ by tsc)
 *   @entra-baseline/policy-pack  policies/ compiled to JavaScript with declarations, PulumiPolicy.yaml, a generated
 *                                manifest (main: index.js) — the pack depends on the model package, nothing of src/
 *   entra-baseline               src/ compiled (without the model, this repository's program src/index.ts and its
 *                                docs generator), a generated manifest: exports, bin, peer dependencies
 *
 * The two generated manifests are written from the repository's own (name, version, pins), so a version or a pin is
 * written once. The source directories keep serving this repository unchanged: the root package.json is the Pulumi
 * project (main: src/index.ts) and policies/ runs from TypeScript under `pulumi preview --policy-pack policies`, so
 * neither can be the published package itself; Pulumi's providers publish the same way, from a built directory with
 * a generated package.json.
 *
 *   node --import tsx scripts/build-packages.ts [--out DIR] [--pack DIR]    (npm run build:packages -- …)
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
export const DEFAULT_OUT = path.join(ROOT, "dist", "packages");

/** The provider SDKs and the engine SDK: one copy each in the user's program, so the library only names a range. */
export const PEERS = ["@pulumi/pulumi", "@pulumi/azuread", "@pulumi/azure-native", "@pulumi/random"] as const;

/** What the library's compiled code requires besides the root's dependencies (the analyzer client's gRPC). */
const ALSO_REQUIRED = ["@grpc/grpc-js", "google-protobuf"] as const;

/**
 * Sources under src/ that are this repository's and not the library's: the model (its own package), the program
 * that reads config on import, and the generator of this repository's config docs.
 */
export const NOT_IN_LIBRARY = ["model/**", "index.ts", "config/docs.ts"];

/** Whether `rel` (a path under src/, with `/`) is compiled into the library. */
export function inLibrary(rel: string): boolean {
  return !NOT_IN_LIBRARY.some((p) => (p.endsWith("/**") ? rel.startsWith(p.slice(0, -2)) : rel === p));
}

export interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  private?: boolean;
  engines?: Record<string, string>;
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface BuiltPackages {
  /** Package directory → its manifest, in dependency order (model, pack, library). */
  model: string;
  policyPack: string;
  library: string;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
}

export function buildPackages(outDir: string = DEFAULT_OUT): BuiltPackages {
  const root = readManifest(ROOT);
  const pack = readManifest(path.join(ROOT, "policies"));
  const model = path.join(ROOT, "src", "model");
  const policyPack = path.join(outDir, "policy-pack");
  const library = path.join(outDir, "entra-baseline");
  fs.rmSync(policyPack, { recursive: true, force: true });
  fs.rmSync(library, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  // The model first: the other two compile against its declarations, as their users will.
  tsc(path.join(model, "tsconfig.build.json"));

  tsc(
    writeTsconfig(outDir, "policy-pack", {
      rootDir: path.join(ROOT, "policies"),
      outDir: policyPack,
      include: [path.join(ROOT, "policies", "**", "*.ts")],
      exclude: [path.join(ROOT, "policies", "node_modules")],
    }),
  );
  fs.copyFileSync(path.join(ROOT, "policies", "PulumiPolicy.yaml"), path.join(policyPack, "PulumiPolicy.yaml"));
  writeManifest(policyPack, policyPackManifest(root, pack));
  writeReadme(policyPack, POLICY_PACK_README);

  tsc(
    writeTsconfig(outDir, "entra-baseline", {
      rootDir: path.join(ROOT, "src"),
      outDir: path.join(library, "lib"),
      include: [path.join(ROOT, "src", "**", "*.ts")],
      exclude: NOT_IN_LIBRARY.map((p) => path.join(ROOT, "src", p)),
    }),
  );
  fs.chmodSync(path.join(library, "lib", "tools", "cli.js"), 0o755);
  writeManifest(library, libraryManifest(root, pack));
  writeReadme(library, LIBRARY_README);
  return { model, policyPack, library };
}

export function policyPackManifest(root: Manifest, pack: Manifest): Manifest {
  const dependencies = { ...pack.dependencies };
  delete dependencies["@pulumi/pulumi"];
  return {
    name: pack.name,
    version: pack.version,
    description: pack.description,
    license: pack.license ?? root.license,
    engines: root.engines,
    // run-policy-pack `require`s the pack directory: Node's directory lookup reads `main`.
    main: "index.js",
    exports: {
      ".": "./index.js",
      "./rules": { types: "./rules/index.d.ts", default: "./rules/index.js" },
      "./package.json": "./package.json",
    },
    files: ["**/*.js", "**/*.d.ts", "PulumiPolicy.yaml", "README.md"],
    dependencies: sorted(dependencies),
    // The CLI's run-policy-pack is located from the pack directory: the program's own @pulumi/pulumi.
    peerDependencies: { "@pulumi/pulumi": peerRange(root, "@pulumi/pulumi") },
  };
}

export function libraryManifest(root: Manifest, pack: Manifest): Manifest {
  const pins = { ...root.devDependencies, ...root.dependencies };
  const dependencies: Record<string, string> = {};
  for (const [name, version] of Object.entries(root.dependencies ?? {}))
    if (!(PEERS as readonly string[]).includes(name)) dependencies[name] = version;
  for (const name of ALSO_REQUIRED) dependencies[name] = pins[name] ?? lockedVersion(name);
  dependencies[pack.name] = pack.version;
  return {
    name: root.name,
    version: root.version,
    description: root.description,
    license: root.license,
    engines: root.engines,
    main: "lib/library.js",
    types: "lib/library.d.ts",
    exports: {
      ".": { types: "./lib/library.d.ts", default: "./lib/library.js" },
      "./package.json": "./package.json",
      // Not an API, but it must stay requirable: closure serialization captures each dynamic provider's modules as
      // `require("entra-baseline/lib/…")`, mapped through this map (and failing the program for a path it hides),
      // and @pulumi/pulumi 3.248 skips the mapping when the package name occurs earlier in the install path (e.g.
      // a repository at ~/entra-baseline-prod/), so the compiled path itself has to be exported (docs/library.md).
      "./lib/*": "./lib/*",
    },
    bin: { "entra-baseline": "lib/tools/cli.js" },
    files: ["lib/**/*.js", "lib/**/*.d.ts", "README.md"],
    dependencies: sorted(dependencies),
    peerDependencies: Object.fromEntries(PEERS.map((name) => [name, peerRange(root, name)])),
  };
}

/** A peer range from the pinned version: that version and later compatible ones (the program chooses). */
function peerRange(root: Manifest, name: string): string {
  const pinned = root.dependencies?.[name];
  if (!pinned) throw new Error(`package.json pins no ${name}`);
  return `^${pinned}`;
}

function lockedVersion(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json has no ${name}`);
  return version;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * A tsconfig for one package, extending the repository's: the model is imported through its package (its compiled
 * declarations, as a user's compiler sees them), not through the repository's path mapping onto its sources.
 */
function writeTsconfig(
  outDir: string,
  name: string,
  options: { rootDir: string; outDir: string; include: string[]; exclude: string[] },
): string {
  const file = path.join(outDir, ".tsconfig", `${name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const config = {
    extends: path.join(ROOT, "tsconfig.json"),
    compilerOptions: {
      rootDir: options.rootDir,
      outDir: options.outDir,
      declaration: true,
      noEmit: false,
      paths: {},
      // Type packages are looked up from the config's directory, which may be outside the repository.
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
    },
    include: options.include,
    exclude: options.exclude,
  };
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

function tsc(project: string): void {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

function writeManifest(dir: string, manifest: Manifest): void {
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

function writeReadme(dir: string, text: string): void {
  fs.writeFileSync(path.join(dir, "README.md"), text);
}

/** `npm pack`s each package into `into`; returns the tarballs in dependency order. */
export function packPackages(built: BuiltPackages, into: string): string[] {
  fs.mkdirSync(into, { recursive: true });
  return [built.model, built.policyPack, built.library].map((dir) => {
    const out = execFileSync("npm", ["pack", dir, "--pack-destination", into, "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [{ filename }] = JSON.parse(out) as { filename: string }[];
    return path.join(into, path.basename(filename));
  });
}

const LIBRARY_README = `# entra-baseline

Entra ID privileged access, safe by construction, as a library for an existing Pulumi program (TypeScript or
JavaScript): just-in-time Global Administrator through PIM, breakglass accounts, the tripwire alert and the
monitoring they need, declared next to your own resources.

\`\`\`ts
import { baselineOutputs, declareBaseline, loadBaselineConfig } from "entra-baseline";

// Reads and validates the stack's entra-baseline:* keys (nothing is declared if they are invalid), and checks the
// providers are signed in to the stack's tenant: the program is an async function, which the Pulumi CLI awaits.
export = async () => {
  const baseline = await declareBaseline(loadBaselineConfig());
  return { entra: baselineOutputs(baseline) };
};
\`\`\`

- Peer dependencies: \`@pulumi/pulumi\`, \`@pulumi/azuread\`, \`@pulumi/azure-native\`, \`@pulumi/random\` — your
  program's own copies (one \`@pulumi/pulumi\` per program).
- \`entra-baseline plan --program . --stack <stack>\` plans your program offline under mocks and runs the policy pack
  over the whole stack; \`entra-baseline --help\` lists the other commands (check, audit, review, custody).
- The policy pack is \`@entra-baseline/policy-pack\`:
  \`pulumi preview --policy-pack node_modules/@entra-baseline/policy-pack\`.

Configuration keys, the components and the upgrade notes: docs/library.md and CHANGELOG.md of the entra-baseline
repository.
`;

const POLICY_PACK_README = `# @entra-baseline/policy-pack

The entra-baseline CrossGuard policy pack, compiled: it rejects privileged-access drift in an Entra ID tenant on every
\`pulumi preview\` and \`pulumi up\` (standing Tier-0 access, weakened Global Administrator activation, broken
breakglass accounts, blind monitoring). It decides by \`@entra-baseline/model\`, the same model the audit uses.

\`\`\`bash
npm install --save-dev @entra-baseline/policy-pack
entra-baseline plan --stack dev --write-policy-config pack-config.json   # the pack's config from your stack
pulumi preview --policy-pack node_modules/@entra-baseline/policy-pack --policy-pack-config pack-config.json
\`\`\`

\`@entra-baseline/policy-pack/rules\` exports the rules themselves, side-effect free, for a pack of your own.
`;

if (require.main === module) {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const unknown = args.filter((a, i) => a.startsWith("--") && !["--out", "--pack"].includes(a) && i >= 0);
  if (unknown.length > 0 || args.includes("--help")) {
    console.error("Usage: node --import tsx scripts/build-packages.ts [--out DIR] [--pack DIR]");
    process.exit(args.includes("--help") ? 0 : 2);
  }
  const built = buildPackages(path.resolve(value("--out") ?? DEFAULT_OUT));
  console.log(`built ${built.model}, ${built.policyPack}, ${built.library}`);
  const packInto = value("--pack");
  if (packInto) for (const tarball of packPackages(built, path.resolve(packInto))) console.log(`packed ${tarball}`);
}
