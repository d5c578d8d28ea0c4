/**
 * Each dynamic resource's provider as the engine will load it. The Pulumi SDK serializes a dynamic provider by
 * closure into the resource's `__provider` input; at `pulumi preview`/`up` the dynamic-provider host
 * (@pulumi/pulumi cmd/dynamic-provider) evaluates that text with require-from-string, resolving its `require`s from
 * the program's directory, and calls its `handler()`. Doing the same after the plan, and evaluating the bundle a
 * baseline provider carries (src/components/providerBundle.ts), finds offline a provider that would only fail against
 * the real engine — typically a package it requires by name (`@azure/identity`) that the program's directory cannot
 * resolve, as when an installed library's dependencies are not hoisted.
 */
import Module from "node:module";
import * as path from "node:path";
import { RunFailure } from "../../cli/errors";
import { DYNAMIC_MODULE_PREFIX } from "@entra-baseline/model";
import { LOAD_IMPLEMENTATION } from "../../components/providerBundle";
import type { RecordedResource } from "./runProgram";
import { DYNAMIC_PROVIDER_KEY } from "./secrets";

/** The node:module internals require-from-string uses, which @types/node does not declare. */
interface ModuleInternals {
  _nodeModulePaths(dir: string): string[];
}

/** Loads every dynamic resource's serialized provider from `dir` as the engine would; throws RunFailure naming any that fails. */
export function checkDynamicProviders(resources: RecordedResource[], dir: string): void {
  const loaded = new Set<string>();
  for (const resource of resources) {
    if (!resource.type.startsWith(DYNAMIC_MODULE_PREFIX)) continue;
    const code = resource.inputs[DYNAMIC_PROVIDER_KEY];
    if (typeof code !== "string" || loaded.has(code)) continue;
    try {
      const handler = (evaluate(code, dir) as { handler?: () => unknown }).handler;
      const provider = typeof handler === "function" ? handler() : undefined;
      if (typeof provider !== "object" || provider === null)
        throw new Error("its serialized code has no handler() returning the provider");
      // A bundled provider evaluates its code on first use: do it now, so that its requires resolve here or fail.
      const load = (provider as Record<string, unknown>)[LOAD_IMPLEMENTATION];
      if (typeof load === "function") load();
    } catch (e) {
      throw new RunFailure(
        `the dynamic provider of ${resource.urn} would not load in the Pulumi engine's dynamic-provider host: ${(e as Error).message.split("\n")[0]}`,
      );
    }
    loaded.add(code);
  }
}

function evaluate(code: string, dir: string): unknown {
  const filename = path.join(dir, "__dynamic-provider__.js");
  const m = new Module(filename);
  m.filename = filename;
  m.paths = (Module as unknown as ModuleInternals)._nodeModulePaths(dir);
  (m as unknown as { _compile(code: string, filename: string): void })._compile(code, filename);
  return m.exports;
}
