/**
 * Reads a brownfield tenant for `npm run adopt`, read-only: the tenant itself first (`GET /organization`, so that a
 * stack of another tenant stops before anything else is read), then everything the audit reads (readTenant, with
 * the discovery config), then adopt's own reads into `adopt.sources` (src/tools/adopt/snapshot.ts).
 *
 * Cost does not grow with the tenant's users. Adopt's own reads are: the organization and the FIDO2 configuration
 * (one each); the users who hold, are eligible for or approve a Tier-0 role, by id (`id in (…)`, 15 per request),
 * and those an existing stack names; per emergency-account look-alike (a user holding Global Administrator
 * permanently and directly), its groups; per person it reports on, their registration details
 * (`userRegistrationDetails`: the reports throttle of 5 requests per 10 s applies, about 2 s per admin); per
 * emergency account it adopts, its methods; per group it may adopt as the exclusion group, members and owners; per
 * approver group of a live PIM policy, its members. Everything goes through `$batch` like the audit's reads.
 *
 * A source that fails is recorded under `adopt.errors` (the preflight reports it as a risk); a 401/403 anywhere is
 * thrown as AuditAuthError naming the permission (exit 2).
 */
import { UserInputError } from "../../cli/errors";
import type { BaselineConfig } from "../../config/validate";
import { GraphError, type GraphClient } from "../../graph/client";
import { DIRECTORY_SYNCHRONIZATION_ACCOUNTS, settingsFromRules, type PolicyRule } from "@entra-baseline/model";
import { asRecord, lower } from "../audit/raw";
import { AuditAuthError, inFilters, readCollections, readTenant, type CollectionRead } from "../audit/read";
import type { AuditSnapshot, RawObject } from "../audit/snapshot";
import { splitRefs } from "./discovery";
import { emergencyLookalikes, permanentGlobalAdministratorIds, tenantView } from "./view";
import {
  ADOPT_SNAPSHOT_VERSION,
  type AdoptKeyedSource,
  type AdoptListSource,
  type AdoptReads,
  type AdoptSnapshot,
  type AdoptSourceName,
} from "./snapshot";

const USER_SELECT =
  "id,userPrincipalName,mailNickname,displayName,accountEnabled,onPremisesSyncEnabled,onPremisesImmutableId,userType,usageLocation";
const ORGANIZATION_PATH = "/v1.0/organization?$select=id,displayName,verifiedDomains";

export interface ReadAdoptOptions {
  graph: GraphClient;
  arm: GraphClient;
  /**
   * What the audit part reads by (src/tools/adopt/discovery.ts), or how to make it from the tenant id the
   * organization read names.
   */
  config: BaselineConfig | ((tenantId: string) => BaselineConfig);
  /** The tenant the stack is pinned to; another tenant's answers stop the read (exit 2). */
  expectTenantId?: string;
  subscriptions?: string[];
  /** Users an existing stack names (UPNs or ids), read with the holders; `eligible` ones are reported on too. */
  userRefs?: { all: readonly string[]; eligible: readonly string[] };
}

/** The tenant id `GET /organization` names; a stack pinned to another tenant stops here. */
export async function readOrganization(graph: GraphClient, expectTenantId?: string): Promise<RawObject[]> {
  let orgs: RawObject[];
  try {
    orgs = (await graph.list<unknown>(ORGANIZATION_PATH)).map(asRecord);
  } catch (e) {
    if (e instanceof GraphError && (e.status === 401 || e.status === 403)) throw new AuditAuthError([e.message]);
    throw e;
  }
  const id = lower(orgs[0]?.id);
  if (orgs.length !== 1 || !id) {
    throw new UserInputError(`GET /v1.0/organization returned ${orgs.length} organizations; expected exactly one`);
  }
  if (expectTenantId && id !== expectTenantId.toLowerCase()) {
    throw new UserInputError(
      `the identity signed in to tenant ${id}, but the stack governs tenant ${expectTenantId} (tenant.tenantId): nothing was read or written; sign in to the stack's tenant`,
    );
  }
  return orgs;
}

export async function readAdoptSnapshot(options: ReadAdoptOptions): Promise<AdoptSnapshot> {
  const { graph } = options;
  const organization = await readOrganization(graph, options.expectTenantId);
  const tenantId = lower(organization[0]!.id)!;
  const audit = await readTenant({
    graph,
    arm: options.arm,
    config: typeof options.config === "function" ? options.config(tenantId) : options.config,
    subscriptions: options.subscriptions,
  });
  const adopt = await readAdoptSources(graph, audit, organization, options.userRefs ?? { all: [], eligible: [] });
  return { ...audit, tenantId, adopt };
}

type Keyed = Record<string, RawObject[]>;

