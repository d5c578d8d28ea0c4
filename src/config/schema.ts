/**
 * The stack configuration's schema: one zod schema per top-level key of the `entra-baseline:` namespace.
 * Pure (no Pulumi imports) so that the program, `npm run plan`, the policy pack config and the docs generator
 * all read the same definition. Descriptions here are the configuration reference (see `npm run docs:config`).
 *
 * The shape of each key is checked here; how keys relate to each other and to the model's bounds (a loosened limit,
 * a breakglass account made eligible, self-approval, an expired exception) is checked in validate.ts.
 */
import { z } from "zod";
import {
  AAGUID,
  PRINCIPAL_TYPES,
  ACTIVATION_STRENGTHS,
  AUTHENTICATION_CONTEXT_ID,
  CLOUD_NAMES,
  DEFAULT_LIMITS,
  DEFAULT_LOG_CATEGORIES,
  EMAIL,
  GUID,
  INITIAL_DOMAIN,
  isDuration,
  isLoopbackUrl,
  isUpn,
  LOG_CATEGORIES,
} from "@entra-baseline/model";

/** What holds the Global Administrator eligibilities (docs/pim.md, "Upgrading"). */
export const ELIGIBILITY_RESOURCES = ["request", "migrate", "schedule"] as const;

const guid = z.string().regex(GUID, "must be a GUID like 00000000-0000-0000-0000-000000000000");
const email = z.string().regex(EMAIL, "must be an email address");
const duration = (example: string) =>
  z.string().refine(isDuration, `must be an ISO 8601 duration such as "${example}"`);
const upnOrObjectId = z
  .string()
  .refine((v) => GUID.test(v) || isUpn(v), "must be a user principal name (user@domain) or an object id (GUID)");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2027-06-30")
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === d;
  }, "must be a real calendar date");
const caState = z.enum(["enabled", "disabled", "enabledForReportingButNotEnforced"], {
  error: 'must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"',
});
const strength = z.enum(ACTIVATION_STRENGTHS, {
  error: `must be one of ${ACTIVATION_STRENGTHS.map((s) => `"${s}"`).join(", ")}`,
});
const severity = z.number().int().min(0, "must be 0–4").max(4, "must be 0–4");
const contextId = z.string().regex(AUTHENTICATION_CONTEXT_ID, "must be an authentication context id c1…c99");
/** A directory role: a built-in role's display name, or a template id (built-in) / role definition id (custom). */
const roleRef = z.string().min(1, "must name a directory role (display name or template id)");
const loopbackUrl = z
  .url({ message: "must be an absolute URL" })
  .refine(
    isLoopbackUrl,
    "must be a loopback URL (127.0.0.1, localhost or [::1]), for a local emulator: tokens are only ever sent to Microsoft's hosts of tenant.cloud or to this machine",
  );

export const tenantSchema = z
  .strictObject({
    tenantId: guid.describe(
      "Directory (tenant) id of the tenant this stack governs. Required: the program, the dynamic resources and every command refuse to act on any other tenant.",
    ),
    initialDomain: z
      .string()
      .regex(INITIAL_DOMAIN, "must be the tenant's initial domain, <name>.onmicrosoft.com")
      .optional()
      .describe(
        "The tenant's initial *.onmicrosoft.com domain. Optional: looked up with azuread.getDomains(onlyInitial) when absent.",
      ),
    cloud: z
      .enum(CLOUD_NAMES as [string, ...string[]], {
        error: `must be one of ${CLOUD_NAMES.map((c) => `"${c}"`).join(", ")}`,
      })
      .default("public")
      .describe(
        "The Microsoft cloud of the tenant: public, usGovernment (GCC High), usGovernmentDoD or china (21Vianet). It sets the Graph, ARM, login and Log Analytics hosts together.",
      ),
    endpoints: z
      .strictObject({
        graph: loopbackUrl.optional(),
        arm: loopbackUrl.optional(),
        login: loopbackUrl.optional(),
        logAnalytics: loopbackUrl.optional(),
      })
      .optional()
      .describe("Loopback overrides of the cloud's hosts, for local emulators and tests only."),
  })
  .describe("The Entra ID tenant this stack governs, and its cloud.");

