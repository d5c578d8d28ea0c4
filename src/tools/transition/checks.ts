/**
 * What a transition waits on before its first write, both blocking:
 * - the emergency path is healthy (`emergencyPathHealth`): at least two emergency accounts enabled, permanent Global
 *   Administrator, excluded from every enabled CA policy, each with a FIDO2 key;
 * - every admin being moved can activate the role afterwards (`activationPathProblems`): the role's PIM policy as
 *   declared, the context's CA policy in force, and a registered method that satisfies the role's strength. The
 *   methods are read live (`userRegistrationDetails`, 15 ids per request, throttled by the client to 5 requests per
 *   10 s), so offline this check is reported as not run.
 */
import {
  activationPathProblems,
  caPolicyFromGraph,
  emergencyPathHealth,
  settingsFromRules,
  type ActivationPolicySettings,
  type ApproverRef,
  type PolicyRule,
  type RoleActivationFacts,
} from "@entra-baseline/model";
import { roleActivationSettings, roleRequirement } from "../../config/activationSettings";
import type { ManagedRole } from "../../config/managedRoles";
import { GraphError, type GraphClient } from "../../graph/client";
import { asRecord, lower, type AuditContext } from "../audit/context";
import { breakglassKeysOf } from "../audit/checks/conditionalAccess";
import { emergencyPathFacts } from "../writes/emergencyPath";
import type { PlannedStep } from "../writes/journal";
import type { ReportCheck } from "../writes/report";
import type { TenantState } from "../writes/tenantState";
import { STEP_KINDS, type RemovalStepData } from "./plan";

const REGISTRATIONS = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
const CHUNK = 15;

export function emergencyCheck(ctx: AuditContext, blocking = true): ReportCheck {
  const verdict = emergencyPathHealth(emergencyPathFacts(ctx));
  return {
    name: "emergency path",
    ok: verdict.healthy,
    blocking,
    summary: verdict.summary,
    problems: verdict.problems.map((p) => p.message),
  };
}

/** methodsRegistered of each user id; a user Graph does not list is absent. */
export async function readRegistrations(graph: GraphClient, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const take = (items: Record<string, unknown>[]) => {
    for (const r of items) {
      const id = lower(r.id);
      if (id)
        out.set(
          id,
          Array.isArray(r.methodsRegistered)
            ? r.methodsRegistered.filter((m): m is string => typeof m === "string")
            : [],
        );
    }
  };
  const url = (ids: readonly string[]) =>
    `${REGISTRATIONS}?$filter=${encodeURIComponent(ids.map((id) => `id eq '${id}'`).join(" or "))}&$select=id,methodsRegistered`;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    try {
      take(await graph.list<Record<string, unknown>>(url(chunk)));
    } catch (e) {
      // `eq` on id is documented; `or` of several is not (unconfirmed): fall back to one id per request.
      if (!(e instanceof GraphError && e.status === 400) || chunk.length === 1) throw e;
      for (const id of chunk) take(await graph.list<Record<string, unknown>>(url([id])));
    }
  }
  return out;
}

/** The role's activation facts, as the audit reads them, and what could not be resolved. */
function roleFacts(ctx: AuditContext, role: ManagedRole): { facts: RoleActivationFacts; problems: string[] } {
  const problems: string[] = [];
  const assignment = (ctx.snapshot.sources.roleManagementPolicyAssignments ?? []).find(
    (a) => lower(a.roleDefinitionId) === role.roleDefinitionId && (a.scopeId === undefined || a.scopeId === "/"),
  );
  const rules = asRecord(assignment?.policy).rules;
  let live: ActivationPolicySettings | undefined;
  try {
    live = Array.isArray(rules) ? settingsFromRules(role.roleDefinitionId, rules as PolicyRule[]) : undefined;
  } catch {
    live = undefined;
  }
  const approvers: ApproverRef[] = [];
  for (const ref of role.rules.approvers.users) {
    const id = ctx.resolveUser(ref);
    if (id) approvers.push({ kind: "user", id });
    else problems.push(`approver ${ref} of ${role.name} is not a user of the tenant`);
  }
  for (const g of role.rules.approvers.groups) approvers.push({ kind: "group", id: g.toLowerCase() });
  const groupMembers = new Map<string, string[]>();
  for (const a of approvers) {
    const members = a.kind === "group" ? ctx.groupMembers(a.id) : undefined;
    if (members)
      groupMembers.set(
        a.id,
        members.map((m) => String(m.id).toLowerCase()),
      );
  }
  return {
    problems,
    facts: {
      roleName: role.name,
      live,
      declared: roleActivationSettings(role, approvers),
      requirement: roleRequirement(role, ctx.maxActivationSeconds),
      strength: role.rules.activationStrength,
      policies: (ctx.snapshot.sources.caPolicies ?? []).map((p) => caPolicyFromGraph(p)),
      breakglass: breakglassKeysOf(ctx),
      groupMembers,
    },
  };
}

/** The admins the pending steps make eligible (and then take the standing assignment from). */
function movers(steps: readonly PlannedStep[]): RemovalStepData[] {
  const seen = new Map<string, RemovalStepData>();
  for (const s of steps) {
    const d = s.data as RemovalStepData;
    if (s.kind === STEP_KINDS.eligibility || (s.kind === STEP_KINDS.removal && d.keepsEligibility))
      seen.set(`${d.principalId}/${d.roleDefinitionId}`, d);
  }
  return [...seen.values()];
}

export async function activationCheck(
  ctx: AuditContext,
  steps: readonly PlannedStep[],
  graph: GraphClient | undefined,
): Promise<ReportCheck> {
  const moving = movers(steps);
  const name = "activation path";
  if (moving.length === 0)
    return { name, ok: true, blocking: true, summary: "no admin is made eligible by these steps", problems: [] };
  if (!graph) {
    return {
      name,
      ok: false,
      blocking: false,
      summary: `not checked offline: the ${moving.length} admins' registered methods are read live before any write`,
      problems: [],
    };
  }
  const registrations = await readRegistrations(graph, [...new Set(moving.map((m) => m.principalId))]);
  const byRole = new Map<string, ReturnType<typeof roleFacts>>();
  const problems: string[] = [];
  let blocked = 0;
  for (const m of moving) {
    const role = ctx.roles.find((r) => r.roleDefinitionId === m.roleDefinitionId);
    if (!role) {
      problems.push(`${m.principalLabel} → ${m.roleName}: the stack does not manage this role`);
      blocked++;
      continue;
    }
    if (!byRole.has(role.roleDefinitionId)) byRole.set(role.roleDefinitionId, roleFacts(ctx, role));
    const { facts, problems: roleProblems } = byRole.get(role.roleDefinitionId)!;
    const mine = [
      ...roleProblems,
      ...activationPathProblems(facts, {
        id: m.principalId,
        label: m.principalLabel,
        methodsRegistered: registrations.get(m.principalId),
      }),
    ];
    if (mine.length > 0) blocked++;
    problems.push(...mine.map((p) => `${m.principalLabel} → ${m.roleName}: ${p}`));
  }
  return {
    name,
    ok: blocked === 0,
    blocking: true,
    summary:
      blocked === 0
        ? `each of the ${moving.length} admins moved can activate the role afterwards`
        : `${blocked} of the ${moving.length} admins moved could not activate the role afterwards`,
    problems,
  };
}

export async function transitionChecks(
  state: TenantState,
  steps: readonly PlannedStep[],
  graph: GraphClient | undefined,
): Promise<ReportCheck[]> {
  return [emergencyCheck(state.ctx), await activationCheck(state.ctx, steps, graph)];
}
