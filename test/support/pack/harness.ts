/**
 * Runs one stack policy the way the analyzer server does (pulumi-policy server.ts makeAnalyzeStackRpcFun): props
 * deserialized (secrets unwrapped) and wrapped in `unknownCheckingProxy`, parents and propertyDependencies resolved
 * to resource objects, `getConfig` returning only what was configured. Unknown-value errors become the advisory
 * "can't run … during preview" the server reports, so a test sees a silent skip as such.
 */
import {
  UnknownValueError,
  unknownCheckingProxy,
  type PolicyResource,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { SECRET_SIG, SECRET_SIG_KEY, type PlannedResource } from "../../../src/tools/engine/analyzer";
import { worldConfig, type RawMutation } from "../world/config";
import { worldPackConfig, worldStack, type Mode } from "../world/stack";

export interface Reported {
  message: string;
  urn?: string;
}

function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

export function policyResources(stack: PlannedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = stack.map((r) => {
    const props = unknownCheckingProxy(unwrapSecrets(r.outputs ?? r.inputs) as Record<string, unknown>);
    const res: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
    byUrn.set(r.urn, res);
    return res;
  });
  stack.forEach((r, i) => {
    resources[i]!.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
      resources[i]!.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
    }
  });
  return resources;
}

export async function runStackPolicy(
  policy: StackValidationPolicy,
  stack: PlannedResource[],
  config: Record<string, unknown> = {},
): Promise<Reported[]> {
  const reported: Reported[] = [];
  const args = {
    resources: policyResources(stack),
    getConfig: <T extends object>() => config as T,
    stackTags: new Map<string, string>(),
    notApplicable: (reason?: string) => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
  try {
    await policy.validateStack(args, (message, urn) =>
      reported.push({ message: typeof message === "string" ? message : JSON.stringify(message), urn }),
    );
  } catch (e) {
    if (e instanceof UnknownValueError)
      reported.push({ message: `can't run policy during preview: ${(e as Error).message}` });
    else throw e;
  }
  return reported;
}

export function messages(reported: Reported[]): string[] {
  return reported.map((r) => r.message);
}

/** The compliant stack with one change applied. */
export function mutate(stack: PlannedResource[], change: (stack: PlannedResource[]) => void): PlannedResource[] {
  const copy = JSON.parse(JSON.stringify(stack)) as PlannedResource[];
  change(copy);
  return copy;
}

/**
 * One rule over the world every guarantee case starts from (test/support/world): its compliant stack in either mode,
 * and the rule's pack config as `npm run plan` derives it from the world's config (optionally changed first).
 */
export function ruleOnWorld(policy: StackValidationPolicy, mutateConfig?: RawMutation) {
  const config = worldConfig(mutateConfig);
  const packConfig: Record<string, unknown> = worldPackConfig(config)[policy.name] ?? {};
  return {
    config,
    packConfig,
    /** A fresh compliant stack, with `change` applied. */
    stack: (mode: Mode, change?: (stack: PlannedResource[]) => void): PlannedResource[] => {
      const stack = worldStack(config, mode);
      change?.(stack);
      return stack;
    },
    run: (stack: PlannedResource[], cfg: Record<string, unknown> = packConfig): Promise<string[]> =>
      runStackPolicy(policy, stack, cfg).then(messages),
  };
}
