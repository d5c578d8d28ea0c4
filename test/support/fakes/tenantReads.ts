/**
 * Reading a fake tenant through the production reader, without vitest, so that scripts (exampleSnapshot.ts) and
 * tests share it: the production client factory and credential chain (only `az` is a fake), short backoff steps.
 */
import { createGraphClient, type GraphClient } from "../../../src/graph/client";
import type { BaselineConfig } from "../../../src/config/validate";
import { auditSnapshot, type AuditResult } from "../../../src/tools/audit/audit";
import { readTenant } from "../../../src/tools/audit/read";
import type { AuditSnapshot } from "../../../src/tools/audit/snapshot";
import { SUBSCRIPTION_ID, type FakeTenant } from "./tenant";

export function clients(
  tenant: FakeTenant,
  options: { timeoutMs?: number; maxRetries?: number } = {},
): { graph: GraphClient; arm: GraphClient } {
  const common = { retryBaseDelayMs: 10, maxRetryDelayMs: 2_000, ...options };
  return { graph: createGraphClient(tenant.graph.url, common), arm: createGraphClient(tenant.arm.url, common) };
}

export async function readFake(
  tenant: FakeTenant,
  config: BaselineConfig,
  options: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<AuditSnapshot> {
  const { graph, arm } = clients(tenant, options);
  return readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
}

export async function auditFake(tenant: FakeTenant, config: BaselineConfig): Promise<AuditResult> {
  return auditSnapshot(await readFake(tenant, config), config);
}

export function ids(result: AuditResult): string[] {
  return result.findings.map((f) => f.id);
}
