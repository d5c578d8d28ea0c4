/**
 * Who a write run is, and where: the tenant Graph answers for must be the stack's (GET /organization, whose `id` is
 * the tenant id: docs/references.md, "Microsoft Graph"), and the identity running the command is named so that no step ever moves it (it would cut
 * off the run, or the pipeline, half way). The identity comes from the access token's claims (`oid`: the signed-in
 * user's or the service principal's object id; `idtyp` "app" for app-only tokens; `tid`: the tenant), decoded for
 * this purpose only and never validated, logged or sent anywhere. There is no `GET /me` fallback: the client refuses
 * a token that is not a JWT with the stack's `tid` before sending anything (src/graph/client.ts), and Graph answers
 * `/me` only for delegated tokens, so a token that names no `oid` is refused here. A run that cannot tell who it is
 * writes nothing.
 */
import type { TokenCredential } from "@azure/identity";
import { UserInputError } from "../../cli/errors";
import type { BaselineConfig } from "../../config/validate";
import { GraphError, type GraphClient } from "../../graph/client";

export interface CallerIdentity {
  /** Object id, lower-case. */
  objectId: string;
  type: "user" | "servicePrincipal";
  label: string;
}

/** The payload of a JWT, or undefined when `token` is not one. */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    return typeof json === "object" && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses to go on unless Graph answers for the stack's tenant. */
export async function confirmTenant(graph: GraphClient, config: BaselineConfig): Promise<void> {
  const want = config.tenant.tenantId.toLowerCase();
  let orgs: { id?: unknown; displayName?: unknown }[];
  try {
    orgs = await graph.list<{ id?: unknown; displayName?: unknown }>("/v1.0/organization?$select=id,displayName");
  } catch (e) {
    if (e instanceof GraphError) throw new UserInputError(`cannot confirm the tenant: ${e.message}`, { cause: e });
    throw e;
  }
  const ids = orgs.map((o) => (typeof o.id === "string" ? o.id.toLowerCase() : ""));
  if (!ids.includes(want)) {
    throw new UserInputError(
      `the signed-in identity is in tenant ${ids.join(", ") || "(none returned)"}, but the stack governs tenant ${config.tenant.tenantId} (tenant.tenantId): nothing was written`,
    );
  }
}

/**
 * The identity the credential signs in as, from its Microsoft Graph token (the one the client checked for the
 * stack's tenant, asked again: credentials cache it).
 */
export async function callerIdentity(
  graph: GraphClient,
  credential: TokenCredential,
  config: BaselineConfig,
): Promise<CallerIdentity> {
  const scope = `${new URL(graph.endpoint).origin}/.default`;
  const token = await credential.getToken(scope).catch((e: unknown) => {
    throw new UserInputError(`cannot get a Microsoft Graph token: ${(e as Error).message}`);
  });
  const claims = token ? tokenClaims(token.token) : undefined;
  if (!claims || typeof claims.oid !== "string" || claims.oid === "") {
    throw new UserInputError(
      `cannot tell which identity runs this command: its Microsoft Graph token for ${scope} names no object id (no "oid" claim in a JWT); it writes nothing without knowing whom it must not move`,
    );
  }
  // The client has refused any other tenant's token already; this keeps the identity from ever being taken from one.
  if (typeof claims.tid !== "string" || claims.tid.toLowerCase() !== config.tenant.tenantId.toLowerCase()) {
    throw new UserInputError(
      `the token is for tenant ${typeof claims.tid === "string" ? claims.tid : "(none named)"}, but the stack governs tenant ${config.tenant.tenantId}: nothing was written`,
    );
  }
  const app = claims.idtyp === "app" || (claims.scp === undefined && claims.roles !== undefined);
  const name = [claims.upn, claims.preferred_username, claims.unique_name, claims.app_displayname, claims.appid].find(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return { objectId: claims.oid.toLowerCase(), type: app ? "servicePrincipal" : "user", label: name ?? claims.oid };
}
