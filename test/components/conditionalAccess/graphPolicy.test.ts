/**
 * The Graph-written CA policy and the authentication context against the loopback Graph: exact bodies, read-back,
 * no write when compliant, adoption instead of duplicates, and CA throttling (1 request/second, 429 without
 * Retry-After). The providers run with the production credential chain; only `az` is a fake.
 *
 * CA requests are spaced 1 per second per endpoint (src/graph/throttle.ts), as in production. Each test gets a fake
 * Graph of its own (own port, own throttle key), so the tests run concurrently and only the spacing test waits for
 * the spacing it proves.
 */
import { describe } from "vitest";
import {
  authenticationContextProvider,
  type AuthenticationContextProps,
} from "../../../src/components/conditionalAccess/authenticationContextProvider";
import {
  graphCaPolicyProvider,
  policyBody,
  type GraphCaPolicyProps,
} from "../../../src/components/conditionalAccess/graphPolicyProvider";
import { activationPolicyBody } from "../../../src/components/conditionalAccess/policies";
import { throttleFor } from "../../../src/graph/throttle";
import { graphError, type FakeGraph } from "../../support/fakes/graphServer";
import { graphTest, loopbackConnection } from "../../support/fakes/loopbackGraph";
import { CA_ROUTES, FakeConditionalAccess } from "../../support/fakes/conditionalAccess";

const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";

/** Every test's Graph speaks CA (auto: also for tests that never touch `fake` themselves). */
const it = graphTest.extend<{ fake: FakeConditionalAccess }>({
  fake: [async ({ graph }, use) => use(new FakeConditionalAccess().install(graph)), { auto: true }],
});

function policyProps(graph: FakeGraph, state: GraphCaPolicyProps["state"] = "enabled"): GraphCaPolicyProps {
  const body = activationPolicyBody("c1", state, "phishingResistant");
  return {
    ...loopbackConnection(graph.url),
    ...body,
    conditions: { ...body.conditions, users: { ...body.conditions.users, excludeGroups: [GROUP] } },
  };
}

/** A tenant that already holds `props` as policy `id` (what a create would have left), without spending CA requests. */
function seed(
  fake: FakeConditionalAccess,
  props: GraphCaPolicyProps,
  id = "7f3e2d1c-0b9a-4876-9543-210fedcba987",
): string {
  fake.policies.set(id, { ...structuredClone(policyBody(props)), id });
  return id;
}

const writes = (graph: FakeGraph) => graph.requests.filter((r) => r.method !== "GET");

