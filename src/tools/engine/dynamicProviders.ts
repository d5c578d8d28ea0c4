/**
 * Each dynamic resource's provider as the engine will load it. The Pulumi SDK serializes a dynamic provider by
 * closure into the resource's `__provider` input; at `pulumi preview`/`up` the dynamic-provider host
 * (@pulumi/pulumi cmd/dynamic-provider) evaluates that text with require-from-string, resolving its `require`s from
 * the program's directory, and calls its `handler()`. Doing the same after the plan finds, offline, a provider that
 * would only fail against the real engine — typically a module of an installed package the closure captured by a
 * `require("<package>/…")` the package's exports map does not allow.
 */
import Module from "node:module";
import * as path from "node:path";
import { RunFailure } from "../../cli/errors";
import { DYNAMIC_MODULE_PREFIX } from "@entra-baseline/model";
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
