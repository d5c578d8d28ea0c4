/**
 * Shared set-up for the audit tests: the production client factory and credential chain (only `az` is a fake),
 * pointed at a fake tenant, with short backoff steps so retry tests stay fast.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createGraphClient, type GraphClient } from "../../src/graph/client";
import type { BaselineConfig } from "../../src/config";
import { auditSnapshot, type AuditResult } from "../../src/audit/audit";
import { readTenant } from "../../src/audit/read";
import type { AuditSnapshot } from "../../src/audit/snapshot";
import { useFakeAzureCli } from "../fakes/azureCli";
import { SUBSCRIPTION_ID, startFakeTenant, type FakeTenant, type FakeTenantOptions, type TenantData } from "./fakeTenant";

/**
 * For the tests of the calling file: the fake `az` throughout, and a fresh fake tenant built from `data()` per test —
 * a new loopback port, so that one test's CA and authentication-methods throttle budget (kept per endpoint, as Graph
 * keeps it per tenant) never slows the next. Returns the current test's tenant.
 */
export function useFakeTenant(data: () => TenantData, options: FakeTenantOptions = {}): () => FakeTenant {
  let tenant: FakeTenant | undefined;
  useFakeAzureCliInFile();
  beforeEach(async () => {
    tenant = await startFakeTenant(data(), { ...options });
  });
  afterEach(async () => {
    await tenant?.close();
    tenant = undefined;
  });
  return () => {
    if (!tenant) throw new Error("useFakeTenant: no tenant outside a test");
    return tenant;
  };
}

/** The fake `az` for every test of the calling file (or describe block). */
export function useFakeAzureCliInFile(): void {
  let restoreCli: (() => void) | undefined;
  beforeAll(() => {
    restoreCli = useFakeAzureCli();
  });
  afterAll(() => restoreCli?.());
}

export function clients(tenant: FakeTenant, options: { timeoutMs?: number; maxRetries?: number } = {}): { graph: GraphClient; arm: GraphClient } {
  const common = { retryBaseDelayMs: 10, maxRetryDelayMs: 2_000, ...options };
  return { graph: createGraphClient(tenant.graph.url, common), arm: createGraphClient(tenant.arm.url, common) };
}

export async function readFake(tenant: FakeTenant, config: BaselineConfig, options: { timeoutMs?: number; maxRetries?: number } = {}): Promise<AuditSnapshot> {
  const { graph, arm } = clients(tenant, options);
  return readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
}

export async function auditFake(tenant: FakeTenant, config: BaselineConfig): Promise<AuditResult> {
  return auditSnapshot(await readFake(tenant, config), config);
}

export function ids(result: AuditResult): string[] {
  return result.findings.map((f) => f.id);
}
