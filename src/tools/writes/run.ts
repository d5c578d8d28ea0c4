/**
 * The engine both write commands share: plan → checks → journal → steps with read-back, and the same for a resume
 * and a restore. A command supplies what is its own (how it plans from the tenant, what it checks, how each step
 * runs); the order, the refusals and the journal are decided here, once:
 *
 * - offline (`--snapshot`): plan only, nothing written, no journal;
 * - live: the tenant is confirmed to be the stack's, the identity running it is named (and never acted on), the
 *   tenant is read, the checks run; without `--apply` that is a dry run and nothing is written;
 * - `--apply`: a failed blocking check refuses the run before any write (exit 1, no journal); otherwise the journal is
 *   created and every step runs through `applySteps`;
 * - `--resume JOURNAL`: the journal's own steps and options, minus what it shows confirmed, after the same checks;
 * - `--restore JOURNAL`: the command's undo steps, computed from the journal, journaled in the same file.
 */
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import { UserInputError } from "../../cli/errors";
import { displayPath } from "../../cli/files";
import type { CliIo } from "../../cli/io";
import { requireStackConfig } from "../../config/stackConfig";
import type { BaselineConfig } from "../../config/validate";
import { createGraphClient, GraphError, type GraphClient } from "../../graph/client";
import type { SourceName } from "../audit/snapshot";
import { applySteps, type StepExecutor, type StepReport } from "./engine";
import { callerIdentity, confirmTenant, type CallerIdentity } from "./identity";
import { completedSteps, Journal, type JournalEntry, type JournalHeader, type PlannedStep } from "./journal";
import { checkWriteFlags, defaultJournalPath, type WriteFlags } from "./options";
import type { ReportCheck, ReportNote, RunMode, WriteReport } from "./report";
import { loadSnapshotState, readLiveState, unreadSources, type TenantState } from "./tenantState";
import { Writer, WRITE_LIMITS } from "./writer";

export interface Planned {
  steps: PlannedStep[];
  notes: ReportNote[];
}

export interface StepDeps {
  config: BaselineConfig;
  writer: Writer;
  /** The tenant as read before the first write of this session. */
  state: TenantState;
  runId: string;
  caller?: CallerIdentity;
  /** Waits between read-backs that do not yet show a write (Graph is eventually consistent). */
  readBackDelaysMs: readonly number[];
}

export interface WriteCommand {
  /** As shown and journaled: "transition", "remediate ca-exclusions". */
  name: string;
  /** What the plan and the checks read from the tenant (audit snapshot sources). */
  needs: readonly SourceName[];
  /** The identity running it must be known, and no step may act on it. */
  needsCaller: boolean;
  /** Options that shape the plan; journaled, so that a resume plans the same way. */
  planOptions: Record<string, unknown>;
  plan(state: TenantState, caller: CallerIdentity | undefined, options: Record<string, unknown>): Planned;
  /**
   * What must hold before any write of `steps`. `graph` is absent offline (what needs the live tenant is skipped and
   * said to be). Blocking checks that fail refuse an --apply.
   */
  checks(state: TenantState, steps: readonly PlannedStep[], graph: GraphClient | undefined): Promise<ReportCheck[]>;
  describe(step: PlannedStep): { action: string; object: string };
  executor(deps: StepDeps): StepExecutor;
  /** Whether `--restore` can undo an applied run (the completion message offers it only then). */
  undoable: boolean;
  restore?: {
    /** The undo steps for a journal; throws UserInputError when the command refuses to undo it. */
    plan(header: JournalHeader, entries: readonly JournalEntry[]): PlannedStep[];
    /** What must hold before an undo writes (it gives access back, so it may check less than a run). */
    checks(state: TenantState, steps: readonly PlannedStep[]): ReportCheck[];
    executor(deps: StepDeps): StepExecutor;
  };
}

/** What a caller may pass instead of the defaults (the CLI passes nothing). */
export interface WriteRunDeps {
  graph?: GraphClient;
  credential?: TokenCredential;
  readBackDelaysMs?: readonly number[];
  writeLimits?: ConstructorParameters<typeof Writer>[1];
}

const DEFAULT_READ_BACK_DELAYS_MS = [2_000, 5_000, 10_000];

