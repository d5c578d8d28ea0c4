/**
 * The activation authentication context is never hijacked: against the loopback Graph's Conditional Access
 * (test/support/fakes/conditionalAccess.ts), a context id that exists under another name, or that a CA policy outside
 * this stack requires, stops the resource before anything is written — naming them — unless the stack adopts it.
 * Each test has a Graph of its own (own CA throttle key), so they run concurrently.
 */
import { describe } from "vitest";
import {
  authenticationContextProvider,
  contextConflict,
  type AuthenticationContextProps,
} from "../../../src/components/conditionalAccess/authenticationContextProvider";
import { activationPolicyBody } from "../../../src/components/conditionalAccess/policies";
import { throttleFor } from "../../../src/graph/throttle";
import { CA_ROUTES, FakeConditionalAccess } from "../../support/fakes/conditionalAccess";
import type { FakeGraph } from "../../support/fakes/graphServer";
import { graphTest, loopbackConnection } from "../../support/fakes/loopbackGraph";

const it = graphTest.extend<{ fake: FakeConditionalAccess }>({
  fake: [async ({ graph }, use) => use(new FakeConditionalAccess().install(graph)), { auto: true }],
});

const props = (graph: FakeGraph, overrides: Partial<AuthenticationContextProps> = {}): AuthenticationContextProps => ({
  ...loopbackConnection(graph.url),
  contextId: "c3",
  displayName: "Privileged role activation",
  description: "Required by PIM",
  isAvailable: true,
  adoptExisting: false,
  ...overrides,
});

/** Another team's step-up policy on context c3. */
const financeStepUp = {
  id: "9a1f0c1e-5b7d-4c1a-8d2e-3f4a5b6c7d8e",
  displayName: "Finance app step-up",
  state: "enabled",
  conditions: {
    applications: { includeAuthenticationContextClassReferences: ["c3"] },
    users: { includeUsers: ["All"] },
  },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
};

/** This stack's own activation policy on c3 (its name starts with "entra-baseline:"). */
const ownPolicy = () => ({
  id: "4c3d2b1a-0000-4000-8000-000000000003",
  ...activationPolicyBody("c3", "enabled", "mfa"),
});

const writes = (graph: FakeGraph) => graph.requests.filter((r) => r.method !== "GET");

