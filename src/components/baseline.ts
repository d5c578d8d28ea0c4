/**
 * The whole baseline as one function of validated config, so that the Pulumi entry point, `npm run plan`, library
 * users and the tests declare exactly the same resources — and all of them only after the providers proved to be
 * signed in to the stack's tenant (src/components/tenantPin.ts): a mismatch rejects before anything is declared.
 */
import type { BaselineConfig } from "../config/validate";
import { Breakglass } from "./breakglass";
import { activationContexts } from "../config/activationSettings";
import { ConditionalAccessBaseline } from "./conditionalAccess";
import { JitGlobalAdmin, JitRoles } from "./pim";
import { Monitoring } from "./monitoring";
import { assertProvidersOnTenant } from "./tenantPin";

export type Baseline = Awaited<ReturnType<typeof declareBaseline>>;

export async function declareBaseline(config: BaselineConfig) {
  await assertProvidersOnTenant(config.tenant.tenantId);

  const breakglass = new Breakglass("breakglass", {
    breakglass: config.breakglass,
    tenant: config.tenant,
    endpoints: config.endpoints,
  });

  const conditionalAccess = new ConditionalAccessBaseline("conditional-access", {
    conditionalAccess: config.conditionalAccess,
    activationContexts: activationContexts(config),
    exclusionGroupId: breakglass.groupObjectId,
    endpoints: config.endpoints,
    tenantId: config.tenant.tenantId,
  });

  const pimArgs = {
    pim: config.pim,
    endpoints: config.endpoints,
    tenantId: config.tenant.tenantId,
    // The activation rules name the authentication contexts, which must exist with their CA policies first.
    activationPrerequisites: [
      ...Object.values(conditionalAccess.authenticationContexts),
      ...Object.values(conditionalAccess.activationPolicies),
    ],
  };
  const jitGlobalAdmin = new JitGlobalAdmin("jit-global-admin", pimArgs);
  const jitRoles = new JitRoles("jit-roles", pimArgs);

  const monitoring = new Monitoring("monitoring", {
    monitoring: config.monitoring,
    pim: config.pim,
    exceptions: config.exceptions,
    breakglass: {
      userPrincipalNames: breakglass.userPrincipalNames,
      objectIds: breakglass.objectIds,
      groupObjectId: breakglass.groupObjectId,
    },
    cloud: config.tenant.cloud,
    endpoints: config.endpoints,
    tenantId: config.tenant.tenantId,
  });

  return { breakglass, conditionalAccess, jitGlobalAdmin, jitRoles, monitoring };
}

/**
 * The baseline's non-secret outputs, for a program's stack exports (the same ones this repository's program exports).
 * Breakglass passwords are not among them: they never leave the state's secret store.
 */
export function baselineOutputs(baseline: Baseline) {
  return {
    breakglassUserPrincipalNames: baseline.breakglass.userPrincipalNames,
    breakglassObjectIds: baseline.breakglass.objectIds,
    breakglassGroupObjectId: baseline.breakglass.groupObjectId,
    eligibleGlobalAdminObjectIds: baseline.jitGlobalAdmin.eligiblePrincipalIds,
    workspaceId: baseline.monitoring.workspaceId,
    tripwireRuleId: baseline.monitoring.tripwireRuleId,
  };
}
