/** The store's request quota: a fixed window per store, as BigCommerce describes it. */
export interface RateLimitSettings {
  /** Requests per window (150 on Standard and Plus plans). */
  requestsPerWindow: number;
  /** Window length (30 000 ms in production; tests shorten it). */
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Counts requests in the current window and writes the `X-Rate-Limit-*` headers. */
export class RateLimitWindow {
  private windowStartedAt: number | undefined;
  private used = 0;
  private refusedCount = 0;
  private peak = 0;

  private settings: RateLimitSettings;

  constructor(private readonly defaults: RateLimitSettings) {
    this.settings = defaults;
  }

  /** Changes the quota or window (control API) and starts a fresh window. */
  configure(settings: RateLimitSettings): void {
    this.settings = settings;
    this.windowStartedAt = undefined;
    this.used = 0;
    this.refusedCount = 0;
    this.peak = 0;
  }

  /** Since the last configure or reset: requests refused with 429, and the most admitted in one window. */
  stats(): { refused: number; peakInWindow: number } {
    return { refused: this.refusedCount, peakInWindow: this.peak };
  }

  current(): RateLimitSettings {
    return this.settings;
  }

  /** Back to the settings the sandbox started with, and a fresh window. */
  reset(): void {
    this.configure(this.defaults);
  }

  /** Spends one request when the quota allows; a refused request costs nothing. */
  consume(now = Date.now()): RateLimitDecision {
    let startedAt = this.windowStartedAt;
    if (startedAt === undefined || now - startedAt >= this.settings.windowMs) {
      startedAt = now;
      this.windowStartedAt = now;
      this.used = 0;
    }
    const allowed = this.used < this.settings.requestsPerWindow;
    if (allowed) this.used += 1;
    else this.refusedCount += 1;
    this.peak = Math.max(this.peak, this.used);
    const resetMs = Math.max(0, startedAt + this.settings.windowMs - now);
    const headers: Record<string, string> = {
      'X-Rate-Limit-Time-Window-Ms': String(this.settings.windowMs),
      'X-Rate-Limit-Time-Reset-Ms': String(resetMs),
      'X-Rate-Limit-Requests-Quota': String(this.settings.requestsPerWindow),
      'X-Rate-Limit-Requests-Left': String(Math.max(0, this.settings.requestsPerWindow - this.used)),
    };
    if (!allowed) headers['X-Retry-After'] = String(Math.max(1, Math.ceil(resetMs / 1000)));
    return { allowed, headers };
  }
}
