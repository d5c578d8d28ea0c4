/**
 * Runs the program under Pulumi mocks and records every resource it declares, with its options.
 * Mocks do no provider Check, so what we assert here is exactly what the program sends.
 */
import * as pulumi from "@pulumi/pulumi";

export interface DeclaredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id: string;
}

export interface MockState {
  resources: DeclaredResource[];
  calls: { token: string; args: Record<string, unknown> }[];
}

/** Deterministic fake object id for a name, so tests can predict ids. */
export function fakeObjectId(seed: string): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, "0") + seed.length.toString(16).padStart(4, "0")).repeat(3);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function setBaselineMocks(config: Record<string, unknown>, state: MockState = { resources: [], calls: [] }): Promise<MockState> {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`entra-baseline:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
  );
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = args.type.startsWith("azuread:") ? fakeObjectId(`${args.type}/${args.name}`) : `${args.name}-id`;
        state.resources.push({ type: args.type, name: args.name, inputs: args.inputs, id });
        const extra: Record<string, unknown> = {};
        if (args.type === "azuread:index/user:User" || args.type === "azuread:index/group:Group") extra.objectId = id;
        return { id, state: { ...args.inputs, ...extra } };
      },
      call(args) {
        state.calls.push({ token: args.token, args: args.inputs });
        if (args.token === "azuread:index/getUser:getUser") {
          const upn = String(args.inputs.userPrincipalName ?? args.inputs.objectId);
          return { objectId: args.inputs.objectId ?? fakeObjectId(upn.toLowerCase()), userPrincipalName: upn, id: fakeObjectId(upn.toLowerCase()) };
        }
        if (args.token === "azuread:index/getDomains:getDomains") {
          return { domains: [{ domainName: "contoso.onmicrosoft.com", initial: true, verified: true }] };
        }
        if (args.token === "azuread:index/getClientConfig:getClientConfig") {
          return { tenantId: "11111111-2222-3333-4444-555555555555", clientId: "c", objectId: "o" };
        }
        return args.inputs;
      },
    },
    "entra-baseline",
    "test",
    false,
  );
  return state;
}

/** Resolves an Output in tests. */
export function unwrap<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}
