/**
 * Pieces every Graph-backed dynamic provider shares (PIM policy, FIDO2 method policy, authentication context,
 * Graph-written CA policy).
 *
 * The engine stores each provider's code in the resource (src/components/providerBundle.ts), so providers must carry
 * nothing but code: they receive
 * where to act as props (`GraphConnection`: the Graph host and login authority of the stack's cloud, and the tenant)
 * and build a client inside every method (credentials come from the environment through DefaultAzureCredential at
 * run time, never from the program). A provider never falls back to a default cloud or tenant: props without a
 * connection are an error that says so.
 *
 * State written before tenant pinning (0.2: `graphEndpoint` only): `diff` needs no connection, and plans the missing
 * props as an in-place update (`connectionChanges`) that records them; `create`/`update` act on the program's
 * connection. `read` and `delete` run with the provider serialized in the state (pulumi/pulumi#6490), so the engine
 * refreshes such a state with its own old provider; this code's `read`, handed props without a connection, refuses
 * with connectionOf's message (run `pulumi up`) rather than guess a tenant.
 *
 * Graph answers with more than we send (read-only fields, `@odata.*` annotations, other defaults), so "is the live
 * object what we asked for" is a comparison over the fields we own only: `differences(desired, live)`.
 */
import type { GraphClient } from "./client";
import { createGraphClient, GraphError } from "./client";
import { CLOUDS, isLoopbackUrl, type Endpoints } from "@entra-baseline/model";

/** Where a Graph-backed dynamic resource acts. Every such resource carries these props. */
export interface GraphConnection {
  /** Graph base URL of the stack's cloud (`BaselineConfig.endpoints.graph`). */
  graphEndpoint: string;
  /** Login authority of the same cloud (`BaselineConfig.endpoints.login`): where tokens are requested. */
  loginEndpoint: string;
  /** The tenant every token must be for (`tenant.tenantId`). */
  tenantId: string;
}

/** Props every Graph-backed dynamic resource carries. */
export type GraphResourceProps = GraphConnection;

/** The connection props, in the order messages list them. */
export const CONNECTION_PROPS: readonly (keyof GraphConnection)[] = ["graphEndpoint", "loginEndpoint", "tenantId"];

/** The connection a component hands its dynamic resources: the stack's cloud and tenant. */
export function graphConnection(endpoints: Pick<Endpoints, "graph" | "login">, tenantId: string): GraphConnection {
  return { graphEndpoint: endpoints.graph, loginEndpoint: endpoints.login, tenantId };
}

/**
 * The connection recorded in a resource's props, checked: all three present, and the two hosts those of one
 * Microsoft cloud (or loopback, for emulators and tests), so a token can only be requested from and sent to it.
 */
export function connectionOf(resource: string, props: Partial<GraphConnection> | undefined): GraphConnection {
  const missing = CONNECTION_PROPS.filter((key) => typeof props?.[key] !== "string" || props[key] === "");
  if (missing.length > 0) {
    throw new Error(
      `${resource}: its props record no ${missing.join(", ")}, so it cannot tell which tenant and cloud to act on, and will not guess. ` +
        "State written before entra-baseline pinned its dynamic resources to the stack's tenant lacks them: run `pulumi up` with the current program, which records them (writing nothing to the tenant when nothing else changed).",
    );
  }
  const connection = {
    graphEndpoint: props!.graphEndpoint!,
    loginEndpoint: props!.loginEndpoint!,
    tenantId: props!.tenantId!,
  };
  // As tenant.cloud resolves them: one cloud's hosts, each of which may be a loopback override (emulators, tests).
  const origin = (url: string) => url.replace(/\/+$/, "").toLowerCase();
  const fits = (url: string, host: string) => isLoopbackUrl(url) || origin(url) === origin(host);
  const oneCloud = Object.values(CLOUDS).some(
    (cloud) => fits(connection.graphEndpoint, cloud.graph) && fits(connection.loginEndpoint, cloud.login),
  );
  if (!oneCloud) {
    throw new Error(
      `${resource}: graphEndpoint ${connection.graphEndpoint} and loginEndpoint ${connection.loginEndpoint} are not the Graph and login hosts of one Microsoft cloud (tenant.cloud), nor loopback: refused, no token is requested for them`,
    );
  }
  return connection;
}

