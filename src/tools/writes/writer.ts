/**
 * Writes to Graph, paced to Graph's documented write limits (docs/references.md, "Microsoft Graph", "Identity and access"): 3,000 writes per
 * 2 min 30 s per application and tenant, and 18,000 writes per 5 minutes per tenant. Directory writes of PIM
 * (roleManagement) are not in that service's list and have no published limit of their own (unconfirmed), so the
 * same pacing is applied to every write, which keeps a long run from ever being throttled into a half-done state.
 * Conditional Access calls are paced by the Graph client itself (1 request per second per tenant). Retries,
 * Retry-After and timeouts are the client's.
 */
import type { GraphClient } from "../../graph/client";
import { SlidingWindowThrottle, type ThrottleLimit } from "../../graph/throttle";

export const WRITE_LIMITS: readonly Omit<ThrottleLimit, "path">[] = [
  { name: "writes per application and tenant", requests: 3_000, windowMs: 150_000 },
  { name: "writes per tenant", requests: 18_000, windowMs: 300_000 },
];

export class Writer {
  private readonly throttles: SlidingWindowThrottle[];
  /** Writes sent (first attempts; the client's retries of one write count once against our budget). */
  writes = 0;

  constructor(
    readonly graph: GraphClient,
    limits: readonly Omit<ThrottleLimit, "path">[] = WRITE_LIMITS,
  ) {
    this.throttles = limits.map((l) => new SlidingWindowThrottle(l));
  }

  get<T>(path: string): Promise<T> {
    return this.graph.get<T>(path);
  }

  list<T>(path: string): Promise<T[]> {
    return this.graph.list<T>(path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    await this.pace();
    return this.graph.post<T>(path, body);
  }

  async patch(path: string, body: unknown): Promise<void> {
    await this.pace();
    return this.graph.patch(path, body);
  }

  async delete(path: string): Promise<void> {
    await this.pace();
    return this.graph.delete(path);
  }

  private async pace(): Promise<void> {
    for (const t of this.throttles) await t.acquire();
    this.writes++;
  }
}
