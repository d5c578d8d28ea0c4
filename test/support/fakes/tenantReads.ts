/**
 * Reading a fake tenant through the production reader, without vitest, so that scripts (exampleSnapshot.ts) and
 * tests share it: the production client factory and credential chain (only `az` is a fake), short backoff steps.
 */
import { createGraphClient, type GraphClient } from "../../../src/graph/client";
import type { BaselineConfig } from "../../../src/config/validate";
import { auditSnapshot, type AuditResult } from "../../../src/tools/audit/audit";
import { readTenant } from "../../../src/tools/audit/read";
import type { AuditSnapshot } from "../../../src/tools/audit/snapshot";
import { CLOUDS } from "@entra-baseline/model";
import { TEST_TENANT_ID } from "./azureCli";
import { SUBSCRIPTION_ID, type FakeTenant } from "./tenant";

/** Clients for the fake tenant's loopback Graph and ARM, for `tenantId` (the stack's), with the public login host. */
export function clients(
  tenant: FakeTenant,
  options: { timeoutMs?: number; maxRetries?: number; tenantId?: string } = {},
): { graph: GraphClient; arm: GraphClient } {
  const { tenantId = TEST_TENANT_ID, ...rest } = options;
  const common = { retryBaseDelayMs: 10, maxRetryDelayMs: 2_000, ...rest };
  const endpoints = { graph: tenant.graph.url, arm: tenant.arm.url, login: CLOUDS.public.login };
  return {
    graph: createGraphClient({ service: "graph", endpoints, tenantId }, common),
    arm: createGraphClient({ service: "arm", endpoints, tenantId }, common),
  };
}

export async function readFake(
  tenant: FakeTenant,
  config: BaselineConfig,
  options: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<AuditSnapshot> {
  const { graph, arm } = clients(tenant, { ...options, tenantId: config.tenant.tenantId });
  return readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
}

export async function auditFake(tenant: FakeTenant, config: BaselineConfig): Promise<AuditResult> {
  return auditSnapshot(await readFake(tenant, config), config);
}

export function ids(result: AuditResult): string[] {
  return result.findings.map((f) => f.id);
}
