/**
 * A credential for tests that talk to the loopback fakes without the Azure CLI: it hands out an unsigned JWT whose
 * payload carries the tenant id (`tid`), as Entra's access tokens do, so the client's tenant checks see a real shape.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";

export function fakeAccessToken(tenantId: string): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ typ: "JWT", alg: "none" })}.${part({ tid: tenantId, oid: "de000000-0000-4000-8000-0000000000de", idtyp: "app" })}.`;
}

export function staticCredential(tenantId: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token: fakeAccessToken(tenantId), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}
