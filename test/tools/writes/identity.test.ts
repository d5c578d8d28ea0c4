/** Who runs a write, and where: the token's claims (or GET /me), and the tenant Graph answers for. */
import { describe, expect } from "vitest";
import type { TokenCredential } from "@azure/identity";
import { UserInputError } from "../../../src/cli/errors";
import { createGraphClient } from "../../../src/graph/client";
import { callerIdentity, confirmTenant, tokenClaims } from "../../../src/tools/writes/identity";
import { unsignedJwt } from "../../support/fakes/rolloutTenant";
import { graphTest, loopbackGraphTarget } from "../../support/fakes/loopbackGraph";
import { validConfig } from "../../support/stack";

const config = validConfig();
const TENANT = config.tenant.tenantId;
const OID = "ad000000-0000-4000-8000-000000000001";

function credential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

describe("tokenClaims", () => {
  graphTest("decodes a JWT's payload and leaves anything else alone", () => {
    expect(tokenClaims(unsignedJwt({ oid: OID, tid: TENANT }))).toEqual({ oid: OID, tid: TENANT });
    expect(tokenClaims("fake-graph-token")).toBeUndefined();
    expect(tokenClaims("a.b.c")).toBeUndefined();
  });
});

describe("callerIdentity", () => {
  graphTest(
    "names a service principal from an app-only token (idtyp app), a user from a delegated one",
    async ({ graph }) => {
      const app = unsignedJwt({
        oid: OID.toUpperCase(),
        tid: TENANT,
        idtyp: "app",
        appid: "app-id",
        app_displayname: "deploy",
      });
      const client = createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), {
        credential: credential(app),
      });
      expect(await callerIdentity(client, credential(app), config)).toEqual({
        objectId: OID,
        type: "servicePrincipal",
        label: "deploy",
      });
      const user = unsignedJwt({ oid: OID, tid: TENANT, scp: "User.Read", upn: "adele.vance@contoso.com" });
      expect(await callerIdentity(client, credential(user), config)).toEqual({
        objectId: OID,
        type: "user",
        label: "adele.vance@contoso.com",
      });
      expect(graph.requests).toHaveLength(0);
    },
  );

  graphTest("asks GET /me when the token is not a JWT", async ({ graph }) => {
    graph.expectedToken = "opaque";
    graph.route("GET", "/v1.0/me", () => ({ body: { id: OID, userPrincipalName: "megan.bowen@contoso.com" } }));
    const client = createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), {
      credential: credential("opaque"),
    });
    expect(await callerIdentity(client, credential("opaque"), config)).toEqual({
      objectId: OID,
      type: "user",
      label: "megan.bowen@contoso.com",
    });
  });

  graphTest("writes nothing when it cannot tell who it is, or the token is of another tenant", async ({ graph }) => {
    graph.expectedToken = "opaque";
    graph.route("GET", "/v1.0/me", () => ({
      status: 400,
      body: { error: { code: "BadRequest", message: "/me request is only valid with delegated authentication flow." } },
    }));
    const client = createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), {
      credential: credential("opaque"),
      maxRetries: 0,
    });
    await expect(callerIdentity(client, credential("opaque"), config)).rejects.toThrow(
      /cannot tell which identity runs this command/,
    );
    const other = unsignedJwt({ oid: OID, tid: "99999999-0000-0000-0000-000000000000" });
    await expect(callerIdentity(client, credential(other), config)).rejects.toThrow(
      /the token is for tenant 99999999-0000-0000-0000-000000000000, but the stack governs tenant 11111111-/,
    );
  });
});

describe("confirmTenant", () => {
  graphTest("passes for the stack's tenant and refuses any other", async ({ graph }) => {
    let id = TENANT;
    graph.route("GET", "/v1.0/organization", () => ({ body: { value: [{ id, displayName: "Contoso" }] } }));
    const client = createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), {
      credential: credential("fake-graph-token"),
    });
    await expect(confirmTenant(client, config)).resolves.toBeUndefined();
    id = "99999999-2222-3333-4444-555555555555";
    const refusal = confirmTenant(client, config);
    await expect(refusal).rejects.toBeInstanceOf(UserInputError);
    await expect(confirmTenant(client, config)).rejects.toThrow(
      /signed-in identity is in tenant 99999999-2222-3333-4444-555555555555, but the stack governs tenant 11111111-/,
    );
  });
});
