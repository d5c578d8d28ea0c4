/**
 * A Tier-0 directory role assigned outside PIM (CISA MS.AAD.7.5), from what the logs really say (docs/references.md, "Logs and KQL"–§3,
 * docs/references.md, "Tables and columns" as corrected):
 *
 * - PIM's own record "Add member to role outside of PIM (permanent)", and a direct grant logged by Core Directory
 *   ("Add member to role") that PIM's service identity did not make (`Identity` is neither "MS-PIM" nor, in the US
 *   Government cloud, "MS-PIM-Fairfax").
 * - The role: Core Directory names it in the *principal's* target, modifiedProperties `Role.DisplayName` and
 *   `Role.TemplateId` (JSON-quoted newValue); its Role target has no display name. PIM's record names it in the
 *   `Role` target (displayName, and the `TemplateId` property or the target's id). Both are read.
 * - The principal: the target of type User, ServicePrincipal or Group (a PIM record also has Request, Directory and
 *   Other targets).
 *
 * Not alerted: a breakglass account's Global Administrator, which is by design (ScubaGear #2393 is the false
 * positive avoided) — any other Tier-0 role on it alerts; and exactly the declared exceptions' principal/role
 * pairs, each only until its expiry, which is written into the query so the exclusion lapses without a redeploy.
 */
import { exceptionRefusals, type StandingException } from "../exceptions";
import { GLOBAL_ADMINISTRATOR, resolveRole, roleName, TIER0_ROLES } from "../roles";
import {
  aggregate,
  and,
  call,
  coalesce,
  column,
  datetime,
  eqCi,
  extend,
  isempty,
  isInCi,
  type KqlQuery,
  lt,
  member,
  mvApply,
  nonEmptyArray,
  not,
  notIn,
  type Operator,
  or,
  pipeline,
  project,
  type Scalar,
  startswith,
  str,
  summarize,
  tostring,
  where,
} from "./ast";
import { assertAccounts, type BreakglassPrincipals } from "./breakglassPrincipals";
import { actorExpression, canonicalValues, ingestedSince } from "./common";
import { renderKql } from "./render";

export const OUTSIDE_PIM_DIMENSIONS = ["RoleName", "PrincipalName", "Actor"] as const;

export const OUTSIDE_PIM_COLUMNS = [
  "TimeGenerated",
  "OperationName",
  "RoleName",
  "RoleTemplateId",
  "PrincipalName",
  "PrincipalId",
  "PrincipalType",
  "Actor",
  "Result",
  "CorrelationId",
] as const;

/** Audit logs name roles by display name; the names come from the one Tier-0 list in src/model/roles.ts. */
export const TIER0_ROLE_NAMES: readonly string[] = Object.values(TIER0_ROLES);

/** PIM's service identities, whose Core Directory records are the directory side of a PIM operation. */
export const PIM_SERVICE_IDENTITIES = ["MS-PIM", "MS-PIM-Fairfax"] as const;

/** The operation PIM logs when it finds an assignment made outside it ("(permanent)" in Entra's list). */
export const OUTSIDE_PIM_OPERATION_PREFIX = "Add member to role outside of PIM";
export const DIRECT_GRANT_OPERATION = "Add member to role";

/** The target types of a principal, and how an exception's principalType appears there. */
export const LOGGED_PRINCIPAL_TYPES = { user: "User", servicePrincipal: "ServicePrincipal", group: "Group" } as const;

const target = column("Target");
const targetType = column("TargetType");
const property = column("Property");
const isPrincipal = isInCi(targetType, Object.values(LOGGED_PRINCIPAL_TYPES));
const isRole = eqCi(targetType, str("Role"));
/** A modified property's new value, without the JSON quotes it is logged with. */
const newValue = call("trim", str('"'), tostring(member(property, "newValue")));
const propertyNamed = (...names: string[]) =>
  names.length === 1
    ? eqCi(tostring(member(property, "displayName")), str(names[0]!))
    : isInCi(tostring(member(property, "displayName")), names);

