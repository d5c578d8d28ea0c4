/**
 * The stack configuration's schema: one zod schema per top-level key of the `entra-baseline:` namespace.
 * Pure (no Pulumi imports) so that the program, `npm run plan`, the policy pack config and the docs generator
 * all read the same definition. Descriptions here are the configuration reference (see `npm run docs:config`).
 */
import { z } from "zod";
import {
  AAGUID,
  AUTHENTICATION_CONTEXT_ID,
  DEFAULT_LOG_CATEGORIES,
  EMAIL,
  GUID,
  INITIAL_DOMAIN,
  isDuration,
  isUpn,
  LOG_CATEGORIES,
} from "@entra-baseline/model";

const guid = z.string().regex(GUID, "must be a GUID like 00000000-0000-0000-0000-000000000000");
const email = z.string().regex(EMAIL, "must be an email address");
const duration = (example: string) =>
  z.string().refine(isDuration, `must be an ISO 8601 duration such as "${example}"`);
const upnOrObjectId = z
  .string()
  .refine((v) => GUID.test(v) || isUpn(v), "must be a user principal name (user@domain) or an object id (GUID)");
const caState = z.enum(["enabled", "disabled", "enabledForReportingButNotEnforced"], {
  error: 'must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"',
});
const severity = z.number().int().min(0, "must be 0–4").max(4, "must be 0–4");

export const tenantSchema = z
  .strictObject({
    tenantId: guid
      .optional()
      .describe("Directory (tenant) id. Optional: taken from the provider's client config when absent."),
    initialDomain: z
      .string()
      .regex(INITIAL_DOMAIN, "must be the tenant's initial domain, <name>.onmicrosoft.com")
      .optional()
      .describe(
        "The tenant's initial *.onmicrosoft.com domain. Optional: looked up with azuread.getDomains(onlyInitial) when absent.",
      ),
  })
  .describe("The Entra ID tenant this stack governs.");

export const graphSchema = z
  .strictObject({
    endpoint: z
      .url({ message: "must be an absolute URL such as https://graph.microsoft.com" })
      .default("https://graph.microsoft.com")
      .describe(
        "Microsoft Graph base URL (national clouds: https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn).",
      ),
  })
  .default({ endpoint: "https://graph.microsoft.com" })
  .describe("How the Graph-backed dynamic resources and the audit reach Microsoft Graph.");

export const pimSchema = z
  .strictObject({
    eligibleAdmins: z
      .array(upnOrObjectId)
      .min(1, "must list at least one eligible Global Administrator")
      .describe(
        "Users made PIM-eligible for Global Administrator: UPNs (resolved with azuread.getUser) or object ids.",
      ),
    eligibilityJustification: z
      .string()
      .min(1, "must not be empty")
      .default("Eligible Global Administrator managed by entra-baseline")
      .describe("Justification recorded on each eligibility request."),
    approvers: z
      .strictObject({
        users: z.array(upnOrObjectId).default([]).describe("Approver users (UPN or object id)."),
        groups: z.array(guid).default([]).describe("Approver groups (object ids); every member can approve."),
      })
      .describe("Who approves a Global Administrator activation. Nobody approves their own request."),
    maxActivationDuration: duration("PT4H")
      .default("PT4H")
      .describe("Longest a Global Administrator activation may last (within limits.activationDuration)."),
    requireJustification: z.boolean().default(true).describe("Activation requires a justification."),
    requireTicket: z.boolean().default(true).describe("Activation requires a ticket reference."),
    authenticationContextId: z
      .string()
      .regex(AUTHENTICATION_CONTEXT_ID, "must be an authentication context id c1…c99")
      .default("c1")
      .describe("Authentication context required on activation; its CA policy forces a fresh phishing-resistant MFA."),
    notificationRecipients: z
      .array(email)
      .min(1, "must list at least one recipient (CISA MS.AAD.7.7/7.8)")
      .max(1000, "Graph allows at most 1,000 recipients per event")
      .describe("Emails told of every eligible/active assignment and every activation of Global Administrator."),
  })
  .describe("Just-in-time Global Administrator: PIM eligibility and the activation policy.");

export const breakglassAccountSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      "must be a mail nickname: letters, digits, '.', '_' or '-', at most 64 characters",
    )
    .describe("Local part of the UPN (the domain is breakglass.domain)."),
  displayName: z.string().min(1).optional().describe("Display name; defaults to 'Emergency access <name>'."),
});

