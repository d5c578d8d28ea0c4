/**
 * no-standing-tier0-assignment — severity critical, mandatory.
 * Controls: CISA MS.AAD.7.4 (no permanent active assignments to privileged roles; emergency accounts excepted),
 * MS.AAD.7.5 (no assignments outside PIM), Maester MT.1025–1028, ZTA 21815/21816 (JIT via PIM).
 *
 * Standing Tier-0 access can only come from a legacy `DirectoryRoleAssignment` / `DirectoryRoleMember` or a
 * permanent PIM-for-Groups `PrivilegedAccessGroupAssignmentSchedule` onto a role-assignable group. Only the
 * breakglass accounts may hold one, and only their permanent Global Administrator (any other Tier-0 role, or a role
 * that cannot be resolved to GA, is a violation for them too). At preview a breakglass user's object id
 * is unknown: the assignment is allowed when its principal *came from* a breakglass user (propertyDependencies);
 * an unknown principal without that provenance is rejected, never skipped.
 */
import { GLOBAL_ADMINISTRATOR, policyNames, providerTypes, roleName, TIER0_ROLE_IDS } from "@entra-baseline/model";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { breakglassView, principalVerdict, type BreakglassView } from "../lib/breakglass";
import { breakglassObjectIdsSchema, breakglassUpnsSchema, policyConfig, schema } from "../lib/config";
import { dependenciesOf, describeResource, indexStack, type StackIndex } from "../lib/stack";
import { UNKNOWN, readBoolean, readString } from "../lib/values";

export interface NoStandingTier0Config {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  tier0RoleIds: string[];
}

const types = {
  assignment: providerTypes.directoryRoleAssignment,
  member: providerTypes.directoryRoleMember,
  role: providerTypes.directoryRole,
  pagAssignment: providerTypes.privilegedAccessGroupAssignmentSchedule,
  group: providerTypes.group,
};

export const noStandingTier0Assignment: StackValidationPolicy = {
  name: policyNames.noStandingTier0Assignment,
  description:
    "No permanent (standing) assignment of Global Administrator or another Tier-0 role, except the breakglass accounts' permanent Global Administrator (CISA MS.AAD.7.4/7.5).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    tier0RoleIds: {
      type: "array",
      items: { type: "string" },
      default: [...TIER0_ROLE_IDS],
      description: "Role template ids treated as Tier-0 (default: src/model/roles.ts TIER0_ROLE_IDS).",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<NoStandingTier0Config>(args, noStandingTier0Assignment.configSchema);
    const tier0 = new Set(cfg.tier0RoleIds.map((id) => id.toLowerCase()));
    const index = indexStack(args);
    const view = breakglassView(index, cfg);

    for (const r of index.of(types.assignment)) {
      const roleId = readString(r.props, "roleId");
      if (roleId === UNKNOWN) {
        reportViolation(
          `${describeResource(r)} assigns a role whose id is unknown at preview; a permanent assignment must name a known role template id.`,
          r.urn,
        );
        continue;
      }
      const role = tier0RoleOfAssignment(r, roleId, index, tier0);
      if (role === "not-tier0") continue;
      // Breakglass accounts hold Global Administrator permanently and nothing else: an unresolved role is not GA.
      const label =
        role === "unresolved" ? "a directory role object it cannot resolve (treated as Tier-0)" : roleName(role);
      checkPrincipal(
        r,
        "principalObjectId",
        label,
        view,
        reportViolation,
        role === GLOBAL_ADMINISTRATOR ? "allowed" : "other-role",
      );
    }

    for (const r of index.of(types.member)) {
      const role = tier0RoleOfMember(r, index, tier0);
      if (role === "not-tier0") continue;
      checkPrincipal(
        r,
        "memberObjectId",
        role === "unresolved" ? "an unresolved directory role (treated as Tier-0)" : roleName(role),
        view,
        reportViolation,
        "legacy-membership",
      );
    }

    for (const r of index.of(types.pagAssignment)) {
      const permanent = readBoolean(r.props, "permanentAssignment");
      const expiry = readString(r.props, "expirationDate");
      const duration = readString(r.props, "duration");
      const bounded =
        (typeof expiry === "string" && expiry !== "") || (typeof duration === "string" && duration !== "");
      if (permanent !== true && (bounded || permanent === false)) continue;
      if (!groupIsPrivileged(r, index)) continue;
      reportViolation(
        `${describeResource(r)} is a permanent PIM-for-Groups assignment onto a role-assignable group: standing Tier-0 access. Make it eligible or time-bound.`,
        r.urn,
      );
    }
  },
};

