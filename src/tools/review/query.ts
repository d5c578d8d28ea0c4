/**
 * Online source of the review's rows: runs the PIM events query on the workspace for the last 7 days through the
 * Log Analytics query API (`POST {endpoint}/v1/workspaces/{workspaceId}/query`, or `/v1/{resourceId}/query`; body
 * `{ query, timespan }`; answer `{ tables: [{ columns, rows }] }`, an `error` beside the tables when the result is
 * partial), with the project's one HTTP client (src/graph/client.ts) and the same credential chain as the rest of the
 * project (DefaultAzureCredential: workload identity in CI, Azure CLI locally).
 *
 * The endpoint is the Log Analytics host of the stack's cloud and the token must be for the stack's tenant: the
 * client requests `<host>/.default` at the cloud's login authority, checks the token's `tid`, and sends it to that
 * host only (never along a redirect to another origin).
 */
import type { TokenCredential } from "@azure/identity";
import { GUID, type Endpoints } from "@entra-baseline/model";
import { RunFailure, UserInputError } from "../../cli/errors";
import { createGraphClient } from "../../graph/client";
import { rowsFromJson, RowsError, type PimEventRow } from "./rows";

export interface QueryPimEventsOptions {
  /** Workspace id (GUID, "customer id") or the workspace's ARM resource id. */
  workspace: string;
  query: string;
  /** The stack's resolved endpoints (`BaselineConfig.endpoints`): its Log Analytics host and login authority. */
  endpoints: Pick<Endpoints, "logAnalytics" | "login">;
  /** `tenant.tenantId`: the tenant the token must be for. */
  tenantId: string;
  /** Default: DefaultAzureCredential for the tenant, at the cloud's login authority. */
  credential?: TokenCredential;
  timeoutMs?: number;
}

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}`. */
const WORKSPACE_RESOURCE_ID =
  /^\/?subscriptions\/[^/?#]+\/resourceGroups\/[^/?#]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/?#]+$/i;

/** The API path of a workspace's query: by workspace id (GUID), or resource-centric by its ARM id. */
export function queryPath(workspace: string): string {
  if (GUID.test(workspace)) return `/v1/workspaces/${workspace}/query`;
  if (WORKSPACE_RESOURCE_ID.test(workspace)) return `/v1/${workspace.replace(/^\/+/, "")}/query`;
  throw new UserInputError(
    `workspace "${workspace}" is neither a workspace id (the GUID "Workspace ID") nor a workspace resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.OperationalInsights/workspaces/…)`,
  );
}

export async function queryPimEvents(options: QueryPimEventsOptions): Promise<PimEventRow[]> {
  const path = queryPath(options.workspace);
  const client = createGraphClient(
    { service: "logAnalytics", endpoints: options.endpoints, tenantId: options.tenantId },
    {
      ...(options.credential ? { credential: options.credential } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
  const source = `Log Analytics (${options.workspace})`;
  const answer = await client.post<unknown>(path, { query: options.query, timespan: "P7D" });
  if (typeof answer !== "object" || answer === null || Array.isArray(answer))
    throw new RowsError(`${source}: the query answered no JSON object (expected {"tables": …})`);
  const { tables, error } = answer as { tables?: unknown; error?: { code?: unknown; message?: unknown } };
  if (error !== undefined) {
    // A partial result would make a review that silently misses events: the query failed (exit 3, docs/monitoring.md).
    const detail = [error?.code, error?.message].filter((v) => typeof v === "string" && v !== "").join(": ");
    throw new RunFailure(`${source}: the query returned a partial result: ${detail || JSON.stringify(error)}`);
  }
  if (Array.isArray(tables) && tables.length === 0) return [];
  return rowsFromJson(answer, source);
}