const approversSchema = z
  .strictObject({
    users: z.array(upnOrObjectId).default([]).describe("Approver users (UPN or object id)."),
    groups: z.array(guid).default([]).describe("Approver groups (object ids); every member can approve."),
  })
  .describe("Who approves an activation. Nobody approves their own request.");

/** Activation rules a role inherits from the top-level pim settings (or a template) and may tighten. */
const ruleOverrides = {
  maxActivationDuration: duration("PT2H")
    .optional()
    .describe("Longest an activation of this role may last (Tier-0 roles: at most limits.activationDuration.max)."),
  requireJustification: z
    .boolean()
    .optional()
    .describe("Activation requires a justification (always, for Tier-0 roles)."),
  requireTicket: z.boolean().optional().describe("Activation requires a ticket reference (always, for Tier-0 roles)."),
  approvers: approversSchema.optional(),
  activationStrength: strength
    .optional()
    .describe("Authentication strength the activation context's Conditional Access policy demands for this role."),
  authenticationContextId: contextId
    .optional()
    .describe("Authentication context this role's activation requires (one context per activation strength)."),
  notificationRecipients: z
    .array(email)
    .min(1, "must list at least one recipient (CISA MS.AAD.7.7–7.9)")
    .max(1000, "Graph allows at most 1,000 recipients per event")
    .optional()
    .describe("Emails told of every assignment and activation of this role."),
};

export const pimRoleSchema = z.strictObject({
  role: roleRef.describe(
    'The directory role: a built-in role\'s display name ("Privileged Role Administrator") or its template id.',
  ),
  eligibleUsers: z.array(upnOrObjectId).default([]).describe("Users made PIM-eligible for this role."),
  eligibleGroups: z
    .array(guid)
    .default([])
    .describe("Role-assignable groups made PIM-eligible for this role (object ids); their members count as holders."),
  template: z
    .string()
    .min(1)
    .optional()
    .describe("A pim.templates entry whose rules this role takes instead of the top-level (Tier-0) rules."),
  eligibilityDuration: duration("P365D")
    .optional()
    .describe("Make this role's eligibilities time-bound (ISO 8601, e.g. P365D); absent: eligibilities do not expire."),
  ...ruleOverrides,
});

export const pimTemplateSchema = z.strictObject({
  maxActivationDuration: duration("PT8H").describe(
    "Longest an activation may last (PIM allows 30 minutes to 24 hours).",
  ),
  requireJustification: z.boolean().default(true).describe("Activation requires a justification."),
  requireTicket: z.boolean().default(false).describe("Activation requires a ticket reference."),
  requireApproval: z.boolean().default(false).describe("Activation requires a second person's approval."),
  approvers: approversSchema.optional(),
  activationStrength: strength.default("mfa").describe("Authentication strength of the activation context's policy."),
  authenticationContextId: contextId
    .optional()
    .describe(
      "Authentication context the activation requires; absent: PIM's own MFA prompt (which does not re-prompt).",
    ),
  notificationRecipients: ruleOverrides.notificationRecipients,
});

export const pimGroupSchema = z.strictObject({
  group: guid.describe("Object id of a role-assignable group that holds managed roles (PIM for Groups)."),
  label: z.string().min(1).optional().describe("A name for people; the group is matched by its object id."),
  roles: z
    .array(roleRef)
    .min(1, "must name at least one role the group holds")
    .describe("Roles the group holds; its members reach them by activating their membership."),
  eligibleMembers: z
    .array(upnOrObjectId)
    .min(1, "must list at least one eligible member")
    .describe("Users made PIM-eligible for membership of the group (never permanent members)."),
});

