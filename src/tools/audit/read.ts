/**
 * Reads everything the audit needs from the live tenant, read-only, into an AuditSnapshot.
 *
 * Cost does not grow with the tenant's users: users are looked up by the names the stack config gives
 * (`$filter=… in (…)`), role assignments by role id (Tier-0, managed, and custom roles granting Tier-0 permissions),
 * and the only per-object reads are per breakglass account (groups, authentication methods), per group the checks
 * need (the exclusion group, groups holding a Tier-0 role, pim.groups, approver groups) and per workspace the
 * diagnostic settings send to. First pages go through `$batch`
 * (20 per request); further pages follow `@odata.nextLink`. The Graph client applies the CA (1/s) and
 * authentication-methods (5/10 s) throttles to batched items too.
 *
 * A source that fails is recorded under `errors` (the audit reports it as a finding); a 401/403 anywhere is collected
 * and thrown as AuditAuthError naming the missing permission (exit 2): no report is built without the rights to read.
 */
import { UserInputError } from "../../cli/errors";
import type { BaselineConfig } from "../../config/validate";
import { GraphError, type GraphClient } from "../../graph/client";
import { requiredPermissions } from "../../graph/permissions";
import { GUID, SENTINEL_NRT_API_VERSION } from "@entra-baseline/model";
import { managedRoles } from "../../config/managedRoles";
import { asRecord, lower, stringList } from "./raw";
import { auditedRoles, privilegedCustomRoleIds } from "./roles";
import {
  KEYED_SOURCES,
  LIST_SOURCES,
  SNAPSHOT_VERSION,
  type AuditSnapshot,
  type KeyedSource,
  type ListSource,
  type RawObject,
  type SourceName,
} from "./snapshot";

export const ARM_API_VERSIONS = {
  /** Entra diagnostic settings (docs/references.md, "Azure Resource Manager"; azure-native aadiam.DiagnosticSetting uses it). */
  aadiamDiagnosticSettings: "2017-04-01",
  /** GA version listed by azure-native 3.28 monitor.ScheduledQueryRule ("other available API versions"). */
  scheduledQueryRules: "2023-12-01",
  subscriptions: "2022-12-01",
  /** azure-native 3.28 operationalinsights.Workspace and Table default (docs/references.md, "Azure Resource Manager"). */
  workspaces: "2023-09-01",
  /** azure-native 3.28 monitor.DataCollectionRule default (docs/references.md, "Azure Resource Manager"). */
  dataCollectionRules: "2022-06-01",
  /** A stable action group version (docs/references.md, "Azure Resource Manager"). */
  actionGroups: "2022-06-01",
  /**
   * The preview version the NRT rules are written with (src/model/sentinel.ts): the stable versions' alert rule kinds
   * are Scheduled, Fusion and MicrosoftSecurityIncidentCreation, so an NRT tripwire may not be listed by them.
   */
  sentinelAlertRules: SENTINEL_NRT_API_VERSION,
} as const;

/** The sources read from Azure Resource Manager. */
export const ARM_SOURCES = [
  "diagnosticSettings",
  "workspaces",
  "workspaceTables",
  "dataCollectionRules",
  "scheduledQueryRules",
  "actionGroups",
] as const satisfies readonly SourceName[];

/** The tables the tripwires and the review read: their retention is judged table by table. */
export const LOGGED_TABLES = ["SigninLogs", "AADNonInteractiveUserSignInLogs", "AuditLogs"] as const;

/** `in (…)` filters are chunked: Graph limits the number of values in one filter clause (15 is safe). */
const IN_FILTER_CHUNK = 15;
const USER_SELECT =
  "id,userPrincipalName,mailNickname,displayName,accountEnabled,onPremisesSyncEnabled,onPremisesImmutableId,userType";

