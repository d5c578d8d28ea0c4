/**
 * Which tenant an access token was issued for: the `tid` claim of the token's payload (the middle, base64url part of
 * a JWT). Microsoft identity platform access tokens for work and school accounts carry it ("the immutable tenant ID
 * of the organization", docs/references.md, "Access-token claims").
 *
 * This is not validation: the client never trusts the token's contents for anything but this check, and the service
 * it is sent to validates the signature. It is the tripwire that stops a credential signed in to another tenant (an
 * `AZURE_TENANT_ID` pointing elsewhere, a managed identity of another directory, a stale `az login`) before a single
 * request reaches the wrong tenant. Nothing here logs or returns the token itself.
 */

/** The `tid` of a JWT access token (lower case), or undefined when the token is not a JWT that carries one. */
export function tokenTenant(token: string): string | undefined {
  const parts = token.split(".");
  // A signed JWT (JWS compact form) has exactly three parts; an encrypted one (JWE) has five and cannot be read.
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
  const tid = (payload as Record<string, unknown>).tid;
  return typeof tid === "string" && tid !== "" ? tid.toLowerCase() : undefined;
}
