/**
 * Guarantee 1 and 2 in the live tenant: the Tier-0 holdings Graph reports, as the model's facts
 * (src/model/standing.ts), judged by the same `judgeHolding` the pack applies, with the same declared exceptions.
 *
 * Translation (docs/references.md, "Role assignments, eligibilities, schedules", docs/references.md, "Microsoft Graph"–7):
 * - a role assignment instance of a user or service principal: `assignmentType` Activated is an activation (backed
 *   when an eligibility instance of the same principal, role and scope exists), Assigned is a PIM assignment when its
 *   schedule was made by a request (`createdUsing` set), else a direct assignment outside PIM; any other value is a
 *   path the model does not know (standing);
 * - an instance of a group: every transitive member (users and service principals) holds the role — through an
 *   activated PIM-for-Groups membership (bounded, backed by a group eligibility), an admin-assigned one, or a plain
 *   permanent membership; an owner of the group can add anyone, and holds it too;
 * - the assignments Graph makes outside PIM are reported on their own as well (MS.AAD.7.5).
 * Role ids outside the Tier-0 set are not judged; custom roles granting Tier-0 permissions are in the set.
 */
import {
  describeException,
  expiredExceptions,
  judgeHolding,
  roleName,
  type ActiveHolding,
  type HoldingPath,
} from "@entra-baseline/model";
import { asRecord, describePrincipal, lower, principalTypeOf, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

function roleLabel(ctx: AuditContext, roleId: string): string {
  const custom = ctx.privilegedCustomRoles.find((d) => lower(d.id) === roleId);
  return custom ? `custom role "${String(custom.displayName ?? roleId)}" (Tier-0 permissions)` : roleName(roleId);
}

/** The model's facts for every active Tier-0 holding the snapshot shows. */
export function liveHoldings(ctx: AuditContext): ActiveHolding[] {
  const s = ctx.snapshot.sources;
  const schedules = new Map((s.roleAssignmentSchedules ?? []).map((x) => [lower(x.id), x]));
  const eligible = s.roleEligibilityScheduleInstances ?? [];
  const backed = (principalId: string, roleId: string, scope: string) =>
    eligible.some(
      (e) =>
        lower(e.principalId) === principalId &&
        lower(e.roleDefinitionId) === roleId &&
        (lower(e.directoryScopeId) ?? "/") === scope,
    );
  const out: ActiveHolding[] = [];
  for (const instance of s.roleAssignmentScheduleInstances ?? []) {
    const roleId = lower(instance.roleDefinitionId);
    if (roleId !== undefined && !ctx.tier0.has(roleId)) continue;
    const principalId = lower(instance.principalId) ?? "";
    const scope = lower(instance.directoryScopeId) ?? "/";
    const type = principalTypeOf(instance.principal);
    const source = `role assignment ${String(instance.id ?? "(no id)")}`;
    if (type === "group") {
      out.push(...groupHoldings(ctx, instance, roleId));
      continue;
    }
    const assignmentType = lower(instance.assignmentType);
    let path: HoldingPath | undefined;
    if (assignmentType === "activated") path = "pimActivation";
    else if (assignmentType === "assigned") {
      const schedule = schedules.get(lower(instance.roleAssignmentScheduleId));
      path = schedule && schedule.createdUsing ? "pimAssignment" : "directAssignment";
    }
    out.push({
      principal: ctx.principal(instance.principal, instance.principalId),
      role: roleId,
      scope,
      path,
      ...(typeof instance.startDateTime === "string" ? { start: instance.startDateTime } : {}),
      ...(typeof instance.endDateTime === "string" ? { end: instance.endDateTime } : {}),
      ...(path === "pimActivation" && roleId ? { backedByEligibility: backed(principalId, roleId, scope) } : {}),
      source,
      ref: principalId,
    });
  }
  return out;
}

/** Members and owners of a group holding a Tier-0 role, each with how they are in it. */
function groupHoldings(ctx: AuditContext, instance: RawObject, roleId: string | undefined): ActiveHolding[] {
  const s = ctx.snapshot.sources;
  const groupId = lower(instance.principalId) ?? "";
  const group = asRecord(instance.principal);
  const via = `${String(group.displayName ?? groupId)} (${groupId})`;
  const source = `role assignment ${String(instance.id ?? "(no id)")} of group ${via}`;
  const pimActive = (s.groupAssignmentScheduleInstances ?? {})[groupId] ?? [];
  const pimEligible = (s.groupEligibilityScheduleInstances ?? {})[groupId] ?? [];
  const members = ctx.groupMembers(groupId);
  const owners = (s.groupOwners ?? {})[groupId] ?? [];
  if (members === undefined) {
    return [
      {
        principal: { key: groupId, objectId: groupId, type: "group", label: via, breakglass: false },
        role: roleId,
        scope: lower(instance.directoryScopeId) ?? "/",
        path: undefined,
        source: `${source}: its members were not read`,
        ref: groupId,
      },
    ];
  }
  const out: ActiveHolding[] = [];
  const people = [...members.map((m) => ({ m, access: "member" })), ...owners.map((m) => ({ m, access: "owner" }))];
  for (const { m, access } of people) {
    if (principalTypeOf(m) === "group") continue; // a nested group's own members are listed transitively
    const id = lower(m.id) ?? "";
    const pim = pimActive.find((p) => lower(p.principalId) === id && (lower(p.accessId) ?? "member") === access);
    const kind = lower(pim?.assignmentType);
    const path: HoldingPath = !pim
      ? "groupMembership"
      : kind === "activated"
        ? "groupPimActivation"
        : "groupPimAssignment";
    out.push({
      principal: ctx.principal({ "@odata.type": m["@odata.type"] ?? "#microsoft.graph.user", ...m }, m.id),
      role: roleId,
      scope: "/",
      path,
      ...(typeof pim?.startDateTime === "string" ? { start: pim.startDateTime } : {}),
      ...(typeof pim?.endDateTime === "string" ? { end: pim.endDateTime } : {}),
      ...(path === "groupPimActivation"
        ? {
            backedByEligibility: pimEligible.some(
              (e) => lower(e.principalId) === id && (lower(e.accessId) ?? "member") === access,
            ),
          }
        : {}),
      source: access === "owner" ? `${source} (as its owner)` : source,
      ref: id,
      viaGroup: via,
    });
  }
  return out;
}

export function standingFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const context = {
    tier0: ctx.tier0,
    maxActivationSeconds: ctx.maxActivationSeconds,
    exceptions: ctx.exceptions,
    now: ctx.now,
  };
  for (const h of liveHoldings(ctx)) {
    const verdict = judgeHolding(h, context);
    if (verdict.kind !== "standing") continue;
    out.push(
      finding(
        "AUD-PERMANENT-TIER0",
        {
          object: `${h.principal.type} ${h.principal.label}${h.principal.objectId && h.principal.objectId !== h.principal.label ? ` (${h.principal.objectId})` : ""} → ${h.role ? roleLabel(ctx, h.role) : "a role that cannot be resolved"}`,
          expected: "eligible in PIM and activated just in time (or a declared, unexpired exception)",
          actual: `${verdict.message} (${h.source})`,
        },
        { severity: verdict.severity },
      ),
    );
  }
  for (const e of expiredExceptions(ctx.exceptions, ctx.now)) {
    out.push(
      finding("AUD-EXCEPTION-EXPIRED", {
        object: `exception ${e.label ?? e.principal}`,
        expected: `valid until ${e.expires} at least`,
        actual: `expired: ${describeException(e)}`,
      }),
    );
  }
  return out;
}

