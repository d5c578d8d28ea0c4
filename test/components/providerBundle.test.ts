/**
 * The providers the program's dynamic resources hand the SDK: one shim per kind over one esbuild bundle of the
 * provider's module (src/components/providerBundle.ts). What the engine does with the serialized shim is proven per
 * provider by the serialization tests (test/support/fakes/serializedProvider.ts); this file holds the bundling itself.
 */
import { createRequire, isBuiltin } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { dynamicTypes, dynamicTypeToken } from "@entra-baseline/model";
import {
  bundledProvider,
  bundleProviders,
  LOAD_IMPLEMENTATION,
  PROVIDER_SOURCES,
  providerShim,
  type ProviderKind,
} from "../../src/components/providerBundle";
import { loadStackConfig } from "../../src/config/stackConfig";
import { planBaseline } from "../../src/tools/plan/plan";
import { DYNAMIC_PROVIDER_KEY } from "../../src/tools/engine/secrets";
import { ROOT, STACK, STACK_DIR } from "../support/stack";

const KINDS = Object.keys(PROVIDER_SOURCES) as ProviderKind[];
const FIXTURES = path.join(__dirname, "../support/fixtures/providers");

async function implementation(kind: ProviderKind): Promise<Record<string, unknown>> {
  const { module, exportName } = PROVIDER_SOURCES[kind];
  return ((await import(path.join(ROOT, "src/components", module))) as Record<string, Record<string, unknown>>)[
    exportName
  ]!;
}

const methodsOf = (o: Record<string, unknown>) =>
  Object.keys(o)
    .filter((k) => typeof o[k] === "function")
    .sort();

describe("provider bundles", () => {
  it("cover every dynamic resource kind of the model", () => {
    expect(KINDS.sort()).toEqual(Object.keys(dynamicTypes).sort());
  });

  it.each(KINDS)(
    "%s: the shim has the provider's methods, and its bundle evaluates to the same provider",
    async (kind) => {
      const real = await implementation(kind);
      const shim = bundledProvider(kind, real as never) as unknown as Record<string, unknown>;
      expect(methodsOf(shim)).toEqual([...methodsOf(real), LOAD_IMPLEMENTATION].sort());
      const loaded = (shim[LOAD_IMPLEMENTATION] as () => Record<string, unknown>)();
      expect(methodsOf(loaded)).toEqual(methodsOf(real));
      // Loaded once: the host calls the provider many times per update.
      expect((shim[LOAD_IMPLEMENTATION] as () => unknown)()).toBe(loaded);
    },
  );

  it("hold no path of this machine, so __provider does not change with where the program runs", () => {
    const bundles = bundleProviders();
    for (const kind of KINDS) {
      expect(bundles[kind]).not.toContain(ROOT);
      expect(bundles[kind]).toMatch(new RegExp(`//# sourceURL=entra-baseline/${kind}\\.js\\n$`));
    }
    expect(bundleProviders()).toEqual(bundles);
  });

  it("require nothing by name at run time but the credential chain and Node's built-ins: packages travel inside", async () => {
    for (const [kind, text] of Object.entries(bundleProviders())) {
      const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
      expect(
        [...required].filter((name) => name !== "@azure/identity" && !isBuiltin(name)),
        kind,
      ).toEqual([]);
    }
    // A provider that needs a package (yaml) runs where only the built-ins can be required.
    const { needsYaml } = bundleProviders(
      { needsYaml: { module: "./needsYaml", exportName: "needsYamlProvider" } },
      FIXTURES,
    );
    expect(needsYaml).not.toContain('require("yaml")');
    const module = { exports: {} as { provider?: { create(i: { text: string }): Promise<{ outs: unknown }> } } };
    const builtinsOnly = (name: string) => {
      if (!isBuiltin(name)) throw new Error(`cannot require ${name} here`);
      return createRequire(__filename)(name) as unknown;
    };
    new Function("module", "exports", "require", needsYaml)(module, module.exports, builtinsOnly);
    expect((await module.exports.provider!.create({ text: "a: 1" })).outs).toEqual({ a: 1 });
  });

  it("refuse a module that does not export the provider, or does not exist, naming it", () => {
    const { plain } = bundleProviders({ plain: { module: "./plain", exportName: "otherProvider" } }, FIXTURES);
    const shim = providerShim(plain, ["create"]) as unknown as Record<string, () => unknown>;
    expect(() => shim[LOAD_IMPLEMENTATION]!()).toThrow("the dynamic provider module ./plain exports no otherProvider");
    expect(() => bundleProviders({ gone: { module: "./gone", exportName: "goneProvider" } }, FIXTURES)).toThrow(
      /^cannot bundle the dynamic providers in .*fixtures\/providers: Could not resolve "\.\/gone"/,
    );
  });
});

describe("the program's dynamic resources", () => {
  it("carry one serialized shim per kind: its bundle, the same text for every resource of the kind", async () => {
    const loaded = loadStackConfig(STACK_DIR, STACK);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const run = await planBaseline(loaded.stackFile, loaded.config);
    const bundles = bundleProviders();
    const seen = new Set<ProviderKind>();
    for (const kind of KINDS) {
      const texts = run.resources
        .filter((r) => r.type === dynamicTypeToken(kind))
        .map((r) => r.inputs[DYNAMIC_PROVIDER_KEY] as string);
      if (texts.length === 0) continue;
      seen.add(kind);
      expect(new Set(texts).size).toBe(1);
      expect(texts[0]).toContain(JSON.stringify(bundles[kind]));
      expect(texts[0]).toContain("exports.handler");
    }
    // The test stack declares at least the PIM policies, the context, its CA policy and FIDO2.
    expect([...seen]).toEqual(
      expect.arrayContaining([
        "authenticationContext",
        "fido2MethodPolicy",
        "graphConditionalAccessPolicy",
        "roleManagementPolicy",
      ]),
    );
  }, 60_000);
});
