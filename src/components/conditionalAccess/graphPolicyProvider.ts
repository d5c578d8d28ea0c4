/**
 * A Conditional Access policy written through Graph, for what `azuread.ConditionalAccessPolicy` cannot express
 * (targeting an authentication context). Its props are the Graph policy body itself (plus the connection), so the
 * policy pack and the audit read the same field names Graph uses.
 *
 * - create: adopts a policy with the same display name if exactly one exists (a retried create after a lost answer
 *   must not leave a duplicate), else POST …/policies (201 with id). Then reads back and compares.
 * - update: PATCH …/policies/{id} (204) only when the live policy differs from the owned fields; read back.
 * - read: the live policy, projected onto the fields this resource owns.
 * - delete: DELETE …/policies/{id}. Removing our own policy only removes a requirement (the fresh-MFA challenge on
 *   activation); it can never take away the breakglass path, which no CA policy here may include. Leaving an
 *   unmanaged copy behind would be worse: nobody would own it. (Set `retainOnDelete` to keep it.)
 *
 * Graph throttles CA at 1 request/second/tenant with 429s that carry no Retry-After: the shared client spaces
 * requests and backs off by itself.
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
  isNotFound,
  unexpectedAnswer,
  type GraphResourceProps,
} from "../../graph/dynamicProvider";
import type { CaPolicyState } from "../../config/schema";

export const CA_POLICIES_PATH = "/v1.0/identity/conditionalAccess/policies";
const RESOURCE = "GraphConditionalAccessPolicy";

/** The subset of Graph's conditionalAccessPolicy this project writes. Field names are Graph's. */
export interface GraphCaPolicyBody {
  displayName: string;
  state: CaPolicyState;
  conditions: {
    clientAppTypes: string[];
    applications: {
      includeApplications?: string[];
      includeAuthenticationContextClassReferences?: string[];
    };
    users: {
      includeUsers?: string[];
      excludeUsers?: string[];
      includeGroups?: string[];
      excludeGroups?: string[];
      includeRoles?: string[];
      excludeRoles?: string[];
    };
  };
  grantControls?: {
    operator: "AND" | "OR";
    builtInControls?: string[];
    /** A navigation property: `{ id }` of an authentication strength policy (built-in ids are fixed). */
    authenticationStrength?: { id: string };
  };
  sessionControls?: {
    signInFrequency?: {
      isEnabled: boolean;
      frequencyInterval: "timeBased" | "everyTime";
      authenticationType?: "primaryAndSecondaryAuthentication" | "secondaryAuthentication";
      type?: "days" | "hours";
      value?: number;
    };
  };
}

export type GraphCaPolicyProps = GraphResourceProps & GraphCaPolicyBody;

type DeepInput<T> = T extends (infer U)[]
  ? pulumi.Input<DeepInput<U>[]>
  : T extends object
    ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
    : pulumi.Input<T>;
export type GraphCaPolicyArgs = { [K in keyof GraphCaPolicyProps]: DeepInput<GraphCaPolicyProps[K]> };

const BODY_KEYS = ["displayName", "state", "conditions", "grantControls", "sessionControls"] as const;

export function policyPath(id: string): string {
  return `${CA_POLICIES_PATH}/${encodeURIComponent(id)}`;
}

/** The Graph body: the props without the connection (and without absent optional blocks). */
export function policyBody(props: GraphCaPolicyProps): Partial<GraphCaPolicyBody> {
  const body: Record<string, unknown> = {};
  for (const key of BODY_KEYS) if (props[key] !== undefined) body[key] = props[key];
  return body as Partial<GraphCaPolicyBody>;
}

/** `live` cut down to the shape of `owned`: what refresh stores, so drift in owned fields shows and nothing else. */
export function projectOnto(owned: unknown, live: unknown): unknown {
  if (owned === null || typeof owned !== "object" || Array.isArray(owned)) return live;
  if (live === null || typeof live !== "object" || Array.isArray(live)) return live;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(owned)) {
    const value = projectOnto((owned as Record<string, unknown>)[key], (live as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function getPolicy(client: GraphClient, id: string): Promise<Record<string, unknown> | undefined> {
  return getIfExists(client, policyPath(id));
}

async function ensurePolicy(
  client: GraphClient,
  id: string,
  props: GraphCaPolicyProps,
  live?: Record<string, unknown>,
): Promise<void> {
  const desired = policyBody(props);
  const current = live ?? (await getPolicy(client, id));
  if (!current)
    throw new Error(
      `Conditional Access policy ${id} ("${props.displayName}") no longer exists; refresh the stack so that it is created again`,
    );
  if (differences(desired, current).length === 0) return;
  await client.patch(policyPath(id), desired);
  assertPersisted(`Conditional Access policy ${id} ("${props.displayName}")`, desired, await getPolicy(client, id));
}

export const graphCaPolicyProvider: pulumi.dynamic.ResourceProvider<GraphCaPolicyProps, GraphCaPolicyProps> = {
  async diff(_id, olds, news) {
    return diffProps(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>);
  },
  async create(inputs) {
    const client = graphClientFor(inputs, RESOURCE);
    const namesakes = (await client.list<unknown>(CA_POLICIES_PATH)).filter(
      (p) => isRecord(p) && p.displayName === inputs.displayName,
    ) as Record<string, unknown>[];
    // Adopting needs the id: a namesake without one is an answer we must not guess around (a POST would duplicate it).
    const noId = namesakes.find((p) => typeof p.id !== "string" || p.id === "");
    if (noId)
      throw unexpectedAnswer(
        `GET ${CA_POLICIES_PATH}`,
        `an id on every policy (the one named "${inputs.displayName}" has none)`,
        noId,
      );
    if (namesakes.length > 1) {
      throw new Error(
        `${namesakes.length} Conditional Access policies are named "${inputs.displayName}" (${namesakes.map((p) => p.id).join(", ")}); delete or rename the extra ones so this one can be managed`,
      );
    }
    if (namesakes.length === 1) {
      const id = String(namesakes[0]!.id);
      await ensurePolicy(client, id, inputs, namesakes[0]);
      return { id, outs: inputs };
    }
    const created = await client.post<{ id?: string }>(CA_POLICIES_PATH, policyBody(inputs));
    if (!created?.id) throw new Error(`POST ${CA_POLICIES_PATH} returned no policy id for "${inputs.displayName}"`);
    assertPersisted(
      `Conditional Access policy ${created.id} ("${inputs.displayName}")`,
      policyBody(inputs),
      await getPolicy(client, created.id),
    );
    return { id: created.id, outs: inputs };
  },
  async update(id, _olds, news) {
    await ensurePolicy(graphClientFor(news, RESOURCE), id, news);
    return { outs: news };
  },
  async read(id, props) {
    const connection = connectionOf(RESOURCE, props);
    const live = await getPolicy(graphClientFor(connection, RESOURCE), id);
    if (!live) return {};
    const owned = props ? policyBody(props) : Object.fromEntries(BODY_KEYS.map((k) => [k, live[k]]));
    return { id, props: { ...connection, ...(projectOnto(owned, live) as GraphCaPolicyBody) } };
  },
  async delete(id, props) {
    try {
      await graphClientFor(props, RESOURCE).delete(policyPath(id));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