export class AuditAuthError extends UserInputError {
  constructor(readonly problems: string[]) {
    super(
      `The audit could not read the tenant with the current identity:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

export interface ReadProgress {
  sourcesDone: number;
  sourcesTotal: number;
  requests: number;
}

export interface ReadTenantOptions {
  graph: GraphClient;
  /** Absent: Microsoft Graph only (the write commands need no ARM source): the ARM sources are recorded as not read. */
  arm?: GraphClient;
  config: BaselineConfig;
  /** Subscriptions whose scheduled query rules are read; default: see `monitoringSubscriptions`. */
  subscriptions?: string[];
  onProgress?(progress: ReadProgress): void;
}

export interface CollectionRead {
  /** Graph path relative to /v1.0, as $batch wants it. */
  url: string;
  /** The answer is one object, not a collection: it is recorded as a list of one. */
  single?: boolean;
}

export type ReadOutcome = { items: RawObject[] } | { error: unknown };

type Sources = AuditSnapshot["sources"];
type Errors = Partial<Record<SourceName, string>>;

export async function readTenant(options: ReadTenantOptions): Promise<AuditSnapshot> {
  const { graph, arm, config } = options;
  const sources: Sources = {};
  // The ARM phase writes apart and goes first in the snapshot, so the key order does not depend on which phase
  // finished first (a saved snapshot is compared byte for byte with the example generator's).
  const armSources: Sources = {};
  const errors: Errors = {};
  const authProblems = new Set<string>();
  const sentinel = config.monitoring.sentinel.enabled;
  const total = LIST_SOURCES.length + KEYED_SOURCES.length + (sentinel ? 1 : 0);
  let done = 0;
  const progress = () =>
    options.onProgress?.({
      sourcesDone: done,
      sourcesTotal: total,
      requests: graph.requestCount + (arm?.requestCount ?? 0),
    });

  const fail = (source: SourceName, error: unknown) => {
    const problem = authProblem(error);
    if (problem) authProblems.add(problem);
    else errors[source] = error instanceof Error ? error.message : String(error);
  };
  const settle = (target: Sources, source: ListSource, outcomes: ReadOutcome[]) => {
    const failed = outcomes.find((o): o is { error: unknown } => "error" in o);
    if (failed) fail(source, failed.error);
    else
      (target as Record<string, RawObject[]>)[source] = dedupe([
        ...((target[source] as RawObject[] | undefined) ?? []),
        ...outcomes.flatMap((o) => ("items" in o ? o.items : [])),
      ]);
    done++;
    progress();
  };
  const readPlan = async (plan: Partial<Record<ListSource, CollectionRead[]>>) => {
    const keys = Object.keys(plan) as ListSource[];
    const flat = keys.flatMap((source) => plan[source]!.map((read) => ({ source, read })));
    const outcomes = await readCollections(
      graph,
      flat.map((f) => f.read),
    );
    for (const source of keys)
      settle(
        sources,
        source,
        outcomes.filter((_, i) => flat[i]!.source === source),
      );
  };

  const graphPhase = async () => {
    await readPlan(listSourceReads(config));
    // Custom roles that grant what Tier-0 rests on are Tier-0: their holders are read like the built-in ones'.
    const custom = privilegedCustomRoleIds(sources.roleDefinitions ?? []);
    if (custom.length > 0 && !errors.roleDefinitions) {
      const extra = roleReads(custom);
      for (const s of Object.keys(extra) as ListSource[]) if (errors[s]) delete extra[s];
      await readPlan(extra);
      done -= Object.keys(extra).length;
    }
    await readKeyedSources(graph, config, sources, errors, fail);
    done += KEYED_SOURCES.length - 1;
    progress();
  };
  const armPhase = async () => {
    if (!arm) {
      for (const source of ARM_SOURCES) errors[source] = "not read: this run reads Microsoft Graph only";
      if (sentinel) errors.sentinelAlertRules = "not read: this run reads Microsoft Graph only";
      done += ARM_SOURCES.length + (sentinel ? 1 : 0);
      return progress();
    }
    const list = async (source: ListSource, what: string, read: () => Promise<RawObject[]>) => {
      try {
        (armSources as Record<string, RawObject[]>)[source] = await read();
      } catch (e) {
        fail(source, armError(e, what));
      }
      done++;
      progress();
    };
    await list("diagnosticSettings", "diagnostic settings", () =>
      armList(
        arm,
        `/providers/microsoft.aadiam/diagnosticSettings?api-version=${ARM_API_VERSIONS.aadiamDiagnosticSettings}`,
      ),
    );
    // The workspaces the settings send to (and the configured one), their tables and transformation rules.
    const workspaceIds = errors.diagnosticSettings
      ? []
      : [
          ...new Set(
            [
              ...(armSources.diagnosticSettings ?? []).map((s) => asRecord(s.properties).workspaceId),
              config.monitoring.existingWorkspaceId,
            ]
              .filter((id): id is string => typeof id === "string" && id.trim() !== "")
              .map((id) => id.trim().toLowerCase()),
          ),
        ];
    if (errors.diagnosticSettings) errors.workspaces = "not read: the diagnostic settings could not be read";
    else await list("workspaces", "workspaces", () => armGetEach(arm, workspaceIds, ARM_API_VERSIONS.workspaces));
    const tables: Record<string, RawObject[]> = {};
    try {
      for (const ws of armSources.workspaces ?? []) {
        const id = String(ws.id).toLowerCase();
        tables[id] = await armGetEach(
          arm,
          LOGGED_TABLES.map((t) => `${id}/tables/${t}`),
          ARM_API_VERSIONS.workspaces,
        );
      }
      if (!errors.workspaces) armSources.workspaceTables = tables;
      else errors.workspaceTables = "not read: the workspaces could not be read";
    } catch (e) {
      fail("workspaceTables", armError(e, "workspace tables"));
    }
    done++;
    if (sentinel) {
      // The analytics rules of every workspace read (those the settings send to, and the configured one).
      if (errors.workspaces) errors.sentinelAlertRules = "not read: the workspaces could not be read";
      else
        await list("sentinelAlertRules", "Sentinel analytics rules", async () => {
          const rules: RawObject[] = [];
          for (const ws of armSources.workspaces ?? []) {
            const path = `${String(ws.id).toLowerCase()}/providers/Microsoft.SecurityInsights/alertRules?api-version=${ARM_API_VERSIONS.sentinelAlertRules}`;
            rules.push(...(await armList(arm, path).catch(notOnboarded)));
          }
          return rules;
        });
    }
    const dcrIds = (armSources.workspaces ?? [])
      .map((w) => asRecord(w.properties).defaultDataCollectionRuleResourceId)
      .filter((id): id is string => typeof id === "string" && id.trim() !== "");
    if (errors.workspaces) errors.dataCollectionRules = "not read: the workspaces could not be read";
    else
      await list("dataCollectionRules", "data collection rules", () =>
        armGetEach(arm, dcrIds, ARM_API_VERSIONS.dataCollectionRules),
      );
    await list("scheduledQueryRules", "scheduled query rules", async () => {
      const subscriptions = options.subscriptions?.length
        ? options.subscriptions
        : await monitoringSubscriptions(arm, config);
      // The program deploys the alert rules into monitoring.resourceGroupName: reading that group needs only Reader on
      // it (docs/operations.md), and a missing group means missing rules, which the tripwire check reports.
      const group = encodeURIComponent(config.monitoring.resourceGroupName);
      const rules: RawObject[] = [];
      for (const sub of subscriptions) {
        const path = `/subscriptions/${encodeURIComponent(sub)}/resourceGroups/${group}/providers/Microsoft.Insights/scheduledQueryRules?api-version=${ARM_API_VERSIONS.scheduledQueryRules}`;
        rules.push(...(await armList(arm, path).catch(noResourceGroup)));
      }
      return rules;
    });
    const groupIds = [
      ...new Set(
        (armSources.scheduledQueryRules ?? []).flatMap((r) =>
          stringList(asRecord(asRecord(r.properties).actions).actionGroups).map((id) => id.trim().toLowerCase()),
        ),
      ),
    ];
    if (errors.scheduledQueryRules) errors.actionGroups = "not read: the scheduled query rules could not be read";
    else await list("actionGroups", "action groups", () => armGetEach(arm, groupIds, ARM_API_VERSIONS.actionGroups));
  };

  progress();
  await Promise.all([graphPhase(), armPhase()]);
  if (authProblems.size > 0) throw new AuditAuthError([...authProblems]);
  return {
    version: SNAPSHOT_VERSION,
    takenAt: new Date().toISOString(),
    tenantId: tenantRead(graph, arm),
    endpoints: { graph: graph.endpoint, ...(arm ? { arm: arm.endpoint } : {}) },
    sources: { ...armSources, ...sources },
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
  };
}

/** Holders of one role, with the principal expanded (its type decides how it holds the role). */
function roleRead(path: string, roleId: string): CollectionRead {
  return {
    url: `/roleManagement/directory/${path}?$filter=${encodeURIComponent(`roleDefinitionId eq '${roleId}'`)}&$expand=principal`,
  };
}

/** Holders (active, their schedules, eligible) of the given roles. */
function roleReads(
  holderRoles: readonly string[],
  eligibleRoles: readonly string[] = holderRoles,
): Partial<Record<ListSource, CollectionRead[]>> {
  return {
    roleAssignmentScheduleInstances: holderRoles.map((id) => roleRead("roleAssignmentScheduleInstances", id)),
    roleAssignmentSchedules: holderRoles.map((id) => ({
      url: `/roleManagement/directory/roleAssignmentSchedules?$filter=${encodeURIComponent(`roleDefinitionId eq '${id}'`)}&$expand=principal`,
    })),
    roleEligibilityScheduleInstances: eligibleRoles.map((id) => roleRead("roleEligibilityScheduleInstances", id)),
  };
}

/**
 * The tenant the answers came from: the `tid` of the tokens both clients used (each client refuses a token of any
 * tenant but the stack's, so they agree), never the stack's config. A read that obtained no token has no tenant.
 */
function tenantRead(graph: GraphClient, arm: GraphClient | undefined): string {
  const tenants = [...new Set([graph.tokenTenantId, arm?.tokenTenantId].filter((t): t is string => t !== undefined))];
  if (tenants.length !== 1) {
    throw new Error(
      `the audit cannot tell which tenant it read: the Graph and ARM tokens name ${tenants.length === 0 ? "no tenant" : tenants.join(" and ")}`,
    );
  }
  return tenants[0]!;
}

/** The tenant-wide reads, by source. Exported for the benchmark and tests (request budget). */
export function listSourceReads(config: BaselineConfig): Partial<Record<ListSource, CollectionRead[]>> {
  const upns = new Set<string>();
  const ids = new Set<string>();
  const domain = config.breakglass.domain;
  if (domain) for (const a of config.breakglass.accounts) upns.add(`${a.name}@${domain}`.toLowerCase());
  for (const a of config.breakglass.accounts) if (a.objectId) ids.add(a.objectId);
  const roles = managedRoles(config.pim);
  const people = [
    ...roles.flatMap((r) => [...r.eligibleUsers, ...r.rules.approvers.users]),
    ...config.pim.groups.flatMap((g) => g.eligibleMembers),
  ];
  for (const ref of people) (GUID.test(ref) ? ids : upns).add(ref.toLowerCase());
  const nicknames = config.breakglass.accounts.map((a) => a.name);
  const users = [
    ...inFilters("userPrincipalName", [...upns]),
    ...inFilters("id", [...ids]),
    ...inFilters("mailNickname", nicknames),
  ].map((filter) => ({ url: `/users?$filter=${filter}&$select=${USER_SELECT}` }));
  const { tier0, managed } = auditedRoles(config);
  return {
    users,
    breakglassGroups: [
      {
        url: `/groups?$filter=${encodeURIComponent(`displayName eq ${odataString(config.breakglass.groupName)}`)}&$select=id,displayName,isAssignableToRole,securityEnabled`,
      },
    ],
    caPolicies: [{ url: "/identity/conditionalAccess/policies" }],
    authenticationContexts: [{ url: "/identity/conditionalAccess/authenticationContextClassReferences" }],
    fido2Policy: [
      { url: "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2", single: true },
    ],
    roleDefinitions: [
      {
        url: `/roleManagement/directory/roleDefinitions?$filter=${encodeURIComponent("isBuiltIn eq false")}&$select=id,displayName,isBuiltIn,isEnabled,templateId,rolePermissions`,
      },
    ],
    ...roleReads(tier0, managed),
    roleManagementPolicyAssignments: managed.map((id) => ({
      url: `/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(
        `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${id}'`,
      )}&$expand=${encodeURIComponent("policy($expand=rules)")}`,
    })),
  };
}

/** The groups the audit reads per group: why each is read decides which reads it gets. */
export function auditedGroups(
  config: BaselineConfig,
  sources: Sources,
): { members: string[]; owners: string[]; pim: string[]; policies: string[] } {
  const exclusion = (sources.breakglassGroups ?? []).map((g) => String(g.id).toLowerCase());
  const { tier0 } = auditedRoles(config);
  const tier0Set = new Set([...tier0, ...privilegedCustomRoleIds(sources.roleDefinitions ?? [])]);
  const holding = new Set<string>();
  for (const item of [
    ...(sources.roleAssignmentScheduleInstances ?? []),
    ...(sources.roleEligibilityScheduleInstances ?? []),
  ]) {
    const isGroup = lower(asRecord(item.principal)["@odata.type"]) === "#microsoft.graph.group";
    if (isGroup && typeof item.principalId === "string" && tier0Set.has(lower(item.roleDefinitionId) ?? ""))
      holding.add(item.principalId.toLowerCase());
  }
  const pimGroups = config.pim.groups.map((g) => g.group.toLowerCase());
  const approverGroups = managedRoles(config.pim).flatMap((r) => r.rules.approvers.groups.map((g) => g.toLowerCase()));
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    members: uniq([...exclusion, ...holding, ...pimGroups, ...approverGroups]),
    owners: uniq([...exclusion, ...holding]),
    pim: uniq([...holding, ...pimGroups]),
    policies: uniq(pimGroups),
  };
}

/** Per breakglass account and per group: one `$batch` round, after the tenant-wide reads. */
async function readKeyedSources(
  graph: GraphClient,
  config: BaselineConfig,
  sources: Sources,
  errors: Errors,
  fail: (source: SourceName, error: unknown) => void,
): Promise<void> {
  const reads: { source: KeyedSource; key: string; read: CollectionRead }[] = [];
  if (sources.users) {
    for (const user of breakglassUsers(config, sources.users)) {
      const id = String(user.id);
      reads.push({
        source: "transitiveMemberOf",
        key: id,
        read: { url: `/users/${id}/transitiveMemberOf?$select=id,displayName,isAssignableToRole` },
      });
      reads.push({ source: "authenticationMethods", key: id, read: { url: `/users/${id}/authentication/methods` } });
    }
  } else {
    const why = `not read: the breakglass accounts could not be looked up (${errors.users ?? "users failed"})`;
    if (errors.users) errors.transitiveMemberOf = errors.authenticationMethods = why;
  }
  const groups = auditedGroups(config, sources);
  for (const id of groups.members) {
    reads.push({
      source: "groupMembers",
      key: id,
      read: { url: `/groups/${id}/transitiveMembers?$select=id,userPrincipalName,displayName` },
    });
  }
  for (const id of groups.owners) {
    reads.push({
      source: "groupOwners",
      key: id,
      read: { url: `/groups/${id}/owners?$select=id,userPrincipalName,displayName` },
    });
  }
  for (const id of groups.pim) {
    const filter = encodeURIComponent(`groupId eq '${id}'`);
    reads.push({
      source: "groupAssignmentScheduleInstances",
      key: id,
      read: { url: `/identityGovernance/privilegedAccess/group/assignmentScheduleInstances?$filter=${filter}` },
    });
    reads.push({
      source: "groupEligibilityScheduleInstances",
      key: id,
      read: { url: `/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=${filter}` },
    });
  }
  for (const id of groups.policies) {
    reads.push({
      source: "groupPolicyAssignments",
      key: id,
      read: {
        url: `/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(`scopeId eq '${id}' and scopeType eq 'Group'`)}&$expand=${encodeURIComponent("policy($expand=rules)")}`,
      },
    });
  }
  const holdersFailed = errors.roleAssignmentScheduleInstances || errors.roleEligibilityScheduleInstances;
  if (holdersFailed) {
    errors.groupMembers =
      errors.groupAssignmentScheduleInstances =
      errors.groupEligibilityScheduleInstances =
        "not read: the Tier-0 role holders could not be read";
  }
  if (errors.breakglassGroups) errors.groupOwners = "not read: the exclusion group could not be looked up";

  const outcomes = await readCollections(
    graph,
    reads.map((r) => r.read),
  );
  const keyed: Partial<Record<KeyedSource, Record<string, RawObject[]>>> = {};
  for (const source of KEYED_SOURCES) {
    if (source === "workspaceTables" || errors[source]) continue;
    // A group that no longer exists (404) has no members or owners to read: it is absent from the source, not a
    // failed read. The checks fail closed on what is absent: a role held by a group whose members are not in the
    // source is standing access, an exclusion group whose members or owners are not is unverified.
    const gone = (o: ReadOutcome) =>
      "error" in o && o.error instanceof GraphError && o.error.status === 404 && /^group/.test(source);
    const mine = reads.map((r, i) => ({ r, o: outcomes[i]! })).filter((x) => x.r.source === source && !gone(x.o));
    const failed = mine.find((x) => "error" in x.o);
    if (failed && "error" in failed.o) {
      fail(source, failed.o.error);
      continue;
    }
    keyed[source] = Object.fromEntries(mine.map((x) => [x.r.key, "items" in x.o ? x.o.items : []]));
  }
  Object.assign(sources, keyed);
}

/** The live users that are the configured emergency accounts (by object id, UPN or mail nickname). */
export function breakglassUsers(config: BaselineConfig, users: readonly RawObject[]): RawObject[] {
  const names = new Set(config.breakglass.accounts.map((a) => a.name.toLowerCase()));
  const ids = new Set(config.breakglass.accounts.flatMap((a) => (a.objectId ? [a.objectId] : [])));
  const domain = config.breakglass.domain?.toLowerCase();
  return users.filter((u) => {
    const upn = lower(u.userPrincipalName) ?? "";
    const local = upn.split("@")[0] ?? "";
    return (
      ids.has(lower(u.id) ?? "") ||
      names.has(lower(u.mailNickname) ?? "") ||
      (names.has(local) && (!domain || upn.endsWith(`@${domain}`)))
    );
  });
}

/**
 * First pages through `$batch`, further pages by `@odata.nextLink`. Each read gets its own outcome: one failed read
 * never hides or empties another. Exported for npm run adopt's own reads (src/tools/adopt/read.ts).
 */
export async function readCollections(graph: GraphClient, reads: CollectionRead[]): Promise<ReadOutcome[]> {
  if (reads.length === 0) return [];
  let answers;
  try {
    answers = await graph.batch<unknown>(reads.map((r, i) => ({ id: String(i), method: "GET" as const, url: r.url })));
  } catch (e) {
    return reads.map(() => ({ error: e }));
  }
  return Promise.all(
    answers.map(async (answer, i): Promise<ReadOutcome> => {
      const read = reads[i]!;
      const path = `/v1.0${read.url}`;
      if (answer.status < 200 || answer.status > 299)
        return { error: batchItemError(path, answer.status, answer.body) };
      const body = asRecord(answer.body);
      if (read.single) {
        if (typeof answer.body !== "object" || answer.body === null || Array.isArray(answer.body)) {
          return { error: new GraphError(`GET ${stripQuery(path)} returned no object`, answer.status, "GET", path) };
        }
        return { items: [body] };
      }
      if (!Array.isArray(body.value)) {
        return {
          error: new GraphError(
            `GET ${stripQuery(path)} returned no "value" array: not a Graph collection`,
            answer.status,
            "GET",
            path,
          ),
        };
      }
      const next = body["@odata.nextLink"];
      if (next !== undefined && typeof next !== "string") {
        return {
          error: new GraphError(
            `GET ${stripQuery(path)} returned a malformed @odata.nextLink`,
            answer.status,
            "GET",
            path,
          ),
        };
      }
      try {
        const items = objectItems(body.value, path);
        return {
          items: next === undefined ? items : [...items, ...objectItems(await graph.list<unknown>(next), next)],
        };
      } catch (e) {
        return { error: e };
      }
    }),
  );
}

/**
 * The items of a collection must be objects, and the users and groups the audit looks up must carry their id (it keys
 * the per-account reads and the exclusion checks): anything else is a malformed answer that names where, never an
 * item silently dropped or a crash in a check.
 */
function objectItems(items: unknown[], path: string): RawObject[] {
  const where = `GET ${stripQuery(path)}`;
  const needsId = /^(\/v1\.0)?\/(users|groups)$/i.test(stripQuery(path).replace(/^https?:\/\/[^/]+/i, ""));
  items.forEach((item, i) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new GraphError(
        `${where} returned a malformed item at value[${i}]: ${truncate(JSON.stringify(item) ?? String(item))} is not an object`,
        200,
        "GET",
        path,
      );
    }
    if (needsId && typeof (item as RawObject).id !== "string") {
      throw new GraphError(`${where} returned an object without an id at value[${i}]`, 200, "GET", path);
    }
  });
  return items as RawObject[];
}

function truncate(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function batchItemError(path: string, status: number, body: unknown): GraphError {
  const err = asRecord(asRecord(body).error);
  const code = typeof err.code === "string" ? err.code : undefined;
  const detail =
    [code, typeof err.message === "string" ? err.message : undefined].filter(Boolean).join(": ") || "no error body";
  const where = `GET ${stripQuery(path)}`;
  if (status === 401 || status === 403) {
    const rule = requiredPermissions("GET", path);
    const needs = rule
      ? ` The identity needs the Microsoft Graph permission ${rule.permissions.join(" or ")} with admin consent${rule.role ? ` (signed in as a user: the ${rule.role} role)` : ""}.`
      : " Check the identity's Graph permissions and admin consent.";
    return new GraphError(
      `${where} was denied (${status} ${detail}).${needs}`,
      status,
      "GET",
      path,
      code,
      rule?.permissions,
    );
  }
  return new GraphError(`${where} failed with ${status}: ${detail}`, status, "GET", path, code);
}

/** ARM resources by id, one GET each; one that no longer exists (404) is left out, for the checks to report. */
async function armGetEach(arm: GraphClient, ids: readonly string[], apiVersion: string): Promise<RawObject[]> {
  const out: RawObject[] = [];
  for (const id of ids) {
    try {
      const item = asRecord(await arm.get<unknown>(`${id}?api-version=${apiVersion}`));
      out.push({ ...item, id: typeof item.id === "string" ? item.id : id });
    } catch (e) {
      if (e instanceof GraphError && e.status === 404) continue;
      throw e;
    }
  }
  return out;
}

/**
 * An ARM collection: the ARM client pages by `nextLink` (its origin checked, loops and runaway paging refused), and
 * every item must be an object.
 */
async function armList(arm: GraphClient, path: string): Promise<RawObject[]> {
  return objectItems(await arm.list<unknown>(path), path);
}

/**
 * Where the tripwire lives when neither --subscription nor the stack's azure-native:subscriptionId says: the
 * subscription the azure-native provider deploys to (ARM_SUBSCRIPTION_ID, as the pipelines set it, or
 * AZURE_SUBSCRIPTION_ID), else that of monitoring.existingWorkspaceId, else every subscription the identity can read.
 */
export async function monitoringSubscriptions(arm: GraphClient, config: BaselineConfig): Promise<string[]> {
  const fromEnv = (process.env.ARM_SUBSCRIPTION_ID || process.env.AZURE_SUBSCRIPTION_ID)?.trim();
  if (fromEnv) return [fromEnv];
  const fromWorkspace = /^\/subscriptions\/([^/]+)\//i.exec(config.monitoring.existingWorkspaceId ?? "")?.[1];
  if (fromWorkspace) return [fromWorkspace];
  const subs = await armList(arm, `/subscriptions?api-version=${ARM_API_VERSIONS.subscriptions}`);
  return subs.map((s) => s.subscriptionId).filter((s): s is string => typeof s === "string");
}

function noResourceGroup(error: unknown): RawObject[] {
  if (error instanceof GraphError && error.status === 404 && error.code === "ResourceGroupNotFound") return [];
  throw error;
}

/** A workspace not onboarded to Sentinel has no analytics rules (ARM answers 404 for its alertRules). */
function notOnboarded(error: unknown): RawObject[] {
  if (error instanceof GraphError && error.status === 404) return [];
  throw error;
}

/** ARM 401/403 messages name the Azure role instead of Graph permissions. */
function armError(error: unknown, what: string): unknown {
  if (!(error instanceof GraphError) || (error.status !== 401 && error.status !== 403) || error.method === "AUTH")
    return error;
  const role =
    what === "diagnostic settings"
      ? "an Entra role that can read diagnostic settings (Security Reader or Global Reader) and, for service principals, an Azure role assignment at scope /providers/Microsoft.aadiam (known issue, unconfirmed)"
      : "the Azure role Reader (or Monitoring Reader) on the monitoring resource group (monitoring.resourceGroupName)";
  const detail = error.message.replace(
    / (The deploying identity needs|Check the identity's Graph permissions|Check the identity's Azure role assignments).*$/,
    "",
  );
  return new GraphError(`${detail} Reading ${what} needs ${role}.`, error.status, error.method, error.path, error.code);
}

function authProblem(error: unknown): string | undefined {
  return error instanceof GraphError && (error.status === 401 || error.status === 403) ? error.message : undefined;
}

/** `property in (…)` filters, chunked and URL-encoded (also used by npm run adopt's reads). */
export function inFilters(property: string, values: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += IN_FILTER_CHUNK) {
    const chunk = values.slice(i, i + IN_FILTER_CHUNK);
    out.push(encodeURIComponent(`${property} in (${chunk.map(odataString).join(",")})`));
  }
  return out;
}

/** An OData string literal: single quotes, doubled inside. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function dedupe(items: RawObject[]): RawObject[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (typeof item.id !== "string") return true;
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}

function stripQuery(path: string): string {
  return path.split("?")[0]!;
}
