/** Shapes of the identifiers Entra uses, shared by config validation, the policy pack and the audit. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UPN: ≤ 113 characters, ≤ 64 before the `@`, a dotted domain (docs/references.md, "Users, groups, FIDO2 and passkey profiles"). */
export const UPN =
  /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const UPN_MAX_LENGTH = 113;

export const EMAIL =
  /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Authentication context class reference ids are `c1` … `c99` (docs/references.md, "PIM for directory roles"). */
export const AUTHENTICATION_CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/;

/** FIDO2 authenticator AAGUIDs are GUIDs. */
export const AAGUID = GUID;

/** The initial, Microsoft-owned domain every tenant has; breakglass accounts must live on it. */
export const INITIAL_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.onmicrosoft\.com$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function isUpn(value: string): boolean {
  return value.length <= UPN_MAX_LENGTH && UPN.test(value);
}

export function isOnMicrosoftDomain(domainOrUpn: string): boolean {
  const domain = domainOrUpn.includes("@") ? domainOrUpn.slice(domainOrUpn.lastIndexOf("@") + 1) : domainOrUpn;
  return INITIAL_DOMAIN.test(domain);
}
