/**
 * `remediate ca-exclusions`: every Conditional Access policy of the tenant that can apply to users (`appliesToNoUser`)
 * and does not exclude the exclusion group (`CaPolicyFacts.users.excludeGroups`) gets it added to `excludeGroups` — whoever made
 * the policy, in any state: Microsoft-managed policies appear and switch themselves on outside any stack, and their
 * exclusions may be changed (docs/references.md, "Microsoft Graph", Entra docs "Microsoft-managed policies": state and exclusions only).
 *
 * Each step reads the policy again, journals its user conditions, PATCHes `conditions.users` exactly as read but for
 * the added group (nothing else is sent), and reads the policy back: the group must be excluded and nothing else may
 * differ. Whether Graph's PATCH keeps the condition sets it is not sent is unconfirmed: the read-back is what shows it.
 *
 * Before any write: the exclusion group must be exactly the emergency accounts (`exclusionGroupProblems`) — adding it
 * to every policy exempts whoever else is in it — which blocks; the emergency path as the remediation will leave it is
 * reported, and does not block: withholding the exclusion would only make a lock-out likelier.
 *
 * There is no undo: `--restore` would remove the emergency accounts' exclusion, which nothing here does.
 */
import { appliesToNoUser, caPolicyFromGraph, emergencyPathHealth, type CaPolicyFacts } from "@entra-baseline/model";
import { UserInputError } from "../../cli/errors";
import { GraphError } from "../../graph/client";
import { asRecord, lower } from "../audit/context";
import type { SourceName } from "../audit/snapshot";
import { StepFailure, type StepExecutor } from "../writes/engine";
import { emergencyPathFacts, exclusionGroupState } from "../writes/emergencyPath";
import type { JournalEntry, JournalHeader, PlannedStep } from "../writes/journal";
import type { ReportCheck, ReportNote } from "../writes/report";
import type { Planned, StepDeps, WriteCommand } from "../writes/run";
import type { TenantState } from "../writes/tenantState";

export const CA_EXCLUSION_NEEDS: readonly SourceName[] = [
  "users",
  "breakglassGroups",
  "caPolicies",
  "transitiveMemberOf",
  "authenticationMethods",
  "groupMembers",
  "groupOwners",
  "roleAssignmentScheduleInstances",
  "roleAssignmentSchedules",
];

const POLICIES = "/v1.0/identity/conditionalAccess/policies";
const STEP_KIND = "addExclusion";

interface ExclusionStepData {
  [key: string]: unknown;
  policyId: string;
  policyName: string;
  state: string;
  groupId: string;
}

type Raw = Record<string, unknown>;

/** The one exclusion group, when there is exactly one. */
function exclusionGroupId(state: TenantState): string | undefined {
  const groups = state.ctx.breakglassGroups;
  return groups.length === 1 ? lower(groups[0]!.id) : undefined;
}

export function planCaExclusions(state: TenantState, _caller: unknown, options: Record<string, unknown>): Planned {
  const only = Array.isArray(options.policies) ? (options.policies as string[]).map((p) => p.toLowerCase()) : undefined;
  const policies = state.ctx.snapshot.sources.caPolicies ?? [];
  if (only) {
    const known = new Set(policies.map((p) => lower(p.id)));
    const unknown = only.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new UserInputError(
        `--policy ${unknown.join(", ")}: no Conditional Access policy of tenant ${state.ctx.config.tenant.tenantId} has ${unknown.length === 1 ? "this id" : "these ids"}; nothing was written`,
      );
  }
  const groupId = exclusionGroupId(state);
  const notes: ReportNote[] = [];
  const steps: PlannedStep[] = [];
  for (const p of policies) {
    const id = lower(p.id) ?? "";
    if (only && !only.includes(id)) continue;
    const facts = caPolicyFromGraph(p);
    const object = `"${facts.name}" (${String(p.id)}, ${facts.state ?? "no state"})`;
    if (appliesToNoUser(facts)) {
      notes.push({
        kind: "untouched",
        object,
        detail: "applies to no user (workload identities only): nothing to exclude",
      });
      continue;
    }
    if (!groupId) continue; // the exclusion group check says why
    if (facts.users.excludeGroups.includes(groupId.toLowerCase())) continue;
    const data: ExclusionStepData = {
      policyId: String(p.id),
      policyName: facts.name,
      state: facts.state ?? "",
      groupId,
    };
    steps.push({ id: `exclude/${id}`, kind: STEP_KIND, object, data });
  }
  return { steps, notes };
}

export async function caExclusionChecks(state: TenantState, steps: readonly PlannedStep[]): Promise<ReportCheck[]> {
  const groupProblems = exclusionGroupState(state.ctx);
  const groupId = exclusionGroupId(state);
  const fixed = new Set(steps.map((s) => lower((s.data as ExclusionStepData).policyId)));
  // The policies as the remediation will leave them.
  const after: CaPolicyFacts[] = (state.ctx.snapshot.sources.caPolicies ?? []).map((p) => {
    const facts = caPolicyFromGraph(p);
    return fixed.has(lower(p.id)) && groupId
      ? { ...facts, users: { ...facts.users, excludeGroups: [...facts.users.excludeGroups, groupId] } }
      : facts;
  });
  const verdict = emergencyPathHealth(emergencyPathFacts(state.ctx, after));
  return [
    {
      name: "exclusion group",
      ok: groupProblems.length === 0,
      blocking: true,
      summary:
        groupProblems.length === 0
          ? `"${state.ctx.config.breakglass.groupName}" (${groupId}) holds exactly the emergency accounts`
          : "adding it to every policy would exempt someone else, or there is no one group to add",
      problems: groupProblems.map((p) => p.message),
    },
    {
      name: "emergency path once the exclusions are added",
      ok: verdict.healthy,
      blocking: false,
      summary: `${verdict.summary}${verdict.healthy ? "" : " (reported, not blocking: the exclusion only makes a lock-out less likely)"}`,
      problems: verdict.problems.map((p) => p.message),
    },
  ];
}