export const breakglassSchema = z
  .strictObject({
    count: z
      .number()
      .int()
      .min(2, "must be at least 2 (Microsoft guidance, ZTA 21835)")
      .max(10, "must be at most 10")
      .default(2)
      .describe("Number of emergency accounts when `accounts` is not given."),
    namePrefix: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,60}$/, "must be a mail nickname prefix")
      .default("breakglass")
      .describe("Accounts are named <namePrefix>-01, -02, … when `accounts` is not given."),
    accounts: z
      .array(breakglassAccountSchema)
      .min(2, "must list at least 2 emergency accounts (Microsoft guidance, ZTA 21835)")
      .optional()
      .describe("Explicit emergency accounts; overrides count/namePrefix."),
    domain: z
      .string()
      .regex(
        INITIAL_DOMAIN,
        "must be the tenant's initial *.onmicrosoft.com domain (emergency accounts must not depend on a federated or custom domain)",
      )
      .optional()
      .describe(
        "Domain of the emergency accounts. Defaults to tenant.initialDomain, else azuread.getDomains(onlyInitial).",
      ),
    groupName: z
      .string()
      .min(1)
      .default("Emergency access accounts")
      .describe("Display name of the role-assignable group excluded from every Conditional Access policy."),
    usageLocation: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code")
      .optional()
      .describe("Usage location of the accounts (two-letter country code)."),
    fido2: z
      .strictObject({
        enforceAttestation: z.boolean().default(true).describe("Only attested FIDO2 keys may be registered."),
        aaguids: z
          .array(z.string().regex(AAGUID, "must be an AAGUID (GUID)"))
          .default([])
          .describe("If not empty, only these authenticator models (AAGUIDs) may be registered."),
      })
      .default({ enforceAttestation: true, aaguids: [] })
      .describe("The FIDO2 authentication-method policy for the emergency accounts."),
  })
  .default({
    count: 2,
    namePrefix: "breakglass",
    groupName: "Emergency access accounts",
    fido2: { enforceAttestation: true, aaguids: [] },
  })
  .describe("Emergency (breakglass) accounts: permanent Global Administrator, excluded from every CA policy.");

const caPolicySetting = z.strictObject({ state: caState.default("enabledForReportingButNotEnforced") });
const caDefaultSetting = { state: "enabledForReportingButNotEnforced" as const };

export const conditionalAccessSchema = z
  .strictObject({
    activationPolicyState: caState
      .default("enabled")
      .describe(
        "State of the CA policy on the activation authentication context (enforced by default: PIM depends on it).",
      ),
    adminPhishingResistantMfa: caPolicySetting
      .default(caDefaultSetting)
      .describe("Phishing-resistant MFA for the Tier-0 admin roles (CISA MS.AAD.3.6)."),
    blockLegacyAuthentication: caPolicySetting
      .default(caDefaultSetting)
      .describe("Block legacy authentication (CISA MS.AAD.1.1)."),
    mfaAllUsers: caPolicySetting.default(caDefaultSetting).describe("MFA for all users (CISA MS.AAD.3.2)."),
  })
  .default({
    activationPolicyState: "enabled",
    adminPhishingResistantMfa: caDefaultSetting,
    blockLegacyAuthentication: caDefaultSetting,
    mfaAllUsers: caDefaultSetting,
  })
  .describe("Conditional Access baseline. New policies start report-only (enabledForReportingButNotEnforced).");

