/**
 * Serializes this area's dynamic providers from a plain CommonJS load (tsx), the way the engine's ts-node compiled
 * program does, and prints `{ name: text }` as JSON. Run as `node --require tsx/cjs <this file>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { fido2MethodPolicyProvider } from "../../../src/breakglass/fido2MethodPolicy";
import { authenticationContextProvider } from "../../../src/conditionalAccess/authenticationContext";
import { graphCaPolicyProvider } from "../../../src/conditionalAccess/graphPolicy";

export const PROVIDERS = {
  authenticationContext: authenticationContextProvider,
  graphConditionalAccessPolicy: graphCaPolicyProvider,
  fido2MethodPolicy: fido2MethodPolicyProvider,
};

if (require.main === module) {
  (async () => {
    const out: Record<string, string> = {};
    for (const [name, provider] of Object.entries(PROVIDERS)) {
      out[name] = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
    }
    process.stdout.write(JSON.stringify(out));
  })().catch((e: unknown) => {
    process.stderr.write(String((e as Error).stack ?? e));
    process.exit(1);
  });
}
