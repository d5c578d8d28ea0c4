/**
 * Who moves, from the tenant as read: every Tier-0 holding the audit's adapter (`liveHoldings`) finds, judged by the
 * model (`judgeHolding`), becomes one of
 * - a move: a standing direct or PIM-made assignment at the directory scope, of a user the stack lists as eligible
 *   for that role (pim.eligibleAdmins for Global Administrator, pim.roles[].eligibleUsers): make eligible, then
 *   remove the assignment;
 * - a removal, only with --remove-unlisted: the same, of someone the stack does not list (nothing is made eligible);
 * - a note, never a write: a holder not listed (without --remove-unlisted), a holding through a role-assignable group
 *   (the membership is what to change), one scoped below the directory, an activation, an emergency account, a
 *   principal with a declared exception (expired or not), and the identity running the command (refused, named).
 * Pure: the plan of a snapshot and of the live tenant are the same function.
 */
import { describeException, judgeHolding, roleName, type ActiveHolding } from "@entra-baseline/model";
import { liveHoldings } from "../audit/checks/standing";
import type { RawObject, SourceName } from "../audit/snapshot";
import { standingContext } from "../writes/emergencyPath";
import type { CallerIdentity } from "../writes/identity";
import type { PlannedStep } from "../writes/journal";
import type { ReportNote } from "../writes/report";
import type { Planned } from "../writes/run";
import type { TenantState } from "../writes/tenantState";

/** What the plan and the checks read (audit snapshot sources). */
export const TRANSITION_NEEDS: readonly SourceName[] = [
  "users",
  "breakglassGroups",
  "caPolicies",
  "authenticationContexts",
  "roleDefinitions",
  "roleAssignmentScheduleInstances",
  "roleAssignmentSchedules",
  "roleEligibilityScheduleInstances",
  "roleManagementPolicyAssignments",
  "transitiveMemberOf",
  "authenticationMethods",
  "groupMembers",
  "groupOwners",
  "groupAssignmentScheduleInstances",
  "groupEligibilityScheduleInstances",
];

export interface TransitionOptions {
  /** Remove standing holders the stack does not list (nothing is made eligible for them). */
  removeUnlisted: boolean;
}

/** One active assignment a removal step takes away, with what restore needs to put it back. */
export interface PlannedAssignment {
  path: "directAssignment" | "pimAssignment";
  /** roleAssignmentScheduleInstance id. */
  instanceId: string;
  scheduleId?: string;
  /** The legacy unifiedRoleAssignment id (roleAssignmentOriginId), for DELETE /roleAssignments/{id}. */
  roleAssignmentId?: string;
  start?: string;
  end?: string;
}

export interface EligibilityStepData {
  [key: string]: unknown;
  principalId: string;
  principalLabel: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  /** requestSchedule.expiration: the role's eligibilityDuration, else none. */
  expiration: { type: "noExpiration" } | { type: "afterDuration"; duration: string };
}

export interface RemovalStepData {
  [key: string]: unknown;
  principalId: string;
  principalLabel: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  /** A move: the principal must be eligible before its assignment goes. An unlisted removal: not. */
  keepsEligibility: boolean;
  assignments: PlannedAssignment[];
}

export const STEP_KINDS = { eligibility: "createEligibility", removal: "removeActive" } as const;

interface Item {
  principalId: string;
  label: string;
  roleId: string;
  listed: boolean;
  assignments: PlannedAssignment[];
}

function who(h: ActiveHolding): string {
  const id = h.principal.objectId;
  return `${h.principal.type} ${h.principal.label}${id && id !== h.principal.label ? ` (${id})` : ""}`;
}

