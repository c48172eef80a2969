import { BoundedCache } from '../bounded-cache.js';

/** A gateway session: its id and the endpoint it must be used on. */
export interface IntacctSession {
  readonly sessionId: string;
  readonly endpoint: string;
  /** Milliseconds since the epoch when the gateway said the session ends, when it said so. */
  readonly expiresAt: number | undefined;
}

/**
 * Where sessions live between calls. The client's key names the tenant, the login endpoint, the
 * company, the entity and the user, so a session opened by one tenant (or at one endpoint) is
 * never handed to another.
 */
export interface IntacctSessionCache {
  get(key: string): IntacctSession | undefined;
  set(key: string, session: IntacctSession): void;
  delete(key: string): void;
}

/** Bounds of an {@link InMemorySessionCache}: how many sessions it holds and how long an unused one stays. */
export interface SessionCacheLimits {
  /** Default 10,000. */
  maxEntries?: number;
  /** Default one hour. */
  idleMs?: number;
}

/**
 * In-process session cache. A session the gateway said is about to end is dropped a little
 * early (`safetyMarginMs`) so a request does not race its expiry. It holds at most
 * `maxEntries` sessions and forgets one unused for `idleMs`: tenants choose the keys, so the
 * cache must not grow with whatever they put in their settings. A forgotten session costs one
 * sign-in.
 */
export class InMemorySessionCache implements IntacctSessionCache {
  private readonly sessions: BoundedCache<IntacctSession>;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly safetyMarginMs = 60_000,
    limits: SessionCacheLimits = {},
  ) {
    this.sessions = new BoundedCache({ maxEntries: limits.maxEntries ?? 10_000, idleMs: limits.idleMs ?? 3_600_000, now });
  }

  get(key: string): IntacctSession | undefined {
    const session = this.sessions.get(key);
    if (session?.expiresAt !== undefined && session.expiresAt - this.safetyMarginMs <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  set(key: string, session: IntacctSession): void {
    this.sessions.set(key, session);
  }

  delete(key: string): void {
    this.sessions.delete(key);
  }
}
