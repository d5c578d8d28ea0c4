/**
 * Runs a Pulumi program in this process under Pulumi mocks and records every resource it registers, with what the
 * engine would have received: URN, parent, custom/component, inputs (secrets as secret signature objects),
 * outputs, options (protect, retainOnDelete, dependsOn), dependencies and propertyDependencies.
 *
 * Two capture points, because each sees what the other cannot:
 * - a stack transformation (registered on the root stack before the program runs) sees every resource as it is
 *   constructed, in program order, with its `opts` (parent, dependsOn);
 * - the mock resource monitor sees the SDK's own RegisterResource request: the serialized inputs with secrets
 *   marked, and the dependencies the SDK computed from every input's Outputs (components expanded to their
 *   children), exactly what a real engine gets. Reusing the SDK's computation beats re-deriving it.
 *
 * URNs are computed as the engine does (`urn:pulumi:<stack>::<project>::<parent type chain $>type::name`); the
 * mock monitor's own URNs keep only the last parent type, so every URN it hands out is translated.
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIG, SECRET_SIG_KEY } from "./secrets";

/** The type of the root resource every Pulumi program registers first. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface RecordedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs named by the resource's own `dependsOn` option (not the SDK's expansion of components). */
  dependsOn: string[];
}

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** Parent URN; top-level resources have the stack as parent, as in a real deployment. Absent for the stack. */
  parent?: string;
  custom: boolean;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  options: RecordedOptions;
  /** Every resource this one depends on (dependsOn and inputs), as the SDK sends it to the engine. */
  dependencies: string[];
  /** Top-level input property → URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** Output names the resource asks the engine to keep secret. */
  additionalSecretOutputs: string[];
}

export interface RunProgramOptions {
  project: string;
  stack: string;
  /** Full config keys (`namespace:key`) to their string values, as the engine passes them to a program. */
  config: Record<string, string>;
  mocks: pulumi.runtime.Mocks;
  /** The program; may return stack outputs. */
  program: () => unknown;
}

export interface ProgramRun {
  /** The root stack resource (`pulumi:pulumi:Stack`). */
  stack: RecordedResource;
  /** Every other resource in the order the program declared it. */
  resources: RecordedResource[];
}

interface Registration {
  type: string;
  name: string;
  mockParent: string;
  custom: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  additionalSecretOutputs: string[];
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  id?: string;
}

interface Construction {
  resource: pulumi.Resource;
  type: string;
  name: string;
  parent?: pulumi.Resource;
  dependsOn: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource> | undefined;
}

export async function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
  pulumi.runtime.setAllConfig(opts.config);
  await pulumi.runtime.setMocks(opts.mocks, opts.project, opts.stack, false);

  const registrations = new Map<string, Registration>();
  interceptRegistrations(registrations);

  const constructed: Construction[] = [];
  let stackResource: pulumi.Resource | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    stackResource = pulumi.runtime.getStackResource();
    pulumi.runtime.registerStackTransformation((args) => {
      constructed.push({
        resource: args.resource,
        type: args.type,
        name: args.name,
        parent: args.opts.parent ?? stackResource,
        dependsOn: args.opts.dependsOn,
      });
      return undefined;
    });
    return opts.program();
  });
  // Resources declared inside apply() register after the program returns; wait for every outstanding RPC.
  // (`waitForRPCs` is exported by the runtime but left out of its type declarations.)
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  if (!stackResource) throw new Error("the program ran without a root stack resource");

  // Engine URNs, parents first (a parent is always constructed before its children).
  const engineUrn = new Map<pulumi.Resource, string>();
  const qualifiedType = new Map<pulumi.Resource, string>();
  const mockToEngine = new Map<string, string>();
  const stackUrn = urnOf(opts.stack, opts.project, ROOT_STACK_TYPE, `${opts.project}-${opts.stack}`);
  engineUrn.set(stackResource, stackUrn);
  mockToEngine.set(await resolved(stackResource.urn), stackUrn);
  for (const c of constructed) {
    const parentType = c.parent && c.parent !== stackResource ? qualifiedType.get(c.parent) : undefined;
    const qualified = parentType ? `${parentType}$${c.type}` : c.type;
    qualifiedType.set(c.resource, qualified);
    const urn = urnOf(opts.stack, opts.project, qualified, c.name);
    engineUrn.set(c.resource, urn);
    mockToEngine.set(await resolved(c.resource.urn), urn);
  }
  const translate = (urn: string) => mockToEngine.get(urn) ?? urn;

  const record = async (
    resource: pulumi.Resource,
    parent: pulumi.Resource | undefined,
    dependsOn: Construction["dependsOn"],
  ) => {
    const mockUrn = await resolved(resource.urn);
    const reg = registrations.get(mockUrn);
    if (!reg) throw new Error(`resource ${mockUrn} was constructed but never registered`);
    const explicit = await explicitDependencies(dependsOn);
    return {
      urn: engineUrn.get(resource)!,
      type: reg.type,
      name: reg.name,
      parent: parent ? engineUrn.get(parent) : undefined,
      custom: reg.custom,
      id: reg.id || undefined,
      inputs: reg.inputs,
      outputs: markSecretOutputs(reg.outputs ?? {}, reg.inputs, reg.additionalSecretOutputs),
      options: {
        protect: reg.protect,
        retainOnDelete: reg.retainOnDelete,
        dependsOn: explicit.map((r) => engineUrn.get(r)).filter((u): u is string => u !== undefined),
      },
      dependencies: reg.dependencies.map(translate),
      propertyDependencies: Object.fromEntries(
        Object.entries(reg.propertyDependencies).map(([k, v]) => [k, v.map(translate)]),
      ),
      additionalSecretOutputs: reg.additionalSecretOutputs,
    } satisfies RecordedResource;
  };

  const stack = await record(stackResource, undefined, undefined);
  const resources: RecordedResource[] = [];
  for (const c of constructed) resources.push(await record(c.resource, c.parent, c.dependsOn));
  return { stack, resources };
}

export function urnOf(stack: string, project: string, qualifiedType: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** Wraps the mock monitor's RegisterResource so that the request (and the mock's answer) are recorded. */
function interceptRegistrations(into: Map<string, Registration>): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, callback: (err: unknown, res?: any) => void): void;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const registration: Registration = {
      type: req.getType(),
      name: req.getName(),
      mockParent: req.getParent(),
      custom: req.getCustom(),
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    };
    original(req, (err, res) => {
      if (!err && res) {
        registration.id = res.getId();
        registration.outputs = (res.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        into.set(res.getUrn(), registration);
      }
      callback(err, res);
    });
  };
}

/**
 * The engine keeps an output secret when the resource asked for it (additionalSecretOutputs) or when the input
 * of the same name was secret; mocks do neither, so the plan does it here.
 */
function markSecretOutputs(
  outputs: Record<string, unknown>,
  inputs: Record<string, unknown>,
  additional: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const shouldBeSecret = additional.includes(key) || isSecretObject(inputs[key]);
    out[key] = shouldBeSecret && !isSecretObject(value) ? { [SECRET_SIG_KEY]: SECRET_SIG, value } : value;
  }
  return out;
}

function isSecretObject(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  );
}

async function explicitDependencies(dependsOn: Construction["dependsOn"]): Promise<pulumi.Resource[]> {
  if (dependsOn === undefined) return [];
  const value = await resolved(pulumi.output(dependsOn as pulumi.Input<unknown>));
  const list = Array.isArray(value) ? value : [value];
  return list.filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r));
}

function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
