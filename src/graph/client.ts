/**
 * The one Microsoft Graph client of the project: dynamic resources (PIM policy, FIDO2 policy, authentication
 * context, Graph-written CA policy) and the audit all use it.
 *
 * - Auth: an `@azure/identity` TokenCredential (DefaultAzureCredential by default: workload identity federation in
 *   CI, `az login` locally). Tokens are cached in memory only and never appear in errors or logs.
 * - Retries: bounded, on 429 (honouring `Retry-After`; CA sends none, so we back off ourselves), 5xx and timeouts.
 * - Throttles: Graph's documented per-tenant limits that answer 429 without `Retry-After` are respected up front
 *   (Conditional Access 1 request/second; authentication methods 5 requests/10 s).
 * - Paging via `@odata.nextLink`, `$batch` with per-item retry, errors that name the missing permission.
 */
import type { TokenCredential } from "@azure/identity";
import { requiredPermissions } from "./permissions";
import { throttleFor } from "./throttle";

export interface GraphClientOptions {
  /** Graph base URL without version, e.g. https://graph.microsoft.com (config `graph.endpoint`). */
  endpoint: string;
  credential: TokenCredential;
  /** Retries after the first attempt for 429, 5xx and timeouts. */
  maxRetries?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** First backoff step when the server gives no Retry-After; doubles each retry, with jitter. */
  retryBaseDelayMs?: number;
  /** Upper bound of any single wait, including a server's Retry-After. */
  maxRetryDelayMs?: number;
}

export interface GraphRequestInit {
  headers?: Record<string, string>;
}

export interface BatchRequest {
  id: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Relative to the version, as $batch requires: `/users/{id}/authentication/fido2Methods`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchResponse<T = unknown> {
  id: string;
  status: number;
  body: T;
  headers?: Record<string, string>;
}

/** A Graph call that failed for good. The message names the call, the status, Graph's error and what to do. */
export class GraphError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly code?: string,
    readonly requiredPermissions?: readonly string[],
  ) {
    super(message);
    // Pulumi's closure serialization (dynamic providers) turns `super(message)` into `Error.call(this, message)`,
    // which leaves `message` empty: set it explicitly so errors keep their text inside a deployed provider.
    this.message = message;
    this.name = "GraphError";
  }
}

// Module-level values are plain arrays/objects, not Set/Map: dynamic providers carry this module into the engine by
// closure serialization, which copies a Set or Map as a plain object whose methods then throw.
const TRANSIENT_STATUS: readonly number[] = [429, 500, 502, 503, 504];
const BATCH_LIMIT = 20;

export class GraphClient {
  readonly endpoint: string;
  private readonly scope: string;
  private readonly credential: TokenCredential;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private token?: { value: string; expiresOn: number };
  /** Requests sent, including retries: the audit benchmark reports it. */
  requestCount: number;

  // Every field is set here, none by initializer: closure serialization (dynamic providers) drops initializers.
  constructor(options: GraphClientOptions) {
    this.requestCount = 0;
    const url = new URL(options.endpoint);
    this.endpoint = url.origin + url.pathname.replace(/\/+$/, "");
    this.scope = `${url.origin}/.default`;
    this.credential = options.credential;
    this.maxRetries = options.maxRetries ?? 5;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  }

  async get<T>(path: string, init?: GraphRequestInit): Promise<T> {
    return (await this.request<T>("GET", path, undefined, init)).body;
  }

  async post<T>(path: string, body: unknown, init?: GraphRequestInit): Promise<T> {
    return (await this.request<T>("POST", path, body, init)).body;
  }

  async patch(path: string, body: unknown, init?: GraphRequestInit): Promise<void> {
    await this.request("PATCH", path, body, init);
  }

  /** ARM's create-or-update (Graph has no PUT on the objects this project writes): the answer's body. */
  async put<T>(path: string, body: unknown, init?: GraphRequestInit): Promise<T> {
    return (await this.request<T>("PUT", path, body, init)).body;
  }