async function readAdoptSources(
  graph: GraphClient,
  audit: AuditSnapshot,
  organization: RawObject[],
  userRefs: { all: readonly string[]; eligible: readonly string[] },
): Promise<AdoptReads> {
  const sources: AdoptReads["sources"] = { organization };
  const errors: Partial<Record<AdoptSourceName, string>> = {};
  const auth = new Set<string>();
  const fail = (source: AdoptSourceName, error: unknown) => {
    if (error instanceof GraphError && (error.status === 401 || error.status === 403)) auth.add(error.message);
    else errors[source] = error instanceof Error ? error.message : String(error);
  };

  // Round 1: the holders (users). The FIDO2 configuration is the audit part's (fido2Policy).
  const configured = splitRefs(userRefs.all);
  const holderIds = [...new Set([...holderUserIds(audit), ...configured.ids])];
  const userReads = [...inFilters("id", holderIds), ...inFilters("userPrincipalName", configured.upns)].map((f) => ({
    url: `/users?$filter=${f}&$select=${USER_SELECT}`,
  }));
  const holders = await readList(graph, userReads);
  settleList(sources, "holders", holders, fail);

  // Round 2: per look-alike, its groups (its candidacy depends on them); per person reported on, their registration.
  const users = [...(audit.sources.users ?? []), ...(sources.holders ?? [])];
  const known = new Set(users.map((u) => lower(u.id)));
  // What the audit part already read (the configured emergency accounts' groups and methods) is not read again.
  const lookalikes = permanentGlobalAdministratorIds(audit).filter(
    (id) => known.has(id) && audit.sources.transitiveMemberOf?.[id] === undefined,
  );
  const byRef = (ref: string) =>
    lower(users.find((u) => lower(u.id) === ref || lower(u.userPrincipalName) === ref)?.id);
  const people = [
    ...new Set([
      ...peopleToReportOn(audit, users),
      ...userRefs.eligible.map(byRef).filter((id): id is string => id !== undefined),
    ]),
  ].sort();
  if (errors.holders) {
    errors.holderGroups = errors.holderMethods = errors.registrationDetails = `not read: ${errors.holders}`;
  }
  await readKeyed(
    graph,
    [
      ...lookalikes.map((id) => ({
        source: "holderGroups" as const,
        key: id,
        read: { url: `/users/${id}/transitiveMemberOf?$select=id,displayName,isAssignableToRole,securityEnabled` },
      })),
      ...people.map((id) => ({
        source: "registrationDetails" as const,
        key: id,
        read: {
          url: `/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent(`id eq '${id}'`)}`,
        },
      })),
    ],
    sources,
    fail,
  );

  // Round 3: the emergency accounts' methods, the groups they share that a CA policy excludes (the exclusion group
  // to adopt: members and owners), and the approver groups of the live PIM policies.
  const partial = tenantView({ ...audit, adopt: { version: ADOPT_SNAPSHOT_VERSION, sources } });
  const candidates = emergencyLookalikes(partial).filter((l) => l.candidacy.kind === "candidate");
  const excluded = new Set(partial.caFacts.flatMap((p) => p.users.excludeGroups));
  const candidateGroups = [
    ...new Set(candidates.flatMap((c) => (partial.memberOf(c.id) ?? []).filter((g) => excluded.has(g)))),
  ];
  const membersKnown = audit.sources.groupMembers ?? {};
  const approverGroups = liveApprovers(audit).groups.filter((g) => membersKnown[g] === undefined);
  await readKeyed(
    graph,
    [
      ...candidates
        .filter((c) => audit.sources.authenticationMethods?.[c.id] === undefined)
        .map((c) => ({
          source: "holderMethods" as const,
          key: c.id,
          read: { url: `/users/${c.id}/authentication/methods` },
        })),
      ...[...new Set([...candidateGroups, ...approverGroups])].map((id) => ({
        source: "groupMembers" as const,
        key: id,
        read: { url: `/groups/${id}/transitiveMembers?$select=id,userPrincipalName,displayName` },
      })),
      ...candidateGroups.map((id) => ({
        source: "groupOwners" as const,
        key: id,
        read: { url: `/groups/${id}/owners?$select=id,userPrincipalName,displayName` },
      })),
    ],
    sources,
    fail,
  );

  if (auth.size > 0) throw new AuditAuthError([...auth]);
  return {
    version: ADOPT_SNAPSHOT_VERSION,
    sources,
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
  };
}

async function readList(
  graph: GraphClient,
  reads: CollectionRead[],
): Promise<{ items: RawObject[] } | { error: unknown }> {
  const outcomes = await readCollections(graph, reads);
  const failed = outcomes.find((o): o is { error: unknown } => "error" in o);
  return failed ?? { items: dedupe(outcomes.flatMap((o) => ("items" in o ? o.items : []))) };
}

