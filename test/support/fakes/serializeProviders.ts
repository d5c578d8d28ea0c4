/**
 * Serializes dynamic providers from a plain CommonJS load (tsx), the way the engine's compiled program does, and
 * prints `{ name: text }` as JSON. Run as
 * `node --require tsx/cjs test/support/fakes/serializeProviders.ts '{"name":{"module":"src/…","exportName":"…"}}'`.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ProviderRef } from "./serializedProvider";

const root = path.resolve(__dirname, "../../..");
const refs = JSON.parse(process.argv[2] ?? "{}") as Record<string, ProviderRef>;

(async () => {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(refs)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const provider = (require(path.join(root, ref.module)) as Record<string, unknown>)[ref.exportName];
    if (!provider) throw new Error(`${ref.module} exports no ${ref.exportName}`);
    out[name] = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e: unknown) => {
  process.stderr.write(String((e as Error).stack ?? e));
  process.exit(1);
});
