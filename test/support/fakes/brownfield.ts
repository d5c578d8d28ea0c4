/**
 * A realistic brownfield tenant for `npm run adopt`: Fabrikam before the baseline. Built on the fake tenant's
 * documented shapes (tenant.ts), it holds what real tenants hold:
 *
 * - hybrid identity: an Entra Connect sync account holding Directory Synchronization Accounts, and synchronised admins;
 * - the deploying identity (a service principal) holding Privileged Role Administrator and Application Administrator
 *   standing;
 * - two dozen people holding Tier-0 roles: standing outside PIM, standing through PIM (admin-assigned, no end), and
 *   eligible; one disabled; ten of them Global Administrators, which with the two emergency accounts is more than
 *   CISA's eight;
 * - group paths: a role-assignable group holding User Administrator with permanent members, and a group eligible for
 *   Security Administrator;
 * - two emergency accounts to adopt (cloud-only, permanent GA, excluded from CA through "BreakGlass Exclusion"), one
 *   with a FIDO2 key and one without;
 * - admins with and without phishing-resistant methods, one with no MFA method at all;
 * - approvers that are only the requesters: Global Administrator's single approver is an eligible admin; Security
 *   Administrator's approver is disabled;
 * - a Microsoft-managed CA policy without the exclusion, policies of the baseline's purposes to adopt (one excluding a
 *   service-accounts group too), and an authentication context (c1) already used by a policy of its own;
 * - a FIDO2 policy for all users without attestation or key restrictions.
 */
import {
  APPLICATION_ADMINISTRATOR,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
  desiredRules,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  EXCHANGE_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  STRENGTH_POLICY_IDS,
  TIER0_ROLE_IDS,
  USER_ADMINISTRATOR,
  type ActivationPolicySettings,
} from "@entra-baseline/model";
import {
  assignmentInstance,
  assignmentSchedule,
  eligibilityInstance,
  guid,
  user,
  type Json,
  type TenantData,
} from "./tenant";

export const BROWNFIELD_TENANT_ID = "f4b1c0de-7a2e-4c3b-9d8e-0a1b2c3d4e5f";
export const BROWNFIELD_DOMAIN = "fabrikam.onmicrosoft.com";
export const BREAKGLASS_GROUP_ID = guid(1, "9b0f0000");
export const SERVICE_ACCOUNTS_GROUP_ID = guid(2, "9b0f0000");
export const HELPDESK_GROUP_ID = guid(3, "9b0f0000");
export const SECOPS_GROUP_ID = guid(4, "9b0f0000");
export const DEPLOYER_ID = guid(1, "de910000");
export const SYNC_ACCOUNT_ID = guid(1, "5c000000");
export const BG_ALPHA_ID = guid(1, "b9000000");
export const BG_BRAVO_ID = guid(2, "b9000000");

/** Methods as userRegistrationDetails lists them (docs/references.md, "Microsoft Graph" strings). */
const PHISHING_RESISTANT = ["passKeyDeviceBound", "microsoftAuthenticatorPush"];
const AUTHENTICATOR = ["microsoftAuthenticatorPush", "softwareOneTimePasscode"];
const NO_MFA = ["email"];

interface Admin {
  n: number;
  upn: string;
  roles: string[];
  /** standing outside PIM, standing through PIM (no end), or eligible. */
  how: "direct" | "pim" | "eligible";
  methods: string[];
  synced?: boolean;
  disabled?: boolean;
}

