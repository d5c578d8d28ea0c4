/**
 * The world every guarantee case starts from: the test stack (test/support/fixtures/stack/Pulumi.test.yaml) plus what
 * a real tenant has — Privileged Role Administrator made just-in-time too, and the two identities that must hold a
 * Tier-0 role standing, declared as exceptions (the hybrid sync account and the deploying identity). The compliant
 * stack (./stack.ts) and the healthy tenant (./tenant.ts) are both derived from this one config, so a case states a
 * fact once and each adapter sees it in its own world.
 */
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
} from "@entra-baseline/model";
import type { BaselineConfig } from "../../../src/config/validate";
import { validConfig } from "../stack";

export const SYNC_ACCOUNT_ID = "5c000000-0000-4000-8000-00000000005c";
export const DEPLOYER_ID = "de000000-0000-4000-8000-0000000000de";
export const EXCEPTION_EXPIRY = "2099-12-31";

/** The exceptions every real tenant needs, as a stack declares them. */
export function worldExceptions(): Record<string, unknown>[] {
  return [
    {
      principal: SYNC_ACCOUNT_ID,
      principalType: "user",
      label: "On-Premises Directory Synchronization Service Account",
      roles: [DIRECTORY_SYNCHRONIZATION_ACCOUNTS],
      reason: "Entra Connect sync writes the directory with this role; it cannot activate",
      owner: "identity-team@contoso.com",
      expires: EXCEPTION_EXPIRY,
    },
    {
      principal: DEPLOYER_ID,
      principalType: "servicePrincipal",
      label: "entra-baseline deploy (GitHub OIDC)",
      roles: [PRIVILEGED_ROLE_ADMINISTRATOR, CONDITIONAL_ACCESS_ADMINISTRATOR],
      reason: "pulumi up writes PIM policies and CA policies from CI",
      owner: "platform-team@contoso.com",
      expires: EXCEPTION_EXPIRY,
    },
  ];
}

export type RawMutation = (raw: Record<string, any>) => void;

/** The world's config, with an optional change to its raw values first. */
export function worldConfig(mutate?: RawMutation): BaselineConfig {
  return validConfig((raw) => {
    raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }];
    raw.exceptions = worldExceptions();
    mutate?.(raw);
  });
}