/** MS.AAD.7.5: Tier-0 assignments made outside PIM, the emergency accounts' GA and declared exceptions aside. */
export function outsidePimFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const context = {
    tier0: ctx.tier0,
    maxActivationSeconds: ctx.maxActivationSeconds,
    exceptions: ctx.exceptions,
    now: ctx.now,
  };
  for (const schedule of ctx.snapshot.sources.roleAssignmentSchedules ?? []) {
    const roleId = lower(schedule.roleDefinitionId);
    if (roleId !== undefined && !ctx.tier0.has(roleId)) continue;
    if (schedule.assignmentType !== undefined && lower(schedule.assignmentType) !== "assigned") continue;
    const start = asRecord(schedule.scheduleInfo).startDateTime;
    if (schedule.createdUsing && start) continue;
    const principal = ctx.principal(schedule.principal, schedule.principalId);
    // A group holding a role is judged through its members (standingFindings); its own assignment is how PIM for
    // Groups is set up.
    if (principal.type === "group") continue;
    const verdict = judgeHolding(
      {
        principal,
        role: roleId,
        scope: lower(schedule.directoryScopeId) ?? "/",
        path: "directAssignment",
        source: "schedule",
      },
      context,
    );
    if (verdict.kind !== "standing") continue;
    out.push(
      finding("AUD-OUTSIDE-PIM", {
        object: `${describePrincipal(schedule.principal, schedule.principalId)} → ${roleId ? roleLabel(ctx, roleId) : "an unresolved role"}`,
        expected: "assigned through a PIM request (createdUsing set)",
        actual: `assigned outside PIM (createdUsing ${JSON.stringify(schedule.createdUsing ?? null)}, start ${JSON.stringify(start ?? null)})`,
      }),
    );
  }
  return out;
}

/** Custom roles granting Tier-0 permissions: reported to review (their holders are judged as Tier-0 above). */
export function customRoleFindings(ctx: AuditContext): Finding[] {
  return ctx.privilegedCustomRoles.map((d) =>
    finding("AUD-CUSTOM-ROLE-TIER0", {
      object: `custom role "${String(d.displayName ?? d.id)}" (${String(d.id)})`,
      expected: "no custom role grants what Tier-0 rests on, or it is managed as a Tier-0 role",
      actual: `grants ${(Array.isArray(d.rolePermissions) ? d.rolePermissions : [])
        .flatMap((p) =>
          Array.isArray(asRecord(p).allowedResourceActions)
            ? (asRecord(p).allowedResourceActions as unknown[])
            : ["(unreadable permissions)"],
        )
        .map(String)
        .slice(0, 5)
        .join(", ")}`,
    }),
  );
}
