/** Writes are paced to Graph's write limits, however fast the server answers; reads are not. */
import { expect } from "vitest";
import { createGraphClient } from "../../../src/graph/client";
import { Writer, WRITE_LIMITS } from "../../../src/tools/writes/writer";
import { graphTest, loopbackGraphTarget } from "../../support/fakes/loopbackGraph";

graphTest("keeps to Graph's documented write limits (3,000 per 2.5 min per app and tenant, 18,000 per 5 min)", () => {
  expect(WRITE_LIMITS.map((l) => [l.requests, l.windowMs])).toEqual([
    [3_000, 150_000],
    [18_000, 300_000],
  ]);
});

graphTest("sends no more writes in a window than the limit allows, and does not pace reads", async ({ graph }) => {
  const times: number[] = [];
  graph.route("POST", "/v1.0/things", () => {
    times.push(Date.now());
    return { status: 201, body: {} };
  });
  graph.route("GET", "/v1.0/things", () => ({ body: { value: [] } }));
  const writer = new Writer(createGraphClient(loopbackGraphTarget(graph.url)), [
    { name: "test", requests: 3, windowMs: 300 },
  ]);
  // Reads first: they are not paced (and the first one gets the token, which would skew the writes' timing).
  for (let i = 0; i < 10; i++) await writer.get("/v1.0/things");
  const started = Date.now();
  for (let i = 0; i < 7; i++) await writer.post("/v1.0/things", {});
  expect(writer.writes).toBe(7);
  // 7 writes at 3 per 300 ms: the 4th waits for the first window to pass, the 7th for the second (each write
  // reaches the server after its slot was taken, and the first slot was taken after `started`).
  expect(times[2]! - started).toBeLessThan(250);
  expect(times[3]! - started).toBeGreaterThanOrEqual(300);
  expect(times[6]! - started).toBeGreaterThanOrEqual(600);
  expect(Date.now() - started).toBeLessThan(5_000);
});
