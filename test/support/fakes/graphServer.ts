/**
 * A loopback Microsoft Graph for tests: real HTTP on 127.0.0.1, routes registered by each test, documented error
 * shapes (`{ error: { code, message } }`), `$batch` dispatched to the same routes, and fault injection
 * (429 with/without Retry-After, 5xx, slow answers, malformed bodies) queued per route.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FAKE_TOKEN } from "./azureCli";

export interface FakeRequest {
  method: string;
  /** Path with query, as sent (percent-decoded), e.g. `/v1.0/users?$filter=…`. */
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** True when the request came inside a `$batch`. */
  batched?: boolean;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  /** Sent verbatim instead of JSON (malformed-JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Answer after this delay (timeout tests). */
  delayMs?: number;
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: FakeHandler;
  faults: FakeResponse[];
}

export class FakeGraph {
  readonly requests: FakeRequest[] = [];
  private readonly routes: Route[] = [];
  /** Bearer token the fake accepts (the fake `az`'s token for the test tenant); other tokens get 401. */
  expectedToken = FAKE_TOKEN;

  constructor(private readonly server: http.Server) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `pattern` is a regex over the path without query, or a string matched exactly. Later routes win. */
  route(method: string, pattern: string | RegExp, handler: FakeHandler): this {
    const regex = typeof pattern === "string" ? new RegExp(`^${escapeRegExp(pattern)}$`) : pattern;
    this.routes.unshift({ method: method.toUpperCase(), pattern: regex, handler, faults: [] });
    return this;
  }

  /** The next matching requests get these answers, in order, before the route's handler answers again. */
  failNext(method: string, pattern: string | RegExp, ...faults: FakeResponse[]): this {
    const route = this.find(method.toUpperCase(), typeof pattern === "string" ? pattern : undefined, pattern);
    if (!route) throw new Error(`failNext: no route ${method} ${pattern}`);
    route.faults.push(...faults);
    return this;
  }

  /** Requests whose path (without query) matches. */
  requestsTo(method: string, pattern: string | RegExp): FakeRequest[] {
    const regex = typeof pattern === "string" ? new RegExp(`^${escapeRegExp(pattern)}$`) : pattern;
    return this.requests.filter((r) => r.method === method.toUpperCase() && regex.test(r.url.pathname));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  async dispatch(req: FakeRequest): Promise<FakeResponse> {
    this.requests.push(req);
    const route = this.find(req.method, req.url.pathname);
    if (!route) {
      return {
        status: 404,
        body: graphError("Request_ResourceNotFound", `No fake route for ${req.method} ${req.url.pathname}`),
      };
    }
    const fault = route.faults.shift();
    if (fault) return fault;
    return route.handler(req);
  }

  private find(method: string, pathname?: string, pattern?: string | RegExp): Route | undefined {
    if (pattern !== undefined && typeof pattern !== "string") {
      return this.routes.find((r) => r.method === method && r.pattern.source === pattern.source);
    }
    return this.routes.find((r) => r.method === method && pathname !== undefined && r.pattern.test(pathname));
  }
}

export function graphError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export async function startFakeGraph(): Promise<FakeGraph> {
  // Assigned once the server exists (below); the handler only runs after that.
  // eslint-disable-next-line prefer-const
  let fake!: FakeGraph;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const request: FakeRequest = {
        method: req.method ?? "GET",
        path: decodeURIComponent(url.pathname + url.search),
        url,
        headers: req.headers,
        body: text ? safeJson(text) : undefined,
      };
      let answer: FakeResponse;
      if (req.headers.authorization !== `Bearer ${fake.expectedToken}`) {
        answer = { status: 401, body: graphError("InvalidAuthenticationToken", "Access token is empty or invalid.") };
      } else if (request.method === "POST" && /\/\$batch$/.test(url.pathname)) {
        fake.requests.push(request);
        answer = await batch(fake, request);
      } else {
        answer = await fake.dispatch(request);
      }
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      if (res.destroyed) return;
      const status = answer.status ?? 200;
      const headers = {
        ...(answer.rawBody !== undefined || answer.body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...answer.headers,
      };
      res.writeHead(status, headers);
      res.end(answer.rawBody ?? (answer.body === undefined ? "" : JSON.stringify(answer.body)));
    });
  });
  fake = new FakeGraph(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return fake;
}

async function batch(fake: FakeGraph, outer: FakeRequest): Promise<FakeResponse> {
  const body = outer.body as {
    requests?: { id: string; method: string; url: string; body?: unknown; headers?: Record<string, string> }[];
  };
  if (!body?.requests || body.requests.length > 20) {
    return { status: 400, body: graphError("BadRequest", "A $batch holds 1–20 requests") };
  }
  const version = outer.url.pathname.replace(/\/\$batch$/, "");
  const responses = [];
  for (const item of body.requests) {
    const url = new URL(`${version}${item.url}`, "http://127.0.0.1");
    const answer = await fake.dispatch({
      method: item.method,
      path: decodeURIComponent(url.pathname + url.search),
      url,
      headers: { ...(item.headers ?? {}), authorization: outer.headers.authorization },
      body: item.body,
      batched: true,
    });
    responses.push({ id: item.id, status: answer.status ?? 200, headers: answer.headers ?? {}, body: answer.body });
  }
  return { status: 200, body: { responses } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