export function planTransition(
  state: TenantState,
  caller: CallerIdentity | undefined,
  options: Record<string, unknown>,
): Planned {
  const removeUnlisted = options.removeUnlisted === true;
  const ctx = state.ctx;
  const sources = ctx.snapshot.sources;
  const judged = standingContext(ctx);
  const listed = new Map(
    ctx.roles.map((r) => [
      r.roleDefinitionId,
      new Set(r.eligibleUsers.map((ref) => ctx.resolveUser(ref)).filter((id): id is string => id !== undefined)),
    ]),
  );
  const declaredExceptions = new Map(ctx.config.exceptions.map((e) => [e.principal.toLowerCase(), e]));
  const notes: ReportNote[] = [];
  const note = (kind: string, h: ActiveHolding, detail: string) =>
    notes.push({ kind, object: `${who(h)} → ${h.role ? roleName(h.role) : "an unresolved role"}`, detail });
  const items = new Map<string, Item>();

  for (const instance of sources.roleAssignmentScheduleInstances ?? []) {
    // The model's facts for this one instance (its path, its group's members), as the audit derives them.
    const one = {
      ...ctx,
      snapshot: { ...ctx.snapshot, sources: { ...sources, roleAssignmentScheduleInstances: [instance] } },
    };
    for (const h of liveHoldings(one)) {
      const verdict = judgeHolding(h, judged);
      if (verdict.kind === "allowed") continue;
      if (verdict.kind === "excepted") {
        note("untouched", h, `declared exception: ${describeException(verdict.exception)}`);
        continue;
      }
      const principalId = (h.principal.objectId ?? h.principal.key).toLowerCase();
      const exception = declaredExceptions.get(principalId);
      if (h.principal.breakglass !== false) {
        note("untouched", h, "an emergency account: transition never touches one (the audit reports what it holds)");
      } else if (exception) {
        note(
          "untouched",
          h,
          `declared in exceptions (until ${exception.expires}, owner ${exception.owner}) but not for this holding: left to its owner, never moved`,
        );
      } else if (h.viaGroup) {
        note(
          "group",
          h,
          `holds it through role-assignable group ${h.viaGroup} (${h.path === "groupMembership" ? "a permanent membership" : "an active PIM-for-Groups assignment"}): not converted; change the group's membership, or make the member eligible for the group (pim.groups)`,
        );
      } else if (h.path !== "directAssignment" && h.path !== "pimAssignment") {
        note("untouched", h, `${verdict.message}: not an assignment this command removes`);
      } else if (h.scope !== "/") {
        note(
          "scoped",
          h,
          `assigned at scope ${h.scope}, not the directory: not converted (eligibility is made at "/")`,
        );
      } else if (caller && principalId === caller.objectId) {
        note(
          "refused",
          h,
          "it is the identity running this command: moving it would cut the run off half way; run it as another identity",
        );
      } else {
        const roleId = h.role!;
        const isListed = h.principal.type === "user" && (listed.get(roleId)?.has(principalId) ?? false);
        if (!isListed && !removeUnlisted) {
          note(
            "unlisted",
            h,
            `standing, and not listed as eligible for it in the stack: not removed (list it to move it, or pass --remove-unlisted to remove it)`,
          );
          continue;
        }
        const key = `${principalId}/${roleId}`;
        const item = items.get(key) ?? {
          principalId,
          label: h.principal.label,
          roleId,
          listed: isListed,
          assignments: [],
        };
        item.assignments.push(assignmentOf(instance, h));
        items.set(key, item);
      }
    }
  }

  const order = new Map(ctx.roles.map((r, i) => [r.roleDefinitionId, i]));
  const sorted = [...items.values()].sort(
    (a, b) =>
      (order.get(a.roleId) ?? 99) - (order.get(b.roleId) ?? 99) ||
      roleName(a.roleId).localeCompare(roleName(b.roleId)) ||
      a.label.localeCompare(b.label),
  );
  const steps: PlannedStep[] = [];
  for (const item of sorted) {
    const common = {
      principalId: item.principalId,
      principalLabel: item.label,
      roleDefinitionId: item.roleId,
      roleName: roleName(item.roleId),
      directoryScopeId: "/",
    };
    const object = `${item.label} → ${common.roleName}`;
    if (item.listed) {
      const duration = ctx.roles.find((r) => r.roleDefinitionId === item.roleId)?.eligibilityDuration;
      const data: EligibilityStepData = {
        ...common,
        expiration: duration ? { type: "afterDuration", duration } : { type: "noExpiration" },
      };
      steps.push({ id: `eligible/${item.principalId}/${item.roleId}`, kind: STEP_KINDS.eligibility, object, data });
    }
    const data: RemovalStepData = { ...common, keepsEligibility: item.listed, assignments: item.assignments };
    steps.push({ id: `remove/${item.principalId}/${item.roleId}`, kind: STEP_KINDS.removal, object, data });
  }
  const rank = (kind: string) => NOTE_ORDER.indexOf(kind);
  notes.sort((a, b) => rank(a.kind) - rank(b.kind));
  return { steps, notes };
}

/** Notes by how much they ask of the reader: what was refused first, what is fine as it is last. */
const NOTE_ORDER = ["refused", "unlisted", "group", "scoped", "untouched"];

function assignmentOf(instance: RawObject, h: ActiveHolding): PlannedAssignment {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const scheduleId = str(instance.roleAssignmentScheduleId);
  const roleAssignmentId = str(instance.roleAssignmentOriginId);
  return {
    path: h.path as PlannedAssignment["path"],
    instanceId: String(instance.id),
    ...(scheduleId ? { scheduleId } : {}),
    ...(roleAssignmentId ? { roleAssignmentId } : {}),
    ...(h.start ? { start: h.start } : {}),
    ...(h.end ? { end: h.end } : {}),
  };
}
