/**
 * The healthy tenant of a world config (test/support/fakes/tenant.ts healthyTenant) with what a real tenant adds:
 * the exceptions' principals holding their roles standing, assigned outside PIM as Entra Connect and a deployment
 * pipeline do. Cases mutate it one fact at a time; the audit reads it through the production reader.
 */
import type { BaselineConfig } from "../../../src/config/validate";
import { assignmentInstance, assignmentSchedule, healthyTenant, user, type TenantData } from "../fakes/tenant";

export function worldTenant(config: BaselineConfig): TenantData {
  const data = healthyTenant(config);
  let n = 500;
  for (const e of config.exceptions) {
    if (e.principalType === "user")
      data.users.push(
        user(e.principal, `sync_${e.principal.slice(0, 6)}@contoso.onmicrosoft.com`, { displayName: e.label }),
      );
    else data.servicePrincipals.push({ id: e.principal, displayName: e.label, appId: e.principal });
    for (const roleId of e.roles) {
      data.assignmentInstances.push(assignmentInstance(n, roleId, e.principal));
      data.assignmentSchedules.push(assignmentSchedule(n, roleId, e.principal, { createdUsing: null }));
      n++;
    }
  }
  return data;
}
