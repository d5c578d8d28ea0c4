import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CLOUDS } from "@entra-baseline/model";
import { GraphClient, GraphError, createGraphClient, defaultCredentialHint } from "../../src/graph/client";
import { SCHEDULE_LENGTH, SlidingWindowThrottle } from "../../src/graph/throttle";
import { tokenTenant } from "../../src/graph/tokenTenant";
import {
  FAKE_TOKEN,
  OTHER_TENANT_ID,
  TEST_TENANT_ID,
  fakeAccessToken,
  withAzureCliTenant,
} from "../support/fakes/azureCli";
import { graphError, startFakeGraph, type FakeGraph } from "../support/fakes/graphServer";
import { useLoopbackGraph } from "../support/fakes/loopbackGraph";

const graph = useLoopbackGraph();
/** Another origin on this machine: it must never see a request (or a token) meant for `graph`. */
let elsewhere: FakeGraph;
beforeAll(async () => {
  elsewhere = await startFakeGraph();
});
afterAll(async () => {
  await elsewhere.close();
});
afterEach(() => {
  graph.requests.length = 0;
  elsewhere.requests.length = 0;
});

interface ClientOverrides {
  maxRetries?: number;
  timeoutMs?: number;
  maxPages?: number;
  service?: "graph" | "arm" | "logAnalytics";
}

/** The production factory and credential chain for the test tenant; only the Azure CLI it calls is a fake. */
function client(overrides: ClientOverrides = {}): GraphClient {
  const { service = "graph", ...options } = overrides;
  const endpoints = { graph: graph.url, arm: graph.url, logAnalytics: graph.url, login: CLOUDS.public.login };
  return createGraphClient({ service, endpoints, tenantId: TEST_TENANT_ID }, { retryBaseDelayMs: 20, ...options });
}

