/**
 * The brownfield tenant as adopt and the preflight see it: the audit snapshot's sources and adopt's own, merged per
 * question (a user is wherever it was read; a group's members come from either read), turned into the model's facts.
 */
import {
  caPolicyFromGraph,
  emergencyCandidacy,
  GLOBAL_ADMINISTRATOR,
  isCloudOnly,
  policiesExcluding,
  type CaPolicyFacts,
  type EmergencyCandidacy,
} from "@entra-baseline/model";
import { asRecord, lower } from "../audit/raw";
import type { RawObject } from "../audit/snapshot";
import type { AdoptSnapshot, AdoptSourceName } from "./snapshot";

export interface RegistrationState {
  state: "read" | "absent" | "unread";
  methods: string[];
  /** Why it was not read. */
  why?: string;
}

export interface TenantView {
  snapshot: AdoptSnapshot;
  tenantId: string | undefined;
  /** The tenant's initial *.onmicrosoft.com domain, from `GET /organization`. */
  initialDomain: string | undefined;
  users: RawObject[];
  user(id: string): RawObject | undefined;
  /** A config reference (UPN or object id) to the live user. */
  userByRef(ref: string): RawObject | undefined;
  /** Groups a user is in, transitively (read for emergency accounts and their look-alikes only). */
  memberOf(userId: string): string[] | undefined;
  /** Registered authentication methods (`@odata.type`s, lower-case), where read. */
  methods(userId: string): string[] | undefined;
  registration(userId: string): RegistrationState;
  groupMembers(groupId: string): RawObject[] | undefined;
  groupOwners(groupId: string): RawObject[] | undefined;
  group(groupId: string): RawObject | undefined;
  caPolicies: RawObject[];
  caFacts: CaPolicyFacts[];
  fido2: RawObject | undefined;
  /** Why an adopt or audit source was not read (undefined when it was). */
  unread(source: AdoptSourceName | string): string | undefined;
}

export function tenantView(snapshot: AdoptSnapshot): TenantView {
  const s = snapshot.sources;
  const a = snapshot.adopt?.sources ?? {};
  const byId = new Map<string, RawObject>();
  for (const u of [...(s.users ?? []), ...(a.holders ?? [])]) {
    const id = lower(u.id);
    if (id && !byId.has(id)) byId.set(id, u);
  }
  const users = [...byId.values()];
  const groups = new Map<string, RawObject>();
  for (const g of [
    ...(s.breakglassGroups ?? []),
    ...Object.values(a.holderGroups ?? {}).flat(),
    ...Object.values(s.transitiveMemberOf ?? {}).flat(),
  ]) {
    const id = lower(g.id);
    if (id && !groups.has(id)) groups.set(id, g);
  }
  for (const i of [...(s.roleAssignmentScheduleInstances ?? []), ...(s.roleEligibilityScheduleInstances ?? [])]) {
    const p = asRecord(i.principal);
    const id = lower(p.id);
    if (id && lower(p["@odata.type"]) === "#microsoft.graph.group" && !groups.has(id)) groups.set(id, p);
  }
  const keyed = (x: Record<string, RawObject[]> | undefined, id: string) => x?.[id.toLowerCase()] ?? x?.[id];
  const organization = a.organization?.[0];
  const domains = Array.isArray(organization?.verifiedDomains) ? organization.verifiedDomains.map(asRecord) : [];
  const initial = domains.find((d) => d.isInitial === true)?.name;
  const errors = { ...(snapshot.errors ?? {}), ...(snapshot.adopt?.errors ?? {}) } as Record<string, string>;
  const caPolicies = s.caPolicies ?? [];
  const view: TenantView = {
    snapshot,
    tenantId: lower(organization?.id) ?? lower(snapshot.tenantId),
    initialDomain: typeof initial === "string" ? initial.toLowerCase() : undefined,
    users,
    user: (id) => byId.get(id.toLowerCase()),
    userByRef: (ref) => {
      const r = ref.trim().toLowerCase();
      return byId.get(r) ?? users.find((u) => lower(u.userPrincipalName) === r);
    },
    memberOf: (id) => {
      const groupsOf = keyed(a.holderGroups, id) ?? keyed(s.transitiveMemberOf, id);
      return groupsOf?.map((g) => lower(g.id)).filter((g): g is string => g !== undefined);
    },
    methods: (id) => {
      const m = keyed(a.holderMethods, id) ?? keyed(s.authenticationMethods, id);
      return m?.map((x) => lower(x["@odata.type"]) ?? "(unknown)");
    },
    registration: (id) => {
      const why = errors.registrationDetails;
      if (why) return { state: "unread", methods: [], why };
      const found = keyed(a.registrationDetails, id);
      if (found === undefined)
        return {
          state: "unread",
          methods: [],
          why: snapshot.adopt ? "not read when the snapshot was taken" : "the snapshot has no adopt reads",
        };
      const details = found[0];
      if (!details) return { state: "absent", methods: [] };
      const methods = Array.isArray(details.methodsRegistered)
        ? details.methodsRegistered.filter((m): m is string => typeof m === "string")
        : [];
      return { state: "read", methods };
    },
    groupMembers: (id) => keyed(a.groupMembers, id) ?? keyed(s.groupMembers, id),
    groupOwners: (id) => keyed(a.groupOwners, id) ?? keyed(s.groupOwners, id),
    group: (id) => groups.get(id.toLowerCase()),
    caPolicies,
    caFacts: caPolicies.map((p) => caPolicyFromGraph(p)),
    fido2: s.fido2Policy?.[0],
    unread: (source) => errors[source],
  };
  return view;
}

