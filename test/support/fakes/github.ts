/**
 * A loopback fake of the GitHub REST endpoints report-drift uses (issues list with Link paging, labels, issue
 * create/comment/close), speaking the documented JSON shapes, recording every request.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIssue {
  number: number;
  title: string;
  state: "open" | "closed";
  labels: string[];
  body?: string;
  pull_request?: { url: string };
  comments: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body?: unknown;
  authorization?: string;
}

export class FakeGitHub {
  issues: FakeIssue[] = [];
  labels = new Set<string>();
  requests: RecordedRequest[] = [];
  pageSize = 100;
  /** Respond with this status to the next matching `METHOD path-prefix` request. */
  failures = new Map<string, number>();
  private server?: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, json, headers }) => {
        res.writeHead(status, { "Content-Type": "application/json", ...headers });
        res.end(json === undefined ? "" : JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; json?: unknown; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      body,
      authorization: req.headers.authorization,
    });

    for (const [key, status] of this.failures) {
      const [method, prefix] = key.split(" ");
      if (req.method === method && url.pathname.startsWith(prefix)) {
        this.failures.delete(key);
        return { status, json: { message: "Server Error" } };
      }
    }

    const match = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/(labels|issues)(?:\/(\d+))?(?:\/(comments))?$/);
    if (!match) return { status: 404, json: { message: "Not Found" } };
    const [, , , collection, numberText, sub] = match;
    const number = numberText ? Number(numberText) : undefined;

    if (collection === "labels" && req.method === "POST") {
      const name = String(body?.name);
      if (this.labels.has(name)) return { status: 422, json: { message: "Validation Failed" } };
      this.labels.add(name);
      return { status: 201, json: { name } };
    }
    if (collection === "issues" && number === undefined && req.method === "GET") {
      const state = url.searchParams.get("state");
      const label = url.searchParams.get("labels");
      const page = Number(url.searchParams.get("page") ?? "1");
      const matching = this.issues.filter((i) => i.state === state && (!label || i.labels.includes(label)));
      const slice = matching.slice((page - 1) * this.pageSize, page * this.pageSize);
      const headers: Record<string, string> = {};
      if (page * this.pageSize < matching.length) {
        const next = new URL(url.toString());
        next.searchParams.set("page", String(page + 1));
        headers.link = `<${this.url}${next.pathname}${next.search}>; rel="next"`;
      }
      return { status: 200, json: slice.map(({ comments: _comments, ...issue }) => issue), headers };
    }
    if (collection === "issues" && number === undefined && req.method === "POST") {
      const issue: FakeIssue = {
        number: this.issues.length + 1,
        title: String(body?.title),
        body: String(body?.body),
        labels: (body?.labels as string[]) ?? [],
        state: "open",
        comments: [],
      };
      this.issues.push(issue);
      return { status: 201, json: { number: issue.number, title: issue.title } };
    }
    const issue = this.issues.find((i) => i.number === number);
    if (!issue) return { status: 404, json: { message: "Not Found" } };
    if (sub === "comments" && req.method === "POST") {
      issue.comments.push(String(body?.body));
      return { status: 201, json: { id: issue.comments.length } };
    }
    if (!sub && req.method === "PATCH") {
      if (body?.state === "closed") issue.state = "closed";
      return { status: 200, json: { number: issue.number, state: issue.state } };
    }
    return { status: 404, json: { message: "Not Found" } };
  }
}