export async function runWriteCommand(
  cmd: WriteCommand,
  flags: WriteFlags,
  io: CliIo,
  deps: WriteRunDeps = {},
): Promise<WriteReport> {
  const { timeoutMs } = checkWriteFlags(flags);
  const cwd = path.resolve(io.cwd, flags.cwd ?? ".");
  const loaded = requireStackConfig(cwd, flags.stack);
  const config = loaded.config;
  const base = { command: cmd.name, stack: loaded.stackFile.stack, tenantId: config.tenant.tenantId };
  const describe = (reports: StepReport[]) =>
    reports.map((r) => ({
      step: r.step.id,
      ...cmd.describe(r.step),
      status: r.status,
      ...(r.detail ? { detail: r.detail } : {}),
    }));

  if (flags.snapshot) {
    const file = path.resolve(io.cwd, flags.snapshot);
    const state = loadSnapshotState(file, config, cmd.needs, displayPath(file, io.cwd));
    const planned = cmd.plan(state, undefined, cmd.planOptions);
    const checks = await cmd.checks(state, planned.steps, undefined);
    return {
      ...base,
      mode: "plan",
      source: state.source,
      checks,
      actions: describe(planned.steps.map((step) => ({ step, status: "planned" }))),
      notes: planned.notes,
      outcome: "planned",
      message: `${planned.steps.length} step${planned.steps.length === 1 ? "" : "s"} planned from the snapshot; the checks run again live before any write, and --apply needs the live tenant`,
    };
  }

  const credential = deps.credential ?? defaultCredential();
  const graph =
    deps.graph ??
    createGraphClient(
      { service: "graph", endpoints: config.endpoints, tenantId: config.tenant.tenantId },
      { credential, timeoutMs },
    );
  const writer = new Writer(graph, deps.writeLimits ?? WRITE_LIMITS);
  const counters = () => ({ requests: graph.requestCount, writes: writer.writes });
  try {
    await confirmTenant(graph, config);
    const caller = cmd.needsCaller ? await callerIdentity(graph, credential, config) : undefined;
    const callerLabel = caller ? `${caller.type} ${caller.label} (${caller.objectId})` : undefined;
    const expectation = { command: cmd.name, stack: base.stack, tenantId: config.tenant.tenantId };

    // Which steps, under which run: a new plan, the journal's remaining steps, or the journal's undo.
    let journalFile: string | undefined;
    let existing: { journal: Journal; entries: JournalEntry[] } | undefined;
    let steps: PlannedStep[];
    let notes: ReportNote[] = [];
    let completed = new Set<string>();
    let mode: RunMode;
    let runId: string;
    const phase = flags.restore ? "restore" : "apply";
    if (flags.restore || flags.resume) {
      journalFile = path.resolve(io.cwd, (flags.restore ?? flags.resume)!);
      if (flags.restore && !cmd.restore) throw new UserInputError(`${cmd.name} has no --restore`);
      existing = Journal.open(journalFile, expectation);
      runId = existing.journal.runId;
      completed = completedSteps(existing.entries, phase);
      try {
        steps = flags.restore
          ? cmd.restore!.plan(existing.journal.header, existing.entries)
          : existing.journal.header.steps;
      } catch (e) {
        existing.journal.close();
        throw e;
      }
      mode = flags.restore ? (flags.apply ? "restore" : "restoreDryRun") : flags.apply ? "resume" : "dryRun";
      // The journal is read, not yet written to: a dry run leaves it as it was.
      if (!flags.apply) existing.journal.close();
    } else {
      runId = randomUUID();
      mode = flags.apply ? "apply" : "dryRun";
      steps = [];
    }

    const state = await readLiveState(graph, config);
    const unread = unreadSources(state.snapshot, cmd.needs);
    if (!flags.restore && !flags.resume) {
      if (unread.length === 0) ({ steps, notes } = cmd.plan(state, caller, cmd.planOptions));
    }
    const header = existing?.journal.header;
    const report = (
      over: Partial<WriteReport> & Pick<WriteReport, "outcome" | "message" | "actions">,
    ): WriteReport => ({
      ...base,
      mode,
      source: state.source,
      runId,
      ...(journalFile ? { journal: displayPath(journalFile, io.cwd) } : {}),
      ...(callerLabel ? { caller: callerLabel } : {}),
      checks: [],
      notes,
      ...counters(),
      ...over,
    });
    if (unread.length > 0) {
      existing?.journal.close();
      return report({
        outcome: "refused",
        actions: [],
        message: `the tenant could not be read completely (${unread.join("; ")}): nothing was planned or written`,
      });
    }

    // The identity running it is never acted on, whatever the plan or the journal says.
    const refused = caller ? steps.filter((s) => s.data.principalId === caller.objectId) : [];
    if (refused.length > 0) {
      steps = steps.filter((s) => !refused.includes(s));
      if (header) {
        notes = [
          ...notes,
          ...refused.map((s) => ({
            kind: "refused",
            object: cmd.describe(s).object,
            detail: `it is the identity running this (${callerLabel}): run it as another identity to include this step`,
          })),
        ];
      }
    }
    const pending = steps.filter((s) => !completed.has(s.id));
    const checks = flags.restore ? cmd.restore!.checks(state, pending) : await cmd.checks(state, pending, graph);
    const blocked = checks.filter((c) => c.blocking && !c.ok);
    const planned = describe(
      steps.map((step) => ({ step, status: completed.has(step.id) ? "alreadyDone" : "planned" })),
    );

    if (!flags.apply) {
      return report({
        checks,
        actions: planned,
        outcome: blocked.length > 0 ? "refused" : "planned",
        message:
          blocked.length > 0
            ? `--apply would refuse: ${blocked.map((c) => c.name).join(", ")} ${blocked.length === 1 ? "is" : "are"} not healthy; nothing was written`
            : `${pending.length} step${pending.length === 1 ? "" : "s"} would run; nothing was written (add --apply)`,
      });
    }
    if (blocked.length > 0) {
      existing?.journal.close();
      return report({
        checks,
        actions: planned,
        outcome: "refused",
        message: `refused before any write: ${blocked.map((c) => `${c.name} (${c.summary})`).join("; ")}`,
      });
    }
    if (pending.length === 0) {
      existing?.journal.close();
      return report({
        checks,
        actions: planned,
        outcome: "completed",
        message: "nothing to do: every step is confirmed",
      });
    }

    let journal: Journal;
    if (existing) {
      journal = existing.journal;
      journal.append({
        type: "session",
        action: flags.restore ? "restore" : "resume",
        ...(callerLabel ? { by: callerLabel } : {}),
      });
    } else {
      journalFile = path.resolve(io.cwd, flags.journal ?? defaultJournalPath(cwd, cmd.name, base.stack, new Date()));
      journal = Journal.create(journalFile, {
        ...expectation,
        runId,
        startedAt: new Date().toISOString(),
        options: cmd.planOptions,
        steps,
      });
      journal.append({ type: "session", action: "apply", ...(callerLabel ? { by: callerLabel } : {}) });
    }
    const stepDeps: StepDeps = {
      config,
      writer,
      state,
      runId,
      ...(caller ? { caller } : {}),
      readBackDelaysMs: deps.readBackDelaysMs ?? DEFAULT_READ_BACK_DELAYS_MS,
    };
    const execute = flags.restore ? cmd.restore!.executor(stepDeps) : cmd.executor(stepDeps);
    let applied;
    try {
      applied = await applySteps({ journal, phase, steps, completed, execute });
    } finally {
      journal.close();
    }
    const shown = displayPath(journalFile!, io.cwd);
    return report({
      journal: shown,
      checks,
      actions: describe(applied.reports),
      outcome: applied.failed ? "stopped" : "completed",
      message: applied.failed
        ? `stopped at ${cmd.describe(applied.failed.step).action} ${cmd.describe(applied.failed.step).object}: ${applied.failed.detail}. Nothing after it was attempted; fix the cause and ${flags.restore ? `run --restore ${shown} --apply again` : `continue with --resume ${shown} --apply`}`
        : `every step was applied and read back; the journal ${shown} records it${cmd.undoable && !flags.restore ? ` (--restore ${shown} undoes it)` : ""}`,
    });
  } catch (e) {
    // Outside a step, a refused call is the identity's to fix (no consent, no role): nothing was written.
    if (e instanceof GraphError && (e.status === 401 || e.status === 403))
      throw new UserInputError(`${e.message} Nothing was written.`, { cause: e });
    throw e;
  }
}

function defaultCredential(): TokenCredential {
  // Required here, not at module top: loading @azure/identity is only worth it for a live run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  return new DefaultAzureCredential();
}
