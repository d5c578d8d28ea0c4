/**
 * Shared set-up for the audit tests: the production client factory and credential chain (only `az` is a fake),
 * pointed at a fake tenant, with short backoff steps so retry tests stay fast.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { useFakeAzureCli } from "../fakes/azureCli";
import { startFakeTenant, type FakeTenant, type FakeTenantOptions, type TenantData } from "../fakes/tenant";

export { auditFake, clients, ids, readFake } from "../fakes/tenantReads";

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
