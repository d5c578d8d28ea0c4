/**
 * Shared set-up for the audit tests. `useFakeTenant` gives each test of a file a fake tenant read with the production
 * client factory and credential chain (only `az` is a fake), for the tests of the reader's own behaviour (retries,
 * timeouts, the CLI). The check specs use `auditOf`: the healthy tenant of a config with one change, served and read
 * on fakes of its own, so that they can run side by side.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { BaselineConfig } from "../../../src/config/validate";
import type { AuditResult } from "../../../src/tools/audit/audit";
import type { Finding, FindingId } from "../../../src/tools/audit/findings";
import { useFakeAzureCli } from "../fakes/azureCli";
import {
  healthyTenant,
  startFakeTenant,
  type FakeTenant,
  type FakeTenantOptions,
  type TenantData,
} from "../fakes/tenant";
import { auditData, type DataAudit } from "../fakes/tenantReads";

export { auditData, auditFake, clients, ids, readFake } from "../fakes/tenantReads";

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

/** The healthy tenant of `config` after `change`, read through the production reader and audited. */
export async function auditOf(
  config: BaselineConfig,
  change: (data: TenantData) => void = () => {},
  options: Parameters<typeof auditData>[2] = {},
): Promise<DataAudit> {
  const data = healthyTenant(config);
  change(data);
  return auditData(data, config, options);
}

/** The findings of one kind. */
export function findingsOf(result: AuditResult | DataAudit, id: FindingId): Finding[] {
  const findings = "result" in result ? result.result.findings : result.findings;
  return findings.filter((f) => f.id === id);
}

/** Every finding as `ID object: actual`, for failure messages and exact expectations. */
export function described(result: AuditResult | DataAudit): string[] {
  const findings = "result" in result ? result.result.findings : result.findings;
  return findings.map((f) => `${f.id} ${f.object}: ${f.actual}`);
}
