/**
 * The facts every check needs, derived once from the snapshot and the stack config: which live users are the
 * breakglass accounts, the exclusion group, the managed roles and the Tier-0 set (the model's roles, the stack's
 * Tier-0 roles, and custom roles that grant Tier-0 permissions), the declared exceptions, and the object ids of the
 * people the config names. Checks are adapters: they turn these into the model's facts and report its verdicts.
 */
import type { BaselineConfig } from "../../config/validate";
import { managedRoles, type ManagedRole } from "../../config/managedRoles";
import {
  durationSeconds,
  GUID,
  MODEL_BOUNDS,
  resolveRole,
  type PrincipalFacts,
  type PrincipalType,
  type StandingException,
} from "@entra-baseline/model";
import { asRecord, lower } from "./raw";
import { auditedRoles, privilegedCustomRoleIds } from "./roles";

export { asRecord, lower, stringList } from "./raw";
import type { AuditSnapshot, RawObject } from "./snapshot";

export interface BreakglassAccountState {
  /** Configured local part (breakglass.accounts[].name). */
  name: string;
  /** The UPN the stack declares: name@breakglass.domain (undefined when the domain is unknown). */
  expectedUpn?: string;
  /** The live user: matched by adopted object id, UPN, else mail nickname (a renamed account is still found). */
  user?: RawObject;
}

export interface AuditContext {
  config: BaselineConfig;
  snapshot: AuditSnapshot;
  /** When the audit judges (the snapshot's time): expiries and activation ends are compared with it. */
  now: Date;
  breakglass: BreakglassAccountState[];
  /** Object ids of the breakglass accounts found live, lower-case. */
  breakglassIds: Set<string>;
  /** The exclusion group(s): groups named breakglass.groupName. */
  breakglassGroups: RawObject[];
  roles: ManagedRole[];
  /** Role ids (lower-case) judged as Tier-0: the model's, the stack's Tier-0 roles, privileged custom roles. */
  tier0: Set<string>;
  /** Custom role definitions that grant Tier-0 permissions. */
  privilegedCustomRoles: RawObject[];
  exceptions: StandingException[];
  maxActivationSeconds: number;
  /** A config reference (UPN or object id) → the live user's object id, lower-case; undefined when not found. */
  resolveUser(ref: string): string | undefined;
  /** A principal as the model's facts, from an expanded `principal` (or what is known of the id). */
  principal(principal: unknown, id: unknown): PrincipalFacts;
  /** The members (transitive, lower-case ids) of a group that was read, or undefined. */
  groupMembers(groupId: string): RawObject[] | undefined;
}

const ODATA_TYPES: Readonly<Record<string, PrincipalType>> = {
  "#microsoft.graph.user": "user",
  "#microsoft.graph.serviceprincipal": "servicePrincipal",
  "#microsoft.graph.group": "group",
};

export function principalTypeOf(principal: unknown): PrincipalType | "unknown" {
  return ODATA_TYPES[lower(asRecord(principal)["@odata.type"]) ?? ""] ?? "unknown";
}

export function buildContext(snapshot: AuditSnapshot, config: BaselineConfig): AuditContext {
  const users = snapshot.sources.users ?? [];
  const domain = config.breakglass.domain?.toLowerCase();
  const breakglass = config.breakglass.accounts.map((account): BreakglassAccountState => {
    const expectedUpn = domain ? `${account.name}@${domain}`.toLowerCase() : undefined;
    const byId = account.objectId ? users.find((u) => lower(u.id) === account.objectId) : undefined;
    const byUpn = expectedUpn ? users.find((u) => lower(u.userPrincipalName) === expectedUpn) : undefined;
    const byNickname = users.filter((u) => lower(u.mailNickname) === account.name.toLowerCase());
    return { name: account.name, expectedUpn, user: byId ?? byUpn ?? byNickname[0] };
  });
  const breakglassIds = new Set(breakglass.flatMap((b) => (b.user ? [lower(b.user.id)!] : [])));
  for (const a of config.breakglass.accounts) if (a.objectId) breakglassIds.add(a.objectId);
  const customIds = new Set(privilegedCustomRoleIds(snapshot.sources.roleDefinitions ?? []));
  const tier0 = new Set([...auditedRoles(config).tier0, ...customIds]);
  const exceptions: StandingException[] = config.exceptions.map((e) => ({
    principal: e.principal.toLowerCase(),
    principalType: e.principalType,
    ...(e.label ? { label: e.label } : {}),
    roles: e.roles.flatMap((r) => {
      const role = resolveRole(r);
      return role ? [role.templateId] : [];
    }),
    reason: e.reason,
    owner: e.owner,
    expires: e.expires,
  }));
  const members = snapshot.sources.groupMembers ?? {};
  const resolveUser = (ref: string) => {
    const r = ref.toLowerCase();
    if (GUID.test(r)) return users.some((u) => lower(u.id) === r) ? r : undefined;
    const user = users.find((u) => lower(u.userPrincipalName) === r);
    return user ? lower(user.id) : undefined;
  };
  return {
    config,
    snapshot,
    now: new Date(Date.parse(snapshot.takenAt)),
    breakglass,
    breakglassIds,
    breakglassGroups: snapshot.sources.breakglassGroups ?? [],
    roles: managedRoles(config.pim),
    tier0,
    privilegedCustomRoles: (snapshot.sources.roleDefinitions ?? []).filter((d) => customIds.has(lower(d.id) ?? "")),
    exceptions,
    maxActivationSeconds: Math.min(
      durationSeconds(config.limits.activationDuration.max) ?? MODEL_BOUNDS.tier0MaxActivationSeconds,
      MODEL_BOUNDS.tier0MaxActivationSeconds,
    ),
    resolveUser,
    principal(principal: unknown, id: unknown): PrincipalFacts {
      const p = asRecord(principal);
      const objectId = lower(p.id) ?? lower(id) ?? "";
      const name = p.userPrincipalName ?? p.displayName ?? p.appId;
      return {
        key: objectId || "(no id)",
        ...(objectId ? { objectId } : {}),
        type: principalTypeOf(principal),
        label: typeof name === "string" ? name : objectId || "(unknown principal)",
        breakglass: breakglassIds.has(objectId),
      };
    },
    groupMembers(groupId: string) {
      return members[groupId.toLowerCase()] ?? members[groupId];
    },
  };
}

/** "user adele.vance@contoso.com (id)", "servicePrincipal Deploy app (id)", "group Tier-0 admins (id)". */
export function describePrincipal(principal: unknown, fallbackId?: unknown): string {
  const p = asRecord(principal);
  const type =
    typeof p["@odata.type"] === "string" ? p["@odata.type"].replace(/^#?microsoft\.graph\./i, "") : "principal";
  const name = p.userPrincipalName ?? p.displayName ?? p.appId;
  const id = p.id ?? fallbackId;
  return `${type} ${typeof name === "string" ? name : "(unknown name)"}${typeof id === "string" ? ` (${id})` : ""}`;
}

export function breakglassLabel(b: BreakglassAccountState): string {
  const upn = b.user?.userPrincipalName;
  return typeof upn === "string" ? upn : (b.expectedUpn ?? b.name);
}
