/**
 * The policy pack's config derived from the stack config, so the pack and the program read one source of truth.
 * `npm run plan` and `npm run check` pass it over Configure; `npm run plan -- --write-policy-config FILE` writes it
 * as the JSON file for `pulumi preview --policy-pack policies --policy-pack-config FILE`. Keys not derived here take
 * the defaults of each rule's configSchema; a test holds those defaults equal to what the stack's default limits
 * derive, so a run without a config file judges by the same limits.
 *
 * Breakglass accounts are named by UPN when the domain is known from config (breakglass.domain or
 * tenant.initialDomain); otherwise by their bare local part, which the pack matches on the tenant's initial
 * `*.onmicrosoft.com` domain (see policies/lib/breakglass.ts).
 */
import type { BaselineConfig } from "./validate";
import { durationSeconds, MODEL_BOUNDS, policyNames, resolveRole, TIER0_ROLE_IDS } from "@entra-baseline/model";
import { activationMinutes, managedRoles } from "./managedRoles";

export function breakglassAccountRefs(config: BaselineConfig): string[] {
  const domain = config.breakglass.domain ?? config.tenant.initialDomain;
  return config.breakglass.accounts.map((a) => (domain ? `${a.name}@${domain}` : a.name).toLowerCase());
}

/** Each managed role's requirement, as the activation-policy rule reads it. */
function roleRequirements(config: BaselineConfig): Record<string, unknown>[] {
  return managedRoles(config.pim).map((role) => ({
    roleDefinitionId: role.roleDefinitionId,
    maxActivationMinutes: activationMinutes(
      role.tier0
        ? shortest(role.rules.maxActivationDuration, config.limits.activationDuration.max)
        : role.rules.maxActivationDuration,
    ),
    requireJustification: role.rules.requireJustification,
    requireTicket: role.rules.requireTicket,
    requireApproval: role.rules.requireApproval,
    ...(role.rules.authenticationContextId ? { authenticationContextId: role.rules.authenticationContextId } : {}),
    activationStrength: role.rules.activationStrength,
    requireNotifications: role.rules.notificationRecipients.length > 0,
  }));
}

function shortest(a: string, b: string): string {
  return (durationSeconds(a) ?? Infinity) <= (durationSeconds(b) ?? Infinity) ? a : b;
}

export function derivePackConfig(config: BaselineConfig): Record<string, Record<string, unknown>> {
  const breakglassUpns = breakglassAccountRefs(config);
  const breakglassObjectIds = config.breakglass.accounts.flatMap((a) => (a.objectId ? [a.objectId] : []));
  const breakglassGroupName = config.breakglass.groupName;
  const breakglass = { breakglassUpns, breakglassObjectIds };
  const roles = managedRoles(config.pim);
  const pimGroups = config.pim.groups.map((g) => ({
    group: g.group.toLowerCase(),
    roles: g.roles.flatMap((r) => {
      const role = resolveRole(r);
      return role ? [role.templateId] : [];
    }),
  }));
  const maxActivationMinutes = activationMinutes(config.limits.activationDuration.max);
  const tier0RoleIds = [
    ...new Set([...TIER0_ROLE_IDS, ...roles.filter((r) => r.tier0).map((r) => r.roleDefinitionId)]),
  ];
  const exceptions = config.exceptions.map((e) => ({
    principal: e.principal.toLowerCase(),
    principalType: e.principalType,
    ...(e.label ? { label: e.label } : {}),
    roles: e.roles.flatMap((r) => {
      const role = resolveRole(r);
      return role ? [role.templateId] : [];
    }),
    reason: e.reason,
    owner: e.owner,
    expires: e.expires,
  }));
  const keptPasswords = config.breakglass.accounts
    .filter((a) => a.password === "keepExisting")
    .map((a) => breakglassUpns[config.breakglass.accounts.indexOf(a)]!);
  return {
    [policyNames.noStandingTier0Assignment]: {
      ...breakglass,
      tier0RoleIds,
      exceptions,
      maxActivationMinutes,
      pimGroups,
    },
    [policyNames.eligibleAssignmentPrincipals]: { ...breakglass, breakglassGroupName },
    [policyNames.activationPolicy]: {
      roles: roleRequirements(config),
      maxActivationMinutes,
      activationStrength: config.pim.activationStrength,
      tier0RoleIds,
      pimGroups,
      ...breakglass,
      breakglassGroupName,
    },
    [policyNames.globalAdminCount]: {
      min: config.limits.globalAdmins.min,
      max: config.limits.globalAdmins.max,
      ...breakglass,
      pimGroups,
    },
    [policyNames.breakglassAccounts]: {
      breakglassUpns,
      minAccounts: MODEL_BOUNDS.minBreakglassAccounts,
      keptPasswords,
    },
    [policyNames.exclusionGroup]: {
      ...breakglass,
      breakglassGroupName,
      groupOwners: config.breakglass.groupOwners ?? [],
    },
    [policyNames.caPoliciesExcludeBreakglass]: { ...breakglass, breakglassGroupName },
    [policyNames.entraDiagnosticSetting]: { minRetentionInDays: config.limits.minRetentionInDays },
    [policyNames.breakglassTripwire]: { ...breakglass },
    [policyNames.sentinelTripwire]: { ...breakglass, required: config.monitoring.sentinel.enabled },
    [policyNames.noForeignWriters]: { ...breakglass, breakglassGroupName },
    [policyNames.fido2MethodPolicy]: {
      breakglassUpns,
      breakglassGroupName,
      profile: {
        enforceAttestation: config.breakglass.fido2.profile.enforceAttestation,
        aaguids: config.breakglass.fido2.profile.aaguids.map((a) => a.toLowerCase()),
        passkeyTypes: [...config.breakglass.fido2.profile.passkeyTypes],
      },
      tenantWide: {
        ...(config.breakglass.fido2.tenantWide.enforceAttestation !== undefined
          ? { enforceAttestation: config.breakglass.fido2.tenantWide.enforceAttestation }
          : {}),
        ...(config.breakglass.fido2.tenantWide.aaguids !== undefined
          ? { aaguids: config.breakglass.fido2.tenantWide.aaguids.map((a) => a.toLowerCase()) }
          : {}),
      },
    },
    [policyNames.advisories]: {
      activationStrength: config.pim.activationStrength,
      adminMfaStrength: config.conditionalAccess.adminMfa.strength,
      keptPasswords,
    },
  };
}
