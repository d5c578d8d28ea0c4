/**
 * A whole fake tenant for the audit: Graph (users, groups, CA policies, Tier-0 role assignments, eligibilities, the
 * GA PIM policy via test/support/fakes/pimPolicy.ts, authentication methods) and ARM (aadiam diagnostic settings, scheduled
 * query rules) on two loopback servers, speaking the documented shapes: `$filter` on the properties the audit
 * uses, `$expand=principal`, paging by `@odata.nextLink` (Graph) and `nextLink` (ARM).
 *
 * `healthyTenant(config)` builds data that matches a stack configuration exactly; tests then break one thing.
 * Lookups are indexed so that the benchmark's 100,000 users cost the fake nothing per request.
 */
import type { BaselineConfig } from "../../../src/config/validate";
import {
  ALERT_RULES,
  breakglassSignInQuery,
  desiredRules,
  GLOBAL_ADMINISTRATOR,
  SENTINEL_ALERT_RULE_IDS,
  TRIPWIRE,
  TRIPWIRE_RULE_KEYS,
  STRENGTH_NAMES,
  STRENGTH_POLICY_IDS,
  TIER0_ROLE_IDS,
  type ActivationStrength,
} from "@entra-baseline/model";
import { activationPolicyBody } from "../../../src/components/conditionalAccess/policies";
import { validConfig } from "../stack";
import { activationContexts, roleActivationSettings } from "../../../src/config/activationSettings";
import { managedRoles } from "../../../src/config/managedRoles";
import { FIDO2_PATH, profileConfiguration } from "./fido2Policy";
import { FakePimPolicies } from "./pimPolicy";
import { graphError, startFakeGraph, type FakeGraph, type FakeRequest, type FakeResponse } from "./graphServer";
import * as path from "node:path";

export type Json = Record<string, unknown>;

export const ROOT = path.resolve(__dirname, "../../..");
export const SUBSCRIPTION_ID = "22222222-3333-4444-5555-666666666666";
export const RG = "rg-entra-baseline-prod";

export function guid(n: number, prefix = "00000000"): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** The test stack (test/support/fixtures/stack/Pulumi.test.yaml), validated. */
export function testConfig(): BaselineConfig {
  return validConfig();
}

export interface TenantData {
  users: Json[];
  /** `members` and `owners` are object ids of users, service principals or groups. */
  groups: (Json & { members: string[]; owners?: string[] })[];
  caPolicies: Json[];
  /** Active assignments; `principal` is filled from users/groups/servicePrincipals on `$expand=principal`. */
  assignmentInstances: Json[];
  assignmentSchedules: Json[];
  eligibilityInstances: Json[];
  servicePrincipals: Json[];
  methods: Record<string, Json[]>;
  /** Global Administrator's policy rules. */
  pimRules: Json[];
  /** Other roles' policy rules, by role id (a role without an entry has PIM's defaults). */
  rolePolicies: Record<string, Json[]>;
  /** PIM-for-Groups policies: group id → access → rules (a group without one is not onboarded). */
  groupPolicies: Record<string, Partial<Record<"member" | "owner", Json[]>>>;
  /** PIM-for-Groups schedule instances (groupId, principalId, accessId, assignmentType, startDateTime, endDateTime). */
  groupAssignmentInstances: Json[];
  groupEligibilityInstances: Json[];
  authenticationContexts: Json[];
  /** The FIDO2 authentication-method configuration (GET …/authenticationMethodConfigurations/fido2). */
  fido2Policy: Json;
  /** Custom role definitions (isBuiltIn false). */
  roleDefinitions: Json[];
  diagnosticSettings: Json[];
  /** ARM: workspaces (id = resource id), their tables by workspace id (lower-case), DCRs, action groups. */
  workspaces: Json[];
  tables: Record<string, Json[]>;
  dataCollectionRules: Json[];
  actionGroups: Json[];
  scheduledQueryRules: Json[];
  /**
   * Sentinel analytics rules (ARM shape of the 2024-10-01-preview alertRules, id under the workspace); absent: no
   * workspace is onboarded (the list answers 404, as for a workspace without Sentinel).
   */
  sentinelAlertRules?: Json[];
  /** `GET /organization`'s one item (id = tenant id, verifiedDomains); absent: the route answers 404. */
  organization?: Json;
  /** userRegistrationDetails by user id (a user without an entry is not in the report). */
  registrationDetails?: Record<string, Json>;
}

