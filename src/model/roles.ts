import { BUILT_IN_ROLES } from "./builtInRoles";

/**
 * Well-known directory role template ids (identical in every tenant).
 * Source: docs/references.md, "Role assignments, eligibilities, schedules". Template ids, not per-tenant role object ids.
 */
export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
export const PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";
export const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
export const SECURITY_ADMINISTRATOR = "194ae4cb-b126-40b2-bd5b-6091b380977d";
export const CONDITIONAL_ACCESS_ADMINISTRATOR = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
export const AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
export const AUTHENTICATION_POLICY_ADMINISTRATOR = "0526716b-113d-4c15-b2c8-68e3c22b9f80";
export const APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
export const CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7";
export const HYBRID_IDENTITY_ADMINISTRATOR = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2";
export const DOMAIN_NAME_ADMINISTRATOR = "8329153b-31d0-4727-b945-745eb3bc5f31";
export const EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR = "be2f45a1-457d-42af-a067-6ec1fa63bc45";
export const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const INTUNE_ADMINISTRATOR = "3a2c62db-5318-420d-8d74-23affee5d9d5";
export const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
export const DIRECTORY_SYNCHRONIZATION_ACCOUNTS = "d29b2b05-8046-44ba-8758-1e26182fcf32";
export const PARTNER_TIER2_SUPPORT = "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8";

/**
 * Tier-0: roles that can take over the tenant (directly, or by granting themselves a role that can).
 * Nobody but the breakglass accounts may hold any of them standing (CISA MS.AAD.7.4).
 */
export const TIER0_ROLES: Readonly<Record<string, string>> = {
  [GLOBAL_ADMINISTRATOR]: "Global Administrator",
  [PRIVILEGED_ROLE_ADMINISTRATOR]: "Privileged Role Administrator",
  [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR]: "Privileged Authentication Administrator",
  [SECURITY_ADMINISTRATOR]: "Security Administrator",
  [CONDITIONAL_ACCESS_ADMINISTRATOR]: "Conditional Access Administrator",
  [AUTHENTICATION_ADMINISTRATOR]: "Authentication Administrator",
  [AUTHENTICATION_POLICY_ADMINISTRATOR]: "Authentication Policy Administrator",
  [APPLICATION_ADMINISTRATOR]: "Application Administrator",
  [CLOUD_APPLICATION_ADMINISTRATOR]: "Cloud Application Administrator",
  [HYBRID_IDENTITY_ADMINISTRATOR]: "Hybrid Identity Administrator",
  [DOMAIN_NAME_ADMINISTRATOR]: "Domain Name Administrator",
  [EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR]: "External Identity Provider Administrator",
  [USER_ADMINISTRATOR]: "User Administrator",
  [INTUNE_ADMINISTRATOR]: "Intune Administrator",
  [EXCHANGE_ADMINISTRATOR]: "Exchange Administrator",
  [DIRECTORY_SYNCHRONIZATION_ACCOUNTS]: "Directory Synchronization Accounts",
  [PARTNER_TIER2_SUPPORT]: "Partner Tier2 Support",
};

export const TIER0_ROLE_IDS: readonly string[] = Object.keys(TIER0_ROLES);

export function isTier0Role(roleTemplateId: string): boolean {
  return Object.prototype.hasOwnProperty.call(TIER0_ROLES, roleTemplateId.toLowerCase());
}

export function roleName(roleTemplateId: string): string {
  const id = roleTemplateId.trim().toLowerCase();
  return TIER0_ROLES[id] ?? BUILT_IN_ROLES.find((r) => r.templateId === id)?.name ?? roleTemplateId;
}

const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RoleRef {
  /** Template id of a built-in role (the same in every tenant), or a custom role's definition id; lower-case. */
  templateId: string;
  /** Display name for messages: the built-in name, else the id. */
  name: string;
  tier0: boolean;
}

/**
 * A role named in config: a built-in role's display name (case-insensitive) or any template / role definition id.
 * Undefined for a name that is no built-in role.
 */
export function resolveRole(ref: string): RoleRef | undefined {
  const trimmed = ref.trim();
  if (GUID_SHAPE.test(trimmed)) {
    const id = trimmed.toLowerCase();
    return { templateId: id, name: roleName(id), tier0: isTier0Role(id) };
  }
  const wanted = trimmed.toLowerCase();
  const found = BUILT_IN_ROLES.find((r) => r.name.toLowerCase() === wanted);
  return found ? { templateId: found.templateId, name: found.name, tier0: isTier0Role(found.templateId) } : undefined;
}

/** The built-in role display names config accepts. */
export function knownRoleNames(): string[] {
  return BUILT_IN_ROLES.map((r) => r.name);
}
