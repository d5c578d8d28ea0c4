/**
 * Pieces every Graph-backed dynamic provider shares (PIM policy, FIDO2 method policy, authentication context,
 * Graph-written CA policy).
 *
 * The engine serializes each provider object by closure, so providers must capture nothing but code: they receive
 * the Graph base URL as the `graphEndpoint` prop and build a client inside every method (credentials come from the
 * environment through DefaultAzureCredential at run time, never from the program).
 *
 * Graph answers with more than we send (read-only fields, `@odata.*` annotations, other defaults), so "is the live
 * object what we asked for" is a comparison over the fields we own only: `differences(desired, live)`.
 */
import type { GraphClient } from "./client";
import { createGraphClient, GraphError } from "./client";

/** Props every Graph-backed dynamic resource carries. */
export interface GraphResourceProps {
  /** Graph base URL (config `graph.endpoint`). */
  graphEndpoint: string;
}

/** A client for one provider call, with the production credential chain. */
export function graphClientFor(props: GraphResourceProps): GraphClient {
  return createGraphClient(props.graphEndpoint);
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
 * `ignore` lists props that never cause an update (e.g. `graphEndpoint`, read-only outputs).
 */
export function diffProps(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  options: { replaceOn?: readonly string[]; ignore?: readonly string[] } = {},
): { changes: boolean; replaces: string[]; detailedKeys: string[] } {
  const ignore = new Set(["__provider", ...(options.ignore ?? [])]);
  const changed = Object.keys(news).filter((key) => !ignore.has(key) && differences(news[key], olds[key]).length > 0);
  const replaces = changed.filter((key) => options.replaceOn?.includes(key));
  return { changes: changed.length > 0, replaces, detailedKeys: changed };
}

/** Fails a write that Graph acknowledged but did not persist (a known Graph failure mode, reference §1). */
export function assertPersisted(what: string, desired: unknown, live: unknown): void {
  const missing = differences(desired, live);
  if (missing.length > 0) throw notPersisted(what, missing);
}

export function notPersisted(what: string, fields: readonly string[]): Error {
  return new Error(
    `${what}: Graph accepted the write but reading it back shows different ${fields.join(", ")}; run the update again, and look for another writer (a script, the portal) if it persists`,
  );
}
