/**
 * The loop every write command runs its steps through: for each step not yet confirmed, the intent is journaled,
 * the step runs (it reads the current state, writes only what is missing, and reads the result back), and its
 * outcome is journaled. A step that fails stops the run: nothing after it is attempted, so the tenant is left at a
 * step boundary the journal names, and `--resume` starts again from there.
 */
import type { Journal, JournalPhase, PlannedStep, StepStatus } from "./journal";

export interface StepContext {
  /** Journals what the step is about to change (before the write), so that restore knows it even if the run dies. */
  note(record: Record<string, unknown>): void;
}

export interface StepResult {
  status: Exclude<StepStatus, "failed">;
  detail: string;
  /** Journaled with the outcome (what restore needs). */
  record?: Record<string, unknown>;
}

export type StepExecutor = (step: PlannedStep, ctx: StepContext) => Promise<StepResult>;

export type ActionStatus = StepStatus | "planned" | "notRun" | "refused";

export interface StepReport {
  step: PlannedStep;
  status: ActionStatus;
  detail?: string;
}

export interface AppliedSteps {
  reports: StepReport[];
  /** The step that stopped the run. */
  failed?: StepReport;
}

/** The reason a step could not complete, in words (a Graph error's message names the call and what to do). */
export class StepFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepFailure";
  }
}

export async function applySteps(options: {
  journal: Journal;
  phase: JournalPhase;
  steps: readonly PlannedStep[];
  /** Steps the journal already shows confirmed: reported, not run again. */
  completed: ReadonlySet<string>;
  execute: StepExecutor;
  onStep?(report: StepReport, index: number, total: number): void;
}): Promise<AppliedSteps> {
  const { journal, phase, steps, completed, execute } = options;
  const reports: StepReport[] = [];
  let failed: StepReport | undefined;
  for (const [i, step] of steps.entries()) {
    if (failed) {
      reports.push({ step, status: "notRun" });
      continue;
    }
    if (completed.has(step.id)) {
      reports.push({ step, status: "alreadyDone", detail: "confirmed by an earlier session of this run" });
      continue;
    }
    journal.append({ type: "intent", phase, step: step.id });
    let report: StepReport;
    try {
      const result = await execute(step, {
        note: (record) => journal.append({ type: "progress", phase, step: step.id, record }),
      });
      journal.append({
        type: "outcome",
        phase,
        step: step.id,
        status: result.status,
        detail: result.detail,
        ...(result.record ? { record: result.record } : {}),
      });
      report = { step, status: result.status, detail: result.detail };
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      journal.append({ type: "outcome", phase, step: step.id, status: "failed", detail });
      report = { step, status: "failed", detail };
      failed = report;
    }
    reports.push(report);
    options.onStep?.(report, i, steps.length);
  }
  return { reports, ...(failed ? { failed } : {}) };
}