/** One row per record: who was granted which role, from whichever target names it. */
const grantedRoleAndPrincipal: Operator = mvApply("Target", column("TargetResources"), [
  extend({ TargetType: tostring(member(target, "type")) }),
  mvApply("Property", nonEmptyArray(member(target, "modifiedProperties")), [
    summarize({
      PropertyRoleName: aggregate("take_anyif", newValue, propertyNamed("Role.DisplayName")),
      PropertyRoleTemplateId: aggregate("take_anyif", newValue, propertyNamed("Role.TemplateId", "TemplateId")),
    }),
  ]),
  summarize({
    PrincipalId: aggregate("take_anyif", tostring(member(target, "id")), isPrincipal),
    PrincipalType: aggregate("take_anyif", targetType, isPrincipal),
    PrincipalName: aggregate(
      "take_anyif",
      coalesce(tostring(member(target, "userPrincipalName")), tostring(member(target, "displayName"))),
      isPrincipal,
    ),
    PrincipalRoleName: aggregate("take_anyif", column("PropertyRoleName"), isPrincipal),
    PrincipalRoleTemplateId: aggregate("take_anyif", column("PropertyRoleTemplateId"), isPrincipal),
    RoleTargetName: aggregate("take_anyif", tostring(member(target, "displayName")), isRole),
    RoleTargetTemplateId: aggregate("take_anyif", column("PropertyRoleTemplateId"), isRole),
    RoleTargetId: aggregate("take_anyif", tostring(member(target, "id")), isRole),
  }),
]);

/** The end of an exception's last day (YYYY-MM-DD, UTC, inclusive) as an instant; undefined if not a date. */
function exceptionEnd(expires: string): string | undefined {
  const start = Date.parse(`${expires}T00:00:00Z`);
  return Number.isNaN(start) ? undefined : new Date(start + 86_400_000).toISOString();
}

/**
 * `PrincipalId =~ … and PrincipalType =~ … and RoleTemplateId in~ (…) and TimeGenerated < <end of expiry day>` for
 * each exception the model would honour (coveringException): refused ones and unknown roles cover nothing.
 */
export function exceptionClauses(exceptions: readonly StandingException[]): Scalar[] {
  return exceptions.flatMap((e) => {
    if (exceptionRefusals(e).length > 0) return [];
    const roles = canonicalValues(e.roles.flatMap((r) => resolveRole(r)?.templateId ?? []));
    const end = exceptionEnd(e.expires);
    if (roles.length === 0 || !end) return [];
    return [
      and(
        eqCi(column("PrincipalId"), str(e.principal.trim().toLowerCase())),
        eqCi(column("PrincipalType"), str(LOGGED_PRINCIPAL_TYPES[e.principalType])),
        isInCi(column("RoleTemplateId"), roles),
        lt(column("TimeGenerated"), datetime(end)),
      ),
    ];
  });
}

export function roleAssignedOutsidePimDefinition(
  breakglass: BreakglassPrincipals,
  evaluationFrequencyMinutes: number,
  exceptions: readonly StandingException[] = [],
): KqlQuery {
  assertAccounts(breakglass);
  const roleTemplateId = column("RoleTemplateId");
  const isGlobalAdministrator = or(
    eqCi(roleTemplateId, str(GLOBAL_ADMINISTRATOR)),
    and(isempty(roleTemplateId), eqCi(column("RoleName"), str(roleName(GLOBAL_ADMINISTRATOR)))),
  );
  const excepted = exceptionClauses(exceptions);
  return {
    comments: ["entra-baseline: a Tier-0 role was assigned outside PIM (CISA MS.AAD.7.5)."],
    body: pipeline(
      "AuditLogs",
      ingestedSince(evaluationFrequencyMinutes),
      where(eqCi(column("Category"), str("RoleManagement"))),
      where(
        or(
          startswith(column("OperationName"), str(OUTSIDE_PIM_OPERATION_PREFIX)),
          and(
            eqCi(column("LoggedByService"), str("Core Directory")),
            eqCi(column("OperationName"), str(DIRECT_GRANT_OPERATION)),
            notIn(column("Identity"), PIM_SERVICE_IDENTITIES),
          ),
        ),
      ),
      grantedRoleAndPrincipal,
      extend({ RoleName: coalesce(column("PrincipalRoleName"), column("RoleTargetName")) }),
      extend({
        RoleTemplateId: call(
          "tolower",
          coalesce(column("PrincipalRoleTemplateId"), column("RoleTargetTemplateId"), column("RoleTargetId")),
        ),
      }),
      where(or(isInCi(roleTemplateId, Object.keys(TIER0_ROLES)), isInCi(column("RoleName"), TIER0_ROLE_NAMES))),
      where(not(and(isInCi(column("PrincipalId"), canonicalValues(breakglass.objectIds)), isGlobalAdministrator))),
      ...(excepted.length > 0 ? [where(not(excepted.length === 1 ? excepted[0]! : or(...excepted)))] : []),
      extend({ Actor: actorExpression }),
      project(...OUTSIDE_PIM_COLUMNS),
    ),
  };
}

export function roleAssignedOutsidePimQuery(
  breakglass: BreakglassPrincipals,
  evaluationFrequencyMinutes: number,
  exceptions: readonly StandingException[] = [],
): string {
  return renderKql(roleAssignedOutsidePimDefinition(breakglass, evaluationFrequencyMinutes, exceptions));
}
