/**
 * Which roles the audit reads and judges: every Tier-0 role (the model's and the stack's), every managed role, and
 * custom roles whose permissions include what Tier-0 rests on (src/model/builtInRoles.ts), which are Tier-0 too.
 */
import { privilegedActionsOf, TIER0_ROLE_IDS } from "@entra-baseline/model";
import { managedRoles } from "../../config/managedRoles";
import type { BaselineConfig } from "../../config/validate";
import { asRecord, lower, stringList } from "./raw";
import type { RawObject } from "./snapshot";

export function auditedRoles(config: BaselineConfig): { tier0: string[]; managed: string[] } {
  const managed = managedRoles(config.pim);
  const tier0 = [...new Set([...TIER0_ROLE_IDS, ...managed.filter((r) => r.tier0).map((r) => r.roleDefinitionId)])];
  return { tier0, managed: [...new Set([...tier0, ...managed.map((r) => r.roleDefinitionId)])] };
}

/** Custom role definitions granting a Tier-0 permission (or whose permissions cannot be read): Tier-0 equivalents. */
export function privilegedCustomRoleIds(definitions: readonly RawObject[]): string[] {
  return definitions
    .filter((d) => d.isBuiltIn !== true && typeof d.id === "string")
    .filter((d) => {
      const permissions = d.rolePermissions;
      if (!Array.isArray(permissions)) return true;
      return permissions.some((p) => {
        const actions = asRecord(p).allowedResourceActions;
        return (
          !Array.isArray(actions) ||
          actions.some((a) => typeof a !== "string") ||
          privilegedActionsOf(stringList(actions)).length > 0
        );
      });
    })
    .map((d) => lower(d.id)!);
}
