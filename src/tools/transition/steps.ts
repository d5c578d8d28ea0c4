/**
 * The two steps of a move, each idempotent (read, write what is missing, read back), so that a resume, a retried
 * request or a lost answer never makes them wrong:
 * - createEligibility: already eligible → nothing to do; else an adminAssign request, then the schedule is read back;
 *   a step that cannot see the eligibility fails, and the active assignment stays;
 * - removeActive: for a move, the eligibility is read again first (a principal is never left with neither);
 *   each planned assignment still there is journaled, then removed by its path (a PIM request for PIM-made ones, the
 *   legacy endpoint for direct ones), and the assignments are read back until none is left.
 * A step never acts on an emergency account, a principal with a declared exception, or the identity running it.
 */
import { StepFailure, type StepExecutor, type StepResult } from "../writes/engine";
import type { PlannedStep } from "../writes/journal";
import type { StepDeps } from "../writes/run";
import {
  activeAssignments,
  deleteLegacy,
  eligibilities,
  legacyAssignments,
  readBack,
  requestOf,
  sendRequest,
  type RoleTarget,
} from "./pim";
import { STEP_KINDS, type EligibilityStepData, type RemovalStepData } from "./plan";

export function justificationOf(deps: StepDeps, what: string): string {
  return `${deps.config.pim.eligibilityJustification}: ${what} (entra-baseline transition, run ${deps.runId})`;
}

function targetOf(data: { principalId: string; roleDefinitionId: string; directoryScopeId: string }): RoleTarget {
  return {
    principalId: data.principalId,
    roleDefinitionId: data.roleDefinitionId,
    directoryScopeId: data.directoryScopeId,
  };
}

/** Defence in depth: the plan leaves these out; a journal edited by hand must not bring them back. */
export function guardPrincipal(deps: StepDeps, principalId: string, label: string): void {
  const id = principalId.toLowerCase();
  if (deps.state.ctx.breakglassIds.has(id))
    throw new StepFailure(`${label} is an emergency account: transition never touches one`);
  if (deps.config.exceptions.some((e) => e.principal.toLowerCase() === id))
    throw new StepFailure(`${label} has a declared exception: transition never touches it`);
  if (deps.caller && deps.caller.objectId === id)
    throw new StepFailure(`${label} is the identity running this command: refused`);
}

export function transitionExecutor(deps: StepDeps): StepExecutor {
  return async (step, ctx) => {
    const data = step.data as EligibilityStepData | RemovalStepData;
    guardPrincipal(deps, data.principalId, data.principalLabel);
    if (step.kind === STEP_KINDS.eligibility) return createEligibility(deps, step.data as EligibilityStepData);
    if (step.kind === STEP_KINDS.removal) return removeActive(deps, step, ctx.note);
    throw new StepFailure(`unknown step kind ${step.kind}`);
  };
}

async function createEligibility(deps: StepDeps, data: EligibilityStepData): Promise<StepResult> {
  const t = targetOf(data);
  const before = await eligibilities(deps.writer, t);
  if (before.length > 0)
    return { status: "alreadyDone", detail: `already eligible (schedule ${String(before[0]!.id)})` };
  const schedule = { startDateTime: new Date().toISOString(), expiration: data.expiration };
  const body = requestOf("adminAssign", t, justificationOf(deps, `eligible for ${data.roleName}`), schedule);
  const answer = await sendRequest(deps.writer, "roleEligibilityScheduleRequests", body, "RoleAssignmentExists");
  const back = await readBack(
    () => eligibilities(deps.writer, t),
    (xs) => xs.length > 0,
    deps.readBackDelaysMs,
  );
  const said = answer.request
    ? `request ${String(answer.request.id)} (${String(answer.request.status)})`
    : `${answer.unanswered}`;
  if (!back.ok) {
    throw new StepFailure(
      `${said}, but no eligibility schedule shows ${data.principalLabel} eligible for ${data.roleName} after ${back.reads} reads: the active assignment is kept`,
    );
  }
  return {
    status: "done",
    detail: `eligible: ${said}, schedule ${String(back.value[0]!.id)}`,
    record: {
      created: true,
      ...(answer.request ? { requestId: String(answer.request.id) } : {}),
      scheduleId: String(back.value[0]!.id),
    },
  };
}

