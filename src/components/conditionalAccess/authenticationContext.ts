/**
 * The authentication context PIM requires on Global Administrator activation (`c1` by default), as a dynamic
 * resource over Graph `authenticationContextClassReferences` (no azuread resource manages it).
 *
 * - create/update: PATCH creates or updates the reference (ids c1…c99 are fixed slots); it is skipped when the live
 *   reference already matches, and every write is read back and compared.
 * - read: the live reference (absent → the resource is gone).
 * - delete: leaves the reference in place. PIM's activation rule may still require it, and a context that vanishes
 *   under a PIM rule is the kind of lock-out surprise this project exists to prevent; an unused context is harmless.
 */
import * as pulumi from "@pulumi/pulumi";
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
import { dynamicTypes } from "@entra-baseline/model";

export interface AuthenticationContextProps extends GraphResourceProps {
  /** `c1` … `c99`. The resource id is the same value. */
  contextId: string;
  displayName: string;
  description: string;
  isAvailable: boolean;
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

async function ensureContext(props: AuthenticationContextProps): Promise<AuthenticationContextProps> {
  const client = graphClientFor(props, RESOURCE);
  const desired = authenticationContextBody(props);
  const live = await getContext(client, props.contextId);
  if (live && differences(desired, live).length === 0) return props;
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
    });
  },
  async create(inputs) {
    return { id: inputs.contextId, outs: await ensureContext(inputs) };
  },
  async update(_id, _olds, news) {
    return { outs: await ensureContext(news) };
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

export class AuthenticationContext extends pulumi.dynamic.Resource {
  declare readonly contextId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly isAvailable: pulumi.Output<boolean>;

  constructor(name: string, args: AuthenticationContextArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.authenticationContext;
    super(authenticationContextProvider, name, { ...args }, opts, module, type);
  }
}
