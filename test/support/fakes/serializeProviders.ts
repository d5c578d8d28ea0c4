/**
 * Serializes the provider each named kind of dynamic resource hands the SDK, from a plain CommonJS load (tsx), the
 * way the engine's compiled program does, and prints `{ kind: text }` as JSON. Run as
 * `node --require tsx/cjs test/support/fakes/serializeProviders.ts '["roleEligibility", …]'`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "../../../src/components/providerBundle";
import { deployedProvider } from "./deployedProvider";

const kinds = JSON.parse(process.argv[2] ?? "[]") as ProviderKind[];

(async () => {
  const out: Record<string, string> = {};
  for (const kind of kinds) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const provider = await deployedProvider(kind, (file) => require(file));
    out[kind] = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e: unknown) => {
  process.stderr.write(String((e as Error).stack ?? e));
  process.exit(1);
});
