/**
 * Entra diagnostic-setting log categories and the Log Analytics table each lands in (docs/references.md, "Azure Resource Manager").
 * The keys are the only category names the aadiam API accepts; anything else is a config error.
 */
export const LOG_CATEGORY_TABLES = {
  AuditLogs: "AuditLogs",
  SignInLogs: "SigninLogs",
  NonInteractiveUserSignInLogs: "AADNonInteractiveUserSignInLogs",
  ServicePrincipalSignInLogs: "AADServicePrincipalSignInLogs",
  ManagedIdentitySignInLogs: "AADManagedIdentitySignInLogs",
  ProvisioningLogs: "AADProvisioningLogs",
  ADFSSignInLogs: "ADFSSignInLogs",
  RiskyUsers: "AADRiskyUsers",
  UserRiskEvents: "AADUserRiskEvents",
  RiskyServicePrincipals: "AADRiskyServicePrincipals",
  ServicePrincipalRiskEvents: "AADServicePrincipalRiskEvents",
  MicrosoftGraphActivityLogs: "MicrosoftGraphActivityLogs",
} as const;

export type LogCategory = keyof typeof LOG_CATEGORY_TABLES;
export const LOG_CATEGORIES = Object.keys(LOG_CATEGORY_TABLES) as LogCategory[];

/** What the tripwire and the weekly review read: without these, the model is blind (CISA MS.AAD.4.1). */
export const REQUIRED_LOG_CATEGORIES: readonly LogCategory[] = [
  "AuditLogs",
  "SignInLogs",
  "NonInteractiveUserSignInLogs",
];

/** Streamed by default: the CISA MS.AAD.4.1 list plus managed-identity and provisioning logs. */
export const DEFAULT_LOG_CATEGORIES: readonly LogCategory[] = [
  "AuditLogs",
  "SignInLogs",
  "NonInteractiveUserSignInLogs",
  "ServicePrincipalSignInLogs",
  "ManagedIdentitySignInLogs",
  "ProvisioningLogs",
  "RiskyUsers",
  "UserRiskEvents",
];