/** The people holding Tier-0 roles, by path. */
export const ADMINS: readonly Admin[] = [
  // Global Administrators: 10 people (6 outside PIM, 2 PIM-assigned without end, 2 eligible).
  { n: 1, upn: "alex.wilber@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "direct", methods: PHISHING_RESISTANT },
  { n: 2, upn: "diego.siciliani@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "direct", methods: AUTHENTICATOR },
  {
    n: 3,
    upn: "grady.archie@fabrikam.com",
    roles: [GLOBAL_ADMINISTRATOR],
    how: "direct",
    methods: AUTHENTICATOR,
    synced: true,
  },
  { n: 4, upn: "henrietta.mueller@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "direct", methods: NO_MFA },
  {
    n: 5,
    upn: "isaiah.langer@fabrikam.com",
    roles: [GLOBAL_ADMINISTRATOR],
    how: "direct",
    methods: ["windowsHelloForBusiness"],
  },
  { n: 6, upn: "johanna.lorenz@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "direct", methods: AUTHENTICATOR },
  { n: 7, upn: "joni.sherman@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "pim", methods: PHISHING_RESISTANT },
  { n: 8, upn: "lee.gu@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "pim", methods: AUTHENTICATOR, synced: true },
  {
    n: 9,
    upn: "lidia.holloway@fabrikam.com",
    roles: [GLOBAL_ADMINISTRATOR],
    how: "eligible",
    methods: PHISHING_RESISTANT,
  },
  { n: 10, upn: "lynne.robbins@fabrikam.com", roles: [GLOBAL_ADMINISTRATOR], how: "eligible", methods: AUTHENTICATOR },
  // Other Tier-0 roles.
  { n: 11, upn: "megan.bowen@fabrikam.com", roles: [SECURITY_ADMINISTRATOR], how: "direct", methods: AUTHENTICATOR },
  {
    n: 12,
    upn: "miriam.graham@fabrikam.com",
    roles: [SECURITY_ADMINISTRATOR],
    how: "eligible",
    methods: PHISHING_RESISTANT,
  },
  {
    n: 13,
    upn: "nestor.wilke@fabrikam.com",
    roles: [SECURITY_ADMINISTRATOR],
    how: "direct",
    methods: AUTHENTICATOR,
    synced: true,
  },
  {
    n: 14,
    upn: "patti.fernandez@fabrikam.com",
    roles: [EXCHANGE_ADMINISTRATOR],
    how: "direct",
    methods: AUTHENTICATOR,
  },
  { n: 15, upn: "pradeep.gupta@fabrikam.com", roles: [EXCHANGE_ADMINISTRATOR], how: "pim", methods: ["mobilePhone"] },
  { n: 16, upn: "adele.vance@fabrikam.com", roles: [EXCHANGE_ADMINISTRATOR], how: "eligible", methods: AUTHENTICATOR },
  { n: 17, upn: "allan.deyoung@fabrikam.com", roles: [USER_ADMINISTRATOR], how: "direct", methods: AUTHENTICATOR },
  { n: 18, upn: "christie.cline@fabrikam.com", roles: [USER_ADMINISTRATOR], how: "eligible", methods: AUTHENTICATOR },
  {
    n: 19,
    upn: "debra.berger@fabrikam.com",
    roles: [CONDITIONAL_ACCESS_ADMINISTRATOR],
    how: "direct",
    methods: PHISHING_RESISTANT,
  },
  {
    n: 20,
    upn: "emily.braun@fabrikam.com",
    roles: [CONDITIONAL_ACCESS_ADMINISTRATOR],
    how: "pim",
    methods: AUTHENTICATOR,
  },
  {
    n: 21,
    upn: "enrico.cattaneo@fabrikam.com",
    roles: [PRIVILEGED_ROLE_ADMINISTRATOR],
    how: "direct",
    methods: AUTHENTICATOR,
  },
  {
    n: 22,
    upn: "former.admin@fabrikam.com",
    roles: [SECURITY_ADMINISTRATOR],
    how: "direct",
    methods: AUTHENTICATOR,
    disabled: true,
  },
];

/** Members of the groups holding Tier-0 roles. */
export const HELPDESK_MEMBERS = [
  { n: 31, upn: "irvin.sayers@fabrikam.com" },
  { n: 32, upn: "ben.walters@fabrikam.com" },
  { n: 33, upn: "cameron.white@fabrikam.com" },
];
export const SECOPS_MEMBERS = [
  { n: 34, upn: "gerhart.moller@fabrikam.com" },
  { n: 35, upn: "raul.razo@fabrikam.com" },
];

export const userId = (n: number) => guid(n, "ad0f0000");

/** The Global Administrator policy as Fabrikam has it: 8 h, plain MFA, one approver who is an admin himself. */
function globalAdministratorPolicy(): Json[] {
  const settings: ActivationPolicySettings = {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    maxActivationDuration: "PT8H",
    requireJustification: true,
    requireTicket: false,
    requireMfa: true,
    authenticationContextId: null,
    approval: { required: true, approvers: [{ kind: "user", id: userId(1) }] },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: ["secops@fabrikam.com"],
  };
  return desiredRules(settings) as unknown as Json[];
}

/** Security Administrator's approver left the company (disabled). */
function securityAdministratorPolicy(): Json[] {
  return desiredRules({
    roleDefinitionId: SECURITY_ADMINISTRATOR,
    maxActivationDuration: "PT8H",
    requireJustification: true,
    requireTicket: false,
    requireMfa: true,
    authenticationContextId: null,
    approval: { required: true, approvers: [{ kind: "user", id: userId(22) }] },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: [],
  }) as unknown as Json[];
}

function caPolicyOf(
  n: number,
  displayName: string,
  state: string,
  conditions: Json,
  grantControls: Json,
  extra: Json = {},
): Json {
  return {
    id: guid(n, "caf00000"),
    displayName,
    state,
    createdDateTime: "2023-05-01T10:00:00Z",
    modifiedDateTime: "2024-11-02T10:00:00Z",
    templateId: null,
    conditions: {
      applications: {
        includeApplications: [],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
        applicationFilter: null,
      },
      clientAppTypes: ["all"],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
      ...conditions,
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
        ...(conditions.users as Json),
      },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      ...grantControls,
    },
    sessionControls: null,
    ...extra,
  };
}

export const CA = {
  blockLegacy: guid(1, "caf00000"),
  mfaAllUsers: guid(2, "caf00000"),
  adminMfa: guid(3, "caf00000"),
  sensitiveSites: guid(4, "caf00000"),
  microsoftManaged: guid(5, "caf00000"),
};

function caPolicies(): Json[] {
  const all = (apps: Json = {}) => ({
    includeApplications: ["All"],
    excludeApplications: [],
    includeUserActions: [],
    includeAuthenticationContextClassReferences: [],
    applicationFilter: null,
    ...apps,
  });
  return [
    caPolicyOf(
      1,
      "Block legacy authentication",
      "enabled",
      {
        applications: all(),
        clientAppTypes: ["exchangeActiveSync", "other"],
        users: { includeUsers: ["All"], excludeGroups: [BREAKGLASS_GROUP_ID] },
      },
      { builtInControls: ["block"] },
    ),
    caPolicyOf(
      2,
      "Require MFA for all users",
      "enabled",
      {
        applications: all(),
        users: { includeUsers: ["All"], excludeGroups: [BREAKGLASS_GROUP_ID, SERVICE_ACCOUNTS_GROUP_ID] },
      },
      { builtInControls: ["mfa"] },
    ),
    caPolicyOf(
      3,
      "Admins: phishing-resistant MFA",
      "enabledForReportingButNotEnforced",
      {
        applications: all(),
        users: {
          includeRoles: TIER0_ROLE_IDS.filter((r) => r !== DIRECTORY_SYNCHRONIZATION_ACCOUNTS),
          excludeGroups: [BREAKGLASS_GROUP_ID],
        },
      },
      {
        authenticationStrength: {
          id: STRENGTH_POLICY_IDS.phishingResistant,
          displayName: "Phishing-resistant MFA",
          policyType: "builtIn",
          requirementsSatisfied: "mfa",
        },
      },
    ),
    caPolicyOf(
      4,
      "Require compliant device for sensitive sites",
      "enabled",
      {
        applications: all({ includeApplications: [], includeAuthenticationContextClassReferences: ["c1"] }),
        users: { includeUsers: ["All"], excludeGroups: [BREAKGLASS_GROUP_ID] },
      },
      { builtInControls: ["compliantDevice"] },
    ),
    caPolicyOf(
      5,
      "Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals",
      "enabledForReportingButNotEnforced",
      {
        applications: all({ includeApplications: ["MicrosoftAdminPortals"] }),
        users: {
          includeRoles: [GLOBAL_ADMINISTRATOR, SECURITY_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR, USER_ADMINISTRATOR],
        },
      },
      { builtInControls: ["mfa"] },
      { templateId: "4200930c-0da2-4e33-ca01-000000000001" },
    ),
  ];
}

/** The tenant's FIDO2 policy (v1.0 shape, docs/references.md, "Microsoft Graph"): enabled for all users, no attestation, no key restrictions. */
export function brownfieldFido2(): Json {
  return {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
    id: "Fido2",
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    isAttestationEnforced: false,
    keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    excludeTargets: [],
  };
}

function registration(u: Json, methods: string[]): Json {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    userDisplayName: u.displayName,
    userType: "member",
    isAdmin: true,
    isMfaCapable: methods.some((m) => m !== "email"),
    isMfaRegistered: methods.some((m) => m !== "email"),
    isPasswordlessCapable: methods.includes("passKeyDeviceBound") || methods.includes("windowsHelloForBusiness"),
    isSsprCapable: false,
    isSsprEnabled: false,
    isSsprRegistered: false,
    isSystemPreferredAuthenticationMethodEnabled: true,
    lastUpdatedDateTime: "2025-05-30T01:00:00Z",
    methodsRegistered: methods,
    systemPreferredAuthenticationMethods: [],
    userPreferredMethodForSecondaryAuthentication: "push",
  };
}

export function brownfieldTenant(): TenantData {
  const users: Json[] = [];
  const assignmentInstances: Json[] = [];
  const assignmentSchedules: Json[] = [];
  const eligibilityInstances: Json[] = [];
  const registrationDetails: Record<string, Json> = {};
  let a = 1;
  let e = 1;
  const directGrant = (roleId: string, principalId: string, createdUsing: string | null) => {
    assignmentInstances.push(assignmentInstance(a, roleId, principalId, { startDateTime: "2022-02-01T08:00:00Z" }));
    assignmentSchedules.push(
      assignmentSchedule(a, roleId, principalId, {
        createdUsing,
        scheduleInfo: {
          startDateTime: "2022-02-01T08:00:00Z",
          recurrence: null,
          expiration: { type: "noExpiration", endDateTime: null, duration: null },
        },
      }),
    );
    a++;
  };

  // The emergency accounts, cloud-only, permanent GA granted in the portal (outside PIM).
  const bgAlpha = user(BG_ALPHA_ID, `bg-alpha@${BROWNFIELD_DOMAIN}`, {
    displayName: "Break Glass Alpha",
    usageLocation: "DE",
  });
  const bgBravo = user(BG_BRAVO_ID, `bg-bravo@${BROWNFIELD_DOMAIN}`, {
    displayName: "Break Glass Bravo",
    usageLocation: "DE",
  });
  users.push(bgAlpha, bgBravo);
  directGrant(GLOBAL_ADMINISTRATOR, BG_ALPHA_ID, null);
  directGrant(GLOBAL_ADMINISTRATOR, BG_BRAVO_ID, null);

  // Entra Connect's sync account: a cloud user holding Directory Synchronization Accounts.
  users.push(
    user(SYNC_ACCOUNT_ID, `Sync_FABDC01_5f3a9c2e1b7d@${BROWNFIELD_DOMAIN}`, {
      displayName: "On-Premises Directory Synchronization Service Account",
    }),
  );
  directGrant(DIRECTORY_SYNCHRONIZATION_ACCOUNTS, SYNC_ACCOUNT_ID, null);

  // The deploying identity.
  const deployer = {
    id: DEPLOYER_ID,
    appId: guid(2, "de910000"),
    displayName: "fabrikam-iac-deploy",
    servicePrincipalType: "Application",
  };
  directGrant(PRIVILEGED_ROLE_ADMINISTRATOR, DEPLOYER_ID, null);
  directGrant(APPLICATION_ADMINISTRATOR, DEPLOYER_ID, null);

  for (const admin of ADMINS) {
    const u = user(userId(admin.n), admin.upn, {
      displayName: admin.upn.split("@")[0]!.replace(".", " "),
      ...(admin.synced
        ? { onPremisesSyncEnabled: true, onPremisesImmutableId: Buffer.from(admin.upn).toString("base64") }
        : {}),
      ...(admin.disabled ? { accountEnabled: false } : {}),
    });
    users.push(u);
    registrationDetails[String(u.id)] = registration(u, admin.methods);
    for (const role of admin.roles) {
      if (admin.how === "eligible") eligibilityInstances.push(eligibilityInstance(e++, role, String(u.id)));
      else directGrant(role, String(u.id), admin.how === "pim" ? guid(a, "a4000000") : null);
    }
  }
  for (const m of [...HELPDESK_MEMBERS, ...SECOPS_MEMBERS]) {
    const u = user(userId(m.n), m.upn, { displayName: m.upn.split("@")[0]!.replace(".", " ") });
    users.push(u);
    registrationDetails[String(u.id)] = registration(u, AUTHENTICATOR);
  }
  // Service accounts excluded from MFA (no Tier-0 role).
  users.push(user(guid(40, "ad0f0000"), "svc-scanner@fabrikam.com", { displayName: "Scanner" }));

  const groupType = "#microsoft.graph.group";
  const groups: TenantData["groups"] = [
    {
      "@odata.type": groupType,
      id: BREAKGLASS_GROUP_ID,
      displayName: "BreakGlass Exclusion",
      isAssignableToRole: true,
      securityEnabled: true,
      members: [BG_ALPHA_ID, BG_BRAVO_ID, userId(6)],
      owners: [userId(1)],
    },
    {
      "@odata.type": groupType,
      id: SERVICE_ACCOUNTS_GROUP_ID,
      displayName: "Service accounts (no MFA)",
      isAssignableToRole: false,
      securityEnabled: true,
      members: [guid(40, "ad0f0000")],
    },
    {
      "@odata.type": groupType,
      id: HELPDESK_GROUP_ID,
      displayName: "Tier0 Helpdesk",
      isAssignableToRole: true,
      securityEnabled: true,
      members: HELPDESK_MEMBERS.map((m) => userId(m.n)),
    },
    {
      "@odata.type": groupType,
      id: SECOPS_GROUP_ID,
      displayName: "SecOps responders",
      isAssignableToRole: true,
      securityEnabled: true,
      members: SECOPS_MEMBERS.map((m) => userId(m.n)),
    },
  ];
  directGrant(USER_ADMINISTRATOR, HELPDESK_GROUP_ID, null);
  eligibilityInstances.push(eligibilityInstance(e, SECURITY_ADMINISTRATOR, SECOPS_GROUP_ID));

  const methods: Record<string, Json[]> = {
    [BG_ALPHA_ID]: [
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
      {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
        id: guid(1, "f1d0f000"),
        displayName: "YubiKey 5 NFC",
        aaGuid: "ee882879-721c-4913-9775-3dfcce97072a",
        model: "YubiKey 5 NFC",
        attestationLevel: "attested",
        passkeyType: "deviceBound",
      },
    ],
    [BG_BRAVO_ID]: [
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
    ],
  };

  return {
    users,
    groups,
    caPolicies: caPolicies(),
    assignmentInstances,
    assignmentSchedules,
    eligibilityInstances,
    servicePrincipals: [deployer],
    methods,
    pimRules: globalAdministratorPolicy(),
    rolePolicies: { [SECURITY_ADMINISTRATOR]: securityAdministratorPolicy() },
    groupPolicies: {},
    groupAssignmentInstances: [],
    groupEligibilityInstances: [],
    authenticationContexts: [
      {
        id: "c1",
        displayName: "Sensitive sites",
        description: "SharePoint sites labelled Highly Confidential",
        isAvailable: true,
      },
    ],
    roleDefinitions: [],
    diagnosticSettings: [],
    workspaces: [],
    tables: {},
    dataCollectionRules: [],
    actionGroups: [],
    scheduledQueryRules: [],
    organization: {
      id: BROWNFIELD_TENANT_ID,
      displayName: "Fabrikam",
      verifiedDomains: [
        {
          name: BROWNFIELD_DOMAIN,
          isInitial: true,
          isDefault: false,
          type: "Managed",
          capabilities: "Email, OfficeCommunicationsOnlineMail",
        },
        { name: "fabrikam.com", isInitial: false, isDefault: true, type: "Managed", capabilities: "Email" },
      ],
    },
    fido2Policy: brownfieldFido2(),
    registrationDetails,
  };
}
