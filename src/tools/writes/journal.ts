/**
 * The journal of a write run: JSON lines, one per event, each written and fsynced before the run goes on, so that a
 * run killed at any point leaves a file that says what was planned, which write was about to be sent (and with what
 * it replaced), and which writes were confirmed by a read-back. `--resume` continues it; `--restore` undoes it.
 *
 * Line 1 is the run: command, stack, tenant, run id and the planned steps. Every later line names the same run id.
 * A journal is never overwritten, and one of another tenant, stack, command or run is refused (exit 2).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { UserInputError } from "../../cli/errors";
import { describeFsError, displayPath } from "../../cli/files";

export const JOURNAL_VERSION = 1;

/** One planned write (or pair of writes with their reads), as the journal records it. */
export interface PlannedStep {
  /** Unique within the run, stable across resumes: `eligible/<principal>/<role>`. */
  id: string;
  kind: string;
  /** What it is about, for people. */
  object: string;
  /** Everything the step needs to run again from the journal alone (JSON). */
  data: Record<string, unknown>;
}

export type JournalPhase = "apply" | "restore";
export type StepStatus = "done" | "alreadyDone" | "skipped" | "failed";

export interface JournalHeader {
  type: "run";
  version: typeof JOURNAL_VERSION;
  command: string;
  stack: string;
  tenantId: string;
  runId: string;
  startedAt: string;
  options: Record<string, unknown>;
  steps: PlannedStep[];
}

export type JournalEntry =
  | { type: "session"; runId: string; at: string; action: "apply" | "resume" | "restore"; by?: string }
  | { type: "intent"; runId: string; at: string; phase: JournalPhase; step: string }
  | { type: "progress"; runId: string; at: string; phase: JournalPhase; step: string; record: Record<string, unknown> }
  | {
      type: "outcome";
      runId: string;
      at: string;
      phase: JournalPhase;
      step: string;
      status: StepStatus;
      detail: string;
      record?: Record<string, unknown>;
    };

/** What a journal must match to be continued or restored by this invocation. */
export interface JournalExpectation {
  command: string;
  stack: string;
  tenantId: string;
}

const record = z.record(z.string(), z.unknown());
const step = z.strictObject({ id: z.string().min(1), kind: z.string().min(1), object: z.string(), data: record });
const headerSchema = z.strictObject({
  type: z.literal("run"),
  version: z.literal(JOURNAL_VERSION, {
    error: `must be ${JOURNAL_VERSION}, the only journal format this version writes`,
  }),
  command: z.string(),
  stack: z.string(),
  tenantId: z.string(),
  runId: z.string().min(1),
  startedAt: z.string(),
  options: record,
  steps: z.array(step),
});
const phase = z.enum(["apply", "restore"]);
const entrySchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("session"),
    runId: z.string(),
    at: z.string(),
    action: z.enum(["apply", "resume", "restore"]),
    by: z.string().optional(),
  }),
  z.strictObject({ type: z.literal("intent"), runId: z.string(), at: z.string(), phase, step: z.string() }),
  z.strictObject({ type: z.literal("progress"), runId: z.string(), at: z.string(), phase, step: z.string(), record }),
  z.strictObject({
    type: z.literal("outcome"),
    runId: z.string(),
    at: z.string(),
    phase,
    step: z.string(),
    status: z.enum(["done", "alreadyDone", "skipped", "failed"]),
    detail: z.string(),
    record: record.optional(),
  }),
]);

export class JournalError extends UserInputError {}

type NewEntry = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, "runId" | "at"> : never) : never;

