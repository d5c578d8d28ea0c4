/**
 * The PIM calls a transition makes, in Graph's v1.0 shapes (docs/references.md, "Microsoft Graph", docs/references.md, "Role assignments, eligibilities, schedules" and §10):
 * - eligibilities: `POST /roleManagement/directory/roleEligibilityScheduleRequests` (adminAssign / adminRemove), read
 *   back through `roleEligibilitySchedules`;
 * - active assignments: made through PIM are removed with `POST roleAssignmentScheduleRequests` (adminRemove), direct
 *   ones with the legacy `DELETE /roleManagement/directory/roleAssignments/{id}`; read back through
 *   `roleAssignmentScheduleInstances`; restore creates through PIM (adminAssign) and, if PIM refuses, through the
 *   legacy `POST /roleAssignments` (unconfirmed: docs/operations.md).
 * Lists are filtered by principalId, which every one of these collections documents as filterable; role and scope
 * are matched here (a roleDefinitionId filter on the schedules is not documented: docs/references.md, "Microsoft Graph").
 *
 * Graph answers a duplicate with 400 RoleAssignmentExists and a removal of what is gone with 400
 * RoleAssignmentDoesNotExist (the latter also reported after a removal that worked): neither is taken at its word,
 * the schedules are read again.
 */
import { GraphError } from "../../graph/client";
import { StepFailure } from "../writes/engine";
import type { Writer } from "../writes/writer";

const RM = "/v1.0/roleManagement/directory";

export type Raw = Record<string, unknown>;

export interface RoleTarget {
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

const filter = (principalId: string) => `$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`;
const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : undefined);
const same = (item: Raw, t: RoleTarget) =>
  lower(item.principalId) === t.principalId.toLowerCase() &&
  lower(item.roleDefinitionId) === t.roleDefinitionId.toLowerCase() &&
  (lower(item.directoryScopeId) ?? "/") === t.directoryScopeId.toLowerCase();

/** Request statuses that mean PIM will not do it (docs/references.md, "Microsoft Graph": request.status). */
const REFUSED_STATUSES = ["canceled", "denied", "failed", "revoked"];

/** The principal's eligibility schedules for the role and scope. */
export async function eligibilities(writer: Writer, t: RoleTarget): Promise<Raw[]> {
  const all = await writer.list<Raw>(`${RM}/roleEligibilitySchedules?${filter(t.principalId)}`);
  return all.filter((s) => same(s, t));
}

/** The principal's active, admin-assigned (not activated) assignments of the role at the scope. */
export async function activeAssignments(writer: Writer, t: RoleTarget): Promise<Raw[]> {
  const all = await writer.list<Raw>(`${RM}/roleAssignmentScheduleInstances?${filter(t.principalId)}`);
  return all.filter(
    (i) =>
      same(i, t) &&
      lower(i.assignmentType) === "assigned" &&
      (i.memberType === undefined || i.memberType === null || lower(i.memberType) === "direct"),
  );
}

/** The legacy role assignments of the principal for the role and scope. */
export async function legacyAssignments(writer: Writer, t: RoleTarget): Promise<Raw[]> {
  const all = await writer.list<Raw>(`${RM}/roleAssignments?${filter(t.principalId)}`);
  return all.filter((a) => same(a, t));
}

export function errorCode(e: unknown): string | undefined {
  return e instanceof GraphError ? e.code : undefined;
}

/** A call whose answer never came, or came as a server error after the client's retries: it may have happened. */
export function answerLost(e: unknown): boolean {
  return e instanceof GraphError && (e.status === 0 || e.status === 429 || e.status >= 500);
}

export function requestOf(
  action: "adminAssign" | "adminRemove",
  t: RoleTarget,
  justification: string,
  schedule?: Raw,
): Raw {
  return {
    action,
    principalId: t.principalId,
    roleDefinitionId: t.roleDefinitionId,
    directoryScopeId: t.directoryScopeId,
    justification,
    ...(schedule ? { scheduleInfo: schedule } : {}),
  };
}

export interface RequestAnswer {
  /** The request as Graph answered it; undefined when the answer was lost or was a "state already so" error. */
  request?: Raw;
  /** Why there is no request to look at. */
  unanswered?: string;
}

/**
 * Sends a schedule request; a duplicate or already-gone answer (`tolerated`) or a lost answer is returned as such for
 * the caller to settle by reading back. Any other refusal fails the step.
 */
export async function sendRequest(
  writer: Writer,
  collection: "roleEligibilityScheduleRequests" | "roleAssignmentScheduleRequests",
  body: Raw,
  tolerated: string,
): Promise<RequestAnswer> {
  try {
    const request = await writer.post<Raw>(`${RM}/${collection}`, body);
    const status = lower(request?.status);
    if (status && REFUSED_STATUSES.includes(status) && !(body.action === "adminRemove" && status === "revoked")) {
      throw new StepFailure(`PIM answered the ${String(body.action)} request with status ${String(request.status)}`);
    }
    return { request };
  } catch (e) {
    if (errorCode(e) === tolerated) return { unanswered: `Graph answered ${tolerated}` };
    if (answerLost(e)) return { unanswered: `the answer was lost (${(e as Error).message})` };
    throw e instanceof StepFailure
      ? e
      : new StepFailure(`PIM refused the ${String(body.action)} request: ${(e as Error).message}`);
  }
}

/** Deletes a legacy role assignment; a 404 or a lost answer is for the caller to settle by reading back. */
export async function deleteLegacy(writer: Writer, id: string): Promise<string | undefined> {
  try {
    await writer.delete(`${RM}/roleAssignments/${encodeURIComponent(id)}`);
    return undefined;
  } catch (e) {
    if (e instanceof GraphError && e.status === 404) return "Graph answered 404 (already gone)";
    if (answerLost(e)) return `the answer was lost (${(e as Error).message})`;
    throw new StepFailure(`the legacy endpoint refused to delete role assignment ${id}: ${(e as Error).message}`);
  }
}

/** Creates a legacy (permanent, direct) role assignment: restore's fallback when PIM refuses. */
export async function createLegacy(writer: Writer, t: RoleTarget): Promise<string | undefined> {
  try {
    await writer.post(`${RM}/roleAssignments`, {
      "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
      principalId: t.principalId,
      roleDefinitionId: t.roleDefinitionId,
      directoryScopeId: t.directoryScopeId,
    });
    return undefined;
  } catch (e) {
    if (answerLost(e)) return `the answer was lost (${(e as Error).message})`;
    throw new StepFailure(`the legacy endpoint refused too: ${(e as Error).message}`);
  }
}

/** Reads until `done` holds, waiting `delaysMs` between attempts; the last read's result either way. */
export async function readBack<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  delaysMs: readonly number[],
): Promise<{ ok: boolean; value: T; reads: number }> {
  let value = await read();
  let reads = 1;
  for (const delay of delaysMs) {
    if (done(value)) break;
    await new Promise((r) => setTimeout(r, delay));
    value = await read();
    reads++;
  }
  return { ok: done(value), value, reads };
}
