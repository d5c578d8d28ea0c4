/**
 * Runs (part of) the program under Pulumi mocks inside a root stack, as the Pulumi CLI does, and records every
 * resource twice: as constructed (props and options, through a stack transformation registered before the
 * program) and as the engine would receive it (resolved inputs, through the mock monitor).
 */
import * as pulumi from "@pulumi/pulumi";
import { fakeObjectId } from "../../helpers/pulumiMocks";

export interface Constructed {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: pulumi.ResourceOptions;
  resource: pulumi.Resource;
}

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  id: string;
}

export interface ProgramRun {
  constructed: Constructed[];
  registered: Registered[];
  calls: { token: string; args: Record<string, unknown> }[];
  /** The registered resources of one type. */
  ofType(type: string): Registered[];
}

export interface MockOptions {
  /** What `azuread.getDomains` answers. */
  domains?: { domainName: string; initial: boolean }[];
}

export async function runProgram(program: () => unknown, options: MockOptions = {}): Promise<ProgramRun> {
  const registered: Registered[] = [];
  const calls: ProgramRun["calls"] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = args.type.startsWith("azuread:") ? fakeObjectId(`${args.type}/${args.name}`) : `${args.name}-id`;
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, id });
        const extra = args.type === "azuread:index/user:User" || args.type === "azuread:index/group:Group" ? { objectId: id } : {};
        return { id, state: { ...args.inputs, ...extra } };
      },
      call(args) {
        calls.push({ token: args.token, args: args.inputs });
        if (args.token === "azuread:index/getDomains:getDomains") {
          return { domains: options.domains ?? [{ domainName: "contoso.onmicrosoft.com", initial: true }] };
        }
        if (args.token === "azuread:index/getUser:getUser") {
          const upn = String(args.inputs.userPrincipalName ?? args.inputs.objectId);
          return { objectId: args.inputs.objectId ?? fakeObjectId(upn.toLowerCase()), userPrincipalName: upn };
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
  return { constructed, registered, calls, ofType: (type) => registered.filter((r) => r.type === type) };
}

/** An Output's value, or its failure (unwrap-style helpers never settle when an apply throws). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  const internals = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?: () => Promise<unknown> };
  // A failed apply fails the Output's side promises too; the value promise is the one the test asserts on.
  for (const side of [internals.isKnown, internals.isSecret, internals.allResources?.()]) side?.catch(() => undefined);
  return internals.promise();
}
