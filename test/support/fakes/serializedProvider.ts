/**
 * The engine stores a dynamic provider as text (closure serialization) and runs it in another process with
 * `require-from-string(text).handler()`. This harness does exactly that for tests: serialize the provider a resource
 * hands the SDK (the shim over its bundle, src/components/providerBundle.ts) twice — from the vitest process and from
 * a plain CommonJS load (tsx), the way the engine's compiled program has it — write the texts to files, and run a
 * file in a fresh `node` (create, then read) against a loopback Graph.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isBuiltin } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { bundleProviders, type ProviderKind } from "../../../src/components/providerBundle";
import { deployedProvider } from "./deployedProvider";
import { FAKE_TOKEN } from "./azureCli";

const ROOT = path.resolve(__dirname, "../../..");
export const SERIALIZED_FROM = ["vitest", "commonjs"] as const;
export type SerializedFrom = (typeof SERIALIZED_FROM)[number];

/** What the engine's dynamic-provider host does with `__provider`, then one create and one read. */
const HOST = `
const provider = require("require-from-string")(require("fs").readFileSync(process.argv[1], "utf8")).handler();
const inputs = JSON.parse(process.argv[2]);
(async () => {
  const created = await provider.create(inputs);
  const read = await provider.read(created.id, created.outs);
  process.stdout.write(JSON.stringify({ created, read }));
})().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;

async function serialize(provider: unknown): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false });
  expect(serialized.containsSecrets).toBe(false);
  return serialized.text;
}

/** Serializes each kind's provider both ways; returns the files holding the texts. */
export async function serializeProviders<K extends ProviderKind>(
  kinds: readonly K[],
): Promise<Record<SerializedFrom, Record<K, string>>> {
  const fromCommonJs = await new Promise<Record<K, string>>((resolve, reject) =>
    execFile(
      process.execPath,
      ["--require", "tsx/cjs", path.join(__dirname, "serializeProviders.ts"), JSON.stringify(kinds)],
      { cwd: ROOT, maxBuffer: 64 << 20 },
      (e, out, err) =>
        e
          ? reject(new Error(`serializing under CommonJS failed: ${err}`))
          : resolve(JSON.parse(out) as Record<K, string>),
    ),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dynamic-providers-"));
  const files = { vitest: {}, commonjs: {} } as Record<SerializedFrom, Record<K, string>>;
  for (const kind of kinds) {
    for (const [from, text] of [
      ["vitest", await serialize(await deployedProvider(kind, (file) => import(file)))],
      ["commonjs", fromCommonJs[kind]],
    ] as const) {
      const file = path.join(dir, `${kind}.${from}.js`);
      fs.writeFileSync(file, text);
      files[from][kind] = file;
    }
  }
  return files;
}

/**
 * What every serialized provider must look like: no captured token or secret; the project's code by value, in the
 * kind's bundle; nothing required by name but the credential chain and Node's built-ins (anything else would have to
 * be installed where the engine runs the provider, and a relative path would not resolve there at all).
 */
export function expectPortableProviderText(text: string, kind: ProviderKind): void {
  expect(text).toContain("exports.handler");
  expect(text).not.toContain(FAKE_TOKEN);
  expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/);
  expect(text).not.toMatch(/client_?secret|AZURE_CLIENT_SECRET\s*=/i);
  const bundle = bundleProviders()[kind];
  expect(text).toContain(JSON.stringify(bundle));
  const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  expect(required).toContain("@azure/identity");
  expect([...required].filter((name) => name !== "@azure/identity" && !isBuiltin(name))).toEqual([]);
  // Set/Map values do not survive serialization (they become plain objects whose methods throw).
  expect(text).not.toMatch(/global\.(Map|Set)\.prototype/);
}

export interface SerializedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a serialized provider file in a fresh node process: create(inputs), then read. `env` adds to the process
 * environment (e.g. FAKE_AZ_TENANT: a credential signed in to another tenant).
 */
export function runSerialized(file: string, inputs: unknown, env: Record<string, string> = {}): Promise<SerializedRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-e", HOST, file, JSON.stringify(inputs)],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