/** Whether a role assignment instance is a permanent, direct Global Administrator at the directory scope. */
export function isPermanentGlobalAdministrator(i: RawObject): boolean {
  return (
    lower(i.roleDefinitionId) === GLOBAL_ADMINISTRATOR &&
    lower(i.assignmentType) === "assigned" &&
    (i.endDateTime === null || i.endDateTime === undefined) &&
    (lower(i.directoryScopeId) ?? "/") === "/" &&
    (i.memberType === undefined || lower(i.memberType) === "direct")
  );
}

/** Users holding Global Administrator permanently and directly (the emergency-account look-alikes), by id. */
export function permanentGlobalAdministratorIds(snapshot: AdoptSnapshot): string[] {
  return [
    ...new Set(
      (snapshot.sources.roleAssignmentScheduleInstances ?? [])
        .filter(
          (i) =>
            isPermanentGlobalAdministrator(i) &&
            lower(asRecord(i.principal)["@odata.type"]) === "#microsoft.graph.user",
        )
        .map((i) => lower(i.principalId))
        .filter((id): id is string => id !== undefined),
    ),
  ].sort();
}

export interface EmergencyLookalike {
  id: string;
  upn: string;
  user: RawObject;
  candidacy: EmergencyCandidacy;
  /** CA policies (that apply to users) excluding it. */
  excludedBy: CaPolicyFacts[];
}

/** The model's verdict on every user holding Global Administrator permanently and directly. */
export function emergencyLookalikes(view: TenantView): EmergencyLookalike[] {
  return permanentGlobalAdministratorIds(view.snapshot).flatMap((id) => {
    const user = view.user(id);
    if (!user) return [];
    const upn = String(user.userPrincipalName ?? id).toLowerCase();
    const excludedBy = policiesExcluding(view.caFacts, { key: id, memberOf: view.memberOf(id) ?? [] });
    let candidacy = emergencyCandidacy({
      upn,
      cloudOnly: isCloudOnly(user),
      permanentGlobalAdministrator: true,
      excludedFromPolicies: excludedBy.length,
    });
    // On the initial domain specifically: config names emergency accounts as <name>@<initial domain>.
    const domain = upn.split("@")[1];
    if (candidacy.kind === "candidate" && view.initialDomain && domain !== view.initialDomain) {
      candidacy = {
        kind: "unfit",
        reasons: [`${upn} is not on the tenant's initial domain ${view.initialDomain}`],
      };
    }
    return [{ id, upn, user, candidacy, excludedBy }];
  });
}