function settleList(
  sources: AdoptReads["sources"],
  source: AdoptListSource,
  outcome: { items: RawObject[] } | { error: unknown },
  fail: (source: AdoptSourceName, error: unknown) => void,
): void {
  if ("error" in outcome) fail(source, outcome.error);
  else sources[source] = outcome.items;
}

async function readKeyed(
  graph: GraphClient,
  reads: { source: AdoptKeyedSource; key: string; read: CollectionRead }[],
  sources: AdoptReads["sources"],
  fail: (source: AdoptSourceName, error: unknown) => void,
): Promise<void> {
  const outcomes = await readCollections(
    graph,
    reads.map((r) => r.read),
  );
  const bySource = new Map<AdoptKeyedSource, Keyed>();
  const failed = new Set<AdoptKeyedSource>();
  reads.forEach((r, i) => {
    const o = outcomes[i]!;
    if ("error" in o) {
      if (!failed.has(r.source)) fail(r.source, o.error);
      failed.add(r.source);
      return;
    }
    const into = bySource.get(r.source) ?? { ...(sources[r.source] ?? {}) };
    into[r.key] = o.items;
    bySource.set(r.source, into);
  });
  for (const [source, value] of bySource) if (!failed.has(source)) sources[source] = value;
}

const USER_TYPE = "#microsoft.graph.user";
const GROUP_TYPE = "#microsoft.graph.group";

function isUser(principal: unknown): boolean {
  return lower(asRecord(principal)["@odata.type"]) === USER_TYPE;
}

/** Users of Tier-0 holdings and eligibilities (direct, or members of groups holding one) and live approvers. */
export function holderUserIds(audit: AuditSnapshot): string[] {
  const s = audit.sources;
  const ids = new Set<string>();
  for (const i of [...(s.roleAssignmentScheduleInstances ?? []), ...(s.roleEligibilityScheduleInstances ?? [])]) {
    const id = lower(i.principalId);
    if (id && isUser(i.principal)) ids.add(id);
    if (id && lower(asRecord(i.principal)["@odata.type"]) === GROUP_TYPE) {
      for (const m of (s.groupMembers ?? {})[id] ?? []) {
        const mid = lower(m.id);
        if (mid && (m["@odata.type"] === undefined || isUser(m))) ids.add(mid);
      }
    }
  }
  for (const id of liveApprovers(audit).users) ids.add(id);
  return [...ids].sort();
}

/** Approvers named by the live PIM policies (users and groups, lower-case ids). */
export function liveApprovers(audit: AuditSnapshot): { users: string[]; groups: string[] } {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const a of audit.sources.roleManagementPolicyAssignments ?? []) {
    const rules = asRecord(a.policy).rules;
    if (!Array.isArray(rules)) continue;
    try {
      for (const approver of settingsFromRules(String(a.roleDefinitionId ?? ""), rules as PolicyRule[]).approval
        .approvers) {
        (approver.kind === "user" ? users : groups).add(approver.id.toLowerCase());
      }
    } catch {
      // Unreadable rules: the audit part reports them; adopt has no approvers to read from them.
    }
  }
  return { users: [...users], groups: [...groups] };
}

/**
 * The people adopt reports on: users holding or eligible for a Tier-0 role, directly or through a group, but not
 * those whose only Tier-0 role is Directory Synchronization Accounts (Entra Connect's service account).
 */
export function peopleToReportOn(audit: AuditSnapshot, users: readonly RawObject[]): string[] {
  const s = audit.sources;
  const roles = new Map<string, Set<string>>();
  const add = (id: string, role: string) => roles.set(id, (roles.get(id) ?? new Set()).add(role));
  for (const i of [...(s.roleAssignmentScheduleInstances ?? []), ...(s.roleEligibilityScheduleInstances ?? [])]) {
    const id = lower(i.principalId);
    const role = lower(i.roleDefinitionId) ?? "";
    if (!id) continue;
    if (isUser(i.principal)) add(id, role);
    else if (lower(asRecord(i.principal)["@odata.type"]) === GROUP_TYPE) {
      for (const m of (s.groupMembers ?? {})[id] ?? []) {
        const mid = lower(m.id);
        if (mid && (m["@odata.type"] === undefined || isUser(m))) add(mid, role);
      }
    }
  }
  const known = new Set(users.map((u) => lower(u.id)));
  return [...roles]
    .filter(([id, held]) => known.has(id) && [...held].some((r) => r !== DIRECTORY_SYNCHRONIZATION_ACCOUNTS))
    .map(([id]) => id)
    .sort();
}

function dedupe(items: RawObject[]): RawObject[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = lower(item.id);
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