  async delete(path: string, init?: GraphRequestInit): Promise<void> {
    await this.request("DELETE", path, undefined, init);
  }

  /** Every item of a collection, following `@odata.nextLink` verbatim and re-sending headers on each page. */
  async list<T>(path: string, init?: GraphRequestInit): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: unknown = (await this.request<unknown>("GET", next, undefined, init)).body;
      if (!isRecord(page) || !Array.isArray(page.value)) {
        throw new GraphError(
          `GET ${stripQuery(next)} returned no "value" array: not a Graph collection`,
          200,
          "GET",
          next,
        );
      }
      items.push(...(page.value as T[]));
      const link = page["@odata.nextLink"];
      if (link !== undefined && typeof link !== "string") {
        throw new GraphError(`GET ${stripQuery(next)} returned a malformed @odata.nextLink`, 200, "GET", next);
      }
      next = link;
    }
    return items;
  }

  /**
   * Sends requests through `$batch` (20 per call). Items answered 429 are retried after their Retry-After (or our
   * backoff); other failures are returned to the caller, who decides whether they are findings or errors.
   */
  async batch<T = unknown>(requests: BatchRequest[]): Promise<BatchResponse<T>[]> {
    const ids = new Set<string>();
    for (const r of requests) {
      if (ids.has(r.id)) throw new Error(`$batch request ids must be unique: "${r.id}" is repeated`);
      ids.add(r.id);
    }
    const results = new Map<string, BatchResponse<T>>();
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const retry: BatchRequest[] = [];
      let wait = 0;
      for (let i = 0; i < pending.length; i += BATCH_LIMIT) {
        const chunk = pending.slice(i, i + BATCH_LIMIT);
        // Each item is subject to the throttle of the API it calls, as if sent on its own.
        for (const r of chunk) await throttleFor(this.endpoint, `/v1.0${r.url}`).acquire();
        const answer = await this.post<unknown>("/v1.0/$batch", { requests: chunk });
        if (!isRecord(answer) || !Array.isArray(answer.responses)) {
          throw new GraphError(`POST /v1.0/$batch returned no "responses" array`, 200, "POST", "/v1.0/$batch");
        }
        for (const raw of answer.responses as unknown[]) {
          if (!isRecord(raw) || typeof raw.id !== "string" || typeof raw.status !== "number") {
            throw new GraphError(
              `POST /v1.0/$batch returned a malformed item: ${truncate(JSON.stringify(raw))}`,
              200,
              "POST",
              "/v1.0/$batch",
            );
          }
          const item: BatchResponse<T> = {
            id: raw.id,
            status: raw.status,
            body: raw.body as T,
            headers: raw.headers as Record<string, string>,
          };
          const request = chunk.find((r) => r.id === item.id);
          if (!request)
            throw new GraphError(`POST /v1.0/$batch answered unknown id "${item.id}"`, 200, "POST", "/v1.0/$batch");
          if (TRANSIENT_STATUS.includes(item.status) && attempt < this.maxRetries) {
            retry.push(request);
            wait = Math.max(
              wait,
              this.retryDelay(attempt, item.headers?.["Retry-After"] ?? item.headers?.["retry-after"]),
            );
          } else {
            results.set(item.id, item);
          }
        }
        for (const r of chunk) {
          if (!results.has(r.id) && !retry.includes(r)) {
            throw new GraphError(`POST /v1.0/$batch did not answer request "${r.id}"`, 200, "POST", "/v1.0/$batch");
          }
        }
      }
      if (retry.length > 0) await sleep(wait);
      pending = retry;
    }
    return requests.map((r) => results.get(r.id)!);
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    init?: GraphRequestInit,
  ): Promise<{ status: number; body: T }> {
    const url = path.startsWith("http") ? path : `${this.endpoint}${path.startsWith("/") ? "" : "/"}${path}`;
    const shownPath = url.startsWith(this.endpoint) ? url.slice(this.endpoint.length) : url;
    const throttle = throttleFor(this.endpoint, shownPath);
    for (let attempt = 0; ; attempt++) {
      await throttle.acquire();
      const token = await this.accessToken();
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        ...init?.headers,
      };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      this.requestCount++;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        const reason =
          (e as Error).name === "TimeoutError"
            ? `timed out after ${this.timeoutMs} ms`
            : `failed: ${(e as Error).message}`;
        if (attempt < this.maxRetries) {
          await sleep(this.retryDelay(attempt));
          continue;
        }
        throw new GraphError(
          `${method} ${stripQuery(shownPath)} ${reason} (after ${attempt + 1} attempts)`,
          0,
          method,
          shownPath,
        );
      }
      const text = await response.text();
      if (TRANSIENT_STATUS.includes(response.status) && attempt < this.maxRetries) {
        await sleep(this.retryDelay(attempt, response.headers.get("Retry-After") ?? undefined));
        continue;
      }
      if (!response.ok) throw this.error(method, shownPath, response.status, text, attempt);
      if (text.trim() === "") return { status: response.status, body: undefined as T };
      try {
        return { status: response.status, body: JSON.parse(text) as T };
      } catch {
        throw new GraphError(
          `${method} ${stripQuery(shownPath)} returned malformed JSON (status ${response.status}): ${truncate(text)}`,
          response.status,
          method,
          shownPath,
        );
      }
    }
  }

  private error(method: string, path: string, status: number, text: string, attempt: number): GraphError {
    let code: string | undefined;
    let detail = truncate(text);
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code;
      detail = [parsed.error?.code, parsed.error?.message].filter(Boolean).join(": ") || detail;
    } catch {
      // Not JSON: keep the raw (truncated) text.
    }
    const where = `${method} ${stripQuery(path)}`;
    if (status === 401 || status === 403) {
      const rule = requiredPermissions(method, path);
      const needs = rule
        ? ` The deploying identity needs the Microsoft Graph application permission ${rule.permissions.join(" or ")} with admin consent` +
          (rule.role ? ` (signed in as a user: the ${rule.role} role)` : "") +
          "."
        : " Check the identity's Graph permissions and admin consent.";
      return new GraphError(
        `${where} was denied (${status} ${detail}).${needs}`,
        status,
        method,
        path,
        code,
        rule?.permissions,
      );
    }
    const retried = TRANSIENT_STATUS.includes(status) ? ` after ${attempt + 1} attempts` : "";
    return new GraphError(`${where} failed with ${status}${retried}: ${detail}`, status, method, path, code);
  }

  private retryDelay(attempt: number, retryAfter?: string): number {
    if (retryAfter !== undefined) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
      if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, this.maxRetryDelayMs);
    }
    const exponential = this.retryBaseDelayMs * 2 ** attempt;
    return Math.min(exponential * (0.75 + Math.random() * 0.5), this.maxRetryDelayMs);
  }

  private async accessToken(): Promise<string> {
    // Refresh two minutes early so a long paging run never sends an expired token.
    if (this.token && this.token.expiresOn - 120_000 > Date.now()) return this.token.value;
    let token;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (e) {
      throw new GraphError(
        `Could not get a Microsoft Graph token for ${this.scope}: ${(e as Error).message}. ` +
          "Sign in with `az login`, or set up workload identity federation (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE).",
        401,
        "AUTH",
        this.scope,
      );
    }
    if (!token) throw new GraphError(`The credential returned no token for ${this.scope}`, 401, "AUTH", this.scope);
    this.token = { value: token.token, expiresOn: token.expiresOnTimestamp };
    return token.token;
  }
}

/** A client with the default credential chain (workload identity, managed identity, Azure CLI, …). */
export function createGraphClient(
  endpoint: string,
  options: Partial<Omit<GraphClientOptions, "endpoint">> = {},
): GraphClient {
  // Required here, not at module top, so that modules serialized into dynamic providers stay light.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  return new GraphClient({ endpoint, credential: options.credential ?? new DefaultAzureCredential(), ...options });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stripQuery(path: string): string {
  return path.split("?")[0]!;
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
