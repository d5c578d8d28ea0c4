/**
 * The drill proper: a recording (live or replayed) and the stack's breakglass accounts → per account the sign-in,
 * its ingestion, the tripwire alert and the notification, each stage against the model's targets
 * (src/model/drillTargets.ts). Pure, so a live run and `--from` judge through exactly the same code.
 */
import { UserInputError } from "../../cli/errors";
import {
  ALERT_RULES,
  drillTargets,
  firedInTime,
  judgeDrillStages,
  TRIPWIRE_RULE_KEYS,
  type DrillTargets,
  type StageResult,
  type TripwireRuleKey,
} from "@entra-baseline/model";
import type { DrillRecording } from "./recording";

export interface DrillAccount {
  upn: string;
  objectId?: string;
}

export interface SignInRow {
  table: string;
  createdAt: string;
  ingestedAt?: string;
  receivedAt?: string;
  upn: string;
  userId: string;
  resultType: string;
  app: string;
  conditionalAccessStatus: string;
}

export interface AccountResult {
  upn: string;
  objectId?: string;
  /** The first sign-in of the account in the window (interactive first), and how many rows it had there. */
  signIn?: SignInRow;
  signInRows: number;
  rule?: TripwireRuleKey;
  alert?: { id: string; firedAt: string; matchedBy: "account" | "time" };
  notifiedAt?: string;
  notificationSource: string;
  stages: StageResult[];
  firedInTime: boolean;
}

export interface DrillReport {
  tenantId: string;
  recordedAt: string;
  window: { since: string; until: string };
  workspace: { resourceId: string; customerId: string };
  targets: DrillTargets;
  /** The accounts drilled: those with a sign-in in the window. */
  accounts: AccountResult[];
  /** Breakglass accounts with no sign-in in the window (not part of this drill). */
  notDrilled: string[];
  /** Every drilled account's tripwire fired within the end-to-end target. */
  passed: boolean;
}

export const NOTIFICATION_NOT_AVAILABLE =
  "not available from the API (Azure Monitor reports delivery only for test notifications): record when each receiver got it in the ticket, or pass --notified-at";

export function judgeDrill(
  recording: DrillRecording,
  accounts: readonly DrillAccount[],
  options: { notifiedAt?: string; targets?: DrillTargets } = {},
): DrillReport {
  const targets = options.targets ?? drillTargets();
  const rows = signInRows(recording);
  const results: AccountResult[] = [];
  const notDrilled: string[] = [];
  for (const account of accounts) {
    const own = rows.filter((r) => sameAccount(r, account));
    if (own.length === 0) {
      notDrilled.push(account.upn);
      continue;
    }
    const signIn = own.find((r) => r.table === ALERT_RULES.breakglassSignIn.table) ?? own[0]!;
    const rule = TRIPWIRE_RULE_KEYS.find((k) => ALERT_RULES[k].table === signIn.table) ?? "breakglassSignIn";
    const alert = matchAlert(recording.alerts[rule], recording.rules[rule], signIn, account);
    const notifiedAt = alert ? options.notifiedAt : undefined;
    const times = {
      signInAt: signIn.createdAt,
      ...(signIn.ingestedAt ? { ingestedAt: signIn.ingestedAt } : {}),
      ...(alert ? { firedAt: alert.firedAt } : {}),
      ...(notifiedAt ? { notifiedAt } : {}),
    };
    results.push({
      upn: account.upn,
      ...(account.objectId ? { objectId: account.objectId } : { objectId: signIn.userId || undefined }),
      signIn,
      signInRows: own.length,
      rule,
      ...(alert ? { alert } : {}),
      ...(notifiedAt ? { notifiedAt } : {}),
      notificationSource: notifiedAt ? "--notified-at (as observed by a person)" : NOTIFICATION_NOT_AVAILABLE,
      stages: judgeDrillStages(times, targets),
      firedInTime: firedInTime(times, targets),
    });
  }
  if (results.length === 0) {
    throw new UserInputError(
      `empty window: no sign-in of ${accounts.map((a) => a.upn).join(", ")} between ${recording.window.since} and ${recording.window.until} in the workspace; sign in first (the guidance: npm run drill without --since), or widen --since`,
    );
  }
  return {
    tenantId: recording.tenantId,
    recordedAt: recording.recordedAt,
    window: recording.window,
    workspace: recording.workspace,
    targets,
    accounts: results,
    notDrilled,
    passed: results.every((r) => r.firedInTime),
  };
}

