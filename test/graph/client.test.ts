import { afterEach, describe, expect, it, vi } from "vitest";
import { GraphClient, GraphError, createGraphClient } from "../../src/graph/client";
import { SlidingWindowThrottle } from "../../src/graph/throttle";
import { graphError } from "../support/fakes/graphServer";
import { useLoopbackGraph } from "../support/fakes/loopbackGraph";

const graph = useLoopbackGraph();
afterEach(() => {
  graph.requests.length = 0;
});

/** The production factory and credential chain; only the Azure CLI it calls is a fake. */
function client(overrides: { maxRetries?: number; timeoutMs?: number } = {}): GraphClient {
  return createGraphClient(graph.url, { retryBaseDelayMs: 20, ...overrides });
}

describe("GraphClient", () => {
  it("authenticates with the token from the credential chain", async () => {
    graph.route("GET", "/v1.0/organization", () => ({ body: { value: [{ id: "org" }] } }));
    await expect(client().get("/v1.0/organization")).resolves.toEqual({ value: [{ id: "org" }] });
    expect(graph.requests[0]!.headers.authorization).toBe("Bearer fake-graph-token");
  });

  it("follows @odata.nextLink across many pages and re-sends headers on every page", async () => {
    graph.route("GET", "/v1.0/users", (req) => {
      const page = Number(req.url.searchParams.get("page") ?? 0);
      const next = page < 24 ? `${graph.url}/v1.0/users?page=${page + 1}` : undefined;
      return { body: { value: [{ id: `u${page}` }], ...(next ? { "@odata.nextLink": next } : {}) } };
    });
    const users = await client().list<{ id: string }>("/v1.0/users?$filter=x", {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(users.map((u) => u.id)).toEqual(Array.from({ length: 25 }, (_, i) => `u${i}`));
    expect(graph.requests.every((r) => r.headers.consistencylevel === "eventual")).toBe(true);
  });

  it("waits for Retry-After on 429", async () => {
    graph.route("GET", "/v1.0/groups", () => ({ body: { value: [] } }));
    graph.failNext("GET", "/v1.0/groups", {
      status: 429,
      headers: { "Retry-After": "1" },
      body: graphError("TooManyRequests", "slow down"),
    });
    const started = Date.now();
    await client().get("/v1.0/groups");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.requestsTo("GET", "/v1.0/groups")).toHaveLength(2);
  });

  it("backs off by itself on 429 without Retry-After and on 503, then succeeds", async () => {
    graph.route("GET", "/v1.0/domains", () => ({ body: { value: [{ id: "contoso.onmicrosoft.com" }] } }));
    graph.failNext(
      "GET",
      "/v1.0/domains",
      { status: 429 },
      { status: 503, body: graphError("ServiceUnavailable", "busy") },
    );
    await expect(client().list("/v1.0/domains")).resolves.toHaveLength(1);
    expect(graph.requestsTo("GET", "/v1.0/domains")).toHaveLength(3);
  });

  it("gives up after the bounded retries with the status in the message", async () => {
    graph.route("GET", "/v1.0/always-busy", () => ({
      status: 503,
      body: graphError("ServiceUnavailable", "still busy"),
    }));
    const error = (await client({ maxRetries: 2 })
      .get("/v1.0/always-busy")
      .catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.message).toMatch(
      /GET \/v1\.0\/always-busy failed with 503 after 3 attempts: ServiceUnavailable: still busy/,
    );
  });

  it("names the missing permission on 403", async () => {
    graph.route("GET", "/v1.0/identity/conditionalAccess/policies", () => ({
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    }));
    const error = (await client()
      .get("/v1.0/identity/conditionalAccess/policies")
      .catch((e: unknown) => e)) as GraphError;
    expect(error.message).toContain("was denied (403 Authorization_RequestDenied");
    expect(error.message).toContain("Policy.Read.All");
    expect(error.requiredPermissions).toEqual(["Policy.Read.All"]);
  });

  it("turns malformed JSON into a clear error", async () => {
    graph.route("GET", "/v1.0/broken", () => ({ rawBody: '{"value": [' }));
    await expect(client().get("/v1.0/broken")).rejects.toThrow(/GET \/v1\.0\/broken returned malformed JSON/);
  });

  it("rejects a page without a value array instead of returning partial data", async () => {
    graph.route("GET", "/v1.0/not-a-collection", () => ({ body: { id: "x" } }));
    await expect(client().list("/v1.0/not-a-collection")).rejects.toThrow(/no "value" array/);
  });

  it("retries a request that times out, then reports the timeout", async () => {
    graph.route("GET", "/v1.0/slow", () => ({ delayMs: 400, body: {} }));
    await expect(client({ timeoutMs: 100, maxRetries: 1 }).get("/v1.0/slow")).rejects.toThrow(
      /timed out after 100 ms \(after 2 attempts\)/,
    );
    expect(graph.requestsTo("GET", "/v1.0/slow")).toHaveLength(2);
  });

  it("never puts the token in an error", async () => {
    graph.route("GET", "/v1.0/denied", () => ({
      status: 401,
      body: graphError("InvalidAuthenticationToken", "expired"),
    }));
    const error = (await client()
      .get("/v1.0/denied")
      .catch((e: unknown) => e)) as GraphError;
    expect(String(error.message)).not.toContain("fake-graph-token");
  });

  it("batches in chunks of 20 and retries only the throttled items", async () => {
    graph.route("GET", /^\/v1\.0\/users\/[^/]+$/, (req) => ({ body: { id: req.url.pathname.split("/").pop() } }));
    let throttledOnce = false;
    graph.route("GET", "/v1.0/users/u7", () => {
      if (!throttledOnce) {
        throttledOnce = true;
        return { status: 429, headers: { "Retry-After": "0" } };
      }
      return { body: { id: "u7" } };
    });
    const requests = Array.from({ length: 45 }, (_, i) => ({
      id: String(i),
      method: "GET" as const,
      url: `/users/u${i}`,
    }));
    const answers = await client().batch<{ id: string }>(requests);
    expect(answers.map((a) => a.body.id)).toEqual(requests.map((_, i) => `u${i}`));
    expect(graph.requestsTo("POST", "/v1.0/$batch")).toHaveLength(4);
    expect(graph.requestsTo("GET", "/v1.0/users/u7")).toHaveLength(2);
  });
});

describe("SlidingWindowThrottle", () => {
  it("spaces requests to the documented 1 request/second for Conditional Access", async () => {
    const throttle = new SlidingWindowThrottle({ requests: 1, windowMs: 200 });
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await throttle.acquire();
      times.push(Date.now());
    }
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(195);
  });

  it("allows bursts up to the limit within the window (5 per 10 s for authentication methods)", async () => {
    // Fake clock: the verdict must not depend on how busy the machine is.
    vi.useFakeTimers({ now: 0 });
    try {
      const throttle = new SlidingWindowThrottle({ requests: 5, windowMs: 10_000 });
      for (let i = 0; i < 5; i++) await throttle.acquire();
      expect(Date.now()).toBe(0); // five at once: no wait
      let sixth = false;
      const pending = throttle.acquire().then(() => (sixth = true));
      await vi.advanceTimersByTimeAsync(9_999);
      expect(sixth).toBe(false); // the sixth waits for the window
      await vi.advanceTimersByTimeAsync(2);
      await pending;
      expect(sixth).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
