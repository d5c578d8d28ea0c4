/** Who runs a write, and where: the token's claims, and the tenant Graph answers for. */
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

  graphTest(
    "writes nothing when the token names no object id, or is of another tenant, and asks Graph nothing",
    async ({ graph }) => {
      const client = createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), {
        credential: credential(unsignedJwt({ tid: TENANT })),
      });
      const noOid =
        /^cannot tell which identity runs this command: its Microsoft Graph token for http:\/\/127\.0\.0\.1:\d+\/\.default names no object id/;
      for (const token of [
        unsignedJwt({ tid: TENANT, idtyp: "app" }),
        unsignedJwt({ tid: TENANT, oid: "" }),
        "opaque",
      ]) {
        const refusal = callerIdentity(client, credential(token), config);
        await expect(refusal).rejects.toBeInstanceOf(UserInputError);
        await expect(callerIdentity(client, credential(token), config)).rejects.toThrow(noOid);
      }
      const other = unsignedJwt({ oid: OID, tid: "99999999-0000-0000-0000-000000000000" });
      await expect(callerIdentity(client, credential(other), config)).rejects.toThrow(
        /the token is for tenant 99999999-0000-0000-0000-000000000000, but the stack governs tenant 11111111-/,
      );
      await expect(callerIdentity(client, credential(unsignedJwt({ oid: OID })), config)).rejects.toThrow(
        /the token is for tenant \(none named\), but the stack governs tenant 11111111-/,
      );
      expect(graph.requests).toHaveLength(0);
    },
  );
});

describe("confirmTenant", () => {
  graphTest("passes for the stack's tenant and refuses any other", async ({ graph }) => {
    let id = TENANT;
    graph.route("GET", "/v1.0/organization", () => ({ body: { value: [{ id, displayName: "Contoso" }] } }));
    const token = unsignedJwt({ oid: OID, tid: TENANT });
    graph.expectedToken = token;
    const client = createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), {
      credential: credential(token),
    });
    await expect(confirmTenant(client, config)).resolves.toBeUndefined();
    id = "99999999-2222-3333-4444-555555555555";
    const refusal = confirmTenant(client, config);
    await expect(refusal).rejects.toBeInstanceOf(UserInputError);
    await expect(confirmTenant(client, config)).rejects.toThrow(
      /signed-in identity is in tenant 99999999-2222-3333-4444-555555555555, but the stack governs tenant 11111111-/,
    );
  });

  graphTest(
    "refuses, asking Graph nothing, a token the client cannot show to be the stack's tenant's: one message, the client's",
    async ({ graph }) => {
      const attempt = (token: string) =>
        confirmTenant(
          createGraphClient(loopbackGraphTarget(graph.url, config.tenant.tenantId), { credential: credential(token) }),
          config,
        );
      await expect(attempt("opaque")).rejects.toThrow(
        /^cannot confirm the tenant: The credential's Microsoft Graph token for .* does not say which tenant it is for \(no "tid" claim in a JWT\)/,
      );
      await expect(attempt(unsignedJwt({ oid: OID, tid: "99999999-2222-3333-4444-555555555555" }))).rejects.toThrow(
        /^cannot confirm the tenant: The credential signed in to tenant 99999999-2222-3333-4444-555555555555, but this stack governs tenant 11111111-2222-3333-4444-555555555555 \(tenant\.tenantId\): nothing was sent/,
      );
      await expect(attempt("opaque")).rejects.toBeInstanceOf(UserInputError);
      expect(graph.requests).toHaveLength(0);
    },
  );
});