export const monitoringSchema = z
  .strictObject({
    resourceGroupName: z
      .string()
      .regex(/^[-\w._()]{1,90}$/, "must be an Azure resource group name")
      .default("rg-entra-baseline")
      .describe("Resource group of the workspace, action group, alert rules and workbook (created if absent)."),
    location: z
      .string()
      .regex(/^[a-z0-9]+$/, "must be an Azure region name such as westeurope")
      .default("westeurope")
      .describe("Azure region of the monitoring resources."),
    workspaceName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, "must be 4–63 letters, digits or '-'")
      .default("law-entra-baseline")
      .describe("Name of the Log Analytics workspace created when existingWorkspaceId is not set."),
    existingWorkspaceId: z
      .string()
      .regex(
        /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i,
        "must be a workspace resource id /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>",
      )
      .optional()
      .describe("Use this existing workspace instead of creating one."),
    retentionInDays: z
      .number()
      .int()
      .min(30, "must be 30–730")
      .max(730, "must be 30–730")
      .default(90)
      .describe("Workspace retention (days); at least limits.minRetentionInDays."),
    diagnosticSettingName: z
      .string()
      .min(1)
      .default("entra-baseline")
      .describe("Name of the Entra diagnostic setting."),
    logCategories: z
      .array(z.enum(LOG_CATEGORIES as [string, ...string[]], { error: `must be one of ${LOG_CATEGORIES.join(", ")}` }))
      .default([...DEFAULT_LOG_CATEGORIES])
      .describe("Entra log categories streamed to the workspace."),
    actionGroup: z
      .strictObject({
        name: z.string().min(1).default("ag-entra-baseline"),
        shortName: z.string().min(1).max(12, "must be at most 12 characters (Azure limit)").default("entrabase"),
        emails: z.array(email).default([]).describe("Email receivers."),
        sms: z
          .array(
            z.strictObject({
              countryCode: z.string().regex(/^\d{1,3}$/, "must be 1–3 digits"),
              phoneNumber: z.string().regex(/^\d{4,15}$/, "must be 4–15 digits"),
            }),
          )
          .default([])
          .describe("SMS receivers."),
        webhooks: z
          .array(z.url({ protocol: /^https$/, message: "must be an https URL" }))
          .default([])
          .describe("Webhook receivers (https)."),
      })
      .describe("Who is told when an alert fires. At least one receiver."),
    severities: z
      .strictObject({
        breakglassSignIn: severity.default(0),
        breakglassNonInteractiveSignIn: severity.default(0),
        breakglassAccountChanged: severity.default(1),
        roleAssignedOutsidePim: severity.default(1),
        routineJitUse: severity.default(3),
      })
      .default({
        breakglassSignIn: 0,
        breakglassNonInteractiveSignIn: 0,
        breakglassAccountChanged: 1,
        roleAssignedOutsidePim: 1,
        routineJitUse: 3,
      })
      .describe("Alert severities (0 = critical). The tripwires must stay 0."),
    routineJitUse: z
      .strictObject({
        minActiveDays: z
          .number()
          .int()
          .min(1, "must be 1–7")
          .max(7, "must be 1–7")
          .default(4)
          .describe(
            "Routine use of JIT: activating Global Administrator on this many of the last 7 days is flagged by the weekly review; the daily alert, limited by Azure to a 2-day lookback, fires on min(minActiveDays, 2) consecutive days.",
          ),
        ticketPattern: z
          .string()
          .refine((p) => {
            try {
              new RegExp(p);
              return true;
            } catch {
              return false;
            }
          }, "must be a valid regular expression")
          .default("[A-Z][A-Z0-9]+-[0-9]+")
          .describe("Regular expression a ticket reference in the justification must match."),
      })
      .default({ minActiveDays: 4, ticketPattern: "[A-Z][A-Z0-9]+-[0-9]+" }),
    workingHours: z
      .strictObject({
        start: z.number().int().min(0).max(23).default(8),
        end: z.number().int().min(1).max(24).default(18),
        utcOffsetHours: z.number().min(-12).max(14).default(0),
      })
      .default({ start: 8, end: 18, utcOffsetHours: 0 })
      .describe("Working hours used by the weekly PIM review to flag out-of-hours activations."),
  })
  .describe("Audit integrity: log streaming, the breakglass tripwire, alerts and the weekly PIM review.");

export const limitsSchema = z
  .strictObject({
    activationDuration: z
      .strictObject({ min: duration("PT2H").default("PT2H"), max: duration("PT4H").default("PT4H") })
      .default({ min: "PT2H", max: "PT4H" })
      .describe("Allowed range of pim.maxActivationDuration."),
    globalAdmins: z
      .strictObject({ min: z.number().int().min(1).default(2), max: z.number().int().min(1).default(8) })
      .default({ min: 2, max: 8 })
      .describe("Allowed number of Global Administrator holders, eligible + permanent (CISA MS.AAD.7.1)."),
    minRetentionInDays: z.number().int().min(30).default(90).describe("Minimum workspace retention (days)."),
    tripwireMaxEvaluationFrequency: duration("PT5M")
      .default("PT5M")
      .describe("Slowest allowed tripwire evaluation frequency."),
  })
  .default({
    activationDuration: { min: "PT2H", max: "PT4H" },
    globalAdmins: { min: 2, max: 8 },
    minRetentionInDays: 90,
    tripwireMaxEvaluationFrequency: "PT5M",
  })
  .describe("Guardrails shared by config validation, the policy pack and the audit.");

/** Top-level config keys of the `entra-baseline:` namespace. */
export const configSchemas = {
  tenant: tenantSchema.default({}),
  graph: graphSchema,
  pim: pimSchema,
  breakglass: breakglassSchema,
  conditionalAccess: conditionalAccessSchema,
  monitoring: monitoringSchema,
  limits: limitsSchema,
} as const;

export type ConfigKey = keyof typeof configSchemas;
export const CONFIG_KEYS = Object.keys(configSchemas) as ConfigKey[];
/** Keys a stack must set; the others have defaults. */
export const REQUIRED_CONFIG_KEYS: readonly ConfigKey[] = ["pim", "monitoring"];

export type TenantConfig = z.output<typeof tenantSchema>;
export type GraphConfig = z.output<typeof graphSchema>;
export type PimConfig = z.output<typeof pimSchema>;
export type BreakglassConfig = z.output<typeof breakglassSchema>;
export type ConditionalAccessConfig = z.output<typeof conditionalAccessSchema>;
export type MonitoringConfig = z.output<typeof monitoringSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type CaPolicyState = z.output<typeof caState>;