describe.concurrent("AuthenticationContext: never hijacked", () => {
  it("takes a free id, after reading the CA policies", async ({ graph, fake, expect }) => {
    fake.policies.set(ownPolicy().id, ownPolicy());
    await authenticationContextProvider.create(props(graph));
    expect(graph.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      "GET /v1.0/identity/conditionalAccess/authenticationContextClassReferences/c3",
      "GET /v1.0/identity/conditionalAccess/policies",
      "PATCH /v1.0/identity/conditionalAccess/authenticationContextClassReferences/c3",
      "GET /v1.0/identity/conditionalAccess/authenticationContextClassReferences/c3",
    ]);
    expect(fake.contexts.get("c3")).toMatchObject({ displayName: "Privileged role activation", isAvailable: true });
  });

  it("stops, naming the current name, when the id exists under another name", async ({ graph, fake, expect }) => {
    fake.contexts.set("c3", { id: "c3", displayName: "Finance step-up", description: null, isAvailable: true });
    await expect(authenticationContextProvider.create(props(graph))).rejects.toThrow(
      'authentication context c3 is already in use: it exists as "Finance step-up" (this stack names it "Privileged role activation"). Choose an unused context id (pim.authenticationContextId, pim.roles[].authenticationContextId), or set conditionalAccess.adoptAuthenticationContext: true to take it over (PIM activation and those policies then share it). Nothing was changed.',
    );
    expect(writes(graph)).toEqual([]);
    expect(fake.contexts.get("c3")!.displayName).toBe("Finance step-up");
  });

  it("stops, naming them, when CA policies outside this stack require the id — even under our name", async ({
    graph,
    fake,
    expect,
  }) => {
    fake.contexts.set("c3", {
      id: "c3",
      displayName: "Privileged role activation",
      description: "x",
      isAvailable: true,
    });
    fake.policies.set(financeStepUp.id, financeStepUp);
    fake.policies.set(ownPolicy().id, ownPolicy());
    const error = (await authenticationContextProvider.create(props(graph)).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /^authentication context c3 is already in use: Conditional Access policies outside this stack require it: 9a1f0c1e-5b7d-4c1a-8d2e-3f4a5b6c7d8e "Finance app step-up"\. /,
    );
    expect(error.message).not.toContain("entra-baseline:");
    expect(writes(graph)).toEqual([]);
  });

  it("names both when the id has another name and other policies", async ({ graph, fake, expect }) => {
    fake.contexts.set("c3", { id: "c3", displayName: "Finance step-up", isAvailable: true });
    fake.policies.set(financeStepUp.id, financeStepUp);
    await expect(authenticationContextProvider.create(props(graph))).rejects.toThrow(
      /it exists as "Finance step-up" \(this stack names it "Privileged role activation"\); Conditional Access policies outside this stack require it: 9a1f0c1e-5b7d-4c1a-8d2e-3f4a5b6c7d8e "Finance app step-up"/,
    );
  });

  it("takes it over when the stack adopts it", async ({ graph, fake, expect }) => {
    fake.contexts.set("c3", { id: "c3", displayName: "Finance step-up", isAvailable: true });
    fake.policies.set(financeStepUp.id, financeStepUp);
    await authenticationContextProvider.create(props(graph, { adoptExisting: true }));
    expect(fake.contexts.get("c3")).toMatchObject({
      displayName: "Privileged role activation",
      description: "Required by PIM",
    });
    expect(graph.requestsTo("GET", CA_ROUTES.policies)).toEqual([]);
  });

  it("treats an unnamed slot nobody uses as free, and its own name as its own (a retried create)", async ({
    graph,
    fake,
    expect,
  }) => {
    fake.contexts.set("c3", { id: "c3", displayName: null, description: null, isAvailable: false });
    await authenticationContextProvider.create(props(graph));
    graph.requests.length = 0;
    await authenticationContextProvider.create(props(graph));
    expect(writes(graph)).toEqual([]);
  });

  it("on update, reads the policies only before a write, and keeps its previous name as its own", async ({
    graph,
    fake,
    expect,
  }) => {
    fake.contexts.set("c3", {
      id: "c3",
      displayName: "Privileged role activation",
      description: "Required by PIM",
      isAvailable: true,
    });
    await authenticationContextProvider.update!("c3", props(graph), props(graph));
    expect(graph.requests.map((r) => r.method)).toEqual(["GET"]);
    // A rename: the live name is the one this stack wrote before, not someone else's.
    const renamed = props(graph, { displayName: "Tier-0 activation" });
    await authenticationContextProvider.update!("c3", props(graph), renamed);
    expect(fake.contexts.get("c3")!.displayName).toBe("Tier-0 activation");
    // Someone else's policy has started to require it: the next write stops and names it.
    fake.policies.set(financeStepUp.id, financeStepUp);
    await expect(
      authenticationContextProvider.update!("c3", renamed, { ...renamed, description: "changed" }),
    ).rejects.toThrow(/Finance app step-up/);
    expect(fake.contexts.get("c3")!.description).toBe("Required by PIM");
  });

  it("spaces its CA requests by the client's throttle (1 request/second)", async ({ graph, fake, expect }) => {
    await authenticationContextProvider.create(props(graph));
    // The process-wide CA throttle of this Graph (its own port, so its own throttle), as the throttle recorded it:
    // judged on the throttle's clock, not on when a busy machine delivered the requests.
    const granted = throttleFor(graph.url, CA_ROUTES.policies).schedule();
    expect(fake.times).toHaveLength(4);
    expect(granted).toHaveLength(4);
    for (let i = 1; i < granted.length; i++) expect(granted[i]! - granted[i - 1]!).toBeGreaterThanOrEqual(1_000);
    // Each request reached Graph after its grant and before the next grant: every one of them waited its turn.
    fake.times.forEach((arrived, i) => {
      expect(arrived).toBeGreaterThanOrEqual(granted[i]!);
      if (i + 1 < granted.length) expect(arrived).toBeLessThanOrEqual(granted[i + 1]!);
    });
  });

  it("never makes a diff of adoptExisting alone (old states lack it)", async ({ graph, expect }) => {
    const { adoptExisting: _, ...old } = props(graph);
    expect(
      await authenticationContextProvider.diff!(
        "c3",
        old as AuthenticationContextProps,
        props(graph, { adoptExisting: true }),
      ),
    ).toMatchObject({ changes: false });
  });
});

describe("contextConflict", () => {
  it("matches the context id in includeAuthenticationContextClassReferences and skips policies without it", ({
    expect,
  }) => {
    const other = {
      ...financeStepUp,
      id: "p2",
      conditions: { applications: { includeAuthenticationContextClassReferences: ["c30"] } },
    };
    expect(contextConflict("c3", undefined, [other, null, "x"], ["Privileged role activation"])).toBeUndefined();
    expect(contextConflict("c3", { displayName: "" }, [financeStepUp], [])).toEqual({
      otherName: undefined,
      policies: [{ id: financeStepUp.id, displayName: "Finance app step-up" }],
    });
  });
});
