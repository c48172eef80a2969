/**
 * Remembers the (tenant and webhook-id, webhook-timestamp) pairs of accepted deliveries for as long as
 * such a timestamp could still pass the freshness check, so a captured request played back
 * inside the window is refused. Clarity's own retries carry a new timestamp and pass; the
 * delivery log then acknowledges them without a second dispatch.
 *
 * In memory and per process, on purpose: a replay that reaches another instance is still
 * caught by the delivery log (acknowledged, never dispatched twice).
 */
export class ReplayGuard {
  private readonly accepted = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly capacity = 100_000,
  ) {}

  seen(deliveryKey: string, timestamp: string): boolean {
    const expiresAt = this.accepted.get(`${deliveryKey}.${timestamp}`);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  remember(deliveryKey: string, timestamp: string): void {
    this.sweep();
    this.accepted.set(`${deliveryKey}.${timestamp}`, this.now() + this.windowMs);
    // Maps iterate in insertion order: beyond capacity, the oldest entries go first.
    for (const key of this.accepted.keys()) {
      if (this.accepted.size <= this.capacity) break;
      this.accepted.delete(key);
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.accepted) {
      if (expiresAt > now) break;
      this.accepted.delete(key);
    }
  }
}