function checkPrincipal(
  r: PolicyResource,
  property: string,
  role: string,
  view: BreakglassView,
  report: (message: string, urn?: string) => void,
  /** What a breakglass principal may hold here: its permanent GA, another role (never), a legacy membership (never). */
  breakglass: "allowed" | "other-role" | "legacy-membership",
): void {
  const verdict = principalVerdict(r, property, view);
  if (verdict === "breakglass" && breakglass === "allowed") return;
  if (verdict === "breakglass" && breakglass === "legacy-membership") {
    report(
      `${describeResource(r)} is a legacy role membership of ${role} for a breakglass account; their only standing path is a DirectoryRoleAssignment.`,
      r.urn,
    );
  } else if (verdict === "breakglass") {
    report(
      `${describeResource(r)} gives ${role} permanently to a breakglass account; breakglass accounts hold Global Administrator permanently and no other Tier-0 role (CISA MS.AAD.7.4).`,
      r.urn,
    );
  } else if (verdict === "unknown") {
    report(
      `${describeResource(r)} gives ${role} permanently to a principal that is unknown at preview and does not come from a breakglass user (configured: ${view.refs.join(", ") || "none"}); standing ${role} is reserved for breakglass accounts.`,
      r.urn,
    );
  } else {
    const principal = readString(r.props, property);
    report(
      `${describeResource(r)} gives ${role} permanently to ${typeof principal === "string" ? principal : "a principal"} that is not a breakglass account; make it PIM-eligible instead (CISA MS.AAD.7.4).`,
      r.urn,
    );
  }
}

/** A role template id as Entra compares it: GUIDs are case-insensitive, and stray whitespace must not hide one. */
function canonicalId(id: string): string {
  return id
    .trim()
    .replace(/^\{(.*)\}$/, "$1")
    .trim()
    .toLowerCase();
}

/** The template id of a declared azuread.DirectoryRole: `templateId`, else its well-known `displayName`. */
function templateOfRole(role: PolicyResource): string | undefined {
  const template = readString(role.props, "templateId");
  if (typeof template === "string" && template.trim() !== "") return canonicalId(template);
  const name = readString(role.props, "displayName");
  if (typeof name !== "string") return undefined;
  const wanted = name.trim().toLowerCase();
  return TIER0_ROLE_IDS.find((id) => roleName(id).toLowerCase() === wanted);
}

/**
 * The Tier-0 role a set of DirectoryRole resources stands for: a role *object* id (not a template id) is only
 * judged through the DirectoryRole it came from; any Tier-0 or unresolvable one makes the whole reference Tier-0.
 */
function tier0OfRoles(roles: PolicyResource[], tier0: Set<string>): string | "not-tier0" | "unresolved" {
  let unresolved = false;
  for (const role of roles) {
    const template = templateOfRole(role);
    if (template === undefined) unresolved = true;
    else if (tier0.has(template)) return template;
  }
  return unresolved ? "unresolved" : "not-tier0";
}

/** DirectoryRole resources a role reference came from, or whose object id it equals. */
function rolesReferenced(r: PolicyResource, property: string, value: unknown, index: StackIndex): PolicyResource[] {
  const fromDeps = dependenciesOf(r, property, types.role);
  if (fromDeps.length > 0) return fromDeps;
  if (typeof value !== "string") return [];
  const id = canonicalId(value);
  return index.of(types.role).filter((d) => {
    const objectId = readString(d.props, "objectId");
    return typeof objectId === "string" && canonicalId(objectId) === id;
  });
}

/**
 * A DirectoryRoleAssignment's `roleId` is a template id for built-in roles, but it can be wired from a declared
 * DirectoryRole (its objectId or templateId output): resolve it through that role, so neither an object id, nor
 * upper case, nor surrounding whitespace hides Global Administrator.
 */
function tier0RoleOfAssignment(
  r: PolicyResource,
  roleId: string | undefined,
  index: StackIndex,
  tier0: Set<string>,
): string | "not-tier0" | "unresolved" {
  const roles = rolesReferenced(r, "roleId", roleId, index);
  if (roles.length > 0) {
    const viaRole = tier0OfRoles(roles, tier0);
    if (viaRole !== "not-tier0") return viaRole;
  }
  if (typeof roleId === "string" && tier0.has(canonicalId(roleId))) return canonicalId(roleId);
  return "not-tier0";
}

/** A DirectoryRoleMember names a role *object*; find its template through the DirectoryRole it came from. */
function tier0RoleOfMember(
  r: PolicyResource,
  index: StackIndex,
  tier0: Set<string>,
): string | "not-tier0" | "unresolved" {
  const roleObjectId = readString(r.props, "roleObjectId");
  const roles = rolesReferenced(r, "roleObjectId", roleObjectId, index);
  if (roles.length === 0) return "unresolved";
  return tier0OfRoles(roles, tier0);
}

/** Role-assignable groups are the ones that can carry directory roles; an unresolvable group counts as one. */
function groupIsPrivileged(r: PolicyResource, index: StackIndex): boolean {
  const groups = dependenciesOf(r, "groupId", types.group);
  const groupId = readString(r.props, "groupId");
  const candidates =
    groups.length > 0
      ? groups
      : index.of(types.group).filter((g) => typeof groupId === "string" && readString(g.props, "objectId") === groupId);
  if (candidates.length === 0) return true;
  return candidates.some((g) => readBoolean(g.props, "assignableToRole") !== false);
}
