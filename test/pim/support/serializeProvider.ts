/**
 * Serializes the RoleManagementPolicy provider from a plain CommonJS load (tsx), the way the engine's ts-node
 * compiled program does, and prints the text. Run as `node --require tsx/cjs test/pim/support/serializeProvider.ts`.
 */
import * as pulumi from "@pulumi/pulumi";
import { roleManagementPolicyProvider } from "../../../src/pim/provider";

pulumi.runtime
  .serializeFunction(() => roleManagementPolicyProvider, { allowSecrets: false })
  .then((serialized) => process.stdout.write(serialized.text))
  .catch((e: unknown) => {
    process.stderr.write(String((e as Error).stack ?? e));
    process.exit(1);
  });
