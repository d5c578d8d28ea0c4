/**
 * A dynamic provider as the engine stores it: one bundle of the provider module's code, and a small shim around it.
 *
 * The Pulumi SDK stores a dynamic resource's provider in its `__provider` input as the text of a closure
 * serialization (`pulumi.runtime.serializeFunction`), and the engine's dynamic-provider host evaluates that text with
 * require-from-string and calls `handler()` (docs/references.md, "Pulumi CLI and SDK"). Serializing a provider object
 * directly walks every function it reaches through the V8 inspector and parses each with TypeScript: about a quarter
 * of a second per provider for ours, which share the Graph client, and most of `npm run plan`'s time.
 *
 * So the object handed to `pulumi.dynamic.Resource` is a shim that captures one string: the provider module bundled
 * by esbuild (the project's own code by value, the credential chain `@azure/identity` and Node's built-ins required by
 * name from the program's directory, exactly as closure serialization had them). The SDK still does the serializing;
 * it now walks a few small functions. In the host, the first call evaluates the bundle and forwards to the provider
 * it exports; the shim has the same methods as the provider, since the host treats a missing `check` or `diff`
 * differently from a present one.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { buildSync, type Message } from "esbuild";
import type { DynamicKind } from "@entra-baseline/model";

/**
 * Every dynamic provider of the program: the module that exports it (relative to this folder) and the export's
 * name, by the resource's key in the model's `dynamicTypes`. All are bundled in one esbuild run, the first time a
 * program declares one of them.
 */
/** Where a provider lives: the module that exports it (relative to the bundling folder) and the export's name. */
export interface ProviderSource {
  module: string;
  exportName: string;
}

export const PROVIDER_SOURCES = {
  roleManagementPolicy: { module: "./pim/provider", exportName: "roleManagementPolicyProvider" },
  roleEligibility: { module: "./pim/eligibilityProvider", exportName: "roleEligibilityProvider" },
  graphConditionalAccessPolicy: {
    module: "./conditionalAccess/graphPolicyProvider",
    exportName: "graphCaPolicyProvider",
  },
  authenticationContext: {
    module: "./conditionalAccess/authenticationContextProvider",
    exportName: "authenticationContextProvider",
  },
  fido2MethodPolicy: { module: "./breakglass/fido2MethodPolicyProvider", exportName: "fido2MethodPolicyProvider" },
  sentinelNrtAlertRule: { module: "./monitoring/sentinelNrtRuleProvider", exportName: "sentinelNrtRuleProvider" },
} as const satisfies Record<DynamicKind, ProviderSource>;

export type ProviderKind = keyof typeof PROVIDER_SOURCES;

/**
 * What the bundles require by name at run time, from the program's directory: the credential chain, which reads the
 * environment of the process it runs in (and is large). Everything else but Node's built-ins travels inside them.
 */
const REQUIRED_BY_NAME = ["@azure/identity"];

/** The shim's own method, beside the provider's: evaluates the bundle (the plan loads each provider with it). */
export const LOAD_IMPLEMENTATION = "loadImplementation";

type AnyProvider = pulumi.dynamic.ResourceProvider<any, any>;

let bundles: Record<ProviderKind, string> | undefined;
const shims = new Map<ProviderKind, AnyProvider>();

/**
 * The provider to hand `pulumi.dynamic.Resource` for `kind`: a shim over its bundle, with the methods of
 * `implementation` (the same export, loaded in this process). One shim per kind, so that the SDK serializes each
 * provider once per program run.
 */
export function bundledProvider<P extends AnyProvider>(kind: ProviderKind, implementation: P): P {
  let shim = shims.get(kind);
  if (!shim) {
    bundles ??= bundleProviders();
    const methods = Object.keys(implementation).filter(
      (name) => typeof (implementation as Record<string, unknown>)[name] === "function",
    );
    shim = providerShim(bundles[kind], methods);
    shims.set(kind, shim);
  }
  return shim as P;
}

/**
 * Each provider module (PROVIDER_SOURCES, relative to this folder) and everything it imports as one CommonJS text
 * whose `exports.provider` is the provider. Paths in the texts are relative to the folder, so a text (and with it a
 * resource's `__provider`) does not change with the directory the program runs from.
 */
export function bundleProviders<K extends string = ProviderKind>(
  sources: Record<K, ProviderSource> = PROVIDER_SOURCES as Record<string, ProviderSource>,
  dir: string = __dirname,
): Record<K, string> {
  const kinds = Object.keys(sources) as K[];
  let result;
  try {
    result = buildSync({
      entryPoints: kinds.map((kind) => ({ in: sources[kind].module, out: kind })),
      absWorkingDir: dir,
      outdir: "bundles",
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      external: REQUIRED_BY_NAME,
      keepNames: true,
      legalComments: "none",
      write: false,
      logLevel: "silent",
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    const detail = errors?.length ? errors.map((m) => m.text).join("; ") : (e as Error).message;
    throw new Error(`cannot bundle the dynamic providers in ${dir}: ${detail}`, { cause: e });
  }
  const texts = {} as Record<K, string>;
  for (const kind of kinds) {
    const file = `bundles/${kind}.js`;
    const output = result.outputFiles.find((f) => f.path === path.join(dir, file));
    if (!output) throw new Error(`esbuild wrote no bundle for the dynamic provider ${sources[kind].module}`);
    const { exportName } = sources[kind];
    // The host must fail on a bundle that lacks the provider with a message that says so, not on `undefined`.
    const exported = `module.exports.${exportName}`;
    const missing = JSON.stringify(`the dynamic provider module ${sources[kind].module} exports no ${exportName}`);
    texts[kind] =
      `${output.text}if (${exported} === undefined) throw new Error(${missing});\n` +
      `module.exports = { provider: ${exported} };\n//# sourceURL=entra-baseline/${kind}.js\n`;
  }
  return texts;
}

/**
 * The shim. Everything its functions reach is serialized with it: the bundle text, the method names and a cache, so
 * nothing here may refer to a module-level value. `require` is the host module's own, resolving from the program's
 * directory (closure serialization never captures it).
 */
export function providerShim(code: string, methods: readonly string[]): AnyProvider {
  const loaded: { provider?: Record<string, (...args: unknown[]) => unknown> } = {};
  const loadImplementation = () => {
    if (loaded.provider === undefined) {
      const module = { exports: {} as { provider?: Record<string, (...args: unknown[]) => unknown> } };
      // The bundle is the provider's own code, built above from the project's files: evaluating it is the point.
      new Function("module", "exports", "require", code)(module, module.exports, require);
      if (typeof module.exports.provider !== "object" || module.exports.provider === null)
        throw new Error("the bundled dynamic provider exports no provider");
      loaded.provider = module.exports.provider;
    }
    return loaded.provider;
  };
  const shim: Record<string, unknown> = { [LOAD_IMPLEMENTATION]: loadImplementation };
  for (const method of methods) shim[method] = (...args: unknown[]) => loadImplementation()[method]!(...args);
  return shim as unknown as AnyProvider;
}