/**
 * Where an ARM-backed dynamic resource acts (the Sentinel NRT rules): the ARM host and login authority of the stack's
 * cloud, and the tenant. Held to the same rules as `GraphConnection`: no default, one cloud's hosts or loopback.
 */
export interface ArmConnection {
  /** ARM base URL of the stack's cloud (`BaselineConfig.endpoints.arm`). */
  armEndpoint: string;
  loginEndpoint: string;
  tenantId: string;
}

export const ARM_CONNECTION_PROPS: readonly (keyof ArmConnection)[] = ["armEndpoint", "loginEndpoint", "tenantId"];

export function armConnection(endpoints: Pick<Endpoints, "arm" | "login">, tenantId: string): ArmConnection {
  return { armEndpoint: endpoints.arm, loginEndpoint: endpoints.login, tenantId };
}

/** The ARM connection recorded in a resource's props, checked as `connectionOf` checks a Graph one. */
export function armConnectionOf(resource: string, props: Partial<ArmConnection> | undefined): ArmConnection {
  const missing = ARM_CONNECTION_PROPS.filter((key) => typeof props?.[key] !== "string" || props[key] === "");
  if (missing.length > 0) {
    throw new Error(
      `${resource}: its props record no ${missing.join(", ")}, so it cannot tell which tenant and cloud to act on, and will not guess`,
    );
  }
  const connection = {
    armEndpoint: props!.armEndpoint!,
    loginEndpoint: props!.loginEndpoint!,
    tenantId: props!.tenantId!,
  };
  const origin = (url: string) => url.replace(/\/+$/, "").toLowerCase();
  const fits = (url: string, host: string) => isLoopbackUrl(url) || origin(url) === origin(host);
  const oneCloud = Object.values(CLOUDS).some(
    (cloud) => fits(connection.armEndpoint, cloud.arm) && fits(connection.loginEndpoint, cloud.login),
  );
  if (!oneCloud) {
    throw new Error(
      `${resource}: armEndpoint ${connection.armEndpoint} and loginEndpoint ${connection.loginEndpoint} are not the ARM and login hosts of one Microsoft cloud (tenant.cloud), nor loopback: refused, no token is requested for them`,
    );
  }
  return connection;
}

/** An ARM client for one provider call, with the production credential chain, for the resource's own connection. */
export function armClientFor(props: Partial<ArmConnection> | undefined, resource = "dynamic resource"): GraphClient {
  const connection = armConnectionOf(resource, props);
  return createGraphClient({
    service: "arm",
    endpoints: { arm: connection.armEndpoint, login: connection.loginEndpoint },
    tenantId: connection.tenantId,
  });
}

/** A client for one provider call, with the production credential chain, for the resource's own connection. */
export function graphClientFor(
  props: Partial<GraphConnection> | undefined,
  resource = "dynamic resource",
): GraphClient {
  const connection = connectionOf(resource, props);
  return createGraphClient({
    service: "graph",
    endpoints: { graph: connection.graphEndpoint, login: connection.loginEndpoint },
    tenantId: connection.tenantId,
  });
}

/**
 * The connection props whose value differs between the state (`olds`) and the program (`news`), an absent one
 * included. They never replace a resource, but they update it: Pulumi keeps a dynamic resource's serialized provider
 * and props in its state and runs refresh and delete from there (pulumi/pulumi#6490), so only an update moves a
 * resource onto the program's connection and provider code. The update writes nothing when the tenant already holds
 * the settings (every provider reads before it writes).
 */
export function connectionChanges(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const norm = (v: unknown) => (typeof v === "string" ? v.replace(/\/+$/, "").toLowerCase() : v);
  const keys = [...CONNECTION_PROPS, ...ARM_CONNECTION_PROPS].filter((key, i, all) => all.indexOf(key) === i);
  return keys.filter((key) => news[key] !== undefined && norm(olds[key]) !== norm(news[key]));
}

export function isNotFound(error: unknown): boolean {
  return error instanceof GraphError && error.status === 404;
}

