/**
 * The drill's live reads, with the read identity and the project's HTTP client (src/graph/client.ts, which sends a
 * token only for the base URL it was made for): the workspace's customer id (ARM), the breakglass sign-ins (the Log
 * Analytics query API) and each tripwire rule's fired alerts (Alerts Management). Read-only.
 *
 * Azure Monitor has no API for when a real (alert-triggered) notification was delivered: the action group's
 * notification-status API covers test notifications only. The drill says so, and takes the time a person saw it
 * (`--notified-at`) when given.
 */
import { UserInputError } from "../../cli/errors";
import { GraphError, type GraphClient } from "../../graph/client";
import { TRIPWIRE_RULE_KEYS, type TripwireRuleKey } from "@entra-baseline/model";
import type { DrillRecording } from "./recording";

export const DRILL_API_VERSIONS = {
  /** azure-native 3.28 operationalinsights.Workspace's default. */
  workspaces: "2023-09-01",
  /** Alerts Management list (stable; filters alertRule and customTimeRange). */
  alerts: "2018-05-05",
} as const;

/** Alerts Management answers at most this many alerts per page when context is included. */
const ALERTS_PAGE = 25;
const MAX_PAGES = 40;

export interface DrillReadOptions {
  arm: GraphClient;
  logAnalytics: GraphClient;
  tenantId: string;
  subscription: string;
  workspaceResourceId: string;
  rules: Record<TripwireRuleKey, string>;
  /** The accounts the query asks for (UPNs). */
  accounts: string[];
  query: string;
  window: { since: string; until: string };
  now: Date;
}

/** Everything a drill judges, read live, as a recording (the same shape `--from` replays). */
export async function readDrill(options: DrillReadOptions): Promise<DrillRecording> {
  const workspace = await denied("read the workspace (Reader or Log Analytics Reader on it)", () =>
    options.arm.get<{ properties?: { customerId?: unknown } }>(
      `${options.workspaceResourceId}?api-version=${DRILL_API_VERSIONS.workspaces}`,
    ),
  );
  const customerId = workspace?.properties?.customerId;
  if (typeof customerId !== "string" || customerId === "")
    throw new UserInputError(`${options.workspaceResourceId}: the workspace answer has no properties.customerId`);
  const signIns = await denied("query the workspace (Log Analytics Reader on it)", () =>
    options.logAnalytics.post<DrillRecording["signIns"]>(`/v1/workspaces/${customerId}/query`, {
      query: options.query,
      timespan: `${options.window.since}/${new Date(Date.parse(options.window.until) + 3_600_000).toISOString()}`,
    }),
  );
  if (!signIns || !Array.isArray(signIns.tables) || signIns.tables.length === 0)
    throw new UserInputError(`Log Analytics (${customerId}): the query answer has no "tables"`);
  const alerts = {} as Record<TripwireRuleKey, Record<string, unknown>[]>;
  for (const key of TRIPWIRE_RULE_KEYS) alerts[key] = await listAlerts(options, options.rules[key]);
  return {
    version: 1,
    tenantId: options.tenantId,
    recordedAt: options.now.toISOString(),
    window: options.window,
    accounts: options.accounts,
    workspace: { resourceId: options.workspaceResourceId, customerId },
    rules: options.rules,
    signIns,
    alerts,
  };
}

async function listAlerts(options: DrillReadOptions, ruleId: string): Promise<Record<string, unknown>[]> {
  const query = new URLSearchParams({
    "api-version": DRILL_API_VERSIONS.alerts,
    alertRule: ruleId,
    customTimeRange: `${options.window.since}/${options.window.until}`,
    includeContext: "true",
    pageCount: String(ALERTS_PAGE),
    sortBy: "startDateTime",
    sortOrder: "asc",
  });
  const items: Record<string, unknown>[] = [];
  let next: string | undefined =
    `/subscriptions/${options.subscription}/providers/Microsoft.AlertsManagement/alerts?${query}`;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const url: string = next;
    const answer = await denied("read fired alerts (Monitoring Reader on the subscription)", () =>
      options.arm.get<{ value?: unknown; nextLink?: unknown }>(url),
    );
    if (!answer || !Array.isArray(answer.value))
      throw new UserInputError(`Alerts Management: the answer for ${ruleId} has no "value" array`);
    items.push(...(answer.value as Record<string, unknown>[]));
    next = typeof answer.nextLink === "string" && answer.nextLink !== "" ? answer.nextLink : undefined;
  }
  return items;
}

/** A 401/403 is the read identity's to fix: one message naming the right it lacks (exit 2). */
async function denied<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof GraphError && (e.status === 401 || e.status === 403))
      throw new UserInputError(
        `the drill could not ${what}: ${e.method} ${e.path.split("?")[0]} answered ${e.status}${e.code ? ` ${e.code}` : ""}`,
        { cause: e },
      );
    throw e;
  }
}
