/**
 * Reading a fake tenant through the production reader, without vitest, so that scripts (exampleSnapshot.ts) and
 * tests share it: the production client factory and credential chain (only `az` is a fake), short backoff steps.
 * `auditData` serves a tenant of its own for one read, with a static credential instead of `az`, so that tests can
 * run side by side (each fake has its own port, hence its own CA and authentication-methods throttle budget).
 */
import { createGraphClient, type GraphClient, type GraphClientOptions } from "../../../src/graph/client";
import type { BaselineConfig } from "../../../src/config/validate";
import { auditSnapshot, type AuditResult } from "../../../src/tools/audit/audit";
import { readTenant } from "../../../src/tools/audit/read";
import type { AuditSnapshot } from "../../../src/tools/audit/snapshot";
import { CLOUDS } from "@entra-baseline/model";
import { TEST_TENANT_ID } from "./azureCli";
import type { FakeRequest } from "./graphServer";
import { SUBSCRIPTION_ID, startFakeTenant, type FakeTenant, type FakeTenantOptions, type TenantData } from "./tenant";
import { fakeAccessToken, staticCredential } from "./token";

/** Clients for the fake tenant's loopback Graph and ARM, for `tenantId` (the stack's), with the public login host. */
export function clients(
  tenant: FakeTenant,
  options: Partial<GraphClientOptions> & { tenantId?: string } = {},
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

export interface DataAudit {
  result: AuditResult;
  snapshot: AuditSnapshot;
  /** What the reader asked of each fake, in order. */
  requests: { graph: FakeRequest[]; arm: FakeRequest[] };
  /** Graph requests the client sent (a `$batch` counts once). */
  graphRequestCount: number;
}

/**
 * Serves `data` on a fresh pair of loopback fakes (`setup` may add routes or faults), reads it through the production
 * reader with a token carrying the config's tenant id, closes the fakes and audits the snapshot.
 */
export async function auditData(
  data: TenantData,
  config: BaselineConfig,
  options: { setup?: (tenant: FakeTenant) => void; fake?: FakeTenantOptions; maxRetries?: number } = {},
): Promise<DataAudit> {
  const tenant = await startFakeTenant(data, options.fake);
  tenant.graph.expectedToken = tenant.arm.expectedToken = fakeAccessToken(config.tenant.tenantId);
  options.setup?.(tenant);
  try {
    const common = {
      retryBaseDelayMs: 5,
      maxRetryDelayMs: 200,
      credential: staticCredential(config.tenant.tenantId),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    };
    const { graph, arm } = clients(tenant, { ...common, tenantId: config.tenant.tenantId });
    const snapshot = await readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
    return {
      snapshot,
      result: auditSnapshot(snapshot, config),
      requests: { graph: tenant.graph.requests, arm: tenant.arm.requests },
      graphRequestCount: graph.requestCount,
    };
  } finally {
    await tenant.close();
  }
}

export function ids(result: AuditResult): string[] {
  return result.findings.map((f) => f.id);
}
