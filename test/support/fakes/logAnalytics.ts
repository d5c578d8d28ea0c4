/**
 * A loopback fake of the Log Analytics query API (POST {endpoint}/v1/workspaces/{id}/query and
 * {endpoint}/v1{resourceId}/query, JSON `{ tables: [{ name, columns: [{name,type}], rows }] }`). `endpoint` is the
 * origin, as a stack's loopback `tenant.endpoints.logAnalytics` names it (the client adds `/v1`, as Microsoft's
 * host is `https://api.loganalytics.io` and the API's base path `/v1`). The responder may answer with a redirect.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedQuery {
  path: string;
  authorization: string | undefined;
  body: { query?: string; timespan?: string };
}

export interface LogAnalyticsFake {
  endpoint: string;
  requests: RecordedQuery[];
  close(): Promise<void>;
}

export type Responder = (request: RecordedQuery) => {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};

export async function startLogAnalyticsFake(respond: Responder): Promise<LogAnalyticsFake> {
  const requests: RecordedQuery[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const recorded: RecordedQuery = {
        path: decodeURIComponent(req.url ?? ""),
        authorization: req.headers.authorization,
        body: data ? JSON.parse(data) : {},
      };
      requests.push(recorded);
      const { status, body, headers } = respond(recorded);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The API's table shape for rows given as objects (column order from the first row). */
export function logAnalyticsTable(rows: Record<string, unknown>[]): unknown {
  const names = Object.keys(rows[0] ?? {});
  return {
    tables: [
      {
        name: "PrimaryResult",
        columns: names.map((name) => ({ name, type: name === "TimeGenerated" ? "datetime" : "string" })),
        rows: rows.map((r) => names.map((n) => r[n])),
      },
    ],
  };
}
