/**
 * Runs a world through both enforcers: the stack through every rule of the pack the way the analyzer server does
 * (test/support/pack/harness.ts), and the tenant through the production reader (over a fresh loopback fake) and the
 * audit. Both answer in the catalogue's terms, so a case can say once which rule a fact breaks.
 */
import { CLOUDS } from "@entra-baseline/model";
import { entryOfFinding, type CatalogueEntry } from "@entra-baseline/model";
import type { PolicyResource } from "@pulumi/policy";
import { policies } from "../../../policies/rules";
import type { BaselineConfig } from "../../../src/config/validate";
import { createGraphClient } from "../../../src/graph/client";
import { auditSnapshot, type AuditResult } from "../../../src/tools/audit/audit";
import { readTenant } from "../../../src/tools/audit/read";
import type { AuditSnapshot } from "../../../src/tools/audit/snapshot";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { runStackPolicy } from "../pack/harness";
import { SUBSCRIPTION_ID, startFakeTenant, type TenantData } from "../fakes/tenant";
import { fakeAccessToken, staticCredential } from "../fakes/token";

export interface PackViolation {
  policy: string;
  enforcement: string;
  message: string;
  urn?: string;
}

export async function packViolations(
  stack: PlannedResource[],
  packConfig: Record<string, Record<string, unknown>>,
): Promise<PackViolation[]> {
  const out: PackViolation[] = [];
  for (const policy of policies) {
    if (!("validateStack" in policy)) continue;
    const reported = await runStackPolicy(policy, stack, packConfig[policy.name] ?? {});
    out.push(
      ...reported.map((r) => ({
        policy: policy.name,
        enforcement: String(policy.enforcementLevel),
        message: r.message,
        ...(r.urn ? { urn: r.urn } : {}),
      })),
    );
  }
  return out;
}

export async function readWorldTenant(data: TenantData, config: BaselineConfig): Promise<AuditSnapshot> {
  const tenant = await startFakeTenant(data);
  tenant.graph.expectedToken = tenant.arm.expectedToken = fakeAccessToken(config.tenant.tenantId);
  try {
    const options = { retryBaseDelayMs: 5, maxRetryDelayMs: 200, credential: staticCredential(config.tenant.tenantId) };
    const endpoints = { graph: tenant.graph.url, arm: tenant.arm.url, login: CLOUDS.public.login };
    const tenantId = config.tenant.tenantId;
    const graph = createGraphClient({ service: "graph", endpoints, tenantId }, options);
    const arm = createGraphClient({ service: "arm", endpoints, tenantId }, options);
    return await readTenant({ graph, arm, config, subscriptions: [SUBSCRIPTION_ID] });
  } finally {
    await tenant.close();
  }
}

export async function auditWorld(data: TenantData, config: BaselineConfig): Promise<AuditResult> {
  return auditSnapshot(await readWorldTenant(data, config), config);
}

/** The catalogue entries a pack run reports (by the rule that reported). */
export function packEntries(violations: PackViolation[], catalogue: readonly CatalogueEntry[]): Set<string> {
  return new Set(violations.flatMap((v) => catalogue.filter((e) => e.pack === v.policy).map((e) => e.id)));
}

export function auditEntries(result: AuditResult): Set<string> {
  return new Set(result.findings.flatMap((f) => (entryOfFinding(f.id) ? [entryOfFinding(f.id)!.id] : [])));
}

export type { PolicyResource };
