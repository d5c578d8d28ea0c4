/**
 * Eligibilities in the live tenant: each managed role's eligible admins are as declared (none missing, none the stack
 * does not know of), no emergency account or the exclusion group is eligible for any role (directly or through a
 * group), and Global Administrator has 2–8 holders counted through every path (MS.AAD.7.1).
 */
import { GLOBAL_ADMINISTRATOR, roleName } from "@entra-baseline/model";
import { breakglassLabel, describePrincipal, lower, principalTypeOf, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";
import { liveHoldings } from "./standing";

export function eligibilityFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const all = ctx.snapshot.sources.roleEligibilityScheduleInstances ?? [];
  for (const role of ctx.roles) {
    const eligible = all.filter((i) => lower(i.roleDefinitionId) === role.roleDefinitionId);
    const eligibleIds = new Set(eligible.map((i) => lower(i.principalId)));
    const configured = new Set<string>();
    for (const ref of role.eligibleUsers) {
      const id = ctx.resolveUser(ref);
      if (id) configured.add(id);
      if (!id || !eligibleIds.has(id)) {
        out.push(
          finding("AUD-ELIGIBLE-MISSING", {
            object: `user ${ref} → ${role.name}`,
            expected: `eligible for ${role.name} (${role.path})`,
            actual: id ? "not eligible" : "no such user in the tenant",
          }),
        );
      }
    }
    for (const g of role.eligibleGroups) {
      configured.add(g.toLowerCase());
      if (!eligibleIds.has(g.toLowerCase())) {
        out.push(
          finding("AUD-ELIGIBLE-MISSING", {
            object: `group ${g} → ${role.name}`,
            expected: `eligible for ${role.name} (${role.path}.eligibleGroups)`,
            actual: "not eligible",
          }),
        );
      }
    }
    for (const instance of eligible) {
      const id = lower(instance.principalId);
      if (!id || configured.has(id) || ctx.breakglassIds.has(id)) continue;
      out.push(
        finding("AUD-ELIGIBLE-UNMANAGED", {
          object: `${describePrincipal(instance.principal, instance.principalId)} → ${role.name}`,
          expected: `only the principals ${role.path} declares are eligible for ${role.name}`,
          actual: `eligible since ${String(instance.startDateTime ?? "unknown")}`,
        }),
      );
    }
  }
  // Tier-0 roles the stack does not manage: any eligibility is one PIM's defaults govern.
  const managed = new Set(ctx.roles.map((r) => r.roleDefinitionId));
  for (const instance of all) {
    const roleId = lower(instance.roleDefinitionId) ?? "";
    if (managed.has(roleId) || !ctx.tier0.has(roleId) || ctx.breakglassIds.has(lower(instance.principalId) ?? ""))
      continue;
    out.push(
      finding("AUD-ELIGIBLE-UNMANAGED", {
        object: `${describePrincipal(instance.principal, instance.principalId)} → ${roleName(roleId)}`,
        expected: `a Tier-0 role with eligible admins is managed by the stack (pim.roles), so its activation rules are the model's`,
        actual: `eligible since ${String(instance.startDateTime ?? "unknown")}, and the stack does not manage ${roleName(roleId)}`,
      }),
    );
  }
  return out;
}

/** No emergency account, and not the exclusion group, is eligible for any role, directly or through a group. */
export function breakglassEligibilityFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const eligible = ctx.snapshot.sources.roleEligibilityScheduleInstances ?? [];
  const memberships = ctx.snapshot.sources.transitiveMemberOf ?? {};
  for (const b of ctx.breakglass) {
    const id = lower(b.user?.id);
    if (!id) continue;
    const groups = new Map((memberships[String(b.user!.id)] ?? []).map((g) => [lower(g.id), g]));
    for (const i of eligible) {
      const principal = lower(i.principalId);
      const role = roleName(lower(i.roleDefinitionId) ?? "");
      if (principal === id) {
        out.push(
          finding("AUD-BREAKGLASS-ELIGIBLE", {
            object: `breakglass account ${breakglassLabel(b)}`,
            expected: "not eligible in PIM for any role (permanent GA only)",
            actual: `eligible for ${role}`,
          }),
        );
      } else if (groups.has(principal)) {
        const group = groups.get(principal)!;
        out.push(
          finding("AUD-BREAKGLASS-ELIGIBLE", {
            object: `breakglass account ${breakglassLabel(b)}`,
            expected: "not eligible in PIM for any role, directly or through a group",
            actual: `eligible for ${role} through group "${String(group.displayName ?? group.id)}" (${String(group.id)})`,
          }),
        );
      }
    }
  }
  const exclusion = new Set(ctx.breakglassGroups.map((g) => lower(g.id)));
  for (const i of eligible) {
    if (!exclusion.has(lower(i.principalId))) continue;
    out.push(
      finding("AUD-BREAKGLASS-ELIGIBLE", {
        object: `exclusion group ${String(i.principalId)}`,
        expected: "the exclusion group holds no role",
        actual: `eligible for ${roleName(lower(i.roleDefinitionId) ?? "")}: its members, exempt from every CA policy, could activate it`,
      }),
    );
  }
  return out;
}

/** Distinct holders of Global Administrator, eligible or active, through every path; groups count as their members. */
export function globalAdminHolders(ctx: AuditContext): { holders: Set<string>; unread: string[] } {
  const holders = new Set<string>();
  const unread: string[] = [];
  for (const h of liveHoldings(ctx)) {
    if (h.role !== GLOBAL_ADMINISTRATOR) continue;
    if (h.path === undefined && h.principal.type === "group") unread.push(h.principal.label);
    holders.add(h.principal.key);
  }
  const addEligible = (i: RawObject) => {
    if (lower(i.roleDefinitionId) !== GLOBAL_ADMINISTRATOR) return;
    const id = lower(i.principalId);
    if (!id) return;
    const members = principalTypeOf(i.principal) === "group" ? ctx.groupMembers(id) : undefined;
    if (!members) {
      holders.add(id);
      return;
    }
    for (const m of members) {
      if (principalTypeOf(m) !== "group" && typeof m.id === "string") holders.add(m.id.toLowerCase());
    }
  };
  for (const i of ctx.snapshot.sources.roleEligibilityScheduleInstances ?? []) addEligible(i);
  return { holders, unread };
}

export function globalAdminCountFindings(ctx: AuditContext): Finding[] {
  const { min, max } = ctx.config.limits.globalAdmins;
  const { holders, unread } = globalAdminHolders(ctx);
  if (holders.size >= min && holders.size <= max) return [];
  return [
    finding("AUD-GA-COUNT", {
      object: "Global Administrator role",
      expected: `${min}–${max} holders, eligible + active, through every path (limits.globalAdmins)`,
      actual: `${holders.size} holders${unread.length > 0 ? ` (groups whose members were not read count once: ${unread.join(", ")})` : ""}`,
    }),
  ];
}