describe.concurrent("GraphConditionalAccessPolicy provider", () => {
  it("creates with POST and the exact Graph body, then reads it back", async ({ graph, fake, expect }) => {
    const props = policyProps(graph);
    const created = await graphCaPolicyProvider.create(props);
    const [post] = graph.requestsTo("POST", CA_ROUTES.policies);
    expect(post!.body).toEqual({
      displayName: "entra-baseline: fresh phishing-resistant MFA on authentication context c1 (PIM activation)",
      state: "enabled",
      conditions: {
        clientAppTypes: ["all"],
        applications: { includeAuthenticationContextClassReferences: ["c1"] },
        users: { includeUsers: ["All"], excludeGroups: [GROUP] },
      },
      grantControls: { operator: "OR", authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } },
      sessionControls: {
        signInFrequency: {
          isEnabled: true,
          frequencyInterval: "everyTime",
          authenticationType: "primaryAndSecondaryAuthentication",
        },
      },
    });
    expect(created.id).toBe([...fake.policies.keys()][0]);
    // The write is verified by reading the new policy back.
    expect(graph.requestsTo("GET", CA_ROUTES.policy).map((r) => r.url.pathname)).toEqual([
      `${CA_ROUTES.policies}/${created.id}`,
    ]);
  });

  it("does not write when the live policy already matches (Graph's extra fields and annotations are ignored)", async ({
    graph,
    fake,
    expect,
  }) => {
    const props = policyProps(graph);
    const id = seed(fake, props);
    await graphCaPolicyProvider.update!(id, props, props);
    expect(writes(graph)).toEqual([]);
    expect(graph.requests).toHaveLength(1);
  });

  it("patches only what drifted and verifies it stuck", async ({ graph, fake, expect }) => {
    const props = policyProps(graph);
    const id = seed(fake, props);
    // Someone removed the breakglass exclusion and switched the policy to report-only in the portal.
    fake.policies.get(id)!.conditions.users.excludeGroups = [];
    fake.policies.get(id)!.state = "enabledForReportingButNotEnforced";
    const read = await graphCaPolicyProvider.read!(id, props);
    expect(read.props!.state).toBe("enabledForReportingButNotEnforced");
    expect(read.props!.conditions.users).toEqual({ includeUsers: ["All"], excludeGroups: [] });
    expect(await graphCaPolicyProvider.diff!(id, read.props!, props)).toMatchObject({
      changes: true,
      detailedKeys: ["state", "conditions"],
    });
    graph.requests.length = 0;
    await graphCaPolicyProvider.update!(id, read.props!, props);
    const patches = graph.requestsTo("PATCH", CA_ROUTES.policy);
    expect(patches).toHaveLength(1);
    expect((patches[0]!.body as Record<string, any>).conditions.users.excludeGroups).toEqual([GROUP]);
    expect(fake.policies.get(id)!.state).toBe("enabled");
    expect(graph.requests.at(-1)!.method).toBe("GET");
  });

  it("fails when Graph accepts a PATCH but does not persist it", async ({ graph, fake, expect }) => {
    const props = policyProps(graph);
    const id = seed(fake, props);
    fake.policies.get(id)!.state = "disabled";
    fake.dropOnPatch = "state";
    await expect(graphCaPolicyProvider.update!(id, props, props)).rejects.toThrow(
      /reading it back shows different state/,
    );
  });

  it("adopts the one existing policy of the same name instead of creating a duplicate", async ({
    graph,
    fake,
    expect,
  }) => {
    const props = policyProps(graph);
    const existing = seed(fake, props);
    const again = await graphCaPolicyProvider.create(props);
    expect(again.id).toBe(existing);
    expect(graph.requestsTo("POST", CA_ROUTES.policies)).toEqual([]);
    expect(fake.policies.size).toBe(1);
  });

  it("refuses to guess between several policies of the same name", async ({ graph, fake, expect }) => {
    const props = policyProps(graph);
    fake.policies.set("a", { id: "a", displayName: props.displayName });
    fake.policies.set("b", { id: "b", displayName: props.displayName });
    await expect(graphCaPolicyProvider.create(props)).rejects.toThrow(
      /2 Conditional Access policies are named "entra-baseline: fresh/,
    );
  });

  it("does not create a duplicate when a namesake comes back without an id", async ({ graph, fake, expect }) => {
    const props = policyProps(graph);
    graph.route("GET", CA_ROUTES.policies, () => ({
      body: { value: [{ displayName: props.displayName, state: "enabled" }] },
    }));
    await expect(graphCaPolicyProvider.create(props)).rejects.toThrow(
      /GET \/v1\.0\/identity\/conditionalAccess\/policies answered \{"displayName":"entra-baseline: fresh.*, where Microsoft Graph documents an id on every policy/,
    );
    expect(graph.requestsTo("POST", CA_ROUTES.policies)).toEqual([]);
    expect(fake.policies.size).toBe(0);
  });

  it("reports a deleted policy as gone on read, and deletes its own policy", async ({ graph, fake, expect }) => {
    const props = policyProps(graph);
    const id = seed(fake, props);
    await graphCaPolicyProvider.delete!(id, props);
    expect(graph.requestsTo("DELETE", CA_ROUTES.policy)).toHaveLength(1);
    expect(fake.policies.has(id)).toBe(false);
    expect(await graphCaPolicyProvider.read!(id, props)).toEqual({});
    // A second delete (already gone) is not an error.
    await expect(graphCaPolicyProvider.delete!(id, props)).resolves.toBeUndefined();
  });

  it("backs off by itself on a CA 429 without Retry-After, and spaces requests 1 per second", async ({
    graph,
    fake,
    expect,
  }) => {
    const props = policyProps(graph);
    graph.failNext("GET", CA_ROUTES.policies, {
      status: 429,
      body: graphError("TooManyRequests", "Too many requests"),
    });
    const { id } = await graphCaPolicyProvider.create(props);
    expect(fake.policies.has(id)).toBe(true);
    // 429 on the list, the retried list, POST, read-back GET.
    const caRequests = graph.requests.filter((r) => r.url.pathname.startsWith("/v1.0/identity/conditionalAccess/"));
    expect(caRequests.map((r) => r.method)).toEqual(["GET", "GET", "POST", "GET"]);
    // Every one of the four, the throttled one and its retry included, waited for the CA throttle of this Graph (its
    // own port, so its own throttle), spaced 1 second apart as the throttle recorded it: judged on the throttle's
    // clock, not on when a busy machine delivered them.
    const granted = throttleFor(graph.url, CA_ROUTES.policies).schedule();
    expect(granted).toHaveLength(4);
    for (let i = 1; i < granted.length; i++) expect(granted[i]! - granted[i - 1]!).toBeGreaterThanOrEqual(1_000);
    // The three the fake answered (after the 429) each arrived after its own grant and before the next one.
    expect(fake.times).toHaveLength(3);
    fake.times.forEach((arrived, i) => {
      expect(arrived).toBeGreaterThanOrEqual(granted[i + 1]!);
      if (i + 2 < granted.length) expect(arrived).toBeLessThanOrEqual(granted[i + 2]!);
    });
  });

  it("names the missing permission when Graph denies the write", async ({ graph, expect }) => {
    graph.failNext("POST", CA_ROUTES.policies, {
      status: 403,
      body: graphError("AccessDenied", "You cannot perform the requested operation."),
    });
    const error = await graphCaPolicyProvider.create(policyProps(graph)).catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(
      /POST \/v1\.0\/identity\/conditionalAccess\/policies was denied \(403 AccessDenied.*Policy\.ReadWrite\.ConditionalAccess/,
    );
  });
});

describe.concurrent("AuthenticationContext provider", () => {
  const props = (graph: FakeGraph): AuthenticationContextProps => ({
    ...loopbackConnection(graph.url),
    contextId: "c7",
    displayName: "Privileged role activation",
    description: "Required by PIM",
    isAvailable: true,
  });

  it("creates the context with PATCH (Graph's upsert) and the exact body, then reads it back", async ({
    graph,
    expect,
  }) => {
    const created = await authenticationContextProvider.create(props(graph));
    expect(created.id).toBe("c7");
    const patches = graph.requestsTo("PATCH", CA_ROUTES.context);
    expect(patches.map((p) => p.url.pathname)).toEqual([
      "/v1.0/identity/conditionalAccess/authenticationContextClassReferences/c7",
    ]);
    expect(patches[0]!.body).toEqual({
      displayName: "Privileged role activation",
      description: "Required by PIM",
      isAvailable: true,
    });
    // GET the context, GET the CA policies (nobody else uses c7: test/components/conditionalAccess/authenticationContext.test.ts), PATCH, read back.
    expect(graph.requests.map((r) => r.method)).toEqual(["GET", "GET", "PATCH", "GET"]);
  });

  it("leaves a compliant context alone", async ({ graph, fake, expect }) => {
    fake.contexts.set("c7", {
      id: "c7",
      displayName: "Privileged role activation",
      description: "Required by PIM",
      isAvailable: true,
    });
    await authenticationContextProvider.update!("c7", props(graph), props(graph));
    expect(writes(graph)).toEqual([]);
  });

  it("makes an unavailable context available again and reads the live state", async ({ graph, fake, expect }) => {
    fake.contexts.set("c7", {
      id: "c7",
      displayName: "Privileged role activation",
      description: "Required by PIM",
      isAvailable: false,
    });
    const read = await authenticationContextProvider.read!("c7", props(graph));
    expect(read.props).toEqual({ ...props(graph), isAvailable: false });
    await authenticationContextProvider.update!("c7", read.props!, props(graph));
    expect(fake.contexts.get("c7")!.isAvailable).toBe(true);
  });

  it("replaces on a new context id; a new connection updates it in place, never replaces it", async ({
    graph,
    expect,
  }) => {
    expect(
      await authenticationContextProvider.diff!("c7", props(graph), { ...props(graph), contextId: "c8" }),
    ).toMatchObject({ changes: true, replaces: ["contextId"] });
    expect(await authenticationContextProvider.diff!("c7", props(graph), props(graph))).toMatchObject({
      changes: false,
    });
    expect(
      await authenticationContextProvider.diff!("c7", props(graph), {
        ...props(graph),
        graphEndpoint: "https://graph.microsoft.us",
        loginEndpoint: "https://login.microsoftonline.us",
      }),
    ).toMatchObject({ changes: true, replaces: [] });
  });

  it("leaves the context in the tenant on delete: PIM may still require it", async ({ graph, fake, expect }) => {
    fake.contexts.set("c7", { id: "c7", displayName: "x", description: "y", isAvailable: true });
    await authenticationContextProvider.delete!("c7", props(graph));
    expect(graph.requests).toEqual([]);
    expect(fake.contexts.get("c7")!.isAvailable).toBe(true);
  });
});
