/**
 * Online source of the review's rows: runs the PIM events query on the workspace for the last 7 days with
 * @azure/monitor-query-logs and the same credential chain as the rest of the project (DefaultAzureCredential:
 * workload identity in CI, Azure CLI locally).
 */
import type { TokenCredential } from "@azure/identity";
import { GUID } from "@entra-baseline/model";
import { rowsFromJson, RowsError, type PimEventRow } from "./rows";

export interface QueryPimEventsOptions {
  /** Workspace id (GUID, "customer id") or the workspace's ARM resource id. */
  workspace: string;
  query: string;
  credential?: TokenCredential;
  /** Log Analytics endpoint for national clouds, e.g. https://api.loganalytics.azure.cn/v1. */
  endpoint?: string;
}

export async function queryPimEvents(options: QueryPimEventsOptions): Promise<PimEventRow[]> {
  const { LogsQueryClient, LogsQueryResultStatus } = await import("@azure/monitor-query-logs");
  const credential = options.credential ?? new (await import("@azure/identity")).DefaultAzureCredential();
  const client = new LogsQueryClient(credential, options.endpoint ? { endpoint: options.endpoint } : undefined);
  const timespan = { duration: "P7D" };
  const result = GUID.test(options.workspace)
    ? await client.queryWorkspace(options.workspace, options.query, timespan)
    : // The SDK's path template is "/{+resourceId}/query": without this, a documented "/subscriptions/…" id
      // becomes ".../v1//subscriptions/…".
      await client.queryResource(options.workspace.replace(/^\/+/, ""), options.query, timespan);
  if (result.status !== LogsQueryResultStatus.Success) {
    // A partial result would make a review that silently misses events.
    throw new RowsError(
      `Log Analytics (${options.workspace}): the query returned a partial result: ${result.partialError.message}`,
    );
  }
  const table = result.tables[0];
  if (!table) return [];
  const names = table.columnDescriptors.map((c) => c.name ?? "");
  const objects = table.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
  return rowsFromJson(objects, `Log Analytics (${options.workspace})`);
}
