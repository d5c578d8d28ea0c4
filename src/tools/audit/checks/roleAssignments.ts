/**
 * Tier-0 role assignments: permanent active grants (MS.AAD.7.4), grants made outside PIM (MS.AAD.7.5), the number
 * of Global Administrators (MS.AAD.7.1) and GA eligibilities the stack does not declare.
 *
 * Facts (reference §2): an instance with `assignmentType == "Assigned"` and no `endDateTime` is permanent active;
 * a schedule with `createdUsing == null` (or no start) was made outside PIM (unconfirmed, inferred from Graph
 * examples; Maester MS.AAD.7.5 uses the same test). The breakglass accounts' permanent Global Administrator is the
 * design and is exempt from both — it is granted through the legacy roleAssignments endpoint, which PIM sees as
 * "outside". Nothing else is: any other Tier-0 role a breakglass account holds is standing access it does not need.
 */
import { GLOBAL_ADMINISTRATOR, isTier0Role, roleName } from "@entra-baseline/model";
import { asRecord, describePrincipal, lower, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

export function permanentTier0Findings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  for (const instance of ctx.snapshot.sources.roleAssignmentScheduleInstances ?? []) {
    const roleId = lower(instance.roleDefinitionId);
    if (!roleId || !isTier0Role(roleId)) continue;
    if (!isPermanentActive(instance)) continue;
    if (isBreakglassGlobalAdmin(ctx, roleId, instance.principalId)) continue;
    const ga = roleId === GLOBAL_ADMINISTRATOR;
    const breakglass = ctx.breakglassIds.has(lower(instance.principalId) ?? "");
    out.push(
      finding(
        "AUD-PERMANENT-TIER0",
        {
          object: `${describePrincipal(instance.principal, instance.principalId)} → ${roleName(roleId)}`,
          expected: breakglass
            ? "breakglass accounts hold Global Administrator permanently and no other Tier-0 role"
            : ga
              ? "eligible in PIM, activated just in time (only breakglass accounts hold GA permanently)"
              : "eligible in PIM, no standing assignment",
          actual: `permanent active assignment since ${String(instance.startDateTime ?? "unknown")}${instance.memberType === "Group" ? " (through a group)" : ""}`,
        },
        { severity: ga ? "critical" : "high" },
      ),
    );
  }
  return out;
}

export function outsidePimFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  for (const schedule of ctx.snapshot.sources.roleAssignmentSchedules ?? []) {
    const roleId = lower(schedule.roleDefinitionId);
    if (!roleId || !isTier0Role(roleId)) continue;
    if (schedule.assignmentType !== undefined && schedule.assignmentType !== "Assigned") continue;
    if (isBreakglassGlobalAdmin(ctx, roleId, schedule.principalId)) continue;
    const start = asRecord(schedule.scheduleInfo).startDateTime;
    if (schedule.createdUsing && start) continue;
    out.push(
      finding("AUD-OUTSIDE-PIM", {
        object: `${describePrincipal(schedule.principal, schedule.principalId)} → ${roleName(roleId)}`,
        expected: "assigned through a PIM request (createdUsing set)",
        actual: `assigned outside PIM (createdUsing ${JSON.stringify(schedule.createdUsing ?? null)}, start ${JSON.stringify(start ?? null)})`,
      }),
    );
  }
  return out;
}

/** Distinct holders of Global Administrator, eligible or active; groups count as their members. */
export function globalAdminHolders(ctx: AuditContext): Set<string> {
  const holders = new Set<string>();
  const members = ctx.snapshot.sources.groupMembers ?? {};
  const add = (item: RawObject) => {
    if (lower(item.roleDefinitionId) !== GLOBAL_ADMINISTRATOR) return;
    const id = lower(item.principalId);
    if (!id) return;
    const type = lower(asRecord(item.principal)["@odata.type"]);
    const groupMembers = members[id] ?? members[String(item.principalId)];
    if (type === "#microsoft.graph.group" && groupMembers) {
      for (const m of groupMembers) if (typeof m.id === "string") holders.add(m.id.toLowerCase());
    } else {
      holders.add(id);
    }
  };
  for (const i of ctx.snapshot.sources.roleAssignmentScheduleInstances ?? []) add(i);
  for (const i of ctx.snapshot.sources.roleEligibilityScheduleInstances ?? []) add(i);
  return holders;
}

export function globalAdminCountFindings(ctx: AuditContext): Finding[] {
  const { min, max } = ctx.config.limits.globalAdmins;
  const count = globalAdminHolders(ctx).size;
  if (count >= min && count <= max) return [];
  return [
    finding("AUD-GA-COUNT", {
      object: "Global Administrator role",
      expected: `${min}–${max} holders, eligible + permanent (limits.globalAdmins)`,
      actual: `${count} holders`,
    }),
  ];
}

export function eligibilityFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const eligible = (ctx.snapshot.sources.roleEligibilityScheduleInstances ?? []).filter(
    (i) => lower(i.roleDefinitionId) === GLOBAL_ADMINISTRATOR,
  );
  const eligibleIds = new Set(eligible.map((i) => lower(i.principalId)));
  const configured = new Set<string>();
  for (const ref of ctx.config.pim.eligibleAdmins) {
    const id = ctx.resolveUser(ref);
    if (id) configured.add(id);
    if (!id || !eligibleIds.has(id)) {
      out.push(
        finding("AUD-GA-ELIGIBLE-MISSING", {
          object: `user ${ref}`,
          expected: "eligible for Global Administrator (pim.eligibleAdmins)",
          actual: id ? "not eligible" : "no such user in the tenant",
        }),
      );
    }
  }
  for (const instance of eligible) {
    const id = lower(instance.principalId);
    if (!id || configured.has(id) || ctx.breakglassIds.has(id)) continue;
    out.push(
      finding("AUD-GA-ELIGIBLE-UNMANAGED", {
        object: describePrincipal(instance.principal, instance.principalId),
        expected: "only the admins in pim.eligibleAdmins are eligible for Global Administrator",
        actual: `eligible since ${String(instance.startDateTime ?? "unknown")}`,
      }),
    );
  }
  return out;
}

/** The one exemption: a breakglass account's Global Administrator (not any other Tier-0 role it may hold). */
function isBreakglassGlobalAdmin(ctx: AuditContext, roleId: string, principalId: unknown): boolean {
  return roleId === GLOBAL_ADMINISTRATOR && ctx.breakglassIds.has(lower(principalId) ?? "");
}

export function isPermanentActive(instance: RawObject): boolean {
  return (
    instance.assignmentType === "Assigned" && (instance.endDateTime === null || instance.endDateTime === undefined)
  );
}
