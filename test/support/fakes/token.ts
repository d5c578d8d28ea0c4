/**
 * A credential for tests that talk to the loopback fakes without the Azure CLI: it hands out the same JWT-shaped
 * token the fake `az` does (the `tid` claim the client checks), so the tenant checks see a real shape.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import { fakeAccessToken } from "./azureCli";

export { fakeAccessToken };

export function staticCredential(tenantId: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token: fakeAccessToken(tenantId), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}