export class Journal {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
    readonly header: JournalHeader,
  ) {}

  /** Starts a new journal; an existing file is never overwritten (it may be the only record of a run). */
  static create(file: string, header: Omit<JournalHeader, "type" | "version">): Journal {
    const full: JournalHeader = { type: "run", version: JOURNAL_VERSION, ...header };
    let fd: number;
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fd = fs.openSync(file, "wx");
    } catch (e) {
      const why =
        (e as NodeJS.ErrnoException).code === "EEXIST"
          ? "already exists (a journal is never overwritten: continue it with --resume, or choose another --journal)"
          : describeFsError(e);
      throw new JournalError(`--journal ${displayPath(file)}: cannot be created: ${why}`);
    }
    const journal = new Journal(file, fd, full);
    journal.writeLine(full);
    return journal;
  }

  /** Opens an existing journal for appending, after checking it is one this invocation may continue. */
  static open(file: string, expected: JournalExpectation): { journal: Journal; entries: JournalEntry[] } {
    const { header, entries } = readJournal(file, expected);
    let fd: number;
    try {
      fd = fs.openSync(file, "a");
    } catch (e) {
      throw new JournalError(`${displayPath(file)}: cannot be opened for appending: ${describeFsError(e)}`);
    }
    return { journal: new Journal(file, fd, header), entries };
  }

  get runId(): string {
    return this.header.runId;
  }

  /** Appends one event and forces it to disk before returning. */
  append(entry: NewEntry): void {
    this.writeLine({ ...entry, runId: this.header.runId, at: new Date().toISOString() });
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private writeLine(value: unknown): void {
    if (this.fd === undefined) throw new Error(`journal ${this.file} is closed`);
    fs.writeSync(this.fd, `${JSON.stringify(value)}\n`);
    fs.fsyncSync(this.fd);
  }
}

/**
 * Reads and checks a journal: its header, that it belongs to this tenant, stack and command, and that every line is
 * of its run. A last line cut short (the run was killed while writing it) is ignored; anything else malformed is an
 * error naming the line.
 */
export function readJournal(
  file: string,
  expected: JournalExpectation,
): { header: JournalHeader; entries: JournalEntry[] } {
  const where = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new JournalError(`${where}: cannot read the journal: ${describeFsError(e)}`);
  }
  const lines = text.split("\n");
  // The text after the last newline is a line still being written when the run stopped: not part of the record.
  const complete = lines.slice(0, -1);
  if (complete.length === 0) throw new JournalError(`${where}: is empty, not a journal of entra-baseline`);
  const parse = (line: string, n: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new JournalError(`${where}: line ${n} is not JSON: not a journal of entra-baseline, or damaged`);
    }
  };
  const headerResult = headerSchema.safeParse(parse(complete[0]!, 1));
  if (!headerResult.success) {
    const problems = headerResult.error.issues.map((i) => `${i.path.join(".") || "(line)"}: ${i.message}`);
    throw new JournalError(`${where}: line 1 is not the run of a journal (${problems.join("; ")})`);
  }
  const header = headerResult.data as JournalHeader;
  if (header.tenantId.toLowerCase() !== expected.tenantId.toLowerCase()) {
    throw new JournalError(
      `${where}: is the journal of tenant ${header.tenantId}, not of this stack's tenant ${expected.tenantId}: nothing was written`,
    );
  }
  if (header.command !== expected.command) {
    throw new JournalError(
      `${where}: is the journal of \`${header.command}\`, not of \`${expected.command}\`: nothing was written`,
    );
  }
  if (header.stack !== expected.stack) {
    throw new JournalError(
      `${where}: is the journal of stack "${header.stack}", not of "${expected.stack}": nothing was written`,
    );
  }
  const ids = new Set(header.steps.map((s) => s.id));
  const entries: JournalEntry[] = [];
  complete.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (line.trim() === "") return;
    const result = entrySchema.safeParse(parse(line, n));
    if (!result.success) throw new JournalError(`${where}: line ${n} is not a journal event`);
    const entry = result.data as JournalEntry;
    if (entry.runId !== header.runId) {
      throw new JournalError(
        `${where}: line ${n} belongs to run ${entry.runId}, not to this journal's run ${header.runId}: the file mixes runs, nothing was written`,
      );
    }
    if (entry.type !== "session" && entry.phase === "apply" && !ids.has(entry.step)) {
      throw new JournalError(`${where}: line ${n} names step "${entry.step}", which the run did not plan`);
    }
    entries.push(entry);
  });
  return { header, entries };
}

/** The steps of `phase` the journal shows confirmed (done, already done or skipped): a resume does not repeat them. */
export function completedSteps(entries: readonly JournalEntry[], phase: JournalPhase): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    if (e.type !== "outcome" || e.phase !== phase) continue;
    if (e.status === "failed") out.delete(e.step);
    else out.add(e.step);
  }
  return out;
}

/** The last outcome of each step of `phase`. */
export function lastOutcomes(
  entries: readonly JournalEntry[],
  phase: JournalPhase,
): Map<string, Extract<JournalEntry, { type: "outcome" }>> {
  const out = new Map<string, Extract<JournalEntry, { type: "outcome" }>>();
  for (const e of entries) if (e.type === "outcome" && e.phase === phase) out.set(e.step, e);
  return out;
}
