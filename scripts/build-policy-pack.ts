/**
 * Builds a self-contained copy of the policy pack for `pulumi policy publish`.
 *
 * The pack's rules share their definitions with the program and the audit (src/model, src/roles.ts: "one model,
 * three enforcers"), outside policies/. `pulumi policy publish` uploads only the pack directory (an `npm pack` of
 * it), so publishing policies/ as it is would ship rules that cannot load. This bundles policies/index.ts and
 * everything it imports from the repository into one index.js, leaving @pulumi/policy and @pulumi/pulumi as the
 * pack's npm dependencies, and writes PulumiPolicy.yaml and package.json beside it.
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
  const external = Object.keys(manifest.dependencies);
  fs.mkdirSync(outDir, { recursive: true });
  const entry = path.join(outDir, "index.js");
  buildSync({
    entryPoints: [path.join(PACK, "index.ts")],
    outfile: entry,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // The pack's own dependencies are installed by the CLI next to the published pack; everything else is inlined.
    external,
    logLevel: "error",
  });
  fs.copyFileSync(path.join(PACK, "PulumiPolicy.yaml"), path.join(outDir, "PulumiPolicy.yaml"));
  const published = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    main: "index.js",
    dependencies: manifest.dependencies,
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
