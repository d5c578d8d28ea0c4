/**
 * `--restore JOURNAL`: puts back every active assignment the journaled run removed or was about to remove (the
 * journal notes each before its removal is sent), and, with --restore-eligibilities, then removes the eligibilities
 * that run created (only those it created, and only once the principal holds the role actively again: a principal
 * is never left with neither).
 *
 * An assignment is re-created through PIM (adminAssign, with its old end if it had one); when PIM refuses (a policy
 * that no longer allows permanent active assignment, a missing permission of the narrower kind), through the legacy
 * `POST /roleManagement/directory/roleAssignments` — that fallback is unconfirmed against a live tenant
 * (docs/operations.md) and the report says which way each went.
 */
import { StepFailure, type StepExecutor, type StepResult } from "../writes/engine";
import { lastOutcomes, type JournalEntry, type JournalHeader, type PlannedStep } from "../writes/journal";
import type { StepDeps } from "../writes/run";
import {
  activeAssignments,
  createLegacy,
  eligibilities,
  readBack,
  requestOf,
  sendRequest,
  type RoleTarget,
} from "./pim";
import { STEP_KINDS, type EligibilityStepData, type PlannedAssignment, type RemovalStepData } from "./plan";

export const RESTORE_KINDS = { active: "restoreActive", eligibility: "removeEligibility" } as const;

interface RestoreData {
  [key: string]: unknown;
  principalId: string;
  principalLabel: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
  assignments: PlannedAssignment[];
}

export function planRestore(
  header: JournalHeader,
  entries: readonly JournalEntry[],
  options: { restoreEligibilities: boolean },
): PlannedStep[] {
  const removing = new Map<string, PlannedAssignment[]>();
  for (const e of entries) {
    if (e.type !== "progress" || e.phase !== "apply") continue;
    const a = e.record.removing as PlannedAssignment | undefined;
    if (!a || typeof a.instanceId !== "string") continue;
    const list = removing.get(e.step) ?? [];
    if (!list.some((x) => x.instanceId === a.instanceId)) list.push(a);
    removing.set(e.step, list);
  }
  const outcomes = lastOutcomes(entries, "apply");
  const steps: PlannedStep[] = [];
  for (const s of header.steps) {
    if (s.kind !== STEP_KINDS.removal) continue;
    const attempted = removing.get(s.id);
    if (!attempted) continue;
    const d = s.data as RemovalStepData;
    const data: RestoreData = {
      principalId: d.principalId,
      principalLabel: d.principalLabel,
      roleDefinitionId: d.roleDefinitionId,
      roleName: d.roleName,
      directoryScopeId: d.directoryScopeId,
      assignments: attempted,
    };
    steps.push({
      id: `restore/${d.principalId}/${d.roleDefinitionId}`,
      kind: RESTORE_KINDS.active,
      object: s.object,
      data,
    });
  }
  if (options.restoreEligibilities) {
    for (const s of header.steps) {
      if (s.kind !== STEP_KINDS.eligibility) continue;
      const outcome = outcomes.get(s.id);
      // Only an eligibility this run created and confirmed: one that was already there is someone else's.
      if (outcome?.status !== "done" || outcome.record?.created !== true) continue;
      const d = s.data as EligibilityStepData;
      steps.push({
        id: `uneligible/${d.principalId}/${d.roleDefinitionId}`,
        kind: RESTORE_KINDS.eligibility,
        object: s.object,
        data: { ...d, scheduleId: outcome.record.scheduleId },
      });
    }
  }
  return steps;
}

function targetOf(d: { principalId: string; roleDefinitionId: string; directoryScopeId: string }): RoleTarget {
  return { principalId: d.principalId, roleDefinitionId: d.roleDefinitionId, directoryScopeId: d.directoryScopeId };
}

export function restoreExecutor(deps: StepDeps): StepExecutor {
  const justification = (what: string) => `Restore of entra-baseline transition run ${deps.runId}: ${what}`;
  return async (step) => {
    if (step.kind === RESTORE_KINDS.active) return restoreActive(deps, step.data as RestoreData, justification);
    if (step.kind === RESTORE_KINDS.eligibility)
      return removeEligibility(deps, step.data as EligibilityStepData, justification);
    throw new StepFailure(`unknown restore step kind ${step.kind}`);
  };
}

async function restoreActive(
  deps: StepDeps,
  d: RestoreData,
  justification: (what: string) => string,
): Promise<StepResult> {
  const t = targetOf(d);
  const now = Date.now();
  const present = await activeAssignments(deps.writer, t);
  if (present.length > 0) return { status: "alreadyDone", detail: `holds ${d.roleName} actively already` };
  const lasting = d.assignments.filter((a) => !a.end || Date.parse(a.end) > now);
  if (lasting.length === 0) return { status: "skipped", detail: "every removed assignment would have ended by now" };
  // One active assignment gives the role back; the longest-lived of those removed is the one re-created.
  const end = lasting.some((a) => !a.end)
    ? undefined
    : lasting
        .map((a) => a.end!)
        .sort()
        .at(-1);
  const expiration = end ? { type: "afterDateTime", endDateTime: end } : { type: "noExpiration" };
  const body = requestOf("adminAssign", t, justification(`active ${d.roleName} put back`), {
    startDateTime: new Date(now).toISOString(),
    expiration,
  });
  let via: string;
  try {
    const answer = await sendRequest(deps.writer, "roleAssignmentScheduleRequests", body, "RoleAssignmentExists");
    via = `through PIM (${answer.request ? `request ${String(answer.request.id)}, ${String(answer.request.status)}` : answer.unanswered})`;
  } catch (e) {
    // A lost answer or a duplicate is settled by sendRequest; a StepFailure here is PIM's refusal.
    if (!(e instanceof StepFailure)) throw e;
    const lost = await createLegacy(deps.writer, t);
    via = `through the legacy endpoint, as PIM refused (${e.message})${lost ? `; ${lost}` : ""} — unconfirmed path, see docs/operations.md`;
  }
  const back = await readBack(
    () => activeAssignments(deps.writer, t),
    (xs) => xs.length > 0,
    deps.readBackDelaysMs,
  );
  if (!back.ok)
    throw new StepFailure(`sent ${via}, but ${d.principalLabel} does not hold ${d.roleName} after ${back.reads} reads`);
  return { status: "done", detail: `active again ${via}${end ? ` until ${end}` : ""}` };
}

async function removeEligibility(
  deps: StepDeps,
  d: EligibilityStepData,
  justification: (what: string) => string,
): Promise<StepResult> {
  const t = targetOf(d);
  if ((await activeAssignments(deps.writer, t)).length === 0) {
    throw new StepFailure(
      `${d.principalLabel} does not hold ${d.roleName} actively: its eligibility is kept (removing it would leave neither)`,
    );
  }
  if ((await eligibilities(deps.writer, t)).length === 0)
    return { status: "alreadyDone", detail: "not eligible any more" };
  const body = requestOf("adminRemove", t, justification(`eligibility for ${d.roleName} withdrawn`));
  const answer = await sendRequest(deps.writer, "roleEligibilityScheduleRequests", body, "RoleAssignmentDoesNotExist");
  const back = await readBack(
    () => eligibilities(deps.writer, t),
    (xs) => xs.length === 0,
    deps.readBackDelaysMs,
  );
  if (!back.ok)
    throw new StepFailure(`${d.principalLabel} is still eligible for ${d.roleName} after ${back.reads} reads`);
  return {
    status: "done",
    detail: `eligibility removed (${answer.request ? `request ${String(answer.request.id)}` : answer.unanswered})`,
  };
}
