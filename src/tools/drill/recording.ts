/**
 * What a drill read, as it was answered: the workspace's customer id, the Log Analytics query's result table and
 * each tripwire rule's alerts from Alerts Management. A live run can save it (`--record FILE`) and a later run
 * replays it offline (`--from FILE`), judged by the same code; it is the evidence's raw form, kept with the ticket.
 * Only the envelope is validated here; rows and alerts are read defensively by drill.ts.
 */
import { z } from "zod";
import { UserInputError } from "../../cli/errors";
import { readJsonFile, writeTextFile } from "../../cli/files";
import { TRIPWIRE_RULE_KEYS, type TripwireRuleKey } from "@entra-baseline/model";

export const RECORDING_VERSION = 1;

export interface DrillRecording {
  version: typeof RECORDING_VERSION;
  tenantId: string;
  recordedAt: string;
  window: { since: string; until: string };
  /** The breakglass accounts (UPNs) the query asked for. */
  accounts: string[];
  workspace: { resourceId: string; customerId: string };
  /** ARM ids of the tripwire rules, by rule key. */
  rules: Record<TripwireRuleKey, string>;
  /** The Log Analytics query API's answer: `{ tables: [{ name, columns: [{ name, type }], rows }] }`. */
  signIns: { tables: { name?: string; columns: { name: string; type?: string }[]; rows: unknown[][] }[] };
  /** Alerts Management's `value` items for each rule in the window. */
  alerts: Record<TripwireRuleKey, Record<string, unknown>[]>;
}

const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), "must be an ISO 8601 date-time");
const rawObject = z.record(z.string(), z.unknown());
const recordingSchema = z.strictObject({
  version: z.literal(RECORDING_VERSION, { error: `must be ${RECORDING_VERSION}` }),
  tenantId: z.string().min(1),
  recordedAt: isoTime,
  window: z.strictObject({ since: isoTime, until: isoTime }),
  accounts: z.array(z.string().min(1)).min(1, "must name the accounts queried"),
  workspace: z.strictObject({ resourceId: z.string().min(1), customerId: z.string().min(1) }),
  rules: z.strictObject(Object.fromEntries(TRIPWIRE_RULE_KEYS.map((k) => [k, z.string().min(1)]))),
  signIns: z.object({
    tables: z
      .array(
        z.object({
          name: z.string().optional(),
          columns: z.array(z.object({ name: z.string(), type: z.string().optional() })),
          rows: z.array(z.array(z.unknown())),
        }),
      )
      .min(1, "must hold the query's result table"),
  }),
  alerts: z.strictObject(Object.fromEntries(TRIPWIRE_RULE_KEYS.map((k) => [k, z.array(rawObject)]))),
});

export function parseRecording(value: unknown, file: string): DrillRecording {
  const result = recordingSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
    throw new UserInputError(`${file}: is not a drill recording (format: docs/monitoring.md):\n${problems.join("\n")}`);
  }
  return result.data as DrillRecording;
}

export function readRecordingFile(file: string): DrillRecording {
  return parseRecording(readJsonFile(file, "the drill recording"), file);
}

export function writeRecordingFile(file: string, recording: DrillRecording): void {
  writeTextFile(file, `${JSON.stringify(recording, null, 2)}\n`, "--record");
}
