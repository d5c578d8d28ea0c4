/**
 * A loopback fake of the Log Analytics query API (POST {endpoint}/workspaces/{id}/query and
 * {endpoint}{resourceId}/query, JSON `{ tables: [{ name, columns: [{name,type}], rows }] }`), over HTTPS because the
 * Azure SDK refuses to send a bearer token over plain HTTP. The certificate is self-signed and made per run.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

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

export type Responder = (request: RecordedQuery) => { status: number; body: unknown };

export async function startLogAnalyticsFake(respond: Responder): Promise<LogAnalyticsFake> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "la-fake-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const requests: RecordedQuery[] = [];
  const server = https.createServer(
    { key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) },
    (req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        const recorded: RecordedQuery = {
          path: decodeURIComponent(req.url ?? ""),
          authorization: req.headers.authorization,
          body: data ? JSON.parse(data) : {},
        };
        requests.push(recorded);
        const { status, body } = respond(recorded);
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
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
