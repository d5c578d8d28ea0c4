/**
 * What the 90-day tripwire drill (`npm run drill`) measures a breakglass sign-in against. These are TARGETS, not
 * promises: Microsoft publishes no service level for Entra log delivery or log alert latency, so each target is
 * the number the published figures and the tripwire's own schedule make reasonable to expect; a drill that misses
 * one is a finding to investigate, not proof of a breach of contract. Reasoning and sources: docs/monitoring.md,
 * "Drill targets".
 *
 * - Ingestion (sign-in → stored and queryable, CreatedDateTime → ingestion_time()): 10 minutes. Microsoft's older
 *   published sign-in latency was 2 min (P95) / 5 min (P99); Azure resource logs are "usually available within 3 to
 *   10 minutes end-to-end". The current Entra latency page gives no figure.
 * - Alert (ingestion → the alert instance, Alerts Management `startDateTime`): one evaluation period of the
 *   tripwire (TRIPWIRE.evaluationFrequency, PT1M) plus 2 minutes for the query run and the alert's creation (not
 *   published; the service retries evaluation when data is late).
 * - Notification (alert → delivered): 5 minutes, where a delivery time is observable at all (see the drill: Azure
 *   Monitor reports no delivery time for real notifications).
 * - End to end (sign-in → alert): the sum of ingestion and alert targets. A record that becomes queryable more than
 *   windowSize − evaluationFrequency (14 minutes) after its TimeGenerated is never seen by the tripwire at all.
 */
import { durationSeconds } from "./duration";
import { TRIPWIRE } from "./tripwire";

export const DRILL_TARGET_SECONDS = {
  ingestion: 10 * 60,
  alertAllowance: 2 * 60,
  notification: 5 * 60,
} as const;

export interface DrillTargets {
  /** Sign-in → ingestion_time(). */
  ingestionSeconds: number;
  /** Ingestion → alert fired: one evaluation period plus the allowance. */
  alertSeconds: number;
  /** Alert fired → notification delivered, when observable. */
  notificationSeconds: number;
  /** Sign-in → alert fired. */
  endToEndSeconds: number;
  /** The latest a record may become queryable and still be seen by the tripwire (window − frequency). */
  latestCaughtSeconds: number;
}

export function drillTargets(
  evaluationFrequency: string = TRIPWIRE.evaluationFrequency,
  windowSize: string = TRIPWIRE.windowSize,
): DrillTargets {
  const frequency = durationSeconds(evaluationFrequency) ?? 60;
  const window = durationSeconds(windowSize) ?? 900;
  const alertSeconds = frequency + DRILL_TARGET_SECONDS.alertAllowance;
  return {
    ingestionSeconds: DRILL_TARGET_SECONDS.ingestion,
    alertSeconds,
    notificationSeconds: DRILL_TARGET_SECONDS.notification,
    endToEndSeconds: DRILL_TARGET_SECONDS.ingestion + alertSeconds,
    latestCaughtSeconds: window - frequency,
  };
}

export type DrillStage = "ingestion" | "alert" | "notification" | "endToEnd";

export interface DrillTimes {
  /** The sign-in (CreatedDateTime). */
  signInAt: string;
  /** Stored and queryable (ingestion_time()). */
  ingestedAt?: string;
  /** The alert instance's creation (startDateTime). */
  firedAt?: string;
  /** Delivered, when known. */
  notifiedAt?: string;
}

export interface StageResult {
  stage: DrillStage;
  from: string;
  to?: string;
  /** Elapsed seconds; undefined when the later time is unknown. */
  seconds?: number;
  targetSeconds: number;
  /** True within target, false beyond it or never reached; undefined when not observable (notification). */
  met?: boolean;
}

/** Each stage against its target. */
export function judgeDrillStages(times: DrillTimes, targets: DrillTargets = drillTargets()): StageResult[] {
  const stage = (
    name: DrillStage,
    from: string,
    to: string | undefined,
    targetSeconds: number,
    unobservable = false,
  ): StageResult => {
    const seconds = to === undefined ? undefined : (Date.parse(to) - Date.parse(from)) / 1000;
    const met = seconds === undefined ? (unobservable ? undefined : false) : seconds <= targetSeconds;
    return {
      stage: name,
      from,
      ...(to ? { to } : {}),
      ...(seconds === undefined ? {} : { seconds }),
      targetSeconds,
      met,
    };
  };
  const stages: StageResult[] = [stage("ingestion", times.signInAt, times.ingestedAt, targets.ingestionSeconds)];
  stages.push(
    times.ingestedAt
      ? stage("alert", times.ingestedAt, times.firedAt, targets.alertSeconds)
      : { stage: "alert", from: times.signInAt, targetSeconds: targets.alertSeconds, met: false },
  );
  stages.push(
    times.firedAt
      ? stage("notification", times.firedAt, times.notifiedAt, targets.notificationSeconds, true)
      : { stage: "notification", from: times.signInAt, targetSeconds: targets.notificationSeconds, met: false },
  );
  stages.push(stage("endToEnd", times.signInAt, times.firedAt, targets.endToEndSeconds));
  return stages;
}

/** The drill's verdict for one account: the tripwire fired, within the end-to-end target. */
export function firedInTime(times: DrillTimes, targets: DrillTargets = drillTargets()): boolean {
  return judgeDrillStages(times, targets).find((s) => s.stage === "endToEnd")!.met === true;
}
