/**
 * Builds a self-contained copy of the policy pack for `pulumi policy publish`.
 *
 * The pack's rules decide by the shared model (`@entra-baseline/model`, the workspace package in src/model: "one
 * model, three enforcers"). `pulumi policy publish` uploads only the pack directory (an `npm pack` of it) and the
 * service installs its dependencies from the public registry, where a workspace package of this repository may not
 * be. This bundles policies/index.ts with the model into one index.js, leaving @pulumi/policy and @pulumi/pulumi as
 * the pack's npm dependencies, and writes PulumiPolicy.yaml and package.json beside it.
 *
 *   node --import tsx scripts/build-policy-pack.ts <out-dir>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";

const ROOT = path.resolve(__dirname, "..");
const PACK = path.join(ROOT, "policies");

export function buildPolicyPack(outDir: string): { entry: string; external: string[] } {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as {
    name: string;
    version: string;
    description?: string;
    dependencies: Record<string, string>;
  };
  // This repository's own workspace packages are inlined; the rest are installed next to the published pack.
  const ownPackage = (name: string) => name.startsWith("@entra-baseline/");
  const dependencies = Object.fromEntries(Object.entries(manifest.dependencies).filter(([name]) => !ownPackage(name)));
  const external = Object.keys(dependencies);
  fs.mkdirSync(outDir, { recursive: true });
  const entry = path.join(outDir, "index.js");
  buildSync({
    entryPoints: [path.join(PACK, "index.ts")],
    outfile: entry,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external,
    logLevel: "error",
  });
  fs.copyFileSync(path.join(PACK, "PulumiPolicy.yaml"), path.join(outDir, "PulumiPolicy.yaml"));
  const published = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    main: "index.js",
    dependencies,
  };
  fs.writeFileSync(path.join(outDir, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
  return { entry, external };
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error("Usage: node --import tsx scripts/build-policy-pack.ts <out-dir>");
    process.exit(2);
  }
  buildPolicyPack(path.resolve(out));
  console.log(`policy pack bundled into ${out}`);
}
