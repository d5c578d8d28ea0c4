/**
 * The one HTTP client of the project for Microsoft's APIs: Microsoft Graph (dynamic resources, the audit), Azure
 * Resource Manager (the audit) and Log Analytics (the review). Each client is built for one service of the stack's
 * cloud (`BaselineConfig.endpoints`, from `tenant.cloud`) and one tenant (`tenant.tenantId`).
 *
 * - Auth: an `@azure/identity` TokenCredential (DefaultAzureCredential by default: workload identity federation in
 *   CI, `az login` locally), asked for `<service origin>/.default` with the stack's tenant and its cloud's login
 *   authority. Every token is checked to be for that tenant (its `tid` claim) before it is used, whatever
 *   credential produced it. Tokens are cached in memory only and never appear in errors or logs.
 * - Origin: the bearer token goes to the service's own origin and nowhere else. A request URL, an `@odata.nextLink`,
 *   an ARM `nextLink` or a redirect's `Location` on another origin is refused before anything is sent.
 * - Paging: `@odata.nextLink` (Graph) or `nextLink` (ARM), followed verbatim; a link seen twice (a paging loop) and a
 *   collection longer than `maxPages` pages are errors, never an endless or silently truncated read.
 * - Retries: bounded, on 429 (honouring `Retry-After`; CA sends none, so we back off ourselves), 5xx and timeouts.
 * - Throttles: Graph's documented per-tenant limits that answer 429 without `Retry-After` are respected up front
 *   (Conditional Access 1 request/second; authentication methods 5 requests/10 s).
 * - `$batch` with per-item retry, errors that name the missing permission.
 */
import type { TokenCredential } from "@azure/identity";
import type { EndpointName, Endpoints } from "@entra-baseline/model";
import { requiredPermissions } from "./permissions";
import { throttleFor } from "./throttle";
import { tokenTenant } from "./tokenTenant";

/** The services a client can be built for: every endpoint of a cloud but its login authority. */
export type ServiceName = Exclude<EndpointName, "login">;

export interface GraphClientOptions {
  /** Which service `endpoint` is: names it in messages and decides how collections page. Default "graph". */
  service?: ServiceName;
  /** The service's base URL, one of the stack's resolved endpoints (e.g. https://graph.microsoft.com). */
  endpoint: string;
  /** The tenant every token must be issued for (config `tenant.tenantId`). */
  tenantId: string;
  credential: TokenCredential;
  /** What to fix when the credential signs in to another tenant (names the credential's settings). */
  credentialHint?: string;
  /** Upper bound of the pages one `list` follows (default 1,000): a longer collection is an error. */
  maxPages?: number;
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
    this.name = "GraphError";
  }
}

const TRANSIENT_STATUS: readonly number[] = [429, 500, 502, 503, 504];
const REDIRECT_STATUS: readonly number[] = [301, 302, 303, 307, 308];
const BATCH_LIMIT = 20;
/** Same-origin redirects followed for one request before it is an error. */
const MAX_REDIRECTS = 5;
export const DEFAULT_MAX_PAGES = 1_000;
const SERVICE_LABELS: Record<ServiceName, string> = {
  graph: "Microsoft Graph",
  arm: "Azure Resource Manager",
  logAnalytics: "Log Analytics",
};
/** The property a collection page names its next page by: Graph's OData annotation, ARM's plain `nextLink`. */
const NEXT_LINK: Record<ServiceName, string> = {
  graph: "@odata.nextLink",
  arm: "nextLink",
  logAnalytics: "@odata.nextLink",
};
const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

export class GraphClient {
  readonly service: ServiceName;
  readonly endpoint: string;
  /** `scheme://host[:port]` of `endpoint`: the only origin a token is sent to. */
  readonly origin: string;
  /** The tenant every token must be for (lower case). */
  readonly tenantId: string;
  private readonly scope: string;
  private readonly credential: TokenCredential;
  private readonly credentialHint: string;
  private readonly maxPages: number;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private token?: { value: string; expiresOn: number };
  /** Requests sent, including retries: the audit benchmark reports it. */
  requestCount: number;
  /** The `tid` of the tokens this client used: the tenant it actually read or wrote. Unset before the first call. */
  tokenTenantId: string | undefined;