/** Key-sorted JSON, for comparing a policy before and after. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Raw)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

/** The top-level fields (and user-condition lists) in which two reads of a policy differ, modification time aside. */
function differences(before: Raw, after: Raw): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (k === "modifiedDateTime" || k === "conditions") continue;
    if (canonical(before[k]) !== canonical(after[k])) out.push(k);
  }
  const bc = asRecord(before.conditions);
  const ac = asRecord(after.conditions);
  for (const k of new Set([...Object.keys(bc), ...Object.keys(ac)])) {
    if (k === "users") continue;
    if (canonical(bc[k]) !== canonical(ac[k])) out.push(`conditions.${k}`);
  }
  const bu = asRecord(bc.users);
  const au = asRecord(ac.users);
  for (const k of new Set([...Object.keys(bu), ...Object.keys(au)])) {
    if (canonical(bu[k]) !== canonical(au[k])) out.push(`conditions.users.${k}`);
  }
  return out;
}

function excludes(policy: Raw, groupId: string): boolean {
  const groups = asRecord(asRecord(policy.conditions).users).excludeGroups;
  return Array.isArray(groups) && groups.some((g) => lower(g) === groupId);
}

export function caExclusionExecutor(deps: StepDeps): StepExecutor {
  return async (step, ctx) => {
    if (step.kind !== STEP_KIND) throw new StepFailure(`unknown step kind ${step.kind}`);
    const d = step.data as ExclusionStepData;
    const path = `${POLICIES}/${encodeURIComponent(d.policyId)}`;
    const read = async (): Promise<Raw> => {
      try {
        return asRecord(await deps.writer.get<unknown>(path));
      } catch (e) {
        if (e instanceof GraphError && e.status === 404)
          throw new StepFailure(`policy ${d.policyId} no longer exists: nothing to exclude from`);
        throw e;
      }
    };
    const before = await read();
    if (excludes(before, d.groupId)) return { status: "alreadyDone", detail: "already excludes the group" };
    const users = asRecord(asRecord(before.conditions).users);
    const excluded = Array.isArray(users.excludeGroups) ? users.excludeGroups : [];
    ctx.note({ policyId: d.policyId, usersBefore: users });
    try {
      await deps.writer.patch(path, { conditions: { users: { ...users, excludeGroups: [...excluded, d.groupId] } } });
    } catch (e) {
      const lost = e instanceof GraphError && (e.status === 0 || e.status === 429 || e.status >= 500);
      if (!lost) throw new StepFailure(`Graph refused the change: ${(e as Error).message}`);
    }
    let after = await read();
    for (const delay of deps.readBackDelaysMs) {
      if (excludes(after, d.groupId)) break;
      await new Promise((r) => setTimeout(r, delay));
      after = await read();
    }
    if (!excludes(after, d.groupId))
      throw new StepFailure("the policy does not exclude the group when read back: the change did not persist");
    const expected = structuredClone(before);
    asRecord(asRecord(expected.conditions).users).excludeGroups = [...excluded, d.groupId];
    const changed = differences(expected, after);
    if (changed.length > 0) {
      throw new StepFailure(
        `the group is excluded now, but the policy also differs in ${changed.join(", ")} from what was read before (another change, or Graph did not keep what it was not sent): check it by hand; the journal holds its user conditions before`,
      );
    }
    return { status: "done", detail: `excludes the group now (state ${String(after.state)} unchanged)` };
  };
}

export function describeCaExclusionStep(step: PlannedStep): { action: string; object: string } {
  return { action: "add the exclusion group", object: step.object };
}

function refuseRestore(_header: JournalHeader, entries: readonly JournalEntry[]): PlannedStep[] {
  const changed = new Set(entries.filter((e) => e.type === "progress").map((e) => e.step)).size;
  throw new UserInputError(
    `remediate ca-exclusions has no undo: restoring would remove the emergency accounts' exclusion from ${changed} polic${changed === 1 ? "y" : "ies"}, and nothing here removes the breakglass path. The journal keeps each policy's user conditions as they were before (its "progress" lines), should one have to be changed back by hand. Nothing was written.`,
  );
}

export function caExclusionsCommand(options: { policies?: string[] }): WriteCommand {
  return {
    name: "remediate ca-exclusions",
    needs: CA_EXCLUSION_NEEDS,
    needsCaller: false,
    planOptions: options.policies ? { policies: options.policies } : {},
    plan: planCaExclusions,
    checks: (state, steps) => caExclusionChecks(state, steps),
    describe: describeCaExclusionStep,
    executor: caExclusionExecutor,
    undoable: false,
    restore: { plan: refuseRestore, checks: () => [], executor: caExclusionExecutor },
  };
}
