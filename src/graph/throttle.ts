/**
 * Client-side throttles for the Graph APIs whose limits are tiny and whose 429s carry no `Retry-After`
 * (docs/references.md, "Authentication contexts and Conditional Access", §4, §8). Keyed by endpoint and shared by every client in the process, because the limits are
 * per tenant (CA: across all apps) — two dynamic resources running in parallel must not both spend the budget.
 */
export interface ThrottleLimit {
  name: string;
  path: RegExp;
  /** At most `requests` requests in any `windowMs`. */
  requests: number;
  windowMs: number;
}

export const THROTTLE_LIMITS: readonly ThrottleLimit[] = [
  { name: "conditional-access", path: /^\/(v1\.0|beta)\/identity\/conditionalAccess\//i, requests: 1, windowMs: 1_000 },
  {
    name: "authentication-methods",
    path: /^\/(v1\.0|beta)\/(users\/[^/]+\/authentication\/|reports\/authenticationMethods)/i,
    requests: 5,
    windowMs: 10_000,
  },
];

/** How many grants a throttle's `schedule` keeps. */
export const SCHEDULE_LENGTH = 100;

/** What a client waits on before each request. */
export interface Throttle {
  /** Resolves when one more request fits in the window; callers queue in order. */
  acquire(): Promise<void>;
  /**
   * When the most recent requests were let through (`Date.now()` at each grant, oldest first, at most
   * SCHEDULE_LENGTH): the spacing the limit was kept with, as the throttle itself measured it.
   */
  schedule(): readonly number[];
}

export class SlidingWindowThrottle implements Throttle {
  private readonly sent: number[];
  private readonly granted: number[];
  private chain: Promise<void>;

  constructor(readonly limit: Pick<ThrottleLimit, "requests" | "windowMs">) {
    this.sent = [];
    this.granted = [];
    this.chain = Promise.resolve();
  }

  schedule(): readonly number[] {
    return [...this.granted];
  }

  /** Resolves when one more request fits in the window; callers queue in order. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.waitForSlot());
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.sent.length > 0 && now - this.sent[0]! >= this.limit.windowMs) this.sent.shift();
      if (this.sent.length < this.limit.requests) {
        this.sent.push(now);
        this.granted.push(now);
        if (this.granted.length > SCHEDULE_LENGTH) this.granted.shift();
        return;
      }
      await new Promise((r) => setTimeout(r, this.limit.windowMs - (now - this.sent[0]!) + 1));
    }
  }
}

// Requests to APIs without a client-side limit wait for nothing, and are not recorded.
const NO_THROTTLE: Throttle = { acquire: () => Promise.resolve(), schedule: () => [] };
const throttles: Record<string, SlidingWindowThrottle> = {};

/** The process-wide throttle for requests to `path` at `endpoint` (the client's Graph or ARM base URL). */
export function throttleFor(endpoint: string, path: string): Throttle {
  const pathname = path.split("?")[0]!;
  const limit = THROTTLE_LIMITS.find((l) => l.path.test(pathname));
  if (!limit) return NO_THROTTLE;
  const key = `${endpoint}|${limit.name}`;
  let throttle = throttles[key];
  if (!throttle) throttles[key] = throttle = new SlidingWindowThrottle(limit);
  return throttle;
}
