/** A gateway session: its id and the endpoint it must be used on. */
export interface IntacctSession {
  readonly sessionId: string;
  readonly endpoint: string;
  /** Milliseconds since the epoch when the gateway said the session ends, when it said so. */
  readonly expiresAt: number | undefined;
}

/** Where sessions live between calls; one per tenant and entity. */
export interface IntacctSessionCache {
  get(key: string): IntacctSession | undefined;
  set(key: string, session: IntacctSession): void;
  delete(key: string): void;
}

/**
 * In-process session cache. A session the gateway said is about to end is dropped a little
 * early (`safetyMarginMs`) so a request does not race its expiry.
 */
export class InMemorySessionCache implements IntacctSessionCache {
  private readonly sessions = new Map<string, IntacctSession>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly safetyMarginMs = 60_000,
  ) {}

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
