/**
 * A Tier-0 directory role assigned outside PIM (Azure-Sentinel's logic, reference §6), except to the breakglass
 * principals, whose permanent Global Administrator is by design (ScubaGear #2393 is the false positive we avoid).
 * CISA MS.AAD.7.5.
 */
import { kqlStringList } from "../logAlertQuery";
import { TIER0_ROLES } from "../roles";
import { assertAccounts, type BreakglassPrincipals } from "./breakglassPrincipals";
import { actorExpression, ingestedSince } from "./common";

export const OUTSIDE_PIM_DIMENSIONS = ["RoleName", "PrincipalName", "Actor"] as const;

export const OUTSIDE_PIM_COLUMNS = [
  "TimeGenerated",
  "OperationName",
  "RoleName",
  "PrincipalName",
  "PrincipalId",
  "Actor",
  "Result",
  "CorrelationId",
] as const;

/** Audit logs name roles by display name; the names come from the one Tier-0 list in src/model/roles.ts. */
export const TIER0_ROLE_NAMES: readonly string[] = Object.values(TIER0_ROLES);

export function roleAssignedOutsidePimQuery(
  breakglass: BreakglassPrincipals,
  evaluationFrequencyMinutes: number,
): string {
  assertAccounts(breakglass);
  return [
    "// entra-baseline: a Tier-0 role was assigned outside PIM (CISA MS.AAD.7.5).",
    "AuditLogs",
    ingestedSince(evaluationFrequencyMinutes),
    '| where Category =~ "RoleManagement"',
    '| where OperationName has "Add member to role outside of PIM"',
    '    or (LoggedByService =~ "Core Directory" and OperationName =~ "Add member to role" and Identity != "MS-PIM")',
    "| mv-apply Target = TargetResources on (",
    '    summarize RoleName = take_anyif(tostring(Target.displayName), tostring(Target.type) =~ "Role"),',
    '              PrincipalId = take_anyif(tostring(Target.id), tostring(Target.type) !~ "Role"),',
    '              PrincipalName = take_anyif(coalesce(tostring(Target.userPrincipalName), tostring(Target.displayName)), tostring(Target.type) !~ "Role")',
    "  )",
    `| where RoleName in~ ${kqlStringList(TIER0_ROLE_NAMES)}`,
    `| where PrincipalId !in~ ${kqlStringList([...breakglass.objectIds, breakglass.groupObjectId])}`,
    `    and PrincipalName !in~ ${kqlStringList(breakglass.userPrincipalNames)}`,
    `| extend Actor = ${actorExpression}`,
    `| project ${OUTSIDE_PIM_COLUMNS.join(", ")}`,
  ].join("\n");
}
