/** `transition` as a write command of the shared engine (src/tools/writes/run.ts): its plan, checks, steps and undo. */
import type { PlannedStep } from "../writes/journal";
import type { WriteCommand } from "../writes/run";
import { emergencyCheck, transitionChecks } from "./checks";
import { planTransition, STEP_KINDS, TRANSITION_NEEDS, type RemovalStepData } from "./plan";
import { planRestore, RESTORE_KINDS, restoreExecutor } from "./restore";
import { transitionExecutor } from "./steps";

export interface TransitionFlags {
  removeUnlisted?: boolean;
  restoreEligibilities?: boolean;
}

const PATHS: Readonly<Record<string, string>> = {
  pimAssignment: "PIM request",
  directAssignment: "legacy endpoint",
};

export function describeTransitionStep(step: PlannedStep): { action: string; object: string } {
  switch (step.kind) {
    case STEP_KINDS.eligibility:
      return { action: "make eligible", object: step.object };
    case STEP_KINDS.removal: {
      const d = step.data as RemovalStepData;
      const how = [...new Set(d.assignments.map((a) => PATHS[a.path] ?? a.path))].join(" + ");
      return { action: `${d.keepsEligibility ? "remove standing" : "remove unlisted"} (${how})`, object: step.object };
    }
    case RESTORE_KINDS.active:
      return { action: "put back active", object: step.object };
    case RESTORE_KINDS.eligibility:
      return { action: "remove eligibility", object: step.object };
    default:
      return { action: step.kind, object: step.object };
  }
}

export function transitionCommand(flags: TransitionFlags): WriteCommand {
  return {
    name: "transition",
    needs: TRANSITION_NEEDS,
    needsCaller: true,
    planOptions: { removeUnlisted: flags.removeUnlisted === true },
    plan: planTransition,
    checks: transitionChecks,
    describe: describeTransitionStep,
    executor: transitionExecutor,
    undoable: true,
    restore: {
      plan: (header, entries) =>
        planRestore(header, entries, { restoreEligibilities: flags.restoreEligibilities === true }),
      // Reported, not blocking: a restore only gives access back, and may be what an incident needs most.
      checks: (state) => [emergencyCheck(state.ctx, false)],
      executor: restoreExecutor,
    },
  };
}
