/**
 * The one Pulumi mocks harness of the test suite. Mocks do no provider Check, so what tests assert is exactly what
 * the program sends.
 *
 * - `setBaselineMocks(config)`: stack config + mocks, for tests that construct components directly.
 * - `runProgram(program)`: runs (part of) the program inside a root stack, as the Pulumi CLI does, and records every
 *   resource twice: as constructed (props and options, through a stack transformation registered before the
 *   program) and as the engine would receive it (resolved inputs, through the mock monitor).
 * Both answer resources and invokes with the same `baselineMocks`.
 */
import * as pulumi from "@pulumi/pulumi";
import { TEST_TENANT_ID } from "./fakes/azureCli";

export interface DeclaredResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  id: string;
}

export interface MockState {
  resources: DeclaredResource[];
  calls: { token: string; args: Record<string, unknown> }[];
}

export interface MockOptions {
  /** What `azuread.getDomains` answers. */
  domains?: { domainName: string; initial: boolean; verified?: boolean }[];
  /**
   * The tenant each provider's `getClientConfig` reports (the tenant its credentials are for); default the test
   * stack's tenant, as providers signed in to the right tenant report.
   */
  clientTenants?: { azuread?: string; azureNative?: string };
}

/** Deterministic fake object id for a name, so tests can predict ids. */
export function fakeObjectId(seed: string): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, "0") + seed.length.toString(16).padStart(4, "0")).repeat(3);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Mocks that record into `state`: azuread resources get deterministic object ids (users and groups expose them as
 * `objectId`), `getUser` resolves a UPN to `fakeObjectId(upn)`, `getDomains` answers the initial domain.
 */
export function baselineMocks(state: MockState, options: MockOptions = {}): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const id = args.type.startsWith("azuread:")
        ? fakeObjectId(`${args.type}/${args.name}`)
        : args.type.startsWith("azure-native:")
          ? azureResourceId(args.type, args.name, args.inputs)
          : `${args.name}-id`;
      state.resources.push({ type: args.type, name: args.name, inputs: args.inputs, id });
      const extra =
        args.type === "azuread:index/user:User" || args.type === "azuread:index/group:Group" ? { objectId: id } : {};
      return { id, state: { ...args.inputs, ...extra, ...systemAssignedIdentity(args.name, args.inputs) } };
    },
    call(args) {
      state.calls.push({ token: args.token, args: args.inputs });
      if (args.token === "azuread:index/getUser:getUser") {
        const upn = String(args.inputs.userPrincipalName ?? args.inputs.objectId);
        return {
          objectId: args.inputs.objectId ?? fakeObjectId(upn.toLowerCase()),
          userPrincipalName: upn,
          id: fakeObjectId(upn.toLowerCase()),
        };
      }
      if (args.token === "azuread:index/getDomains:getDomains") {
        return {
          domains: options.domains ?? [{ domainName: "contoso.onmicrosoft.com", initial: true, verified: true }],
        };
      }
      if (args.token === "azure-native:logic:listWorkflowTriggerCallbackUrl") {
        const { workflowName, triggerName } = args.inputs as { workflowName: string; triggerName: string };
        return { value: callbackUrl(workflowName, triggerName), method: "POST" };
      }
      if (args.token === "azuread:index/getClientConfig:getClientConfig") {
        const tenantId = options.clientTenants?.azuread ?? TEST_TENANT_ID;
        return { id: tenantId, tenantId, clientId: "c", objectId: "o" };
      }
      if (args.token === "azure-native:authorization:getClientConfig") {
        const tenantId = options.clientTenants?.azureNative ?? TEST_TENANT_ID;
        return { tenantId, subscriptionId: "00000000-0000-0000-0000-000000000000", clientId: "c", objectId: "o" };
      }
      return args.inputs;
    },
  };
}

/** What the mocks answer for a Logic App trigger's callback URL: signed, so tests can prove it stays secret. */
export function callbackUrl(workflowName: string, triggerName: string): string {
  return `https://prod-00.westeurope.logic.azure.com/workflows/${workflowName}/triggers/${triggerName}/paths/invoke?api-version=2019-05-01&sig=mock-callback-signature`;
}

export const MOCK_SUBSCRIPTION_ID = "5ab5c71d-0000-4000-8000-000000000000";

/** An ARM-shaped id, as azure-native returns (the subscription in it is what a role definition id is built from). */
function azureResourceId(type: string, name: string, inputs: Record<string, unknown>): string {
  const [, module, kind] = type.split(":");
  const group = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg-mock";
  if (kind === "ResourceGroup") return `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${group}`;
  return `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/mock.${module}/${kind}/${name}`;
}

/** What Azure adds to a resource created with a system-assigned identity: its principal (and tenant) id. */
export function systemAssignedIdentity(name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const identity = inputs.identity as { type?: unknown } | undefined;
  if (typeof identity?.type !== "string" || !identity.type.includes("SystemAssigned")) return {};
  return {
    identity: {
      ...identity,
      principalId: fakeObjectId(`identity/${name}`),
      tenantId: "11111111-2222-3333-4444-555555555555",
    },
  };
}

/** Stack config as the Pulumi CLI hands it over: `entra-baseline:<key>`, structured values as JSON text. */
export function setStackConfig(config: Record<string, unknown>): void {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([k, v]) => [`entra-baseline:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );
}

export async function setBaselineMocks(
  config: Record<string, unknown>,
  state: MockState = { resources: [], calls: [] },
): Promise<MockState> {
  setStackConfig(config);
  await pulumi.runtime.setMocks(baselineMocks(state), "entra-baseline", "test", false);
  return state;
}

export interface Constructed {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: pulumi.ResourceOptions;
  resource: pulumi.Resource;
}

export type Registered = DeclaredResource;

export interface ProgramRun {
  constructed: Constructed[];
  registered: Registered[];
  calls: MockState["calls"];
  /** The registered resources of one type. */
  ofType(type: string): Registered[];
}

export async function runProgram(program: () => unknown, options: MockOptions = {}): Promise<ProgramRun> {
  const state: MockState = { resources: [], calls: [] };
  await pulumi.runtime.setMocks(baselineMocks(state, options), "entra-baseline", "test", false);
  const constructed: Constructed[] = [];
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(({ type, name, props, opts, resource }) => {
      constructed.push({ type, name, props, opts, resource });
      return undefined;
    });
    await program();
    return {};
  });
  // Every registration has reached the mock monitor once its URN resolves.
  await Promise.all(constructed.map((c) => promiseOf(c.resource.urn)));
  const registered = state.resources;
  return { constructed, registered, calls: state.calls, ofType: (type) => registered.filter((r) => r.type === type) };
}

/** An Output's value, or its failure (unwrap-style helpers never settle when an apply throws). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  const internals = output as unknown as {
    promise(): Promise<T>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    allResources?: () => Promise<unknown>;
  };
  // A failed apply fails the Output's side promises too; the value promise is the one the test asserts on.
  for (const side of [internals.isKnown, internals.isSecret, internals.allResources?.()]) side?.catch(() => undefined);
  return internals.promise();
}

/** Resolves an Output in tests. */
export function unwrap<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}
