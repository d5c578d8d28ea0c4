/**
 * The authentication context PIM requires on Global Administrator activation (`c1` by default), as a dynamic
 * resource over Graph `authenticationContextClassReferences` (no azuread resource manages it).
 *
 * - create/update: PATCH creates or updates the reference (ids c1…c99 are fixed slots); it is skipped when the live
 *   reference already matches, and every write is read back and compared.
 * - never hijacked: a context id is a tenant-wide slot other teams use for their own step-up. Before taking one (on
 *   create, and before any write on update) the live context and every CA policy are read; if the context exists
 *   under another name, or a CA policy outside this stack (its displayName does not start with "entra-baseline:")
 *   requires it, the resource fails naming them — unless `adoptExisting` (config
 *   `conditionalAccess.adoptAuthenticationContext`) says to take it over.
 * - read: the live reference (absent → the resource is gone).
 * - delete: leaves the reference in place. PIM's activation rule may still require it, and a context that vanishes
 *   under a PIM rule is the kind of lock-out surprise this project exists to prevent; an unused context is harmless.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../../graph/client";
import {
  assertPersisted,
  connectionOf,
  diffProps,
  differences,
  getIfExists,
  graphClientFor,
  type GraphResourceProps,
} from "../../graph/dynamicProvider";
import { caPolicyFromGraph } from "@entra-baseline/model";
import { CA_POLICIES_PATH } from "./graphPolicyProvider";
import { DISPLAY_NAME_PREFIX } from "./displayName";

export interface AuthenticationContextProps extends GraphResourceProps {
  /** `c1` … `c99`. The resource id is the same value. */
  contextId: string;
  displayName: string;
  description: string;
  isAvailable: boolean;
  /**
   * Take the context over even if it exists under another name or other CA policies require it (config
   * `conditionalAccess.adoptAuthenticationContext`). An instruction, not a setting: it never makes a diff.
   */
  adoptExisting?: boolean;
}

export type AuthenticationContextArgs = {
  [K in keyof AuthenticationContextProps]: pulumi.Input<AuthenticationContextProps[K]>;
};

const RESOURCE = "AuthenticationContext";

export function authenticationContextPath(contextId: string): string {
  return `/v1.0/identity/conditionalAccess/authenticationContextClassReferences/${encodeURIComponent(contextId)}`;
}

/** The Graph body this project owns (and compares on read-back). */
export function authenticationContextBody(props: AuthenticationContextProps): Record<string, unknown> {
  return { displayName: props.displayName, description: props.description, isAvailable: props.isAvailable };
}

function getContext(client: GraphClient, contextId: string): Promise<Record<string, unknown> | undefined> {
  return getIfExists(client, authenticationContextPath(contextId));
}

/** A CA policy that requires the context and is not this stack's. */
export interface ForeignPolicy {
  id: string;
  displayName: string;
}

/**
 * Who else holds the context: its live name when that is none of `ourNames`, and the CA policies outside this stack
 * that require it. Undefined when the context is free to take (absent, unnamed, or ours, and used by no one else).
 */
export function contextConflict(
  contextId: string,
  live: Record<string, unknown> | undefined,
  policies: readonly unknown[],
  ourNames: readonly string[],
): { otherName?: string; policies: ForeignPolicy[] } | undefined {
  const name = typeof live?.displayName === "string" && live.displayName !== "" ? live.displayName : undefined;
  const otherName = name !== undefined && !ourNames.includes(name) ? name : undefined;
  const foreign = policies
    .filter((p): p is Record<string, unknown> => typeof p === "object" && p !== null)
    .filter((p) => caPolicyFromGraph(p).applications.contexts.includes(contextId.toLowerCase()))
    .filter((p) => !(typeof p.displayName === "string" && p.displayName.startsWith(DISPLAY_NAME_PREFIX)))
    .map((p) => ({ id: String(p.id ?? "(no id)"), displayName: String(p.displayName ?? "") }));
  return otherName === undefined && foreign.length === 0 ? undefined : { otherName, policies: foreign };
}

/** Fails, before anything is written, when the context is someone else's (see the module comment). */
async function refuseHijack(
  client: GraphClient,
  props: AuthenticationContextProps,
  live: Record<string, unknown> | undefined,
  ourNames: readonly string[],
): Promise<void> {
  if (props.adoptExisting === true) return;
  // Paged, and spaced by the client's Conditional Access throttle (1 request/second per tenant).
  const policies = await client.list<unknown>(CA_POLICIES_PATH);
  const conflict = contextConflict(props.contextId, live, policies, ourNames);
  if (!conflict) return;
  const held = [
    conflict.otherName !== undefined
      ? `it exists as "${conflict.otherName}" (this stack names it "${props.displayName}")`
      : "",
    conflict.policies.length > 0
      ? `Conditional Access policies outside this stack require it: ${conflict.policies.map((p) => `${p.id} "${p.displayName}"`).join(", ")}`
      : "",
  ].filter(Boolean);
  throw new Error(
    `authentication context ${props.contextId} is already in use: ${held.join("; ")}. Choose an unused context id (pim.authenticationContextId, pim.roles[].authenticationContextId), or set conditionalAccess.adoptAuthenticationContext: true to take it over (PIM activation and those policies then share it). Nothing was changed.`,
  );
}

async function ensureContext(
  props: AuthenticationContextProps,
  previous?: AuthenticationContextProps,
): Promise<AuthenticationContextProps> {
  const client = graphClientFor(props, RESOURCE);
  const desired = authenticationContextBody(props);
  const live = await getContext(client, props.contextId);
  const ourNames = [props.displayName, ...(previous ? [previous.displayName] : [])];
  // A new context is checked even when it already matches: using it is taking it. A context this stack already
  // holds is checked before it is written.
  if (!previous) await refuseHijack(client, props, live, ourNames);
  if (live && differences(desired, live).length === 0) return props;
  if (previous) await refuseHijack(client, props, live, ourNames);
  await client.patch(authenticationContextPath(props.contextId), desired);
  const after = await getContext(client, props.contextId);
  assertPersisted(`authentication context ${props.contextId}`, desired, after);
  return props;
}

export const authenticationContextProvider: pulumi.dynamic.ResourceProvider<
  AuthenticationContextProps,
  AuthenticationContextProps
> = {
  async diff(_id, olds, news) {
    return diffProps(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, {
      replaceOn: ["contextId"],
      ignore: ["adoptExisting"],
    });
  },
  async create(inputs) {
    return { id: inputs.contextId, outs: await ensureContext(inputs) };
  },
  async update(_id, olds, news) {
    return { outs: await ensureContext(news, olds) };
  },
  async read(id, props) {
    const connection = connectionOf(RESOURCE, props);
    const live = await getContext(graphClientFor(connection, RESOURCE), id);
    if (!live) return {};
    return {
      id,
      props: {
        ...connection,
        contextId: id,
        displayName: String(live.displayName ?? ""),
        description: String(live.description ?? ""),
        isAvailable: live.isAvailable === true,
      },
    };
  },
  async delete() {
    // Deliberately left in place: see the module comment.
  },
};