export const pimSchema = z
  .strictObject({
    eligibleAdmins: z
      .array(upnOrObjectId)
      .min(1, "must list at least one eligible Global Administrator")
      .describe(
        "Users made PIM-eligible for Global Administrator: UPNs (resolved with azuread.getUser) or object ids.",
      ),
    eligibleGroups: z
      .array(guid)
      .default([])
      .describe("Role-assignable groups made PIM-eligible for Global Administrator (object ids)."),
    eligibilityJustification: z
      .string()
      .min(1, "must not be empty")
      .default("Eligible Global Administrator managed by entra-baseline")
      .describe("Justification recorded on each eligibility request."),
    eligibilityDuration: duration("P365D")
      .optional()
      .describe(
        'Make Global Administrator eligibilities time-bound (ISO 8601); absent: they do not expire. Needs eligibilityResource "schedule".',
      ),
    eligibilityResource: z
      .enum(ELIGIBILITY_RESOURCES, {
        error: `must be one of ${ELIGIBILITY_RESOURCES.map((r) => `"${r}"`).join(", ")}`,
      })
      .default("request")
      .describe(
        'What holds the Global Administrator eligibilities of pim.eligibleAdmins: "request" (azuread DirectoryRoleEligibilityScheduleRequest, as stacks deployed by 0.2 have them), "migrate" (both, the old ones retained on delete: one `pulumi up` to move a deployed stack), "schedule" (the RoleEligibility resource only; recommended for new stacks). Every other eligibility is a RoleEligibility. See docs/pim.md, "Upgrading".',
      ),
    approvers: approversSchema.describe(
      "Who approves a Tier-0 activation (every Tier-0 role unless it names its own). Nobody approves their own request.",
    ),
    maxActivationDuration: duration("PT4H")
      .default("PT4H")
      .describe("Longest a Tier-0 activation may last (at most limits.activationDuration.max; 4 hours by the model)."),
    requireJustification: z
      .boolean()
      .default(true)
      .describe("Activation requires a justification (the model requires it for Tier-0)."),
    requireTicket: z
      .boolean()
      .default(true)
      .describe("Activation requires a ticket reference (the model requires it for Tier-0)."),
    authenticationContextId: contextId
      .default("c1")
      .describe("Authentication context Tier-0 activation requires; its CA policy asks for a fresh MFA every time."),
    activationStrength: strength
      .default("mfa")
      .describe(
        'Strength of that fresh MFA: "mfa" (Authenticator, OATH tokens, FIDO2…), "passwordlessMfa", or "phishingResistant" (FIDO2, Windows Hello, certificates; recommended, CISA MS.AAD.3.6).',
      ),
    notificationRecipients: z
      .array(email)
      .min(1, "must list at least one recipient (CISA MS.AAD.7.7/7.8)")
      .max(1000, "Graph allows at most 1,000 recipients per event")
      .describe("Emails told of every eligible/active assignment and every activation of a Tier-0 role."),
    roles: z
      .array(pimRoleSchema)
      .default([])
      .describe(
        "Directory roles besides Global Administrator made just-in-time, each with its eligible users and groups.",
      ),
    templates: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,40}$/, "must be a template name (letters, digits, '-')"),
        pimTemplateSchema,
      )
      .default({})
      .describe("Named activation rules for roles outside Tier-0 (pim.roles[].template)."),
    groups: z
      .array(pimGroupSchema)
      .default([])
      .describe("PIM for Groups: role-assignable groups holding managed roles, with their eligible members."),
  })
  .describe("Just-in-time privileged roles: PIM eligibility and each role's activation policy.");

export const exceptionSchema = z.strictObject({
  principal: guid.describe("Object id of the principal (user or service principal) that holds the roles standing."),
  principalType: z
    .enum(PRINCIPAL_TYPES, { error: 'must be "user", "servicePrincipal" or "group"' })
    .describe("What the principal is; every enforcer checks the live principal is of this type."),
  label: z.string().min(1).optional().describe("A name for people (the principal is matched by object id only)."),
  roles: z
    .array(roleRef)
    .min(1, "must name at least one role")
    .describe("Roles it may hold standing (names or template ids)."),
  reason: z.string().min(10, "must say why (at least 10 characters)").describe("Why it must hold them standing."),
  owner: z
    .string()
    .min(3, "must name an owner")
    .describe("Who answers for the exception (a person or team, e.g. an email)."),
  expires: isoDate.describe("Last day the exception holds (YYYY-MM-DD, UTC); afterwards it is a finding."),
});

