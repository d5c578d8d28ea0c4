/**
 * The provider a dynamic resource of a kind hands the SDK (the shim over its bundle), exactly as the resource class
 * builds it, for the serialization harness (./serializedProvider.ts, ./serializeProviders.ts).
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { bundledProvider, PROVIDER_SOURCES, type ProviderKind } from "../../../src/components/providerBundle";

const COMPONENTS = path.resolve(__dirname, "../../../src/components");

/** `load` loads a module as the caller's module system does (vitest's import, or CommonJS `require`). */
export async function deployedProvider(
  kind: ProviderKind,
  load: (file: string) => unknown,
): Promise<pulumi.dynamic.ResourceProvider> {
  const { module, exportName } = PROVIDER_SOURCES[kind];
  const loaded = (await load(path.join(COMPONENTS, module))) as Record<string, unknown>;
  const implementation = loaded[exportName] as pulumi.dynamic.ResourceProvider | undefined;
  if (!implementation) throw new Error(`${module} exports no ${exportName}`);
  return bundledProvider(kind, implementation);
}