export const WORKSPACE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/law-entra-baseline-prod`;
export const ACTION_GROUP_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/ag-entra-baseline-prod`;

export function workspace(id = WORKSPACE_ID, extra: Json = {}): Json {
  return {
    id,
    name: id.split("/").pop(),
    type: "Microsoft.OperationalInsights/workspaces",
    location: "westeurope",
    properties: {
      customerId: "a6d2f3c4-0000-4000-8000-00000000aaaa",
      retentionInDays: 90,
      workspaceCapping: { dailyQuotaGb: -1, dataIngestionStatus: "RespectQuota" },
      ...extra,
    },
  };
}

export function table(workspaceId: string, name: string, retentionInDays = -1): Json {
  return {
    id: `${workspaceId}/tables/${name}`,
    name,
    type: "Microsoft.OperationalInsights/workspaces/tables",
    properties: {
      retentionInDays,
      totalRetentionInDays: -1,
      retentionInDaysAsDefault: retentionInDays === -1,
      plan: "Analytics",
    },
  };
}

export function actionGroup(id = ACTION_GROUP_ID, extra: Json = {}): Json {
  return {
    id,
    name: id.split("/").pop(),
    type: "Microsoft.Insights/ActionGroups",
    location: "Global",
    properties: {
      groupShortName: "entrabase",
      enabled: true,
      emailReceivers: [
        { name: "secops", emailAddress: "secops@contoso.com", useCommonAlertSchema: true, status: "Enabled" },
      ],
      smsReceivers: [],
      webhookReceivers: [],
      ...extra,
    },
  };
}

const userType = "#microsoft.graph.user";

export function user(id: string, upn: string, extra: Json = {}): Json {
  return {
    "@odata.type": userType,
    id,
    userPrincipalName: upn,
    mailNickname: upn.split("@")[0],
    displayName: upn.split("@")[0],
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    userType: "Member",
    ...extra,
  };
}

