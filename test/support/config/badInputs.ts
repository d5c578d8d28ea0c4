/**
 * The one table of bad stack input: each case mutates the bundled, valid Pulumi.prod.yaml config and names the
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
    "activation shorter than the limit",
    (c) => (c.pim.maxActivationDuration = "PT1H"),
    /^pim\.maxActivationDuration: "PT1H" is shorter than the allowed 2 hours/,
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
    /^breakglas: unknown key \(did you mean "breakglass"\?\) \(expected one of: tenant, graph, pim/,
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
    /^breakglass\.accounts\[1\]\.name: "BG-A" is listed twice \(also at \[0\]\)/,
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
    /^breakglass\.accounts\[0\]\.displayname: unknown key \(did you mean "displayName"\?\) \(expected one of: name, displayName\)/,
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
    (c) => (c.breakglass.fido2.aaguids = ["yubikey-5"]),
    /^breakglass\.fido2\.aaguids\[0\]: "yubikey-5" must be an AAGUID \(GUID\)/,
  ],
  [
    "a truncated AAGUID",
    (c) => (c.breakglass.fido2.aaguids = ["cb69481e-8ff7-4039-93ec-0a2729a154a"]),
    /^breakglass\.fido2\.aaguids\[0\]: "cb69481e-8ff7-4039-93ec-0a2729a154a" must be an AAGUID/,
  ],
  [
    "a braced AAGUID",
    (c) => (c.breakglass.fido2.aaguids = ["{cb69481e-8ff7-4039-93ec-0a2729a154a8}"]),
    /^breakglass\.fido2\.aaguids\[0\]: "\{cb69481e-8ff7-4039-93ec-0a2729a154a8\}" must be an AAGUID/,
  ],
  [
    "an AAGUID listed twice",
    (c) => c.breakglass.fido2.aaguids.push("CB69481E-8FF7-4039-93EC-0A2729A154A8"),
    /^breakglass\.fido2\.aaguids\[2\]: "CB69481E-8FF7-4039-93EC-0A2729A154A8" is listed twice \(also at \[0\]\)/,
  ],
  [
    "attestation as text",
    (c) => (c.breakglass.fido2.enforceAttestation = "yes"),
    /^breakglass\.fido2\.enforceAttestation: "yes" must be a boolean/,
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
    (c) => (c.conditionalAccess.adminPhishingResistantMfa.state = true),
    /^conditionalAccess\.adminPhishingResistantMfa\.state: true must be one of/,
  ],
  [
    "an unknown CA policy key",
    (c) => (c.conditionalAccess.blockLegacyAuth = { state: "enabled" }),
    /^conditionalAccess\.blockLegacyAuth: unknown key \(did you mean "blockLegacyAuthentication"\?\) \(expected one of: activationPolicyState, adminPhishingResistantMfa, blockLegacyAuthentication, mfaAllUsers\)/,
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
    (c) => (c.limits.activationDuration = { min: "PT4H", max: "PT2H" }),
    /^limits\.activationDuration: min "PT4H" is longer than max "PT2H"/,
  ],
];
