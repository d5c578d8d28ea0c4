/**
 * The `pulumi stack export` format (deployment version 3; field names from Pulumi's apitype `DeploymentV3` /
 * `ResourceV3`), both ways:
 * - `toStackExport` writes a planned program in that shape (`npm run plan -- --export FILE`);
 * - `readStackExport` turns any such export, written by the Pulumi CLI or by the plan, into the resources the
 *   policy pack analyzes. The plan analyzes its own export through this same function, so a planned stack and a
 *   deployed stack get their verdict from one code path.
 *
 * Secrets: the plan writes `{sig, ciphertext: "[secret]"}`, never a value. Reading accepts `ciphertext` (the value
 * stays unknown to the pack), `plaintext` (JSON-encoded, from `--show-secrets`) and the engine's `value` form.
 */
import { UserInputError } from "../../cli/errors";
import { createHash } from "node:crypto";
import type { PlannedResource } from "./analyzer";
import { ROOT_STACK_TYPE, type ProgramRun, type RecordedResource } from "./runProgram";
import { DYNAMIC_PROVIDER_KEY, SECRET_PLACEHOLDER, SECRET_SIG, SECRET_SIG_KEY, isSecret } from "./secrets";

export const DEPLOYMENT_VERSION = 3;
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
/** What the plan writes in place of a dynamic resource's serialized provider code. */
export const DYNAMIC_PROVIDER_PLACEHOLDER = "[dynamic provider code: not written by npm run plan]";

export interface ResourceV3 {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  dependencies?: string[];
  provider?: string;
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  retainOnDelete?: boolean;
}

export interface StackExportV3 {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    resources: ResourceV3[];
  };
}

/** The file is not a readable version-3 stack export. `problems` names each defect. */
export class StackExportError extends UserInputError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not a usable pulumi stack export:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function toStackExport(run: ProgramRun, engineVersion: string, now: Date = new Date()): StackExportV3 {
  const version = `${engineVersion} (npm run plan, mocked providers)`;
  return {
    version: DEPLOYMENT_VERSION,
    deployment: {
      manifest: { time: now.toISOString(), magic: createHash("sha256").update(version).digest("hex"), version },
      resources: [run.stack, ...run.resources].map(toResourceV3),
    },
  };
}

function toResourceV3(r: RecordedResource): ResourceV3 {
  const out: ResourceV3 = { urn: r.urn, custom: r.custom, type: r.type };
  if (r.id) out.id = r.id;
  out.inputs = forExport(r.inputs);
  out.outputs = forExport(r.outputs);
  if (r.parent) out.parent = r.parent;
  if (r.options.protect) out.protect = true;
  out.dependencies = r.dependencies;
  out.propertyDependencies = r.propertyDependencies;
  if (r.additionalSecretOutputs.length > 0) out.additionalSecretOutputs = r.additionalSecretOutputs;
  if (r.options.retainOnDelete) out.retainOnDelete = true;
  return out;
}

function forExport(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props))
    out[k] = k === DYNAMIC_PROVIDER_KEY ? DYNAMIC_PROVIDER_PLACEHOLDER : encryptSecrets(v);
  return out;
}

function encryptSecrets(value: unknown): unknown {
  if (isSecret(value)) return { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: SECRET_PLACEHOLDER };
  if (Array.isArray(value)) return value.map(encryptSecrets);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encryptSecrets(v)]));
  return value;
}

/** Parses the text of a stack export; every problem is a StackExportError naming `source`. */
export function parseStackExport(text: string, source: string): PlannedResource[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StackExportError(source, [`not JSON: ${(e as Error).message}`]);
  }
  return readStackExport(doc, source);
}

/**
 * The resources of a stack export as the engine hands them to a policy pack: the root stack, providers and
 * resources pending deletion are left out, as the engine leaves them out.
 */