  constructor(options: GraphClientOptions) {
    this.requestCount = 0;
    this.tokenTenantId = undefined;
    this.service = options.service ?? "graph";
    const url = new URL(options.endpoint);
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new Error(`${this.label()} endpoint ${options.endpoint} is not an http(s) URL`);
    if (!GUID_SHAPE.test(options.tenantId))
      throw new Error(`${this.label()} client: tenant id "${options.tenantId}" is not a directory (tenant) id (GUID)`);
    this.origin = url.origin;
    this.endpoint = url.origin + url.pathname.replace(/\/+$/, "");
    this.tenantId = options.tenantId.toLowerCase();
    this.scope = `${url.origin}/.default`;
    this.credential = options.credential;
    this.credentialHint = options.credentialHint ?? "Fix the credential the client was given.";
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
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

  /**
   * Every item of a collection, following the service's next-page link verbatim and re-sending headers on each
   * page. A link on another origin, a link seen twice and more than `maxPages` pages are errors (GraphError).
   */
  async list<T>(path: string, init?: GraphRequestInit): Promise<T[]> {
    const items: T[] = [];
    const linkName = NEXT_LINK[this.service];
    const kind = `${this.service === "arm" ? "an ARM" : "a Graph"} collection`;
    // An array, not a Set: see the note on module-level values above (and it stays short: maxPages).
    const seen: string[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      if (seen.includes(next)) {
        throw new GraphError(
          `GET ${stripQuery(path)}: page ${seen.length} links back to a page already read (${stripQuery(this.shown(next))}): a paging loop, stopped`,
          200,
          "GET",
          path,
          "PagingLoop",
        );
      }
      if (seen.length >= this.maxPages) {
        throw new GraphError(
          `GET ${stripQuery(path)} has more than ${this.maxPages} pages: stopped rather than read without end (the limit is the client's maxPages)`,
          200,
          "GET",
          path,
          "TooManyPages",
        );
      }
      seen.push(next);
      const page: unknown = (await this.request<unknown>("GET", next, undefined, init)).body;
      if (!isRecord(page) || !Array.isArray(page.value)) {
        throw new GraphError(
          `GET ${stripQuery(this.shown(next))} returned no "value" array: not ${kind}`,
          200,
          "GET",
          next,
        );
      }
      items.push(...(page.value as T[]));
      const link = page[linkName];
      // ARM writes `"nextLink": null` on the last page.
      if (link !== undefined && !(link === null && this.service === "arm") && typeof link !== "string") {
        throw new GraphError(`GET ${stripQuery(this.shown(next))} returned a malformed ${linkName}`, 200, "GET", next);
      }
      next = typeof link === "string" ? link : undefined;
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
    const url = this.resolve(method, path);
    const shownPath = this.shown(url);
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
      let response: Response;
      try {
        response = await this.send(method, url, headers, body);
      } catch (e) {
        if (e instanceof GraphError) throw e;
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

  /**
   * One attempt: the request, and the redirects it is answered with, followed by hand so that each `Location` is
   * checked before the token is sent there. Only same-origin redirects of reads are followed.
   */
  private async send(method: string, url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
    let current = url;
    for (let hop = 0; ; hop++) {
      this.requestCount++;
      const response = await fetch(current, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const location = response.headers.get("Location");
      if (!REDIRECT_STATUS.includes(response.status) || location === null) return response;
      await response.body?.cancel();
      const where = `${method} ${stripQuery(this.shown(url))}`;
      let target: URL;
      try {
        target = new URL(location, current);
      } catch {
        throw new GraphError(`${where} was redirected to a malformed Location`, response.status, method, url);
      }
      if (target.origin !== this.origin) throw this.foreignOrigin(`${where} was redirected to`, target, method, url);
      if (method !== "GET") {
        throw new GraphError(
          `${where} was answered with a redirect (${response.status}); a write is never re-sent to another URL`,
          response.status,
          method,
          url,
          "UnexpectedRedirect",
        );
      }
      if (hop >= MAX_REDIRECTS) {
        throw new GraphError(`${where} was redirected more than ${MAX_REDIRECTS} times`, response.status, method, url);
      }
      current = target.href;
    }
  }

  /**
   * The absolute URL of `path`: relative paths under the endpoint; absolute ones (a next-page link) only on the
   * service's own origin. Checked before a token is even requested.
   */
  private resolve(method: string, path: string): string {
    if (ABSOLUTE_URL.test(path)) {
      let url: URL;
      try {
        url = new URL(path);
      } catch {
        throw new GraphError(`${method} ${stripQuery(path)} is not a valid URL`, 0, method, path);
      }
      if (url.origin !== this.origin)
        throw this.foreignOrigin(`${method} ${stripQuery(path)} points to`, url, method, path);
      return url.href;
    }
    const url = `${this.endpoint}${path.startsWith("/") ? "" : "/"}${path}`;
    // `endpoint` is an origin plus a path, so no relative path can leave it; checked anyway, it costs nothing.
    if (new URL(url).origin !== this.origin)
      throw this.foreignOrigin(`${method} ${stripQuery(path)} points to`, new URL(url), method, path);
    return url;
  }

  private foreignOrigin(what: string, target: URL, method: string, path: string): GraphError {
    return new GraphError(
      `${what} ${target.origin}, not ${this.origin} (${this.label()} of the stack's cloud): refused, the bearer token is only ever sent to ${this.origin}`,
      0,
      method,
      path,
      "ForeignOrigin",
    );
  }

  /** A URL as messages show it: relative to the endpoint when it is under it. */
  private shown(url: string): string {
    return url.startsWith(this.endpoint) ? url.slice(this.endpoint.length) : url;
  }

  private label(): string {
    return SERVICE_LABELS[this.service] ?? "The service";
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
      const rule = this.service === "graph" ? requiredPermissions(method, path) : undefined;
      const needs =
        this.service !== "graph"
          ? ` Check the identity's Azure role assignments for ${this.label()} on that scope.`
          : rule
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
        `Could not get a ${this.label()} token for ${this.scope} in tenant ${this.tenantId}: ${(e as Error).message}. ` +
          `Sign in with \`az login --tenant ${this.tenantId}\`, or set up workload identity federation (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE).`,
        401,
        "AUTH",
        this.scope,
        "NoToken",
      );
    }
    if (!token) throw new GraphError(`The credential returned no token for ${this.scope}`, 401, "AUTH", this.scope);
    const tenant = tokenTenant(token.token);
    if (tenant === undefined) {
      throw new GraphError(
        `The credential's ${this.label()} token for ${this.scope} does not say which tenant it is for (no "tid" claim in a JWT), so it cannot be shown to be for tenant ${this.tenantId}: nothing was sent. ${this.credentialHint}`,
        401,
        "AUTH",
        this.scope,
        "TokenTenantUnknown",
      );
    }
    if (tenant !== this.tenantId) {
      throw new GraphError(
        `The credential signed in to tenant ${tenant}, but this stack governs tenant ${this.tenantId} (tenant.tenantId): nothing was sent to ${this.label()}. ${this.credentialHint}`,
        401,
        "AUTH",
        this.scope,
        "WrongTenant",
      );
    }
    this.tokenTenantId = tenant;
    this.token = { value: token.token, expiresOn: token.expiresOnTimestamp };
    return token.token;
  }
}

/** Where a client points: one service of the stack's cloud, its login authority, and the tenant. */
export interface ServiceTarget {
  service: ServiceName;
  /** The stack's resolved endpoints (`BaselineConfig.endpoints`); the service's own and `login` are used. */
  endpoints: Pick<Endpoints, "login"> & Partial<Pick<Endpoints, ServiceName>>;
  /** `tenant.tenantId`. */
  tenantId: string;
}

/**
 * A client with the default credential chain (workload identity, managed identity, Azure CLI, …), asked for the
 * stack's tenant at its cloud's login authority. The credentials that cannot be asked for a tenant (a managed
 * identity, EnvironmentCredential's own AZURE_TENANT_ID) are caught by the client's token check.
 */
export function createGraphClient(
  target: ServiceTarget,
  options: Partial<Omit<GraphClientOptions, "endpoint" | "service" | "tenantId">> = {},
): GraphClient {
  const endpoint = target.endpoints[target.service];
  if (!endpoint) throw new Error(`createGraphClient: no ${target.service} endpoint given`);
  // Required here, not at module top, so that modules serialized into dynamic providers stay light.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  const credential =
    options.credential ??
    new DefaultAzureCredential({ tenantId: target.tenantId, authorityHost: target.endpoints.login });
  return new GraphClient({
    credentialHint: options.credential ? undefined : defaultCredentialHint(target.tenantId),
    ...options,
    service: target.service,
    endpoint,
    tenantId: target.tenantId,
    credential,
  });
}

/**
 * Which of DefaultAzureCredential's sources is likely in use, from the environment (names, never secret values),
 * so that a wrong-tenant error says what to change.
 */
export function defaultCredentialHint(tenantId: string, env: NodeJS.ProcessEnv = process.env): string {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  const configured = env.AZURE_TENANT_ID?.trim();
  const tenantNote = configured ? ` (AZURE_TENANT_ID is ${configured})` : "";
  if (set("AZURE_FEDERATED_TOKEN_FILE"))
    return `The credential is workload identity federation (AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE)${tenantNote}: set AZURE_TENANT_ID=${tenantId} and federate an identity of that tenant, or run against the stack of the other tenant.`;
  if (set("AZURE_CLIENT_ID") && set("AZURE_TENANT_ID"))
    return `The credential is the service principal the environment names (AZURE_TENANT_ID, AZURE_CLIENT_ID and its secret or certificate)${tenantNote}: set AZURE_TENANT_ID=${tenantId} and use an app of that tenant, or run against the stack of the other tenant.`;
  if (env.AZURE_TOKEN_CREDENTIALS?.trim())
    return `The credential is the one AZURE_TOKEN_CREDENTIALS=${env.AZURE_TOKEN_CREDENTIALS.trim()} selects: sign it in to tenant ${tenantId} (for the Azure CLI: az login --tenant ${tenantId}), or run against the stack of the other tenant.`;
  return `DefaultAzureCredential found no service principal in the environment, so it used a managed identity or a developer sign-in (Azure CLI, azd, PowerShell): sign in to tenant ${tenantId} (az login --tenant ${tenantId}), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE for an identity of that tenant.`;
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
