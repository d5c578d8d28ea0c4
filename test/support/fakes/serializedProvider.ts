/**
 * The engine stores a dynamic provider as text (closure serialization) and runs it in another process with
 * `require-from-string(text).handler()`. This harness does exactly that for tests: serialize a production provider
 * twice — from the vitest process and from a plain CommonJS load (tsx), the way the engine's compiled program has
 * it — write the texts to files, and run a file in a fresh `node` (create, then read) against a loopback Graph.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { FAKE_TOKEN } from "./azureCli";

const ROOT = path.resolve(__dirname, "../../..");
export const SERIALIZED_FROM = ["vitest", "commonjs"] as const;
export type SerializedFrom = (typeof SERIALIZED_FROM)[number];

/** A provider object exported by a module, named by the module's path from the project root. */
export interface ProviderRef {
  module: string;
  exportName: string;
}

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

/** Serializes each provider both ways; returns the files holding the texts. */
export async function serializeProviders<N extends string>(
  refs: Record<N, ProviderRef>,
): Promise<Record<SerializedFrom, Record<N, string>>> {
  const fromCommonJs = await new Promise<Record<N, string>>((resolve, reject) =>
    execFile(
      process.execPath,
      ["--require", "tsx/cjs", path.join(__dirname, "serializeProviders.ts"), JSON.stringify(refs)],
      { cwd: ROOT, maxBuffer: 64 << 20 },
      (e, out, err) =>
        e
          ? reject(new Error(`serializing under CommonJS failed: ${err}`))
          : resolve(JSON.parse(out) as Record<N, string>),
    ),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dynamic-providers-"));
  const files = { vitest: {}, commonjs: {} } as Record<SerializedFrom, Record<N, string>>;
  for (const name of Object.keys(refs) as N[]) {
    const ref = refs[name];
    const module = (await import(path.join(ROOT, ref.module))) as Record<string, unknown>;
    for (const [from, text] of [
      ["vitest", await serialize(module[ref.exportName])],
      ["commonjs", fromCommonJs[name]],
    ] as const) {
      const file = path.join(dir, `${name}.${from}.js`);
      fs.writeFileSync(file, text);
      files[from][name] = file;
    }
  }
  return files;
}

/** What every serialized provider must look like: no captured token or secret, the project's code by value. */
export function expectPortableProviderText(text: string): void {
  expect(text).toContain("exports.handler");
  expect(text).not.toContain(FAKE_TOKEN);
  expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/);
  expect(text).not.toMatch(/client_?secret|AZURE_CLIENT_SECRET\s*=/i);
  // The credential chain is loaded in the provider process, not captured from this one.
  expect(text).toContain('require("@azure/identity")');
  // Only packages are required by name; the project's own modules travel by value (relative paths would not resolve).
  expect(text.match(/require\("[^"]+"\)/g)?.every((r) => !/require\("\.{1,2}(\/|")/.test(r))).toBe(true);
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
