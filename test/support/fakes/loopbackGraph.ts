/**
 * The set-up every Graph test needs: the production credential chain pointed at the fake `az` (test/support/fakes/bin/az),
 * and a loopback Graph (test/support/fakes/graphServer.ts).
 *
 * - `useLoopbackGraph()`: one fake Graph shared by the tests of a file (registers beforeAll/afterAll; the tests
 *   clear `graph.requests` between them). Returns the fake; it is usable once the file's tests run.
 * - `graphTest`: a vitest `test` whose `graph` fixture is a fake Graph of the test's own (own port, so its own
 *   client-side throttle key, src/graph/throttle.ts): tests that use it can run concurrently.
 */
import { afterAll, beforeAll, test } from "vitest";
import { CLOUDS } from "@entra-baseline/model";
import type { GraphConnection } from "../../../src/graph/dynamicProvider";
import { TEST_TENANT_ID, useFakeAzureCli } from "./azureCli";
import { startFakeGraph, type FakeGraph } from "./graphServer";

/**
 * The connection props of a dynamic resource pointed at a loopback Graph: as a test stack's loopback
 * `tenant.endpoints.graph` resolves (the public login host, the test tenant).
 */
export function loopbackConnection(graphUrl: string, tenantId = TEST_TENANT_ID): GraphConnection {
  return { graphEndpoint: graphUrl, loginEndpoint: CLOUDS.public.login, tenantId };
}

/** The connection props a component declares for the test stack (public cloud, test tenant). */
export const PUBLIC_CONNECTION: GraphConnection = {
  graphEndpoint: CLOUDS.public.graph,
  loginEndpoint: CLOUDS.public.login,
  tenantId: TEST_TENANT_ID,
};

/** A client target for a loopback Graph, as the stack's loopback `tenant.endpoints.graph` resolves. */
export function loopbackGraphTarget(graphUrl: string, tenantId = TEST_TENANT_ID) {
  return { service: "graph" as const, endpoints: { graph: graphUrl, login: CLOUDS.public.login }, tenantId };
}

export function useLoopbackGraph(): FakeGraph {
  let graph: FakeGraph | undefined;
  let restoreCli: (() => void) | undefined;
  beforeAll(async () => {
    restoreCli = useFakeAzureCli();
    graph = await startFakeGraph();
  });
  afterAll(async () => {
    restoreCli?.();
    await graph?.close();
  });
  // Forwards to the fake started in beforeAll, so callers can hold it in a const at module level.
  return new Proxy({} as FakeGraph, {
    get(_target, property) {
      if (!graph) throw new Error("useLoopbackGraph: the fake Graph starts in beforeAll; use it inside tests or hooks");
      const value = Reflect.get(graph, property, graph) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(graph) : value;
    },
  });
}

export const graphTest = test.extend<{ fakeAzureCli: void; graph: FakeGraph }>({
  fakeAzureCli: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const restore = useFakeAzureCli();
      await use();
      restore();
    },
    { scope: "file", auto: true },
  ],
  // eslint-disable-next-line no-empty-pattern
  graph: async ({}, use) => {
    const graph = await startFakeGraph();
    await use(graph);
    await graph.close();
  },
});