function sameAccount(row: SignInRow, account: DrillAccount): boolean {
  return (
    row.upn.toLowerCase() === account.upn.toLowerCase() ||
    (account.objectId !== undefined && row.userId.toLowerCase() === account.objectId.toLowerCase())
  );
}

/** The query's rows, by column name; a row without a valid sign-in time is refused (it would judge nothing). */
export function signInRows(recording: DrillRecording): SignInRow[] {
  const table = recording.signIns.tables[0]!;
  const names = table.columns.map((c) => c.name);
  const at = (row: unknown[], name: string) => {
    const i = names.indexOf(name);
    return i < 0 ? undefined : row[i];
  };
  const time = (v: unknown) =>
    typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined;
  return table.rows
    .map((row, i): SignInRow => {
      const createdAt = time(at(row, "CreatedDateTime"));
      if (!createdAt)
        throw new UserInputError(
          `the sign-in rows: row ${i + 1} has no CreatedDateTime (the drill query's columns are expected)`,
        );
      const ingestedAt = time(at(row, "IngestedAt"));
      const receivedAt = time(at(row, "TimeReceived"));
      return {
        table: String(at(row, "SourceTable") ?? ""),
        createdAt,
        ...(ingestedAt ? { ingestedAt } : {}),
        ...(receivedAt ? { receivedAt } : {}),
        upn: String(at(row, "UserPrincipalName") ?? ""),
        userId: String(at(row, "UserId") ?? ""),
        resultType: String(at(row, "ResultType") ?? ""),
        app: String(at(row, "AppDisplayName") ?? ""),
        conditionalAccessStatus: String(at(row, "ConditionalAccessStatus") ?? ""),
      };
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * The rule's first alert created at or after the sign-in; one whose context names the account (the rule is split
 * by account) is preferred, since another account's sign-in may have fired the same rule.
 */
function matchAlert(
  alerts: readonly Record<string, unknown>[],
  ruleId: string,
  signIn: SignInRow,
  account: DrillAccount,
): AccountResult["alert"] {
  const candidates = alerts
    .map((a) => {
      const properties = (a.properties ?? {}) as Record<string, unknown>;
      const essentials = (properties.essentials ?? {}) as Record<string, unknown>;
      const firedAt = typeof essentials.startDateTime === "string" ? essentials.startDateTime : undefined;
      const rule = typeof essentials.alertRule === "string" ? essentials.alertRule : "";
      return { id: String(a.id ?? a.name ?? ""), firedAt, rule, context: JSON.stringify(properties.context ?? {}) };
    })
    .filter(
      (a): a is typeof a & { firedAt: string } =>
        a.firedAt !== undefined &&
        !Number.isNaN(Date.parse(a.firedAt)) &&
        Date.parse(a.firedAt) >= Date.parse(signIn.createdAt) &&
        (a.rule === "" || a.rule.toLowerCase() === ruleId.toLowerCase()),
    )
    .sort((a, b) => Date.parse(a.firedAt) - Date.parse(b.firedAt));
  const names = [account.upn, account.objectId, signIn.userId]
    .filter((n): n is string => !!n)
    .map((n) => n.toLowerCase());
  const named = candidates.find((c) => names.some((n) => c.context.toLowerCase().includes(n)));
  const chosen = named ?? candidates[0];
  return chosen
    ? { id: chosen.id, firedAt: new Date(chosen.firedAt).toISOString(), matchedBy: named ? "account" : "time" }
    : undefined;
}