export const exceptionsSchema = z
  .array(exceptionSchema)
  .default([])
  .describe(
    "Principals that must hold a Tier-0 role standing (the directory sync account, the deploying identity), each with a reason, an owner and an expiry. Every enforcer honours the same list.",
  );

export const breakglassAccountSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      "must be a mail nickname: letters, digits, '.', '_' or '-', at most 64 characters",
    )
    .describe("Local part of the UPN (the domain is breakglass.domain)."),
  displayName: z.string().min(1).optional().describe("Display name; defaults to 'Emergency access <name>'."),
  objectId: guid
    .optional()
    .describe("Object id of an existing emergency account this stack adopts (npm run adopt writes it)."),
  password: z
    .enum(["generate", "keepExisting"], { error: 'must be "generate" or "keepExisting"' })
    .optional()
    .describe(
      "generate: a 256-character random password kept as a Pulumi secret; keepExisting (the default for an adopted account): the current password stays, and the password rule is reported as unverifiable.",
    ),
});

const passkeyTypes = z.array(z.enum(["deviceBound", "synced"], { error: 'must be "deviceBound" or "synced"' }));

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
    groupOwners: z
      .array(guid)
      .min(1, "must list at least one owner; leave it out to make the emergency accounts the owners")
      .optional()
      .describe(
        "Owners of the exclusion group (object ids). Default: the emergency accounts themselves; the deploying identity is never an owner (an owner can add anyone, exempting them from every CA policy).",
      ),
    usageLocation: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code")
      .optional()
      .describe("Usage location of the accounts (two-letter country code)."),
    fido2: z
      .strictObject({
        profile: z
          .strictObject({
            name: z.string().min(1).max(64).default("Emergency access keys").describe("Display name of the profile."),
            enforceAttestation: z.boolean().default(true).describe("Only attested keys may be registered."),
            aaguids: z
              .array(z.string().regex(AAGUID, "must be an AAGUID (GUID)"))
              .default([])
              .describe("If not empty, only these authenticator models (AAGUIDs) may be registered."),
            passkeyTypes: passkeyTypes
              .min(1)
              .default(["deviceBound"])
              .describe("Passkey types allowed (hardware keys: deviceBound)."),
          })
          .default({
            name: "Emergency access keys",
            enforceAttestation: true,
            aaguids: [],
            passkeyTypes: ["deviceBound"],
          })
          .describe(
            "Tenants with passkey profiles: the emergency group gets this profile of its own; nobody else's settings change.",
          ),
        tenantWide: z
          .strictObject({
            enforceAttestation: z
              .boolean()
              .optional()
              .describe("TENANT-WIDE: attestation for every FIDO2 user; absent: left as the tenant has it."),
            aaguids: z
              .array(z.string().regex(AAGUID, "must be an AAGUID (GUID)"))
              .optional()
              .describe("TENANT-WIDE: the only models any FIDO2 user may register; absent: left as the tenant has it."),
            acknowledgeRestrictsEveryone: z
              .boolean()
              .default(false)
              .describe(
                "Must be true to narrow the tenant-wide settings, which apply to every FIDO2 user of the tenant.",
              ),
          })
          .default({ acknowledgeRestrictsEveryone: false })
          .describe(
            "Tenants still on the legacy tenant-wide FIDO2 settings (no passkey profiles): what this stack may change for EVERY user. The tenant is never migrated to passkey profiles implicitly.",
          ),
      })
      .default({
        profile: {
          name: "Emergency access keys",
          enforceAttestation: true,
          aaguids: [],
          passkeyTypes: ["deviceBound"],
        },
        tenantWide: { acknowledgeRestrictsEveryone: false },
      })
      .describe("The FIDO2 / passkey method policy as far as the emergency accounts need it."),
  })
  .default({
    count: 2,
    namePrefix: "breakglass",
    groupName: "Emergency access accounts",
    fido2: {
      profile: { name: "Emergency access keys", enforceAttestation: true, aaguids: [], passkeyTypes: ["deviceBound"] },
      tenantWide: { acknowledgeRestrictsEveryone: false },
    },
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
    adoptAuthenticationContext: z
      .boolean()
      .default(false)
      .describe(
        "Take over an authentication context id that already exists with another name or is used by other CA policies. Off: the deployment stops and names them.",
      ),
    adminMfa: z
      .strictObject({
        state: caState.default("enabledForReportingButNotEnforced"),
        strength: strength
          .default("mfa")
          .describe(
            'Strength Tier-0 admins must sign in with; "phishingResistant" meets CISA MS.AAD.3.6 and needs every admin to have a FIDO2 key, Windows Hello or a certificate.',
          ),
      })
      .default({ state: "enabledForReportingButNotEnforced", strength: "mfa" })
      .describe("MFA of the configured strength for the Tier-0 admin roles (CISA MS.AAD.3.6 at phishingResistant)."),
    blockLegacyAuthentication: caPolicySetting
      .default(caDefaultSetting)
      .describe("Block legacy authentication (CISA MS.AAD.1.1)."),
    mfaAllUsers: caPolicySetting.default(caDefaultSetting).describe("MFA for all users (CISA MS.AAD.3.2)."),
  })
  .default({
    activationPolicyState: "enabled",
    adoptAuthenticationContext: false,
    adminMfa: { state: "enabledForReportingButNotEnforced", strength: "mfa" },
    blockLegacyAuthentication: caDefaultSetting,
    mfaAllUsers: caDefaultSetting,
  })
  .describe("Conditional Access baseline. New policies start report-only (enabledForReportingButNotEnforced).");

