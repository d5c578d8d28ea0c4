/**
 * The stack is pinned to its tenant: before the baseline declares anything, the two providers that write the
 * tenant report which tenant their credentials are for (`azuread.getClientConfig`, azure-native
 * `authorization.getClientConfig`), and the program stops unless both are `tenant.tenantId`. A stack file copied from
 * another tenant, an `ARM_TENANT_ID` left over in a shell, or a service connection of the wrong directory then fails
 * with both ids named, instead of writing one tenant's baseline into another.
 *
 * The Graph-backed dynamic resources check their own tokens the same way (src/graph/client.ts): they authenticate
 * through @azure/identity, not through these providers.
 */
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";

/** The providers reported another tenant (or none) than the stack's. Nothing was declared. */
export class TenantMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly reported: { azuread: string; azureNative: string },
  ) {
    super(
      `The stack governs tenant ${expected} (tenant.tenantId), but the providers are signed in to another: ` +
        `azuread reports tenant ${reported.azuread || "(none)"}, azure-native reports tenant ${reported.azureNative || "(none)"}. ` +
        "Nothing was declared. Point both providers at the stack's tenant (ARM_TENANT_ID with ARM_CLIENT_ID, or `az login --tenant " +
        `${expected}\`; the stack's azuread:tenantId and azure-native:tenantId config, when set, take precedence over both), or select the stack of the tenant they are signed in to.`,
    );
    this.name = "TenantMismatchError";
  }
}

/** Resolves when both providers report `tenantId`; throws TenantMismatchError (naming all three ids) otherwise. */
export async function assertProvidersOnTenant(tenantId: string): Promise<void> {
  const [ad, native] = await Promise.all([azuread.getClientConfig(), authorization.getClientConfig()]);
  const reported = { azuread: String(ad?.tenantId ?? ""), azureNative: String(native?.tenantId ?? "") };
  const same = (id: string) => id.toLowerCase() === tenantId.toLowerCase();
  if (!same(reported.azuread) || !same(reported.azureNative)) throw new TenantMismatchError(tenantId, reported);
}