export function caPolicy(n: number, excludeGroups: string[], extra: { state?: string; users?: Json } = {}): Json {
  return {
    id: guid(n, "ca000000"),
    displayName: `CA policy ${n}`,
    state: extra.state ?? "enabled",
    conditions: {
      users: {
        includeUsers: ["All"],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups,
        includeRoles: [],
        excludeRoles: [],
        ...extra.users,
      },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  };
}

/**
 * The baseline's CA policy on the activation authentication context as Graph lists it: the grant's
 * authenticationStrength comes back inline with the strength's own fields (docs example of GET policies).
 */
export function activationCaPolicy(
  contextId: string,
  excludeGroups: string[],
  strength: ActivationStrength = "phishingResistant",
): Json {
  const body = activationPolicyBody(contextId, "enabled", strength);
  return {
    ...body,
    id: guid(1, "ac7c0000"),
    conditions: {
      ...body.conditions,
      users: {
        includeUsers: ["All"],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups,
        includeRoles: [],
        excludeRoles: [],
      },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: {
        id: STRENGTH_POLICY_IDS[strength],
        displayName: STRENGTH_NAMES[strength],
        policyType: "builtIn",
        requirementsSatisfied: "mfa",
      },
    },
  } as Json;
}

/** What every role assignment/eligibility schedule and instance carries (unifiedRoleScheduleBase). */
function roleScheduleBase(id: string, roleId: string, principalId: string): Json {
  return { id, principalId, roleDefinitionId: roleId, directoryScopeId: "/", appScopeId: null };
}

export function assignmentInstance(n: number, roleId: string, principalId: string, extra: Json = {}): Json {
  return {
    ...roleScheduleBase(guid(n, "a1000000"), roleId, principalId),
    startDateTime: "2024-01-01T00:00:00Z",
    endDateTime: null,
    assignmentType: "Assigned",
    memberType: "Direct",
    roleAssignmentOriginId: guid(n, "a2000000"),
    roleAssignmentScheduleId: guid(n, "a3000000"),
    ...extra,
  };
}

export function assignmentSchedule(n: number, roleId: string, principalId: string, extra: Json = {}): Json {
  return {
    ...roleScheduleBase(guid(n, "a3000000"), roleId, principalId),
    createdUsing: guid(n, "a4000000"),
    createdDateTime: "2024-01-01T00:00:00Z",
    modifiedDateTime: null,
    status: "Provisioned",
    assignmentType: "Assigned",
    memberType: "Direct",
    scheduleInfo: {
      startDateTime: "2024-01-01T00:00:00Z",
      recurrence: null,
      expiration: { type: "noExpiration", endDateTime: null, duration: null },
    },
    ...extra,
  };
}

export function eligibilityInstance(n: number, roleId: string, principalId: string): Json {
  return {
    ...roleScheduleBase(guid(n, "e1000000"), roleId, principalId),
    startDateTime: "2024-01-01T00:00:00Z",
    endDateTime: null,
    memberType: "Direct",
    roleEligibilityScheduleId: guid(n, "e2000000"),
  };
}

export function tripwireRule(
  key: (typeof TRIPWIRE_RULE_KEYS)[number],
  accounts: { upn: string; id: string }[],
  extra: Json = {},
): Json {
  const { ruleName, displayName, table } = ALERT_RULES[key];
  return {
    id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.Insights/scheduledQueryRules/${ruleName}`,
    name: ruleName,
    type: "Microsoft.Insights/scheduledQueryRules",
    location: "westeurope",
    kind: "LogAlert",
    properties: {
      displayName,
      enabled: true,
      severity: TRIPWIRE.severity,
      evaluationFrequency: TRIPWIRE.evaluationFrequency,
      windowSize: TRIPWIRE.windowSize,
      scopes: [WORKSPACE_ID],
      criteria: {
        allOf: [
          {
            query: breakglassSignInQuery(table as "SigninLogs" | "AADNonInteractiveUserSignInLogs", {
              userPrincipalNames: accounts.map((a) => a.upn),
              objectIds: accounts.map((a) => a.id),
            }),
            timeAggregation: "Count",
            operator: "GreaterThan",
            threshold: 0,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      actions: { actionGroups: [ACTION_GROUP_ID] },
      ...extra,
    },
  };
}

/** A workspace's Sentinel analytics rules (the list the audit reads). */
export const SENTINEL_LIST_ROUTE =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+\/providers\/Microsoft\.SecurityInsights\/alertRules$/i;

/** The Sentinel tripwire the program declares for `key` (an NRT rule, as GET …/alertRules/{id} answers it). */
export function sentinelTripwireRule(
  key: (typeof TRIPWIRE_RULE_KEYS)[number],
  accounts: { upn: string; id: string }[],
  extra: Json = {},
): Json {
  const { displayName, table } = ALERT_RULES[key];
  const ruleId = SENTINEL_ALERT_RULE_IDS[key];
  return {
    id: `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/alertRules/${ruleId}`,
    name: ruleId,
    type: "Microsoft.SecurityInsights/alertRules",
    kind: "NRT",
    etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
    properties: {
      alertRuleTemplateName: null,
      displayName,
      description: "entra-baseline",
      severity: "High",
      enabled: true,
      query: breakglassSignInQuery(table as "SigninLogs" | "AADNonInteractiveUserSignInLogs", {
        userPrincipalNames: accounts.map((a) => a.upn),
        objectIds: accounts.map((a) => a.id),
      }),
      suppressionDuration: "PT1H",
      suppressionEnabled: false,
      tactics: ["InitialAccess", "PrivilegeEscalation"],
      techniques: ["T1078"],
      eventGroupingSettings: { aggregationKind: "AlertPerResult" },
      incidentConfiguration: { createIncident: true },
      lastModifiedUtc: "2026-12-01T10:00:00Z",
      ...extra,
    },
  };
}

export const EMERGENCY_PROFILE_ID = "ef000000-0000-4000-8000-0000000000ef";

/** A passkey-profile tenant whose emergency group has the profile the stack declares (as the program leaves it). */
export function emergencyProfileConfiguration(config: BaselineConfig, groupId: string): Json {
  const base = profileConfiguration();
  const p = config.breakglass.fido2.profile;
  (base.includeTargets as Json[]).push({
    targetType: "group",
    id: groupId,
    isRegistrationRequired: false,
    allowedPasskeyProfiles: [EMERGENCY_PROFILE_ID],
  });
  (base.passkeyProfiles as Json[]).push({
    id: EMERGENCY_PROFILE_ID,
    name: p.name,
    passkeyTypes: p.passkeyTypes.join(","),
    attestationEnforcement: p.enforceAttestation ? "registrationOnly" : "disabled",
    keyRestrictions: {
      isEnforced: p.aaguids.length > 0,
      enforcementType: "allow",
      aaGuids: p.aaguids.map((a) => a.toLowerCase()),
    },
  });
  return base;
}

/** A tenant that matches `config` exactly: the audit must find nothing in it. */
export function healthyTenant(config: BaselineConfig): TenantData {
  let n = 1;
  const domain = config.breakglass.domain!;
  const breakglass = config.breakglass.accounts.map((a) =>
    user(a.objectId ?? guid(n++, "b0000000"), `${a.name}@${domain}`, { displayName: a.displayName }),
  );
  const roles = managedRoles(config.pim);
  const users: Json[] = [...breakglass];
  const resolve = (ref: string): string => {
    const found = users.find(
      (u) => String(u.userPrincipalName).toLowerCase() === ref.toLowerCase() || u.id === ref.toLowerCase(),
    );
    if (found) return String(found.id);
    const created = /^[0-9a-f-]{36}$/i.test(ref)
      ? user(ref.toLowerCase(), `${ref.slice(0, 8)}@contoso.com`)
      : user(guid(n++, "ad000000"), ref);
    users.push(created);
    return String(created.id);
  };
  const group = {
    "@odata.type": "#microsoft.graph.group",
    id: guid(1, "9b000000"),
    displayName: config.breakglass.groupName,
    isAssignableToRole: true,
    securityEnabled: true,
    members: breakglass.map((b) => String(b.id)),
    owners: config.breakglass.groupOwners?.map((o) => o.toLowerCase()) ?? breakglass.map((b) => String(b.id)),
  };
  const eligibilityInstances: Json[] = [];
  const rolePolicies: Record<string, Json[]> = {};
  let pimRules: Json[] = [];
  let e = 1;
  for (const role of roles) {
    for (const ref of role.eligibleUsers)
      eligibilityInstances.push(eligibilityInstance(e++, role.roleDefinitionId, resolve(ref)));
    for (const g of role.eligibleGroups)
      eligibilityInstances.push(eligibilityInstance(e++, role.roleDefinitionId, g.toLowerCase()));
    const approvers = [
      ...role.rules.approvers.users.map((u) => ({ kind: "user" as const, id: resolve(u) })),
      ...role.rules.approvers.groups.map((g) => ({ kind: "group" as const, id: g.toLowerCase() })),
    ];
    const rules = desiredRules(roleActivationSettings(role, approvers)) as unknown as Json[];
    if (role.roleDefinitionId === GLOBAL_ADMINISTRATOR) pimRules = rules;
    else rolePolicies[role.roleDefinitionId] = rules;
  }
  const accounts = breakglass.map((b) => ({ upn: String(b.userPrincipalName), id: String(b.id) }));
  const contexts = activationContexts(config);
  // Approver groups exist, each with an approver of its own.
  const approverGroups = [...new Set(roles.flatMap((r) => r.rules.approvers.groups.map((g) => g.toLowerCase())))].map(
    (id, i) => ({
      "@odata.type": "#microsoft.graph.group",
      id,
      displayName: `PIM approvers ${i + 1}`,
      isAssignableToRole: false,
      securityEnabled: true,
      members: [resolve(`pim-approver-${i + 1}@contoso.com`)],
      owners: [],
    }),
  );
  return {
    users,
    groups: [group, ...approverGroups],
    caPolicies: [
      ...[1, 2, 3].map((i) =>
        caPolicy(i, [group.id], { state: i === 3 ? "enabledForReportingButNotEnforced" : "enabled" }),
      ),
      ...contexts.map((c, i) => ({
        ...activationCaPolicy(c.contextId, [group.id], c.strength),
        id: guid(i + 1, "ac7c0000"),
      })),
    ],
    authenticationContexts: contexts.map((c) => ({
      id: c.contextId,
      displayName: `entra-baseline ${c.contextId}`,
      description: "",
      isAvailable: true,
    })),
    roleDefinitions: [],
    assignmentInstances: breakglass.map((b, i) => assignmentInstance(i + 1, GLOBAL_ADMINISTRATOR, String(b.id))),
    // Breakglass GA is granted through the legacy endpoint: outside PIM by design (createdUsing null).
    assignmentSchedules: breakglass.map((b, i) =>
      assignmentSchedule(i + 1, GLOBAL_ADMINISTRATOR, String(b.id), { createdUsing: null }),
    ),
    eligibilityInstances,
    servicePrincipals: [],
    methods: Object.fromEntries(
      breakglass.map((b, i) => [
        String(b.id),
        [
          {
            "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
            id: "28c10230-6103-485e-b985-444c60001490",
          },
          {
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
            id: guid(i + 1, "f1d00000"),
            displayName: "YubiKey 5 NFC",
            aaGuid: "ee882879-721c-4913-9775-3dfcce97072a",
            model: "YubiKey 5 NFC",
            attestationLevel: "attested",
          },
        ],
      ]),
    ),
    fido2Policy: emergencyProfileConfiguration(config, group.id),
    pimRules,
    rolePolicies,
    groupPolicies: {},
    groupAssignmentInstances: [],
    groupEligibilityInstances: [],
    diagnosticSettings: [
      {
        id: `/providers/microsoft.aadiam/diagnosticSettings/${config.monitoring.diagnosticSettingName}`,
        name: config.monitoring.diagnosticSettingName,
        type: "microsoft.aadiam/diagnosticSettings",
        properties: {
          workspaceId: WORKSPACE_ID,
          logs: config.monitoring.logCategories.map((category) => ({
            category,
            enabled: true,
            retentionPolicy: { enabled: false, days: 0 },
          })),
        },
      },
    ],
    workspaces: [workspace(WORKSPACE_ID, { retentionInDays: config.monitoring.retentionInDays })],
    tables: {
      [WORKSPACE_ID.toLowerCase()]: ["SigninLogs", "AADNonInteractiveUserSignInLogs", "AuditLogs"].map((t) =>
        table(WORKSPACE_ID, t),
      ),
    },
    dataCollectionRules: [],
    actionGroups: [actionGroup()],
    scheduledQueryRules: TRIPWIRE_RULE_KEYS.map((key) => tripwireRule(key, accounts)),
    ...(config.monitoring.sentinel.enabled
      ? { sentinelAlertRules: TRIPWIRE_RULE_KEYS.map((key) => sentinelTripwireRule(key, accounts)) }
      : {}),
  };
}

export interface FakeTenantOptions {
  /** Page sizes of the fake collections. */
  caPageSize?: number;
  rolePageSize?: number;
  armPageSize?: number;
}

/** The tenant served: mutate `data` between runs (indexes are rebuilt per request only for small collections). */
export class FakeTenant {
  readonly pim: FakePimPolicies;
  private usersById = new Map<string, Json>();
  private usersByUpn = new Map<string, Json>();
  private usersByNickname = new Map<string, Json>();

  constructor(
    readonly graph: FakeGraph,
    readonly arm: FakeGraph,
    public data: TenantData,
    /** Read per request: a test may change page sizes between runs. */
    readonly options: FakeTenantOptions = {},
  ) {
    this.pim = new FakePimPolicies();
    this.reindex();
    this.install();
  }

  /** Call after replacing or adding users. */
  reindex(): void {
    this.usersById = new Map(this.data.users.map((u) => [String(u.id).toLowerCase(), u]));
    this.usersByUpn = new Map(this.data.users.map((u) => [String(u.userPrincipalName).toLowerCase(), u]));
    this.usersByNickname = new Map(this.data.users.map((u) => [String(u.mailNickname).toLowerCase(), u]));
    this.pim.setRules(this.data.pimRules as never);
    // Every directory role has a policy; the ones the data names carry its rules.
    for (const role of [...TIER0_ROLE_IDS, ...Object.keys(this.data.rolePolicies)]) {
      this.pim.addRole(role);
      const rules = this.data.rolePolicies[role];
      if (rules) this.pim.setRules(rules as never, role);
    }
    this.pim.groupPolicies.clear();
    for (const [groupId, policies] of Object.entries(this.data.groupPolicies)) {
      this.pim.groupPolicies.set(groupId.toLowerCase(), policies as never);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.graph.close(), this.arm.close()]);
  }

  private principal(id: string): Json | undefined {
    const u = this.usersById.get(id.toLowerCase());
    if (u) return u;
    const g = this.data.groups.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
    if (g) {
      const { members: _members, owners: _owners, ...rest } = g;
      return rest;
    }
    const sp = this.data.servicePrincipals.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
    return sp ? { "@odata.type": "#microsoft.graph.servicePrincipal", ...sp } : undefined;
  }

  /** A directory object as a member list shows it: its type and id (and UPN or name). */
  private memberObject(id: string): Json {
    const p = this.principal(id);
    if (!p) return { "@odata.type": userType, id };
    return {
      "@odata.type": p["@odata.type"] ?? userType,
      id: p.id,
      userPrincipalName: p.userPrincipalName ?? null,
      displayName: p.displayName ?? null,
    };
  }

  /** Members of a group, nested groups expanded (transitiveMembers lists the nested group and its members). */
  private transitiveMembers(groupId: string, seen = new Set<string>()): Json[] {
    const group = this.data.groups.find((x) => String(x.id).toLowerCase() === groupId.toLowerCase());
    if (!group || seen.has(groupId)) return [];
    seen.add(groupId);
    return group.members.flatMap((m) => [this.memberObject(m), ...this.transitiveMembers(m, seen)]);
  }

  private install(): void {
    const g = this.graph;
    this.pim.install(g);
    g.route("GET", "/v1.0/users", (req) => {
      const filter = req.url.searchParams.get("$filter") ?? "";
      const m = /^(userPrincipalName|id|mailNickname) in \((.*)\)$/.exec(filter);
      if (!m) return { status: 400, body: graphError("BadRequest", `fake: unsupported users filter ${filter}`) };
      const values = [...m[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1]!.replace(/''/g, "'").toLowerCase());
      const index =
        m[1] === "id" ? this.usersById : m[1] === "userPrincipalName" ? this.usersByUpn : this.usersByNickname;
      return { body: { value: values.map((v) => index.get(v)).filter(Boolean) } };
    });
    g.route("GET", "/v1.0/groups", (req) => {
      const name = /^displayName eq '((?:[^']|'')*)'$/
        .exec(req.url.searchParams.get("$filter") ?? "")?.[1]
        ?.replace(/''/g, "'");
      if (name === undefined) return { status: 400, body: graphError("BadRequest", "fake: unsupported groups filter") };
      return {
        body: { value: this.data.groups.filter((x) => x.displayName === name).map(({ members: _m, ...rest }) => rest) },
      };
    });
    g.route("GET", /^\/v1\.0\/groups\/[^/]+\/transitiveMembers$/, (req) => {
      const id = req.url.pathname.split("/")[3]!;
      const group = this.data.groups.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
      if (!group) return { status: 404, body: graphError("Request_ResourceNotFound", "no such group") };
      return this.page(g, req, this.transitiveMembers(id), 100);
    });
    g.route("GET", /^\/v1\.0\/groups\/[^/]+\/owners$/, (req) => {
      const id = req.url.pathname.split("/")[3]!;
      const group = this.data.groups.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
      if (!group) return { status: 404, body: graphError("Request_ResourceNotFound", "no such group") };
      return { body: { value: (group.owners ?? []).map((o) => this.memberObject(o)) } };
    });
    g.route("GET", FIDO2_PATH, () => ({ body: this.data.fido2Policy }));
    g.route("GET", "/v1.0/identity/conditionalAccess/authenticationContextClassReferences", () => ({
      body: { value: this.data.authenticationContexts },
    }));
    g.route("GET", "/v1.0/roleManagement/directory/roleDefinitions", (req) => {
      const filter = req.url.searchParams.get("$filter");
      if (filter !== "isBuiltIn eq false")
        return { status: 400, body: graphError("BadRequest", `fake: unsupported roleDefinitions filter ${filter}`) };
      return { body: { value: this.data.roleDefinitions } };
    });
    const groupPim = (name: string, items: () => Json[]) =>
      g.route("GET", `/v1.0/identityGovernance/privilegedAccess/group/${name}`, (req) => {
        // Documented: this list requires a $filter on groupId or principalId.
        const groupId = /^groupId eq '([^']+)'$/.exec(req.url.searchParams.get("$filter") ?? "")?.[1];
        if (!groupId)
          return { status: 400, body: graphError("BadRequest", "The $filter on groupId or principalId is required.") };
        return { body: { value: items().filter((i) => String(i.groupId).toLowerCase() === groupId.toLowerCase()) } };
      });
    groupPim("assignmentScheduleInstances", () => this.data.groupAssignmentInstances);
    groupPim("eligibilityScheduleInstances", () => this.data.groupEligibilityInstances);
    g.route("GET", /^\/v1\.0\/users\/[^/]+\/transitiveMemberOf$/, (req) => {
      const id = req.url.pathname.split("/")[3]!;
      if (!this.usersById.has(id.toLowerCase()))
        return { status: 404, body: graphError("Request_ResourceNotFound", "no such user") };
      // Transitively, as Graph answers: the groups the user is in, and the groups those are in.
      const within = new Set<string>();
      const walk = (memberId: string) => {
        for (const x of this.data.groups) {
          const gid = String(x.id).toLowerCase();
          if (!within.has(gid) && x.members.some((m) => m.toLowerCase() === memberId.toLowerCase())) {
            within.add(gid);
            walk(gid);
          }
        }
      };
      walk(id);
      return {
        body: {
          value: this.data.groups
            .filter((x) => within.has(String(x.id).toLowerCase()))
            .map((x) => ({
              "@odata.type": "#microsoft.graph.group",
              id: x.id,
              displayName: x.displayName,
              isAssignableToRole: x.isAssignableToRole,
            })),
        },
      };
    });
    g.route("GET", /^\/v1\.0\/users\/[^/]+\/authentication\/methods$/, (req) => {
      const id = req.url.pathname.split("/")[3]!;
      return { body: { value: this.data.methods[id] ?? [] } };
    });
    g.route("GET", "/v1.0/identity/conditionalAccess/policies", (req) =>
      this.page(g, req, this.data.caPolicies, this.options.caPageSize ?? 50),
    );
    const roleRoute = (name: string, items: () => Json[]) =>
      g.route("GET", `/v1.0/roleManagement/directory/${name}`, (req) => {
        const filter = req.url.searchParams.get("$filter") ?? "";
        const role = /roleDefinitionId eq '([^']+)'/.exec(filter)?.[1];
        if (!role)
          return { status: 400, body: graphError("BadRequest", `fake: ${name} needs a roleDefinitionId filter`) };
        let value = items().filter((i) => i.roleDefinitionId === role);
        if (req.url.searchParams.get("$expand") === "principal")
          value = value.map((i) => ({ ...i, principal: this.principal(String(i.principalId)) ?? null }));
        return this.page(g, req, value, this.options.rolePageSize ?? 100);
      });
    roleRoute("roleAssignmentScheduleInstances", () => this.data.assignmentInstances);
    roleRoute("roleAssignmentSchedules", () => this.data.assignmentSchedules);
    roleRoute("roleEligibilityScheduleInstances", () => this.data.eligibilityInstances);

    // Read by npm run adopt (src/tools/adopt/read.ts).
    g.route("GET", "/v1.0/organization", () =>
      this.data.organization
        ? { body: { value: [this.data.organization] } }
        : { status: 404, body: graphError("Request_ResourceNotFound", "fake: no organization configured") },
    );
    g.route("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", (req) => {
      const id = /^id eq '([^']+)'$/.exec(req.url.searchParams.get("$filter") ?? "")?.[1]?.toLowerCase();
      if (!id)
        return { status: 400, body: graphError("BadRequest", "fake: userRegistrationDetails needs an id filter") };
      const details = this.data.registrationDetails?.[id];
      return { body: { value: details ? [details] : [] } };
    });

    const a = this.arm;
    a.route("GET", "/providers/microsoft.aadiam/diagnosticSettings", (req) =>
      this.armPage(a, req, this.data.diagnosticSettings),
    );
    // Later routes win: any other subscription or group answers as ARM does for a group that does not exist.
    a.route(
      "GET",
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/scheduledQueryRules$/,
      (req) => ({
        status: 404,
        body: {
          error: {
            code: "ResourceGroupNotFound",
            message: `Resource group '${req.url.pathname.split("/")[4]}' could not be found.`,
          },
        },
      }),
    );
    a.route(
      "GET",
      `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.Insights/scheduledQueryRules`,
      (req) => this.armPage(a, req, this.data.scheduledQueryRules),
    );
    // Single ARM resources by id: workspaces, their tables, data collection rules, action groups.
    a.route(
      "GET",
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/(Microsoft\.OperationalInsights|Microsoft\.Insights)\/(workspaces|dataCollectionRules|actionGroups)\/[^/]+(\/tables\/[^/]+)?$/i,
      (req) => {
        const id = req.url.pathname.toLowerCase();
        const all = [
          ...this.data.workspaces,
          ...this.data.dataCollectionRules,
          ...this.data.actionGroups,
          ...Object.values(this.data.tables).flat(),
        ];
        const found = all.find((r) => String(r.id).toLowerCase() === id);
        return found
          ? { body: found }
          : {
              status: 404,
              body: {
                error: { code: "ResourceNotFound", message: `The Resource '${req.url.pathname}' was not found.` },
              },
            };
      },
    );
    // Sentinel analytics rules of a workspace: 404 when no rule list is served (not onboarded).
    a.route("GET", SENTINEL_LIST_ROUTE, (req) => {
      if (!this.data.sentinelAlertRules)
        return {
          status: 404,
          body: { error: { code: "NotFound", message: "The workspace is not onboarded to Microsoft Sentinel." } },
        };
      const prefix = `${req.url.pathname.toLowerCase().replace(/\/providers\/microsoft\.securityinsights\/alertrules$/, "")}/`;
      return this.armPage(
        a,
        req,
        this.data.sentinelAlertRules.filter((r) => String(r.id).toLowerCase().startsWith(prefix)),
      );
    });
    a.route("GET", "/subscriptions", () => ({
      body: {
        value: [{ id: `/subscriptions/${SUBSCRIPTION_ID}`, subscriptionId: SUBSCRIPTION_ID, displayName: "prod" }],
      },
    }));
  }

  /** Graph pages with `@odata.nextLink`. */
  private page(server: FakeGraph, req: FakeRequest, items: Json[], size: number): FakeResponse {
    return pageOf(server, req, items, size, "@odata.nextLink");
  }

  /** ARM pages with `nextLink`. */
  private armPage(server: FakeGraph, req: FakeRequest, items: Json[]): FakeResponse {
    return pageOf(server, req, items, this.options.armPageSize ?? 50, "nextLink");
  }
}

/** One page of `items` at `$skiptoken`, with the link to the next page under `linkKey` unless it is the last. */
export function pageOf(
  server: FakeGraph,
  req: FakeRequest,
  items: Json[],
  size: number,
  linkKey: "@odata.nextLink" | "nextLink" = "@odata.nextLink",
): FakeResponse {
  const skip = Number(req.url.searchParams.get("$skiptoken") ?? 0);
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { body: { value } };
  const next = new URL(`${server.url}${req.url.pathname}${req.url.search}`);
  next.searchParams.set("$skiptoken", String(skip + size));
  return { body: { value, [linkKey]: next.toString() } };
}

export async function startFakeTenant(data: TenantData, options: FakeTenantOptions = {}): Promise<FakeTenant> {
  const [graph, arm] = await Promise.all([startFakeGraph(), startFakeGraph()]);
  return new FakeTenant(graph, arm, data, options);
}