/** A credential that hands out `token` and records the scopes it was asked for. */
function fixedCredential(token: string) {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]) {
      scopes.push(...[scope].flat());
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

function clientWith(credential: ReturnType<typeof fixedCredential>, endpoint = graph.url): GraphClient {
  return new GraphClient({ endpoint, tenantId: TEST_TENANT_ID, credential, retryBaseDelayMs: 20 });
}

describe("GraphClient", () => {
  it("authenticates with the token from the credential chain", async () => {
    graph.route("GET", "/v1.0/organization", () => ({ body: { value: [{ id: "org" }] } }));
    const c = client();
    await expect(c.get("/v1.0/organization")).resolves.toEqual({ value: [{ id: "org" }] });
    expect(graph.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(c.tokenTenantId).toBe(TEST_TENANT_ID);
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
      headers: { "Retry-After": "7" },
      body: graphError("TooManyRequests", "slow down"),
    });
    // The wait the client asks for, not a stopwatch: exactly the server's 7 s (its own backoff would be jittered),
    // and that one timer is let go at once so the test does not sit through it.
    type Timer = (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => NodeJS.Timeout;
    const realSetTimeout = globalThis.setTimeout as unknown as Timer;
    const requested: unknown[] = [];
    const timers = vi.spyOn(globalThis, "setTimeout").mockImplementation(((handler, ms, ...args) => {
      requested.push(ms);
      return realSetTimeout(handler, ms === 7_000 ? 0 : ms, ...args);
    }) as Timer as unknown as typeof setTimeout);
    try {
      await client().get("/v1.0/groups");
    } finally {
      timers.mockRestore();
    }
    expect(requested).toContain(7_000);
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
    expect(String(error.message)).not.toContain(FAKE_TOKEN);
    expect(String(error.message)).not.toContain("fake-signature");
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

describe("the token goes to the stack's tenant only", () => {
  it("asks for <service origin>/.default and checks the token's tid before sending anything", async () => {
    graph.route("GET", "/v1.0/domains", () => ({ body: { value: [] } }));
    const credential = fixedCredential(fakeAccessToken(TEST_TENANT_ID));
    await clientWith(credential, `${graph.url}/`).list("/v1.0/domains");
    expect(credential.scopes).toEqual([`${graph.url}/.default`]);
  });

  it("refuses a token of another tenant, naming both tenants, and sends nothing", async () => {
    graph.route("GET", "/v1.0/domains", () => ({ body: { value: [] } }));
    const error = (await clientWith(fixedCredential(fakeAccessToken(OTHER_TENANT_ID)))
      .get("/v1.0/domains")
      .catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.message).toContain(
      `The credential signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID} (tenant.tenantId): nothing was sent to Microsoft Graph.`,
    );
    expect(error.code).toBe("WrongTenant");
    expect(graph.requests).toHaveLength(0);
  });

  it("refuses a token of another tenant from the production credential chain too (whatever the credential)", async () => {
    graph.route("GET", "/v1.0/domains", () => ({ body: { value: [] } }));
    const error = (await withAzureCliTenant(OTHER_TENANT_ID, () =>
      client()
        .get("/v1.0/domains")
        .catch((e: unknown) => e),
    )) as GraphError;
    expect(error.message).toMatch(
      new RegExp(`signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID}`),
    );
    // The fake az is selected by AZURE_TOKEN_CREDENTIALS: the message says which credential to fix.
    expect(error.message).toContain("AZURE_TOKEN_CREDENTIALS=AzureCliCredential");
    expect(error.message).toContain(`az login --tenant ${TEST_TENANT_ID}`);
    expect(graph.requests).toHaveLength(0);
  });

  it.each([
    ["an opaque token", "not-a-jwt"],
    ["a JWT without tid", ["e30", Buffer.from(JSON.stringify({ aud: "x" })).toString("base64url"), "sig"].join(".")],
    ["an encrypted JWT (five parts)", "a.b.c.d.e"],
  ])("refuses %s: it cannot be shown to be for the tenant", async (_name, token) => {
    const error = (await clientWith(fixedCredential(token))
      .get("/v1.0/domains")
      .catch((e: unknown) => e)) as GraphError;
    expect(error.code).toBe("TokenTenantUnknown");
    expect(error.message).toContain(`cannot be shown to be for tenant ${TEST_TENANT_ID}: nothing was sent`);
    expect(error.message).not.toContain(token);
    expect(graph.requests).toHaveLength(0);
  });

  it("reads tid from the payload of a JWT, and nothing else", () => {
    expect(tokenTenant(fakeAccessToken("ABCDEF01-2345-6789-ABCD-EF0123456789"))).toBe(
      "abcdef01-2345-6789-abcd-ef0123456789",
    );
    expect(tokenTenant("a.!!!.c")).toBeUndefined();
    expect(tokenTenant(["x", Buffer.from("[1]").toString("base64url"), "y"].join("."))).toBeUndefined();
    expect(tokenTenant(["x", Buffer.from('{"tid": 7}').toString("base64url"), "y"].join("."))).toBeUndefined();
  });

  it("names the credential to fix from the environment, never a secret's value", () => {
    const secret = "s3cr3t-value";
    const hint = defaultCredentialHint(TEST_TENANT_ID, {
      AZURE_CLIENT_ID: "app",
      AZURE_CLIENT_SECRET: secret,
      AZURE_TENANT_ID: OTHER_TENANT_ID,
    });
    expect(hint).toContain(`AZURE_TENANT_ID is ${OTHER_TENANT_ID}`);
    expect(hint).toContain(`set AZURE_TENANT_ID=${TEST_TENANT_ID}`);
    expect(hint).not.toContain(secret);
    expect(defaultCredentialHint(TEST_TENANT_ID, { AZURE_FEDERATED_TOKEN_FILE: "/t", AZURE_CLIENT_ID: "a" })).toContain(
      "workload identity federation",
    );
    expect(defaultCredentialHint(TEST_TENANT_ID, {})).toContain(`az login --tenant ${TEST_TENANT_ID}`);
  });

  it("refuses to be built without a tenant id", () => {
    expect(
      () => new GraphClient({ endpoint: graph.url, tenantId: "contoso", credential: fixedCredential("") }),
    ).toThrow(/tenant id "contoso" is not a directory \(tenant\) id/);
  });
});

describe("the token goes to the service's origin only", () => {
  it("refuses an absolute request URL on another origin before asking for a token", async () => {
    const credential = fixedCredential(FAKE_TOKEN);
    const error = (await clientWith(credential)
      .get(`${elsewhere.url}/v1.0/users`)
      .catch((e: unknown) => e)) as GraphError;
    expect(error.code).toBe("ForeignOrigin");
    expect(error.message).toContain(`points to ${elsewhere.url}, not ${graph.url}`);
    expect(credential.scopes).toEqual([]);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("refuses an @odata.nextLink to another origin, with the items read so far never returned as the collection", async () => {
    graph.route("GET", "/v1.0/users", () => ({
      body: { value: [{ id: "u1" }], "@odata.nextLink": `${elsewhere.url}/v1.0/users?$skiptoken=2` },
    }));
    elsewhere.route("GET", "/v1.0/users", () => ({ body: { value: [{ id: "stolen" }] } }));
    const error = (await client()
      .list("/v1.0/users")
      .catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.message).toMatch(/refused, the bearer token is only ever sent to http:\/\/127\.0\.0\.1:\d+/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("refuses an ARM nextLink to another origin", async () => {
    graph.route("GET", "/subscriptions", () => ({
      body: { value: [{ id: "s1" }], nextLink: `${elsewhere.url}/subscriptions?page=2` },
    }));
    await expect(client({ service: "arm" }).list("/subscriptions")).rejects.toMatchObject({ code: "ForeignOrigin" });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("pages ARM collections by nextLink, the last page saying null", async () => {
    graph.route("GET", "/subscriptions", (req) =>
      req.url.searchParams.get("page") === "2"
        ? { body: { value: [{ id: "s2" }], nextLink: null } }
        : { body: { value: [{ id: "s1" }], nextLink: `${graph.url}/subscriptions?page=2` } },
    );
    const subs = await client({ service: "arm" }).list<{ id: string }>("/subscriptions");
    expect(subs.map((s) => s.id)).toEqual(["s1", "s2"]);
  });

  it("follows a same-origin redirect of a read, re-checking where it goes", async () => {
    graph.route("GET", "/v1.0/moved", () => ({ status: 302, headers: { Location: "/v1.0/here" } }));
    graph.route("GET", "/v1.0/here", () => ({ body: { id: "here" } }));
    await expect(client().get("/v1.0/moved")).resolves.toEqual({ id: "here" });
    expect(graph.requestsTo("GET", "/v1.0/here")[0]!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  });

  it("never follows a Location to another origin (the token is not sent there)", async () => {
    graph.route("GET", "/v1.0/away", () => ({ status: 307, headers: { Location: `${elsewhere.url}/v1.0/users` } }));
    elsewhere.route("GET", "/v1.0/users", () => ({ body: { value: [] } }));
    const error = (await client()
      .get("/v1.0/away")
      .catch((e: unknown) => e)) as GraphError;
    expect(error.code).toBe("ForeignOrigin");
    expect(error.message).toContain(`GET /v1.0/away was redirected to ${elsewhere.url}, not ${graph.url}`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("never re-sends a write to a redirect's Location, even on the same origin", async () => {
    graph.route("PATCH", "/v1.0/policy", () => ({ status: 307, headers: { Location: "/v1.0/other" } }));
    await expect(client().patch("/v1.0/policy", { a: 1 })).rejects.toMatchObject({ code: "UnexpectedRedirect" });
    expect(graph.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(["PATCH /v1.0/policy"]);
  });
});

describe("paging is bounded", () => {
  it("detects a paging loop (the same link twice) and stops", async () => {
    graph.route("GET", "/v1.0/groups", (req) => {
      const page = Number(req.url.searchParams.get("page") ?? 1);
      // Page 3 links back to page 2.
      return {
        body: {
          value: [{ id: `g${page}` }],
          "@odata.nextLink": `${graph.url}/v1.0/groups?page=${page === 3 ? 2 : page + 1}`,
        },
      };
    });
    const error = (await client()
      .list("/v1.0/groups")
      .catch((e: unknown) => e)) as GraphError;
    expect(error.code).toBe("PagingLoop");
    expect(error.message).toMatch(
      /^GET \/v1\.0\/groups: page 3 links back to a page already read .*: a paging loop, stopped$/,
    );
    expect(graph.requestsTo("GET", "/v1.0/groups")).toHaveLength(3);
  });

  it("stops after maxPages pages instead of reading without end", async () => {
    graph.route("GET", "/v1.0/devices", (req) => {
      const page = Number(req.url.searchParams.get("page") ?? 1);
      return { body: { value: [{ id: `d${page}` }], "@odata.nextLink": `${graph.url}/v1.0/devices?page=${page + 1}` } };
    });
    const error = (await client({ maxPages: 4 })
      .list("/v1.0/devices")
      .catch((e: unknown) => e)) as GraphError;
    expect(error.code).toBe("TooManyPages");
    expect(error.message).toContain("GET /v1.0/devices has more than 4 pages: stopped");
    expect(graph.requestsTo("GET", "/v1.0/devices")).toHaveLength(4);
  });
});

describe("SlidingWindowThrottle", () => {
  it("spaces requests to the documented 1 request/second for Conditional Access, and records when it let each through", async () => {
    // Fake clock: the verdict must not depend on how busy the machine is.
    vi.useFakeTimers({ now: 0 });
    try {
      const throttle = new SlidingWindowThrottle({ requests: 1, windowMs: 1_000 });
      const times: number[] = [];
      const all = (async () => {
        for (let i = 0; i < 4; i++) {
          await throttle.acquire();
          times.push(Date.now());
        }
      })();
      await vi.advanceTimersByTimeAsync(2_999);
      expect(times).toEqual([0, 1_001, 2_002]); // the fourth is not let through before its second
      await vi.advanceTimersByTimeAsync(10);
      await all;
      expect(times).toEqual([0, 1_001, 2_002, 3_003]);
      expect(throttle.schedule()).toEqual(times);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps the schedule of the last SCHEDULE_LENGTH grants only (a long audit does not grow it)", async () => {
    const throttle = new SlidingWindowThrottle({ requests: SCHEDULE_LENGTH + 1, windowMs: 60_000 });
    for (let i = 0; i <= SCHEDULE_LENGTH; i++) await throttle.acquire();
    expect(throttle.schedule()).toHaveLength(SCHEDULE_LENGTH);
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
