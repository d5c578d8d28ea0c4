/**
 * Which resources of a stack are the breakglass accounts, and whether a principal reference points at one.
 *
 * At update time (and in a stack export) ids are known: a principal is breakglass when its object id is a
 * breakglass user's `objectId`. At preview the ids of users created in the same update are unknown; the principal
 * is then breakglass when its property *came from* a breakglass user (`propertyDependencies`). A principal that is
 * unknown and not derived from a breakglass user is "unknown": rules fail closed on it.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isOnMicrosoftDomain, providerTypes } from "@entra-baseline/model";
import { dependenciesOf, type StackIndex } from "./stack";
import { UNKNOWN, isUnknown, readString, type Maybe } from "./values";

export interface BreakglassConfig {
  breakglassUpns: string[];
  breakglassObjectIds?: string[];
  breakglassGroupName?: string;
}

export interface BreakglassView {
  /** The configured references (UPNs or bare names), lower-case. */
  refs: string[];
  /** azuread.User resources whose UPN is a configured breakglass account. */
  users: PolicyResource[];
  userUrns: Set<string>;
  /** Known object ids of breakglass users (outputs) and configured external ones, lower-case. */
  objectIds: Set<string>;
  /** The exclusion group(s) (azuread.Group named breakglassGroupName). */
  groups: PolicyResource[];
  groupUrns: Set<string>;
  groupObjectIds: Set<string>;
}

/** A configured reference matches a UPN: exact (case-insensitive), or a bare name on a *.onmicrosoft.com domain. */
export function matchesBreakglassRef(upn: string, ref: string): boolean {
  const u = upn.toLowerCase();
  const r = ref.toLowerCase();
  if (r.includes("@")) return u === r;
  const at = u.lastIndexOf("@");
  return at > 0 && u.slice(0, at) === r && isOnMicrosoftDomain(u);
}

export function isBreakglassUpn(upn: string, refs: readonly string[]): boolean {
  return refs.some((r) => matchesBreakglassRef(upn, r));
}

/** The object id a user or group resource has once created (outputs `objectId`; unknown at preview). */
export function objectIdOf(resource: PolicyResource): Maybe<string> {
  const id = readString(resource.props, "objectId");
  return id === UNKNOWN || id === undefined ? id : id.toLowerCase();
}

export function breakglassView(index: StackIndex, cfg: BreakglassConfig): BreakglassView {
  const refs = cfg.breakglassUpns.map((r) => r.toLowerCase());
  const users = index.of(providerTypes.user).filter((u) => {
    const upn = readString(u.props, "userPrincipalName");
    return typeof upn === "string" && isBreakglassUpn(upn, refs);
  });
  const objectIds = new Set((cfg.breakglassObjectIds ?? []).map((i) => i.toLowerCase()));
  for (const u of users) {
    const id = objectIdOf(u);
    if (typeof id === "string") objectIds.add(id);
  }
  const groupName = cfg.breakglassGroupName?.toLowerCase();
  const groups = groupName
    ? index
        .of(providerTypes.group)
        .filter((g) => readString(g.props, "displayName")?.toString().toLowerCase() === groupName)
    : [];
  const groupObjectIds = new Set<string>();
  for (const g of groups) {
    const id = objectIdOf(g);
    if (typeof id === "string") groupObjectIds.add(id);
  }
  return {
    refs,
    users,
    userUrns: new Set(users.map((u) => u.urn)),
    objectIds,
    groups,
    groupUrns: new Set(groups.map((g) => g.urn)),
    groupObjectIds,
  };
}

export type PrincipalVerdict = "breakglass" | "other" | "unknown";

/**
 * Whether `resource.props[property]` names a breakglass user, for *granting* an exception (standing GA): by known
 * object id, else by where the value came from. An unknown value counts as breakglass only when it came from
 * breakglass users alone: `pulumi.all([bg.objectId, other.objectId]).apply(([, o]) => o)` depends on a breakglass
 * user too, so "some dependency is breakglass" would let any principal borrow the exception. "unknown" means the
 * value is unknown (preview) and not provably a breakglass user.
 */
export function principalVerdict(resource: PolicyResource, property: string, view: BreakglassView): PrincipalVerdict {
  const value = readString(resource.props, property);
  if (typeof value === "string" && !isUnknown(value))
    return view.objectIds.has(value.trim().toLowerCase()) ? "breakglass" : "other";
  const deps = dependenciesOf(resource, property);
  if (value === UNKNOWN && deps.length > 0 && deps.every((d) => view.userUrns.has(d.urn))) return "breakglass";
  return value === UNKNOWN ? "unknown" : "other";
}

/**
 * Whether `resource.props[property]` may name a breakglass user, for *refusing* something (an eligibility): a known
 * breakglass object id, or an unknown value that came from a breakglass user at all (even mixed with other sources).
 */
export function mayBeBreakglass(resource: PolicyResource, property: string, view: BreakglassView): boolean {
  const value = readString(resource.props, property);
  if (typeof value === "string" && !isUnknown(value)) return view.objectIds.has(value.trim().toLowerCase());
  return dependenciesOf(resource, property).some((d) => view.userUrns.has(d.urn));
}
