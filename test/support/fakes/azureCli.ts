/**
 * Points the production credential chain at test/support/fakes/bin/az: DefaultAzureCredential honours
 * AZURE_TOKEN_CREDENTIALS, so the code under test is exactly what runs in CI, only the CLI is a fake.
 */
import * as path from "node:path";

export const FAKE_TOKEN = "fake-graph-token";

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
