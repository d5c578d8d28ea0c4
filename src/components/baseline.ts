/**
 * The whole baseline as one function of validated config, so that the Pulumi entry point, `npm run plan` and the
 * tests declare exactly the same resources.
 */
import type { BaselineConfig } from "../config/validate";
import { Breakglass } from "./breakglass";
import { activationContexts } from "../config/activationSettings";
import { ConditionalAccessBaseline } from "./conditionalAccess";
import { JitGlobalAdmin } from "./pim";
import { Monitoring } from "./monitoring";

export function declareBaseline(config: BaselineConfig) {
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

  const jitGlobalAdmin = new JitGlobalAdmin("jit-global-admin", {
    pim: config.pim,
    endpoints: config.endpoints,
    tenantId: config.tenant.tenantId,
    // The activation rule names the authentication context, which must exist with its CA policy first.
    activationPrerequisites: [
      ...Object.values(conditionalAccess.authenticationContexts),
      ...Object.values(conditionalAccess.activationPolicies),
    ],
  });

  const monitoring = new Monitoring("monitoring", {
    monitoring: config.monitoring,
    breakglass: {
      userPrincipalNames: breakglass.userPrincipalNames,
      objectIds: breakglass.objectIds,
      groupObjectId: breakglass.groupObjectId,
    },
  });

  return { breakglass, conditionalAccess, jitGlobalAdmin, monitoring };
}