const secretUrl = z.url({ protocol: /^https$/, message: "must be an https URL" });

export const monitoringSchema = z
  .strictObject({
    resourceGroupName: z
      .string()
      .regex(/^[-\w._()]{1,90}$/, "must be an Azure resource group name")
      .default("rg-entra-baseline")
      .describe("Resource group of the workspace, action group, alert rules and workbook."),
    existingResourceGroup: z
      .boolean()
      .default(false)
      .describe(
        "resourceGroupName names a group that already exists: it is used, never declared or deleted by this stack.",
      ),
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
          .array(secretUrl)
          .default([])
          .describe("Webhook receivers (https) that take Azure Monitor's common alert schema (not Teams or Slack)."),
        teams: z
          .array(secretUrl)
          .default([])
          .describe("Teams Workflows webhook URLs: alerts are posted as Adaptive Cards through a Logic App."),
        slack: z
          .array(secretUrl)
          .default([])
          .describe("Slack incoming webhook URLs: alerts are posted as Slack messages through a Logic App."),
      })
      .describe("Who is told when an alert fires. At least one receiver."),
    severities: z
      .strictObject({
        breakglassSignIn: severity.default(0).describe("Must stay 0 (critical): the model's bound for the tripwire."),
        breakglassNonInteractiveSignIn: severity
          .default(0)
          .describe("Must stay 0 (critical): the model's bound for the tripwire."),
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
      .describe("Alert severities (0 = critical). The tripwires stay 0."),
    routineJitUse: z
      .strictObject({
        minActiveDays: z
          .number()
          .int()
          .min(1, "must be 1–7")
          .max(7, "must be 1–7")
          .default(4)
          .describe(
            "Routine use of JIT: activating a Tier-0 role on this many of the last 7 days is flagged by the weekly review; the daily alert, limited by Azure to a 2-day lookback, fires on min(minActiveDays, 2) consecutive days.",
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
          .describe("Regular expression a ticket reference must match."),
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
    sentinel: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe(
            "Onboard the workspace to Microsoft Sentinel and deploy the alerts there too (NRT tripwires, scheduled rules, a watchlist of the emergency accounts, the runbook on every incident); the Azure Monitor alerts stay (docs/monitoring.md).",
          ),
        runbookUrl: z
          .url({ message: "must be an absolute URL" })
          .optional()
          .describe("Runbook link added to every Sentinel incident (default: docs/operations.md in the repository)."),
        nearRealTime: z
          .boolean()
          .default(true)
          .describe(
            "The tripwires as near-real-time rules: every minute over the records ingested in the minute before, on a 2-minute delay (written over the Sentinel ARM API's preview version 2024-10-01-preview; Learn allows 50 NRT rules per customer). false: scheduled rules every 5 minutes.",
          ),
        onboard: z
          .boolean()
          .default(true)
          .describe(
            "Onboard the workspace to Sentinel (retained on delete: disabling Sentinel never offboards it). false when the workspace is onboarded already, e.g. the SOC's existing workspace.",
          ),
        playbooks: z
          .array(
            z
              .string()
              .regex(
                /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Logic\/workflows\/[^/]+$/i,
                "must be a Logic App resource id /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Logic/workflows/<name>",
              ),
          )
          .default([])
          .describe(
            "Playbooks (Logic Apps with the Sentinel incident trigger) an automation rule runs on every incident of these rules: Sentinel notifies through incidents and automation, not action groups.",
          ),
      })
      .default({ enabled: false, nearRealTime: true, onboard: true, playbooks: [] })
      .describe("Microsoft Sentinel, in addition to the Azure Monitor alerts (which stay the guarantee)."),
    remediation: z
      .strictObject({
        caExclusions: z
          .boolean()
          .default(false)
          .describe(
            "The scheduled pipeline adds the exclusion group to CA policies that lack it, after the drift audit.",
          ),
      })
      .default({ caExclusions: false })
      .describe("Write steps the scheduled pipeline may run with the write identity."),
  })
  .describe("Audit integrity: log streaming, the breakglass tripwire, alerts and the weekly PIM review.");

export const limitsSchema = z
  .strictObject({
    activationDuration: z
      .strictObject({ max: duration("PT4H").default(DEFAULT_LIMITS.activationDuration.max) })
      .default({ ...DEFAULT_LIMITS.activationDuration })
      .describe("Longest allowed Tier-0 activation (the model's bound is 4 hours; a stack may only shorten it)."),
    globalAdmins: z
      .strictObject({
        min: z.number().int().default(DEFAULT_LIMITS.globalAdmins.min),
        max: z.number().int().default(DEFAULT_LIMITS.globalAdmins.max),
      })
      .default({ ...DEFAULT_LIMITS.globalAdmins })
      .describe("Allowed number of Global Administrator holders, eligible + permanent (CISA MS.AAD.7.1: within 2–8)."),
    minRetentionInDays: z
      .number()
      .int()
      .default(DEFAULT_LIMITS.minRetentionInDays)
      .describe("Minimum retention of the sign-in and audit logs (days; the model's bound is 90)."),
  })
  .default({
    activationDuration: { ...DEFAULT_LIMITS.activationDuration },
    globalAdmins: { ...DEFAULT_LIMITS.globalAdmins },
    minRetentionInDays: DEFAULT_LIMITS.minRetentionInDays,
  })
  .describe(
    "Guardrails shared by config validation, the policy pack and the audit. They may only tighten the model's bounds.",
  );

/** Top-level config keys of the `entra-baseline:` namespace. */
export const configSchemas = {
  tenant: tenantSchema,
  pim: pimSchema,
  exceptions: exceptionsSchema,
  breakglass: breakglassSchema,
  conditionalAccess: conditionalAccessSchema,
  monitoring: monitoringSchema,
  limits: limitsSchema,
} as const;

export type ConfigKey = keyof typeof configSchemas;
export const CONFIG_KEYS = Object.keys(configSchemas) as ConfigKey[];
/** Keys a stack must set; the others have defaults. */
export const REQUIRED_CONFIG_KEYS: readonly ConfigKey[] = ["tenant", "pim", "monitoring"];

export type TenantConfig = z.output<typeof tenantSchema>;
export type PimConfig = z.output<typeof pimSchema>;
export type PimRoleConfig = z.output<typeof pimRoleSchema>;
export type PimTemplateConfig = z.output<typeof pimTemplateSchema>;
export type PimGroupConfig = z.output<typeof pimGroupSchema>;
export type ExceptionConfig = z.output<typeof exceptionSchema>;
export type BreakglassConfig = z.output<typeof breakglassSchema>;
export type BreakglassAccountConfig = z.output<typeof breakglassAccountSchema>;
export type ConditionalAccessConfig = z.output<typeof conditionalAccessSchema>;
export type MonitoringConfig = z.output<typeof monitoringSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type CaPolicyState = z.output<typeof caState>;