export function readStackExport(doc: unknown, source: string): PlannedResource[] {
  if (!isRecord(doc))
    throw new StackExportError(source, [
      "the top level is not a JSON object (expected the output of pulumi stack export)",
    ]);
  if (doc.version === undefined)
    throw new StackExportError(source, ['"version" is missing (pulumi stack export writes "version": 3)']);
  if (doc.version !== DEPLOYMENT_VERSION) {
    throw new StackExportError(source, [
      `"version" is ${JSON.stringify(doc.version)}; npm run check reads deployment version ${DEPLOYMENT_VERSION} (re-export with a current Pulumi CLI)`,
    ]);
  }
  if (!isRecord(doc.deployment)) throw new StackExportError(source, ['"deployment" is missing or not an object']);
  const resources = doc.deployment.resources;
  if (resources === undefined) {
    throw new StackExportError(source, [
      '"deployment.resources" is missing (pulumi omits it when the stack is empty: there is nothing to check)',
    ]);
  }
  if (!Array.isArray(resources)) throw new StackExportError(source, ['"deployment.resources" is not a list']);

  const problems: string[] = [];
  const planned: PlannedResource[] = [];
  resources.forEach((r, i) => {
    const where = `deployment.resources[${i}]`;
    if (!isRecord(r)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const label = typeof r.urn === "string" ? `${where} (${r.urn})` : where;
    const before = problems.length;
    if (typeof r.urn !== "string")
      problems.push(`${where}: "urn" is ${r.urn === undefined ? "missing" : "not a string"}`);
    else if (!isUrn(r.urn))
      problems.push(`${label}: "urn" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
    if (typeof r.type !== "string")
      problems.push(`${label}: "type" is ${r.type === undefined ? "missing" : "not a string"}`);
    if (typeof r.custom !== "boolean")
      problems.push(`${label}: "custom" is ${r.custom === undefined ? "missing" : "not true/false"}`);
    for (const key of ["inputs", "outputs"] as const) {
      if (r[key] !== undefined && !isRecord(r[key])) problems.push(`${label}: "${key}" is not an object`);
    }
    if (r.parent !== undefined && typeof r.parent !== "string") problems.push(`${label}: "parent" is not a URN string`);
    if (r.dependencies !== undefined && !isStringList(r.dependencies))
      problems.push(`${label}: "dependencies" is not a list of URNs`);
    if (
      r.propertyDependencies !== undefined &&
      !(isRecord(r.propertyDependencies) && Object.values(r.propertyDependencies).every(isStringList))
    ) {
      problems.push(`${label}: "propertyDependencies" is not a map of property name to a list of URNs`);
    }
    if (problems.length > before) return;
    const type = r.type as string;
    if (type === ROOT_STACK_TYPE || type.startsWith(PROVIDER_TYPE_PREFIX) || r.delete === true) return;
    planned.push({
      urn: r.urn as string,
      type,
      name: nameOfUrn(r.urn as string),
      parent: (r.parent as string | undefined) || undefined,
      custom: r.custom as boolean,
      inputs: readSecrets((r.inputs ?? {}) as Record<string, unknown>) as Record<string, unknown>,
      outputs: r.outputs === undefined ? undefined : (readSecrets(r.outputs) as Record<string, unknown>),
      protect: r.protect === true,
      retainOnDelete: r.retainOnDelete === true,
      dependencies: (r.dependencies as string[] | undefined) ?? [],
      propertyDependencies: (r.propertyDependencies as Record<string, string[]> | undefined) ?? {},
      provider: typeof r.provider === "string" && r.provider ? r.provider : undefined,
    });
  });
  if (problems.length > 0) throw new StackExportError(source, problems);
  return planned;
}

function isUrn(urn: string): boolean {
  const parts = urn.split("::");
  return (
    parts.length >= 4 && /^urn:pulumi:./.test(parts[0]!) && parts[1] !== "" && parts[2] !== "" && nameOfUrn(urn) !== ""
  );
}

/** A URN's name is everything after its third `::` (names may themselves contain `::`). */
export function nameOfUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** Export secrets → the engine's wire form; an encrypted value stays without `value` (unknown to the pack). */
function readSecrets(value: unknown): unknown {
  if (isSecret(value)) {
    if ("value" in value) return { [SECRET_SIG_KEY]: SECRET_SIG, value: readSecrets(value.value) };
    if (typeof value.plaintext === "string") {
      let plain: unknown = value.plaintext;
      try {
        plain = JSON.parse(value.plaintext);
      } catch {
        // Older CLIs wrote bare strings.
      }
      return { [SECRET_SIG_KEY]: SECRET_SIG, value: plain };
    }
    return { [SECRET_SIG_KEY]: SECRET_SIG };
  }
  if (Array.isArray(value)) return value.map(readSecrets);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readSecrets(v)]));
  return value;
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