async function removeActive(
  deps: StepDeps,
  step: PlannedStep,
  note: (record: Record<string, unknown>) => void,
): Promise<StepResult> {
  const data = step.data as RemovalStepData;
  const t = targetOf(data);
  if (data.keepsEligibility) {
    const eligible = await eligibilities(deps.writer, t);
    if (eligible.length === 0) {
      throw new StepFailure(
        `${data.principalLabel} is not eligible for ${data.roleName}: its active assignment is kept (removing it would leave neither)`,
      );
    }
  }
  const active = await activeAssignments(deps.writer, t);
  if (active.length === 0) return { status: "alreadyDone", detail: "no standing assignment left" };
  const planned = new Map(data.assignments.map((a) => [a.instanceId.toLowerCase(), a]));
  const unplanned = active.filter((i) => !planned.has(String(i.id).toLowerCase()));
  if (unplanned.length > 0) {
    throw new StepFailure(
      `${data.principalLabel} holds ${data.roleName} through assignment ${unplanned.map((i) => String(i.id)).join(", ")}, which the plan did not see: nothing removed; plan again`,
    );
  }
  const how: string[] = [];
  for (const instance of active) {
    const a = planned.get(String(instance.id).toLowerCase())!;
    if (a.path === "pimAssignment") {
      note({ removing: { ...a, ...t } });
      const body = requestOf(
        "adminRemove",
        t,
        justificationOf(deps, `standing ${data.roleName} replaced by eligibility`),
      );
      const answer = await sendRequest(
        deps.writer,
        "roleAssignmentScheduleRequests",
        body,
        "RoleAssignmentDoesNotExist",
      );
      how.push(
        `PIM request ${answer.request ? `${String(answer.request.id)} (${String(answer.request.status)})` : `(${answer.unanswered})`}`,
      );
    } else {
      // The planned id (roleAssignmentOriginId) names it; failing that, the one legacy assignment no other planned
      // assignment stands for. Never a guess between two.
      const legacy = await legacyAssignments(deps.writer, t);
      const others = new Set(data.assignments.filter((x) => x !== a).map((x) => x.roleAssignmentId?.toLowerCase()));
      const candidates = legacy.filter((l) => !others.has(String(l.id).toLowerCase()));
      const byId = legacy.find((l) => String(l.id).toLowerCase() === a.roleAssignmentId?.toLowerCase());
      const id = (byId ?? (candidates.length === 1 ? candidates[0] : undefined))?.id;
      if (id === undefined) {
        if (candidates.length > 1)
          throw new StepFailure(
            `${data.principalLabel} has ${candidates.length} legacy assignments of ${data.roleName} and none is ${a.roleAssignmentId}: nothing removed`,
          );
        how.push("legacy assignment already gone");
        continue;
      }
      note({ removing: { ...a, roleAssignmentId: String(id), ...t } });
      const lost = await deleteLegacy(deps.writer, String(id));
      how.push(`legacy DELETE roleAssignments/${String(id)}${lost ? ` (${lost})` : ""}`);
    }
  }
  const back = await readBack(
    () => activeAssignments(deps.writer, t),
    (xs) => xs.length === 0,
    deps.readBackDelaysMs,
  );
  if (!back.ok) {
    throw new StepFailure(
      `${how.join("; ")}, but ${data.principalLabel} still holds ${data.roleName} actively after ${back.reads} reads (${back.value.map((i) => String(i.id)).join(", ")})`,
    );
  }
  return {
    status: "done",
    detail: `removed: ${how.join("; ")}`,
    record: { removed: active.map((i) => planned.get(String(i.id).toLowerCase())!) },
  };
}
