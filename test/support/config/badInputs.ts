/**
 * The one table of bad stack input: each case mutates the valid test stack's config (test/support/stack.ts) and names the
 * message (key path, quoted value, what is expected) that validation must give. test/config/config.test.ts runs it
 * through validateConfig; test/config/entryPoint.test.ts runs it through the Pulumi entry point under mocks and
 * checks that nothing was declared.
 */
export type Mutation = (c: Record<string, any>) => void;
export type BadInput = [name: string, mutate: Mutation, expected: RegExp];

const explicitAccounts = (c: Record<string, any>, accounts: { name: string; displayName?: string }[], count?: number) =>
  (c.breakglass = { ...c.breakglass, count, accounts });

export const BAD_INPUTS: BadInput[] = [
  // PIM: activation duration.
  [
    "activation longer than the limit",
    (c) => (c.pim.maxActivationDuration = "PT9H"),
    /^pim\.maxActivationDuration: "PT9H" is longer than the allowed 4 hours/,
  ],
  [
    "activation shorter than PIM accepts",
    (c) => (c.pim.maxActivationDuration = "PT10M"),
    /^pim\.maxActivationDuration: "PT10M" is shorter than PIM accepts \(30 minutes\)/,
  ],
  [
    "activation longer than a tightened limit",
    (c) => {
      c.limits.activationDuration = { max: "PT2H" };
      c.pim.maxActivationDuration = "PT3H";
    },
    /^pim\.maxActivationDuration: "PT3H" is longer than the allowed 2 hours \(limits\.activationDuration\.max\)/,
  ],
  [
    "activation not ISO 8601",
    (c) => (c.pim.maxActivationDuration = "4 hours"),
    /^pim\.maxActivationDuration: "4 hours" must be an ISO 8601 duration/,
  ],
  // PIM: eligible admins.
  [
    "no eligible admin",
    (c) => (c.pim.eligibleAdmins = []),
    /^pim\.eligibleAdmins: \[\] must list at least one eligible Global Administrator/,
  ],
  [
    "malformed UPN",
    (c) => (c.pim.eligibleAdmins[1] = "megan.bowen"),
    /^pim\.eligibleAdmins\[1\]: "megan\.bowen" must be a user principal name/,
  ],
  [
    "malformed object id",
    (c) => (c.pim.eligibleAdmins[0] = "1234-abcd"),
    /^pim\.eligibleAdmins\[0\]: "1234-abcd" must be a user principal name .* or an object id/,
  ],
  [
    "admin listed twice",
    (c) => c.pim.eligibleAdmins.push("Megan.Bowen@contoso.com"),
    /^pim\.eligibleAdmins\[3\]: "Megan\.Bowen@contoso\.com" is listed twice \(also at \[1\]\)/,
  ],
  [
    "too many Global Administrators",
    (c) => c.pim.eligibleAdmins.push("a@contoso.com", "b@contoso.com", "c@contoso.com", "d@contoso.com"),
    /^pim\.eligibleAdmins: 7 eligible \+ 2 breakglass = 9 Global Administrators; CISA MS\.AAD\.7\.1 allows 2–8/,
  ],
  // Breakglass accounts are never PIM-eligible (nor approvers): they hold permanent GA outside PIM.
  [
    "a breakglass account made eligible",
    (c) => c.pim.eligibleAdmins.push("breakglass-01@contoso.onmicrosoft.com"),
    /^pim\.eligibleAdmins\[3\]: "breakglass-01@contoso\.onmicrosoft\.com" is breakglass account "breakglass-01": emergency accounts hold permanent Global Administrator and must never be PIM-eligible/,
  ],
  [
    "a breakglass account made eligible, different case",
    (c) => c.pim.eligibleAdmins.push("BreakGlass-02@Contoso.OnMicrosoft.com"),
    /^pim\.eligibleAdmins\[3\]: "BreakGlass-02@Contoso\.OnMicrosoft\.com" is breakglass account "breakglass-02"/,
  ],
  [
    "an explicit breakglass account made eligible",
    (c) => {
      explicitAccounts(c, [{ name: "ea-alpha" }, { name: "ea-bravo" }]);
      c.pim.eligibleAdmins[1] = "ea-bravo@contoso.onmicrosoft.com";
    },
    /^pim\.eligibleAdmins\[1\]: "ea-bravo@contoso\.onmicrosoft\.com" is breakglass account "ea-bravo"/,
  ],
  [
    "a breakglass account as approver",
    (c) => c.pim.approvers.users.push("breakglass-02@contoso.onmicrosoft.com"),
    /^pim\.approvers\.users\[2\]: "breakglass-02@contoso\.onmicrosoft\.com" is breakglass account "breakglass-02": .* must never be PIM approvers/,
  ],
  // PIM: approvers.
  ["no approver", (c) => (c.pim.approvers = { users: [], groups: [] }), /^pim\.approvers: lists no approver/],
  [
    "self-approval is the only path",
    (c) => (c.pim.approvers = { users: ["adele.vance@contoso.com"] }),
    /^pim\.eligibleAdmins\[0\]: "adele\.vance@contoso\.com" is the only approver of their own activation/,
  ],
  [
    "approver group not a GUID",
    (c) => (c.pim.approvers.groups = ["secops-approvers"]),
    /^pim\.approvers\.groups\[0\]: "secops-approvers" must be a GUID/,
  ],
  [
    "approver listed twice",
    (c) => c.pim.approvers.users.push("LIDIA.holloway@contoso.com"),
    /^pim\.approvers\.users\[2\]: "LIDIA\.holloway@contoso\.com" is listed twice/,
  ],
  // PIM: notifications, flags, keys.
  [
    "malformed notification email",
    (c) => (c.pim.notificationRecipients = ["secops"]),
    /^pim\.notificationRecipients\[0\]: "secops" must be an email address/,
  ],
  [
    "no notification recipient",
    (c) => (c.pim.notificationRecipients = []),
    /^pim\.notificationRecipients: \[\] must list at least one recipient/,
  ],
  ["ticket flag not a boolean", (c) => (c.pim.requireTicket = "yes"), /^pim\.requireTicket: "yes" must be a boolean/],
  [
    "misspelt key",
    (c) => (c.pim.maxActivationDurration = "PT2H"),
    /^pim\.maxActivationDurration: unknown key \(did you mean "maxActivationDuration"\?\) \(expected one of: eligibleAdmins, /,
  ],
  [
    "unknown top-level key",
    (c) => (c.breakglas = { count: 2 }),
    /^breakglas: unknown key \(did you mean "breakglass"\?\) \(expected one of: tenant, pim, exceptions, breakglass/,
  ],
  ["missing required section", (c) => delete c.pim, /^pim: is required/],
  ["tenant id not a GUID", (c) => (c.tenant.tenantId = "contoso"), /^tenant\.tenantId: "contoso" must be a GUID/],
  // Authentication context id: c1…c99.
  [
    "auth context c0",
    (c) => (c.pim.authenticationContextId = "c0"),
    /^pim\.authenticationContextId: "c0" must be an authentication context id c1…c99/,
  ],
  [
    "auth context c100",
    (c) => (c.pim.authenticationContextId = "c100"),
    /^pim\.authenticationContextId: "c100" must be an authentication context id c1…c99/,
  ],
  [
    "auth context upper-case",
    (c) => (c.pim.authenticationContextId = "C1"),
    /^pim\.authenticationContextId: "C1" must be an authentication context id c1…c99/,
  ],
  [
    "auth context with a leading zero",
    (c) => (c.pim.authenticationContextId = "c01"),
    /^pim\.authenticationContextId: "c01" must be an authentication context id/,
  ],
  [
    "auth context as a number",
    (c) => (c.pim.authenticationContextId = 1),
    /^pim\.authenticationContextId: 1 must be a string/,
  ],
  // Breakglass domain: cloud-only on the Microsoft-owned initial domain, never a federated/custom one.
  [
    "breakglass on a custom domain",
    (c) => (c.breakglass.domain = "contoso.com"),
    /^breakglass\.domain: "contoso\.com" must be the tenant's initial \*\.onmicrosoft\.com domain/,
  ],
  [
    "breakglass on a sub-domain of onmicrosoft.com",
    (c) => (c.breakglass.domain = "a.contoso.onmicrosoft.com"),
    /^breakglass\.domain: "a\.contoso\.onmicrosoft\.com" must be the tenant's initial/,
  ],
  [
    "breakglass on a look-alike domain",
    (c) => (c.breakglass.domain = "contoso.onmicrosoft.com.evil.com"),
    /^breakglass\.domain: .* must be the tenant's initial \*\.onmicrosoft\.com domain/,
  ],
  [
    "breakglass on the mail onmicrosoft domain",
    (c) => (c.breakglass.domain = "contoso.mail.onmicrosoft.com"),
    /^breakglass\.domain: "contoso\.mail\.onmicrosoft\.com" must be the tenant's initial/,
  ],
  [
    "breakglass on another tenant's initial domain",
    (c) => (c.breakglass.domain = "fabrikam.onmicrosoft.com"),
    /^breakglass\.domain: "fabrikam\.onmicrosoft\.com" is not the tenant's initial domain "contoso\.onmicrosoft\.com"/,
  ],
  [
    "a custom tenant initial domain",
    (c) => (c.tenant.initialDomain = "contoso.com"),
    /^tenant\.initialDomain: "contoso\.com" must be the tenant's initial domain, <name>\.onmicrosoft\.com/,
  ],
  // Fewer than two breakglass accounts (Microsoft guidance, ZTA 21835).
  [
    "one breakglass account",
    (c) => (c.breakglass.count = 1),
    /^breakglass\.count: 1 must be at least 2 \(Microsoft guidance, ZTA 21835\)/,
  ],
  ["breakglass count 0", (c) => (c.breakglass.count = 0), /^breakglass\.count: 0 must be at least 2/],
  ["breakglass count not an integer", (c) => (c.breakglass.count = 2.5), /^breakglass\.count: 2\.5 /],
  ["breakglass count as text", (c) => (c.breakglass.count = "two"), /^breakglass\.count: "two" must be a number/],
  [
    "a single explicit account",
    (c) => explicitAccounts(c, [{ name: "bg-a" }]),
    /^breakglass\.accounts: \[\{"name":"bg-a"\}\] must list at least 2 emergency accounts/,
  ],
  [
    "no explicit account",
    (c) => explicitAccounts(c, []),
    /^breakglass\.accounts: \[\] must list at least 2 emergency accounts/,
  ],
  [
    "breakglass count disagreeing with the accounts",
    (c) => explicitAccounts(c, [{ name: "bg-a" }, { name: "bg-b" }], 3),
    /^breakglass\.count: 3 disagrees with the 2 entries of breakglass\.accounts/,
  ],
  // Breakglass names.
  [
    "breakglass accounts with the same name",
    (c) => explicitAccounts(c, [{ name: "bg-a" }, { name: "BG-A" }]),
    /^breakglass\.accounts\[1\]: "BG-A" is listed twice \(also at \[0\]\)/,
  ],
  [
    "an account name that is not a mail nickname",
    (c) => explicitAccounts(c, [{ name: "bg a" }, { name: "bg-b" }]),
    /^breakglass\.accounts\[0\]\.name: "bg a" must be a mail nickname/,
  ],
  [
    "a full UPN as account name",
    (c) => explicitAccounts(c, [{ name: "bg-a@contoso.onmicrosoft.com" }, { name: "bg-b" }]),
    /^breakglass\.accounts\[0\]\.name: "bg-a@contoso\.onmicrosoft\.com" must be a mail nickname/,
  ],
  [
    "a name prefix with a space",
    (c) => (c.breakglass.namePrefix = "break glass"),
    /^breakglass\.namePrefix: "break glass" must be a mail nickname prefix/,
  ],
  [
    "a UPN longer than Entra's 113 characters",
    (c) => {
      const domain = `${"t".repeat(60)}.onmicrosoft.com`;
      c.tenant.initialDomain = domain;
      c.breakglass.domain = domain;
      explicitAccounts(c, [{ name: "b".repeat(60) }, { name: "bg-b" }]);
    },
    /^breakglass\.accounts\[0\]\.name: "b{60}@t+\.\.\. is 137 characters; a user principal name has at most 113/,
  ],
  [
    "a mis-cased key inside a list entry",
    (c) =>
      (c.breakglass = {
        ...c.breakglass,
        count: undefined,
        accounts: [{ name: "bg-a", displayname: "A" }, { name: "bg-b" }],
      }),
    /^breakglass\.accounts\[0\]\.displayname: unknown key \(did you mean "displayName"\?\) \(expected one of: name, displayName, objectId, password\)/,
  ],
  [
    "an unknown breakglass key",
    (c) => (c.breakglass.passwordLength = 64),
    /^breakglass\.passwordLength: unknown key \(expected one of: count, namePrefix, accounts, /,
  ],
  [
    "a lower-case usage location",
    (c) => (c.breakglass.usageLocation = "us"),
    /^breakglass\.usageLocation: "us" must be a two-letter ISO country code/,
  ],
  // FIDO2 allow-list.
  [
    "an AAGUID that is a model name",
    (c) => (c.breakglass.fido2.profile.aaguids = ["yubikey-5"]),
    /^breakglass\.fido2\.profile\.aaguids\[0\]: "yubikey-5" must be an AAGUID \(GUID\)/,
  ],
  [
    "a truncated AAGUID",
    (c) => (c.breakglass.fido2.profile.aaguids = ["cb69481e-8ff7-4039-93ec-0a2729a154a"]),
    /^breakglass\.fido2\.profile\.aaguids\[0\]: "cb69481e-8ff7-4039-93ec-0a2729a154a" must be an AAGUID/,
  ],
  [
    "a braced AAGUID",
    (c) => (c.breakglass.fido2.profile.aaguids = ["{cb69481e-8ff7-4039-93ec-0a2729a154a8}"]),
    /^breakglass\.fido2\.profile\.aaguids\[0\]: "\{cb69481e-8ff7-4039-93ec-0a2729a154a8\}" must be an AAGUID/,
  ],
  [
    "an AAGUID listed twice",
    (c) => c.breakglass.fido2.profile.aaguids.push("CB69481E-8FF7-4039-93EC-0A2729A154A8"),
    /^breakglass\.fido2\.profile\.aaguids\[2\]: "CB69481E-8FF7-4039-93EC-0A2729A154A8" is listed twice \(also at \[0\]\)/,
  ],
  [
    "attestation as text",
    (c) => (c.breakglass.fido2.profile.enforceAttestation = "yes"),
    /^breakglass\.fido2\.profile\.enforceAttestation: "yes" must be a boolean/,
  ],
  // Conditional Access states.
  [
    "an unknown CA state",
    (c) => (c.conditionalAccess.mfaAllUsers.state = "on"),
    /^conditionalAccess\.mfaAllUsers\.state: "on" must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"/,
  ],
  [
    "an unknown activation policy state",
    (c) => (c.conditionalAccess.activationPolicyState = "on"),
    /^conditionalAccess\.activationPolicyState: "on" must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"/,
  ],
  [
    "report-only spelt as in the portal",
    (c) => (c.conditionalAccess.mfaAllUsers.state = "reportOnly"),
    /^conditionalAccess\.mfaAllUsers\.state: "reportOnly" must be one of "enabled", "disabled", "enabledForReportingButNotEnforced"/,
  ],
  [
    "a CA state with the wrong case",
    (c) => (c.conditionalAccess.blockLegacyAuthentication.state = "Enabled"),
    /^conditionalAccess\.blockLegacyAuthentication\.state: "Enabled" must be one of/,
  ],
  [
    "a CA state as a boolean",
    (c) => (c.conditionalAccess.adminMfa.state = true),
    /^conditionalAccess\.adminMfa\.state: true must be one of/,
  ],
  [
    "an unknown CA policy key",
    (c) => (c.conditionalAccess.blockLegacyAuth = { state: "enabled" }),
    /^conditionalAccess\.blockLegacyAuth: unknown key \(did you mean "blockLegacyAuthentication"\?\) \(expected one of: activationPolicyState, adoptAuthenticationContext, adminMfa, blockLegacyAuthentication, mfaAllUsers\)/,
  ],
  // Monitoring.
  [
    "unknown log category",
    (c) => (c.monitoring.logCategories = ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs", "SigninLog"]),
    /^monitoring\.logCategories\[3\]: "SigninLog" must be one of AuditLogs, SignInLogs/,
  ],
  [
    "required log category missing",
    (c) => (c.monitoring.logCategories = ["AuditLogs", "SignInLogs"]),
    /^monitoring\.logCategories: .* is missing NonInteractiveUserSignInLogs/,
  ],
  [
    "retention below the limit",
    (c) => (c.monitoring.retentionInDays = 30),
    /^monitoring\.retentionInDays: 30 is below the required 90 days/,
  ],
  [
    "action group short name too long",
    (c) => (c.monitoring.actionGroup.shortName = "entra-baseline-prod"),
    /^monitoring\.actionGroup\.shortName: "entra-baseline-prod" must be at most 12 characters/,
  ],
  [
    "action group without receivers",
    (c) => (c.monitoring.actionGroup = { emails: [], sms: [] }),
    /^monitoring\.actionGroup: has no receiver/,
  ],
  [
    "plain-http webhook",
    (c) => (c.monitoring.actionGroup.webhooks = ["http://hooks.example.com/x"]),
    /^monitoring\.actionGroup\.webhooks\[0\]: "http:\/\/hooks\.example\.com\/x" must be an https URL/,
  ],
  [
    "invalid ticket pattern",
    (c) => (c.monitoring.routineJitUse.ticketPattern = "(INC"),
    /^monitoring\.routineJitUse\.ticketPattern: "\(INC" must be a valid regular expression/,
  ],
  // Limits.
  [
    "limits inverted",
    (c) => (c.limits.globalAdmins = { min: 6, max: 4 }),
    /^limits\.globalAdmins: min 6 is greater than max 4/,
  ],
  // The stack is pinned to its tenant, in its cloud; tokens only ever go to Microsoft (or a loopback emulator).
  ["no tenant id", (c) => delete c.tenant.tenantId, /^tenant\.tenantId: is required/],
  ["no tenant section", (c) => delete c.tenant, /^tenant: is required/],
  [
    "an unknown cloud",
    (c) => (c.tenant.cloud = "germany"),
    /^tenant\.cloud: "germany" must be one of "public", "usGovernment", "usGovernmentDoD", "china"/,
  ],
  [
    "a Graph endpoint that is not Microsoft's",
    (c) => (c.tenant.endpoints = { graph: "https://graph.evil.example" }),
    /^tenant\.endpoints\.graph: "https:\/\/graph\.evil\.example" must be a loopback URL/,
  ],
  [
    "a private-network emulator (not loopback)",
    (c) => (c.tenant.endpoints = { arm: "http://10.0.0.5:8080" }),
    /^tenant\.endpoints\.arm: "http:\/\/10\.0\.0\.5:8080" must be a loopback URL/,
  ],
  // Renamed and removed keys name what replaces them.
  [
    "the removed graph key",
    (c) => (c.graph = { endpoint: "https://graph.microsoft.us" }),
    /^graph: was removed in 0\.2\.0: set tenant\.cloud \(public, usGovernment, usGovernmentDoD or china\)/,
  ],
  [
    "the removed minimum activation",
    (c) => (c.limits.activationDuration = { min: "PT2H", max: "PT4H" }),
    /^limits\.activationDuration\.min: was removed in 0\.2\.0: remove it: a shorter activation only tightens the model/,
  ],
  [
    "the removed tripwire frequency limit",
    (c) => (c.limits.tripwireMaxEvaluationFrequency = "PT5M"),
    /^limits\.tripwireMaxEvaluationFrequency: was removed in 0\.2\.0: remove it: the tripwire is evaluated every minute/,
  ],
  [
    "the renamed admin MFA policy",
    (c) => (c.conditionalAccess.adminPhishingResistantMfa = { state: "enabled" }),
    /^conditionalAccess\.adminPhishingResistantMfa: was removed in 0\.2\.0: use conditionalAccess\.adminMfa \{ state, strength \}/,
  ],
  [
    "the moved FIDO2 allow-list",
    (c) => (c.breakglass.fido2.aaguids = ["cb69481e-8ff7-4039-93ec-0a2729a154a8"]),
    /^breakglass\.fido2\.aaguids: was removed in 0\.2\.0: use breakglass\.fido2\.profile\.aaguids/,
  ],
  // Limits only tighten.
  [
    "a loosened activation limit",
    (c) => (c.limits.activationDuration = { max: "PT8H" }),
    /^limits\.activationDuration\.max: "PT8H" loosens the model's bound: Tier-0 activations last at most 4 hours/,
  ],
  [
    "a loosened minimum of Global Administrators",
    (c) => (c.limits.globalAdmins = { min: 1, max: 8 }),
    /^limits\.globalAdmins\.min: 1 loosens the model's bound: at least 2/,
  ],
  [
    "a loosened maximum of Global Administrators",
    (c) => (c.limits.globalAdmins = { min: 2, max: 12 }),
    /^limits\.globalAdmins\.max: 12 loosens the model's bound: at most 8/,
  ],
  [
    "a loosened log retention",
    (c) => (c.limits.minRetentionInDays = 30),
    /^limits\.minRetentionInDays: 30 loosens the model's bound: logs are kept at least 90 days/,
  ],
  [
    "a tripwire that is not critical",
    (c) => (c.monitoring.severities = { breakglassSignIn: 2 }),
    /^monitoring\.severities\.breakglassSignIn: 2 loosens the model: a breakglass sign-in is a severity 0/,
  ],
  [
    "activation without a justification",
    (c) => (c.pim.requireJustification = false),
    /^pim\.requireJustification: false loosens the model/,
  ],
  ["activation without a ticket", (c) => (c.pim.requireTicket = false), /^pim\.requireTicket: false loosens the model/],
  [
    "an unknown activation strength",
    (c) => (c.pim.activationStrength = "fido2"),
    /^pim\.activationStrength: "fido2" must be one of "mfa", "passwordlessMfa", "phishingResistant"/,
  ],
  // FIDO2: the tenant-wide settings change things for everyone, so narrowing them is acknowledged.
  [
    "a tenant-wide allow-list without acknowledgement",
    (c) => (c.breakglass.fido2.tenantWide = { aaguids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"] }),
    /^breakglass\.fido2\.tenantWide: narrows the FIDO2 settings of EVERY user of a tenant without passkey profiles/,
  ],
  // The exclusion group's owners: an empty list would make azuread fall back to the deploying identity.
  [
    "an empty list of exclusion group owners",
    (c) => (c.breakglass.groupOwners = []),
    /^breakglass\.groupOwners: \[\] must list at least one owner; leave it out to make the emergency accounts the owners/,
  ],
  [
    "an exclusion group owner that is not an object id",
    (c) => (c.breakglass.groupOwners = ["ci-pipeline@contoso.com"]),
    /^breakglass\.groupOwners\[0\]: "ci-pipeline@contoso\.com" must be a GUID/,
  ],
  // Declared exceptions.
  [
    "an exception without a reason",
    (c) =>
      (c.exceptions = [
        {
          principal: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
          principalType: "servicePrincipal",
          roles: ["Privileged Role Administrator"],
          owner: "identity-team@contoso.com",
          expires: "2030-01-01",
        },
      ]),
    /^exceptions\[0\]\.reason: is required/,
  ],
  [
    "an exception giving a person Global Administrator",
    (c) =>
      (c.exceptions = [
        {
          principal: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
          principalType: "user",
          roles: ["Global Administrator"],
          reason: "the CIO wants it",
          owner: "cio@contoso.com",
          expires: "2030-01-01",
        },
      ]),
    /^exceptions\[0\]\.roles\[0\]: Global Administrator is never held standing by a person/,
  ],
  [
    "an exception for an unknown role name",
    (c) =>
      (c.exceptions = [
        {
          principal: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
          principalType: "servicePrincipal",
          roles: ["Global Admin"],
          reason: "deploys the baseline",
          owner: "identity-team@contoso.com",
          expires: "2030-01-01",
        },
      ]),
    /^exceptions\[0\]\.roles\[0\]: "Global Admin" is not a directory role this model knows/,
  ],
  [
    "an exception with a date that does not exist",
    (c) =>
      (c.exceptions = [
        {
          principal: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
          principalType: "servicePrincipal",
          roles: ["Privileged Role Administrator"],
          reason: "deploys the baseline",
          owner: "identity-team@contoso.com",
          expires: "2027-02-30",
        },
      ]),
    /^exceptions\[0\]\.expires: "2027-02-30" must be a real calendar date/,
  ],
  [
    "an exception for an adopted emergency account",
    (c) => {
      explicitAccounts(c, [
        { name: "bg-a", objectId: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b" } as never,
        { name: "bg-b" },
      ]);
      c.exceptions = [
        {
          principal: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
          principalType: "user",
          roles: ["Directory Synchronization Accounts"],
          reason: "why not at all",
          owner: "x@contoso.com",
          expires: "2030-01-01",
        },
      ];
    },
    /^exceptions\[0\]\.principal: is an emergency account/,
  ],
  // PIM: roles besides Global Administrator, PIM for Groups, the eligibility resource.
  [
    "an unknown role name in pim.roles",
    (c) => (c.pim.roles = [{ role: "Privileged Role Admin", eligibleUsers: ["nestor.wilke@contoso.com"] }]),
    /^pim\.roles\[0\]\.role: "Privileged Role Admin" is not a directory role this model knows \(did you mean "Privileged Role Administrator"\?\)/,
  ],
  [
    "Global Administrator listed in pim.roles",
    (c) => (c.pim.roles = [{ role: "Global Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }]),
    /^pim\.roles\[0\]\.role: "Global Administrator" is Global Administrator, which the top-level pim keys configure/,
  ],
  [
    "the same role twice in pim.roles",
    (c) =>
      (c.pim.roles = [
        { role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] },
        { role: "e8611ab8-c189-46e8-94e1-60213ab1f814", eligibleUsers: ["megan.bowen@contoso.com"] },
      ]),
    /^pim\.roles\[1\]\.role: "e8611ab8-c189-46e8-94e1-60213ab1f814" is Privileged Role Administrator again \(pim\.roles\[0\]\)/,
  ],
  [
    "a Tier-0 role on a template",
    (c) => {
      c.pim.templates = { helpdesk: { maxActivationDuration: "PT8H" } };
      c.pim.roles = [
        { role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"], template: "helpdesk" },
      ];
    },
    /^pim\.roles\[0\]\.template: "helpdesk": a template replaces the Tier-0 rules.*\(Privileged Role Administrator is a Tier-0 role: it may only tighten the Tier-0 rules\)/,
  ],
  [
    "a Tier-0 role activating longer than the Tier-0 rules",
    (c) =>
      (c.pim.roles = [
        { role: "Security Administrator", eligibleUsers: ["nestor.wilke@contoso.com"], maxActivationDuration: "PT8H" },
      ]),
    /^pim\.roles\[0\]\.maxActivationDuration: "PT8H" is longer than the Tier-0 4 hours/,
  ],
  [
    "a Tier-0 role without a ticket",
    (c) =>
      (c.pim.roles = [
        { role: "Security Administrator", eligibleUsers: ["nestor.wilke@contoso.com"], requireTicket: false },
      ]),
    /^pim\.roles\[0\]\.requireTicket: false loosens the model/,
  ],
  [
    "a Tier-0 role with a weaker activation strength",
    (c) => {
      c.pim.activationStrength = "phishingResistant";
      c.pim.roles = [
        { role: "Security Administrator", eligibleUsers: ["nestor.wilke@contoso.com"], activationStrength: "mfa" },
      ];
    },
    /^pim\.roles\[0\]\.activationStrength: "mfa" is weaker than the Tier-0 "phishingResistant"/,
  ],
  [
    "one authentication context asked for two strengths",
    (c) =>
      (c.pim.roles = [
        {
          role: "Security Administrator",
          eligibleUsers: ["nestor.wilke@contoso.com"],
          activationStrength: "phishingResistant",
          authenticationContextId: "c1",
        },
      ]),
    /^pim\.roles\[0\]\.authenticationContextId: "c1" is asked for "phishingResistant" activation, but pim\.authenticationContextId asks it for "mfa"/,
  ],
  [
    "a principal both eligible for and excepted from a role",
    (c) => {
      c.pim.roles = [{ role: "Security Administrator", eligibleUsers: ["3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b"] }];
      c.exceptions = [
        {
          principal: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
          principalType: "user",
          roles: ["Security Administrator"],
          reason: "runs the SIEM connector",
          owner: "secops@contoso.com",
          expires: "2030-01-01",
        },
      ];
    },
    /^pim\.roles\[0\]\.eligibleUsers\[0\]: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b" is also excepted for Security Administrator \(exceptions\[0\]\.roles\[0\]\)/,
  ],
  [
    "a breakglass account eligible for another role",
    (c) =>
      (c.pim.roles = [
        { role: "Privileged Role Administrator", eligibleUsers: ["breakglass-02@contoso.onmicrosoft.com"] },
      ]),
    /^pim\.roles\[0\]\.eligibleUsers\[0\]: "breakglass-02@contoso\.onmicrosoft\.com" is breakglass account "breakglass-02": .* must never be PIM-eligible/,
  ],
  [
    "a breakglass account eligible for a PIM-for-Groups group",
    (c) =>
      (c.pim.groups = [
        {
          group: "9a000000-0000-4000-8000-00000000009a",
          roles: ["Privileged Role Administrator"],
          eligibleMembers: ["breakglass-01@contoso.onmicrosoft.com"],
        },
      ]),
    /^pim\.groups\[0\]\.eligibleMembers\[0\]: "breakglass-01@contoso\.onmicrosoft\.com" is breakglass account "breakglass-01"/,
  ],
  [
    "an unknown role held by a PIM-for-Groups group",
    (c) =>
      (c.pim.groups = [
        {
          group: "9a000000-0000-4000-8000-00000000009a",
          roles: ["Exchange Admin"],
          eligibleMembers: ["nestor.wilke@contoso.com"],
        },
      ]),
    /^pim\.groups\[0\]\.roles\[0\]: "Exchange Admin" is not a directory role this model knows/,
  ],
  [
    "the only approver of a Tier-0 role is its eligible user",
    (c) =>
      (c.pim.roles = [
        {
          role: "Privileged Role Administrator",
          eligibleUsers: ["nestor.wilke@contoso.com"],
          approvers: { users: ["Nestor.Wilke@contoso.com"] },
        },
      ]),
    /^pim\.roles\[0\]\.eligibleUsers\[0\]: "nestor\.wilke@contoso\.com" is the only approver of their own activation of Privileged Role Administrator; a requester can never approve themselves/,
  ],
  [
    "a role inherits top-level approvers of which its eligible user is the only one",
    (c) => {
      c.pim.approvers = { users: ["lidia.holloway@contoso.com"] };
      c.pim.roles = [{ role: "Security Administrator", eligibleUsers: ["lidia.holloway@contoso.com"] }];
    },
    /^pim\.roles\[0\]\.eligibleUsers\[0\]: "lidia\.holloway@contoso\.com" is the only approver of their own activation of Security Administrator/,
  ],
  [
    "a template that requires approval lists no approver",
    (c) => {
      c.pim.templates = {
        reviewed: { maxActivationDuration: "PT8H", requireApproval: true, approvers: { users: [], groups: [] } },
      };
      c.pim.roles = [
        { role: "Helpdesk Administrator", template: "reviewed", eligibleUsers: ["nestor.wilke@contoso.com"] },
      ];
    },
    /^pim\.templates\.reviewed\.approvers: lists no approver, but activation of Helpdesk Administrator requires a second person's approval/,
  ],
  [
    "a template's only approver is eligible for a role that takes it",
    (c) => {
      c.pim.templates = {
        reviewed: {
          maxActivationDuration: "PT8H",
          requireApproval: true,
          approvers: { users: ["megan.bowen@contoso.com"] },
        },
      };
      c.pim.roles = [
        { role: "Helpdesk Administrator", template: "reviewed", eligibleUsers: ["megan.bowen@contoso.com"] },
      ];
    },
    /^pim\.roles\[0\]\.eligibleUsers\[0\]: "megan\.bowen@contoso\.com" is the only approver of their own activation of Helpdesk Administrator/,
  ],
  [
    "the only approver of a group's roles is an eligible member of the group",
    (c) => {
      c.pim.roles = [
        {
          role: "Privileged Role Administrator",
          eligibleUsers: ["nestor.wilke@contoso.com"],
          approvers: { users: ["megan.bowen@contoso.com"] },
        },
      ];
      c.pim.groups = [
        {
          group: "9a000000-0000-4000-8000-00000000009a",
          label: "pra-admins",
          roles: ["Privileged Role Administrator"],
          eligibleMembers: ["megan.bowen@contoso.com"],
        },
      ];
    },
    /^pim\.groups\[0\]\.eligibleMembers\[0\]: "megan\.bowen@contoso\.com" is the only approver of their own activation \(membership of group "pra-admins"\)/,
  ],
  [
    "a time-bound Global Administrator eligibility on azuread's request resource",
    (c) => (c.pim.eligibilityDuration = "P365D"),
    /^pim\.eligibilityDuration: "P365D" needs pim\.eligibilityResource "schedule"/,
  ],
  [
    "an unknown eligibility resource",
    (c) => (c.pim.eligibilityResource = "schedules"),
    /^pim\.eligibilityResource: "schedules" must be one of "request", "migrate", "schedule"/,
  ],
];
