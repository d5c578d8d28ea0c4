/**
 * Loopback fakes of what the drill reads, on two FakeGraph servers (their own origins, as in Azure): ARM answers the
 * workspace GET (`properties.customerId`) and Alerts Management's list (`value[]` of `{ id, name, type,
 * properties: { essentials: { alertRule, severity, monitorCondition, startDateTime, … }, context } }`, filters
 * `alertRule` and `customTimeRange`, paged by `nextLink`); Log Analytics answers `POST /v1/workspaces/{id}/query`
 * with `{ tables: [{ name, columns: [{ name, type }], rows }] }`, the drill query's columns. Shapes: docs/references.md, "Azure Resource Manager", §8.
 */
import { DRILL_SIGN_IN_COLUMNS } from "../../../src/tools/drill/query";
import type { FakeGraph } from "./graphServer";

export const SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";
export const CUSTOMER_ID = "c0ffee00-1111-4222-8333-444444444444";
export const RESOURCE_GROUP = "rg-entra-baseline-prod";
export const WORKSPACE_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.OperationalInsights/workspaces/law-entra-baseline-prod`;

export function ruleId(ruleName: string): string {
  return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Insights/scheduledQueryRules/${ruleName}`;
}

export interface FakeSignIn {
  table?: "SigninLogs" | "AADNonInteractiveUserSignInLogs";
  createdAt: string;
  receivedAt?: string;
  ingestedAt: string;
  upn: string;
  userId: string;
  resultType?: string;
}

export interface FakeAlert {
  ruleName: string;
  startDateTime: string;
  /** The account the alert's dimensions name. */
  upn?: string;
}

export function signInTable(signIns: readonly FakeSignIn[]) {
  const value = (s: FakeSignIn, column: (typeof DRILL_SIGN_IN_COLUMNS)[number]): unknown =>
    ({
      SourceTable: s.table ?? "SigninLogs",
      CreatedDateTime: s.createdAt,
      TimeGenerated: s.receivedAt ?? s.createdAt,
      TimeReceived: s.receivedAt ?? s.createdAt,
      IngestedAt: s.ingestedAt,
      UserPrincipalName: s.upn,
      UserId: s.userId,
      ResultType: s.resultType ?? "0",
      AppDisplayName: "Azure Portal",
      ConditionalAccessStatus: "notApplied",
      CorrelationId: "corr-1",
    })[column];
  return {
    tables: [
      {
        name: "PrimaryResult",
        columns: DRILL_SIGN_IN_COLUMNS.map((name) => ({
          name,
          type: /At$|DateTime$|TimeGenerated|TimeReceived/.test(name) ? "datetime" : "string",
        })),
        rows: signIns.map((s) => DRILL_SIGN_IN_COLUMNS.map((c) => value(s, c))),
      },
    ],
  };
}

export function alertItem(a: FakeAlert, i: number): Record<string, unknown> {
  const id = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts/aaaa0000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  return {
    id,
    name: a.ruleName,
    type: "Microsoft.AlertsManagement/alerts",
    properties: {
      essentials: {
        severity: "Sev0",
        signalType: "Log",
        alertState: "New",
        monitorCondition: "Fired",
        monitorService: "Log Alerts V2",
        alertRule: ruleId(a.ruleName),
        targetResource: WORKSPACE_ID,
        startDateTime: a.startDateTime,
        lastModifiedDateTime: a.startDateTime,
      },
      context: a.upn ? { condition: { allOf: [{ dimensions: [{ name: "UserPrincipalName", value: a.upn }] }] } } : {},
    },
  };
}

/** Registers the routes; `alerts` are filtered by the request's alertRule and customTimeRange, two per page. */
export function serveAzureMonitor(
  arm: FakeGraph,
  logAnalytics: FakeGraph,
  scenario: { signIns: readonly FakeSignIn[]; alerts: readonly FakeAlert[] },
): void {
  arm.route("GET", WORKSPACE_ID, () => ({
    body: { id: WORKSPACE_ID, name: "law-entra-baseline-prod", properties: { customerId: CUSTOMER_ID } },
  }));
  const items = scenario.alerts.map(alertItem);
  arm.route("GET", `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts`, (req) => {
    const q = req.url.searchParams;
    if (q.get("api-version") !== "2018-05-05")
      return { status: 400, body: { error: { code: "BadApiVersion", message: "api-version" } } };
    const [from, to] = (q.get("customTimeRange") ?? "").split("/").map((t) => Date.parse(t));
    const rule = (q.get("alertRule") ?? "").toLowerCase();
    const matching = items.filter((item) => {
      const e = (item.properties as { essentials: { alertRule: string; startDateTime: string } }).essentials;
      const t = Date.parse(e.startDateTime);
      return e.alertRule.toLowerCase() === rule && t >= from! && t <= to!;
    });
    const skip = Number(q.get("$skiptoken") ?? 0);
    const page = matching.slice(skip, skip + 2);
    const next = skip + 2 < matching.length ? new URL(req.url.href) : undefined;
    next?.searchParams.set("$skiptoken", String(skip + 2));
    return { body: { value: page, ...(next ? { nextLink: `${arm.url}${next.pathname}${next.search}` } : {}) } };
  });
  logAnalytics.route("POST", `/v1/workspaces/${CUSTOMER_ID}/query`, () => ({ body: signInTable(scenario.signIns) }));
}
