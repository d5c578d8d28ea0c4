/**
 * Which directory role a stack's role reference names. Built-in roles are named by template id (the same in every
 * tenant); a reference can also be wired from a declared azuread.DirectoryRole (its objectId or templateId output)
 * or a CustomDirectoryRole. Neither an object id, nor upper case, braces or stray whitespace may hide a Tier-0 role:
 * whatever cannot be resolved is returned as undefined, which the model treats as Tier-0.
 */
import type { PolicyResource } from "@pulumi/policy";
import { privilegedActionsOf, providerTypes, resolveRole, TIER0_ROLE_IDS } from "@entra-baseline/model";
import { dependenciesOf, type StackIndex } from "./stack";
import { UNKNOWN, readArray, readString } from "./values";

/** A role id as Entra compares it: GUIDs are case-insensitive, and stray whitespace or braces must not hide one. */
export function canonicalId(id: string): string {
  return id
    .trim()
    .replace(/^\{(.*)\}$/, "$1")
    .trim()
    .toLowerCase();
}

/** The template id a declared azuread.DirectoryRole stands for: `templateId`, else its built-in `displayName`. */
function templateOfDirectoryRole(role: PolicyResource): string | undefined {
  const template = readString(role.props, "templateId");
  if (typeof template === "string" && template.trim() !== "") return canonicalId(template);
  const name = readString(role.props, "displayName");
  return typeof name === "string" ? resolveRole(name)?.templateId : undefined;
}

/**
 * True when a declared custom role grants a permission Tier-0 rests on (src/model/builtInRoles.ts): holding it is
 * holding Tier-0, whatever it is called. Unknown permissions count as privileged.
 */
const UNKNOWN_OR_NOT_STRING = (a: unknown) => typeof a !== "string";

export function isPrivilegedCustomRole(role: PolicyResource): boolean {
  const permissions = readArray(role.props, "permissions");
  if (permissions === UNKNOWN || permissions === undefined) return true;
  return permissions.some((p) => {
    const actions = readArray(p, "allowedResourceActions");
    if (actions === UNKNOWN || actions === undefined) return true;
    return (
      actions.some(UNKNOWN_OR_NOT_STRING) ||
      privilegedActionsOf(actions.filter((a): a is string => typeof a === "string")).length > 0
    );
  });
}

/** Tier-0 set for the stack: the configured template ids plus the ids of declared privileged custom roles. */
export function tier0Set(index: StackIndex, configured: readonly string[] = TIER0_ROLE_IDS): Set<string> {
  const set = new Set(configured.map(canonicalId));
  for (const role of index.of(providerTypes.customDirectoryRole)) {
    if (!isPrivilegedCustomRole(role)) continue;
    for (const key of ["objectId", "templateId"]) {
      const id = readString(role.props, key);
      if (typeof id === "string") set.add(canonicalId(id));
    }
    set.add(role.urn);
  }
  return set;
}

/**
 * The role `r.props[property]` references, as a template id (or a custom role's id or URN); undefined when it cannot
 * be resolved (unknown at preview without a role resource behind it, or a role object id matching no declared role).
 * `kind` says whether the value is a template id (`roleId` of an assignment) or a role object id (`roleObjectId`).
 */
export function roleAt(
  r: PolicyResource,
  property: string,
  index: StackIndex,
  kind: "templateId" | "objectId",
): string | undefined {
  const value = readString(r.props, property);
  if (typeof value === "string") {
    // A known id is judged by what it names, never by the resources it was computed from: `reader.templateId
    // .apply(() => GA)` names Global Administrator, and a value wired from two roles names the one it equals.
    const named = [...index.of(providerTypes.directoryRole), ...index.of(providerTypes.customDirectoryRole)].filter(
      (d) =>
        ["objectId", "templateId"].some((k) => {
          const v = readString(d.props, k);
          return typeof v === "string" && canonicalId(v) === canonicalId(value);
        }),
    );
    if (named.length > 0) return oneRole(named);
    // A bare template id names the role itself.
    if (kind === "templateId") return canonicalId(value);
  } else if (value !== UNKNOWN) {
    return undefined;
  }
  // Unknown at preview, or a role object id no declared role shows: the role resources it came from, when they all
  // stand for one role; from several roles (or none) it cannot be told which, and an unresolved role is Tier-0.
  const fromDeps = dependenciesOf(r, property, providerTypes.directoryRole, providerTypes.customDirectoryRole);
  return fromDeps.length > 0 ? oneRole(fromDeps) : undefined;
}

/** The role a set of role resources stands for, when they all stand for the same one; else undefined. */
function oneRole(roles: readonly PolicyResource[]): string | undefined {
  const resolved = new Set(
    roles.map((role) => {
      if (role.type === providerTypes.customDirectoryRole) {
        const id = readString(role.props, "objectId");
        return typeof id === "string" ? canonicalId(id) : role.urn;
      }
      return templateOfDirectoryRole(role);
    }),
  );
  return resolved.size === 1 ? [...resolved][0] : undefined;
}