/** The object at `path`, or undefined when Graph answers 404 (a deleted object is not an error for read/create). */
export async function getIfExists(client: GraphClient, path: string): Promise<Record<string, unknown> | undefined> {
  let answer: unknown;
  try {
    answer = await client.get<unknown>(path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  return expectObject(answer, `GET ${path}`);
}

/**
 * Graph's answer as an object, or an error that says which call answered what. Providers check the shape before
 * they act on an answer: merging into, or comparing with, a body that is not what the docs describe would write
 * the wrong thing.
 */
export function expectObject(answer: unknown, call: string): Record<string, unknown> {
  if (!isRecord(answer)) throw unexpectedAnswer(call, "an object", answer);
  return answer;
}

export function unexpectedAnswer(call: string, expected: string, answer: unknown): Error {
  const shown = answer === undefined ? "nothing" : truncate(JSON.stringify(answer) ?? String(answer));
  return new Error(`${call} answered ${shown}, where Microsoft Graph documents ${expected}`);
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Runs one step of a provider, prefixing a failure with the resource and the step (`RoleManagementPolicy: updating
 * rule X: …`); Graph's own message, with the missing permission, stays. The original error is the `cause`.
 */
export async function during<T>(resource: string, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const error = e as Error;
    const wrapped = new Error(`${resource}: ${what}: ${error.message}`);
    (wrapped as Error & { cause?: unknown }).cause = error;
    throw wrapped;
  }
}

const GUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function normalize(value: unknown): unknown {
  return typeof value === "string" && GUID_LIKE.test(value) ? value.toLowerCase() : value;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The paths at which `live` does not hold what `desired` asks for (empty = compliant).
 * - objects: only the keys of `desired` are compared (Graph adds read-only fields and annotations);
 * - arrays: equal as sets (Graph does not keep order), objects in arrays matched by the same rule;
 * - GUIDs compare case-insensitively; null, undefined and [] are the same "nothing".
 */
export function differences(desired: unknown, live: unknown, path = ""): string[] {
  if (isEmpty(desired)) return isEmpty(live) ? [] : [path || "(root)"];
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [path || "(root)"];
    const unmatched = [...live];
    for (const want of desired) {
      const i = unmatched.findIndex((have) => differences(want, have).length === 0);
      if (i < 0) return [path || "(root)"];
      unmatched.splice(i, 1);
    }
    return [];
  }
  if (isRecord(desired)) {
    if (!isRecord(live)) return [path || "(root)"];
    return Object.keys(desired).flatMap((key) => differences(desired[key], live[key], path ? `${path}.${key}` : key));
  }
  return normalize(desired) === normalize(live) ? [] : [path || "(root)"];
}

/**
 * A dynamic provider `diff` over top-level props: which keys changed, and whether any forces a replacement.
 * `ignore` lists props that never cause an update (read-only outputs). The connection props follow their own rule
 * (`connectionChanges`): a change updates, never replaces, whatever `ignore` says.
 */
export function diffProps(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  options: { replaceOn?: readonly string[]; ignore?: readonly string[] } = {},
): { changes: boolean; replaces: string[]; detailedKeys: string[] } {
  const ignore = new Set<string>([
    "__provider",
    ...CONNECTION_PROPS,
    ...ARM_CONNECTION_PROPS,
    ...(options.ignore ?? []),
  ]);
  const changed = Object.keys(news).filter((key) => !ignore.has(key) && differences(news[key], olds[key]).length > 0);
  const replaces = changed.filter((key) => options.replaceOn?.includes(key));
  const detailedKeys = [...changed, ...connectionChanges(olds, news)];
  return { changes: detailedKeys.length > 0, replaces, detailedKeys };
}

/** Fails a write that Graph acknowledged but did not persist (a known Graph failure mode, docs/references.md, "PIM for directory roles"). */
export function assertPersisted(what: string, desired: unknown, live: unknown): void {
  const missing = differences(desired, live);
  if (missing.length > 0) throw notPersisted(what, missing);
}

export function notPersisted(what: string, fields: readonly string[]): Error {
  return new Error(
    `${what}: Graph accepted the write but reading it back shows different ${fields.join(", ")}; run the update again, and look for another writer (a script, the portal) if it persists`,
  );
}
