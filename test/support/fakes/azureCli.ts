/**
 * Points the production credential chain at test/support/fakes/bin/az: DefaultAzureCredential honours
 * AZURE_TOKEN_CREDENTIALS, so the code under test is exactly what runs in CI, only the CLI is a fake.
 *
 * The fake hands out JWT-shaped tokens (header.payload.signature, base64url) whose payload carries the `tid` claim
 * the client checks: by default the tenant it was asked for (`--tenant`, as `az` does when signed in to it), or the
 * one `FAKE_AZ_TENANT` forces — a credential signed in to another tenant than the one asked for, as an
 * EnvironmentCredential with another AZURE_TENANT_ID or a managed identity of another directory would be.
 */
import * as path from "node:path";

/** The tenant of the test stack (test/support/fixtures/stack/Pulumi.test.yaml) and of the examples. */
export const TEST_TENANT_ID = "11111111-2222-3333-4444-555555555555";
/** A tenant that is not the stack's, for the wrong-tenant tests. */
export const OTHER_TENANT_ID = "99999999-8888-7777-6666-555555555555";

/** The token the fake `az` issues for `tenantId` (what bin/az computes; a signed JWT has three parts). */
export function fakeAccessToken(tenantId: string = TEST_TENANT_ID): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [part({ typ: "JWT", alg: "RS256" }), part({ tid: tenantId }), "fake-signature"].join(".");
}

export const FAKE_TOKEN = fakeAccessToken();

export function useFakeAzureCli(): () => void {
  const saved = { PATH: process.env.PATH, AZURE_TOKEN_CREDENTIALS: process.env.AZURE_TOKEN_CREDENTIALS };
  process.env.PATH = `${path.join(__dirname, "bin")}${path.delimiter}${process.env.PATH}`;
  process.env.AZURE_TOKEN_CREDENTIALS = "AzureCliCredential";
  return () => {
    process.env.PATH = saved.PATH;
    if (saved.AZURE_TOKEN_CREDENTIALS === undefined) delete process.env.AZURE_TOKEN_CREDENTIALS;
    else process.env.AZURE_TOKEN_CREDENTIALS = saved.AZURE_TOKEN_CREDENTIALS;
  };
}

/** Runs `body` with the fake `az` signed in to `tenantId` whatever tenant it is asked for; restores afterwards. */
export async function withAzureCliTenant<T>(tenantId: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.FAKE_AZ_TENANT;
  process.env.FAKE_AZ_TENANT = tenantId;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.FAKE_AZ_TENANT;
    else process.env.FAKE_AZ_TENANT = saved;
  }
}
