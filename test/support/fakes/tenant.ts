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
  TRIPWIRE,
  TRIPWIRE_RULE_KEYS,
  STRENGTH_POLICY_IDS,
} from "@entra-baseline/model";
import { activationPolicyBody } from "../../../src/components/conditionalAccess/policies";
import { validConfig } from "../stack";
import { desiredActivationSettings } from "../../../src/tools/audit/checks/pimPolicy";
import { FakePimPolicies } from "./pimPolicy";
import { graphError, startFakeGraph, type FakeGraph, type FakeRequest, type FakeResponse } from "./graphServer";
import * as path from "node:path";

export type Json = Record<string, unknown>;

export const ROOT = path.resolve(__dirname, "../../..");
export const SUBSCRIPTION_ID = "22222222-3333-4444-5555-666666666666";
const RG = "rg-entra-baseline-prod";

export function guid(n: number, prefix = "00000000"): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** The test stack (test/support/fixtures/stack/Pulumi.test.yaml), validated. */
export function testConfig(): BaselineConfig {
  return validConfig();
}

export interface TenantData {
  users: Json[];
  groups: (Json & { members: string[] })[];
  caPolicies: Json[];
  /** Active assignments; `principal` is filled from users/groups/servicePrincipals on `$expand=principal`. */
  assignmentInstances: Json[];
  assignmentSchedules: Json[];
  eligibilityInstances: Json[];
  servicePrincipals: Json[];
  methods: Record<string, Json[]>;
  pimRules: Json[];
  diagnosticSettings: Json[];
  scheduledQueryRules: Json[];
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
export function activationCaPolicy(contextId: string, excludeGroups: string[]): Json {
  const body = activationPolicyBody(contextId, "enabled", "phishingResistant");
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
        id: STRENGTH_POLICY_IDS.phishingResistant,
        displayName: "Phishing-resistant MFA",
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
      scopes: [
        `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/law-entra-baseline-prod`,
      ],
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
      actions: {
        actionGroups: [
          `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/ag-entra-baseline-prod`,
        ],
      },
      ...extra,
    },
  };
}

/** A tenant that matches `config` exactly: the audit must find nothing in it. */
export function healthyTenant(config: BaselineConfig): TenantData {
  let n = 1;
  const domain = config.breakglass.domain!;
  const breakglass = config.breakglass.accounts.map((a) =>
    user(guid(n++, "b0000000"), `${a.name}@${domain}`, { displayName: a.displayName }),
  );
  const admins = config.pim.eligibleAdmins.map((upn) => user(guid(n++, "ad000000"), upn));
  const approvers = config.pim.approvers.users
    .filter((u) => !config.pim.eligibleAdmins.includes(u))
    .map((upn) => user(guid(n++, "ad000000"), upn));
  const users = [...breakglass, ...admins, ...approvers];
  const group = {
    "@odata.type": "#microsoft.graph.group",
    id: guid(1, "9b000000"),
    displayName: config.breakglass.groupName,
    isAssignableToRole: true,
    securityEnabled: true,
    members: breakglass.map((b) => String(b.id)),
  };
  const resolve = (ref: string) =>
    users.find((u) => String(u.userPrincipalName).toLowerCase() === ref.toLowerCase())?.id as string | undefined;
  const pimRules = desiredRules(desiredActivationSettings(config, resolve).settings) as unknown as Json[];
  const accounts = breakglass.map((b) => ({ upn: String(b.userPrincipalName), id: String(b.id) }));
  return {
    users,
    groups: [group],
    caPolicies: [
      ...[1, 2, 3].map((i) =>
        caPolicy(i, [group.id], { state: i === 3 ? "enabledForReportingButNotEnforced" : "enabled" }),
      ),
      ...(config.pim.authenticationContextId
        ? [activationCaPolicy(config.pim.authenticationContextId, [group.id])]
        : []),
    ],
    assignmentInstances: breakglass.map((b, i) => assignmentInstance(i + 1, GLOBAL_ADMINISTRATOR, String(b.id))),
    // Breakglass GA is granted through the legacy endpoint: outside PIM by design (createdUsing null).
    assignmentSchedules: breakglass.map((b, i) =>
      assignmentSchedule(i + 1, GLOBAL_ADMINISTRATOR, String(b.id), { createdUsing: null }),
    ),
    eligibilityInstances: admins.map((a, i) => eligibilityInstance(i + 1, GLOBAL_ADMINISTRATOR, String(a.id))),
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
    pimRules,
    diagnosticSettings: [
      {
        id: `/providers/microsoft.aadiam/diagnosticSettings/${config.monitoring.diagnosticSettingName}`,
        name: config.monitoring.diagnosticSettingName,
        type: "microsoft.aadiam/diagnosticSettings",
        properties: {
          workspaceId: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/law-entra-baseline-prod`,
          logs: config.monitoring.logCategories.map((category) => ({
            category,
            enabled: true,
            retentionPolicy: { enabled: false, days: 0 },
          })),
        },
      },
    ],
    scheduledQueryRules: TRIPWIRE_RULE_KEYS.map((key) => tripwireRule(key, accounts)),
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
  }

  async close(): Promise<void> {
    await Promise.all([this.graph.close(), this.arm.close()]);
  }

  private principal(id: string): Json | undefined {
    const u = this.usersById.get(id.toLowerCase());
    if (u) return u;
    const g = this.data.groups.find((x) => x.id === id);
    if (g) {
      const { members: _members, ...rest } = g;
      return rest;
    }
    return this.data.servicePrincipals.find((s) => s.id === id);
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
      const group = this.data.groups.find((x) => x.id === req.url.pathname.split("/")[3]);
      if (!group) return { status: 404, body: graphError("Request_ResourceNotFound", "no such group") };
      return { body: { value: group.members.map((id) => ({ "@odata.type": userType, id })) } };
    });
    g.route("GET", /^\/v1\.0\/users\/[^/]+\/transitiveMemberOf$/, (req) => {
      const id = req.url.pathname.split("/")[3]!;
      if (!this.usersById.has(id.toLowerCase()))
        return { status: 404, body: graphError("Request_ResourceNotFound", "no such user") };
      return {
        body: {
          value: this.data.groups
            .filter((x) => x.members.includes(id))
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
