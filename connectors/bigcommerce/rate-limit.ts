import Bottleneck from 'bottleneck';

/** What a response's `X-Rate-Limit-*` headers say about the store's quota. */
export interface RateLimitState {
  windowMs?: number | undefined;
  resetMs?: number | undefined;
  quota?: number | undefined;
  left?: number | undefined;
}

type HeaderBag = Record<string, string | string[] | undefined>;

function numberHeader(headers: HeaderBag, name: string): number | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** Reads the rate-limit headers (names lower-cased, as Node gives them). */
export function readRateLimitHeaders(headers: HeaderBag): RateLimitState {
  return {
    windowMs: numberHeader(headers, 'x-rate-limit-time-window-ms'),
    resetMs: numberHeader(headers, 'x-rate-limit-time-reset-ms'),
    quota: numberHeader(headers, 'x-rate-limit-requests-quota'),
    left: numberHeader(headers, 'x-rate-limit-requests-left'),
  };
}

/**
 * How long to wait after a 429: the longer of `X-Rate-Limit-Time-Reset-Ms` and
 * `X-Retry-After` (seconds). Undefined when neither is sent, which BigCommerce uses when the
 * platform itself is under load: then the caller's exponential backoff applies.
 */
export function retryAfterMs(headers: HeaderBag): number | undefined {
  const resetMs = numberHeader(headers, 'x-rate-limit-time-reset-ms');
  const retryAfterSeconds = numberHeader(headers, 'x-retry-after');
  const candidates = [resetMs, retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000].filter(
    (value): value is number => value !== undefined,
  );
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

/**
 * Spaces one store's requests so bulk jobs stay under its quota, and runs inventory writes
 * one at a time as BigCommerce asks. It never retries: it only decides when a request starts.
 * Share one per store across every client of that store.
 */
export interface StoreRequestLimiter {
  /** Runs `task` once the store's quota allows another request. */
  schedule<T>(task: () => Promise<T>): Promise<T>;
  /** Runs `task` after every earlier exclusive task of this store has finished. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Takes the store's word after each response: the quota is shared with every other app on
   * the store, so when few requests are left (or a 429 came back) no new request starts until
   * the window resets.
   */
  observe(state: RateLimitState, retryAfter?: number): void;
  /** Stops scheduling; pending tasks are dropped. */
  stop(): Promise<void>;
}

export interface StoreRequestLimiterOptions {
  /** The store's quota per window to start with, until the store states its own (`X-Rate-Limit-Requests-Quota`; 150 on Standard and Plus plans). */
  requestsPerWindow: number;
  /** The window to start with (`X-Rate-Limit-Time-Window-Ms`; 30 000 in production). */
  windowMs: number;
  /** Share of the quota this limiter may use, leaving room for other apps on the store. Default 0.9. */
  share?: number;
  /** Requests in flight at once. Default 10. */
  maxConcurrent?: number;
  /**
   * This process's part of the installation's use of the store (one over the live worker
   * processes), read before each request: several workers together then stay within `share`.
   * Default: this process is the only one.
   */
  processShare?: () => number;
}

/**
 * A limiter that starts requests evenly spaced: at most `share × quota` start in any window
 * of `windowMs`, whatever the phase of the store's own window, because spacing (unlike a
 * refilled reservoir) never lets two bursts meet at a window boundary. The quota it is given is
 * where it starts; the store states its own on every answer (`X-Rate-Limit-Requests-Quota` and
 * `-Time-Window-Ms`), and the limiter spaces for that from then on, so a Pro or Enterprise
 * store's larger quota is used rather than a Standard plan's, and a smaller one is kept to.
 */
export function createStoreRequestLimiter(options: StoreRequestLimiterOptions): StoreRequestLimiter {
  const share = options.share ?? 0.9;
  let quota = { requestsPerWindow: options.requestsPerWindow, windowMs: options.windowMs };
  let processShare = options.processShare?.() ?? 1;
  const minTime = () => Math.ceil(quota.windowMs / Math.max(1, Math.floor(quota.requestsPerWindow * share * processShare) - 1));
  // Kept back for requests already in flight and for the store's other clients.
  const reserve = () => Math.max(1, Math.ceil(quota.requestsPerWindow * (1 - share)));
  const spacing = new Bottleneck({ minTime: minTime(), maxConcurrent: options.maxConcurrent ?? 10 });
  /** Respaces when the number of processes sharing the store changed. */
  const followProcessShare = () => {
    const now = options.processShare?.() ?? 1;
    if (now === processShare || !(now > 0 && now <= 1)) return;
    processShare = now;
    void spacing.updateSettings({ minTime: minTime() });
  };
  /** Respaces when the store states a quota or window other than the one spaced for (a header it leaves out keeps its value). */
  const followStoreQuota = (state: RateLimitState) => {
    const requestsPerWindow = state.quota ?? quota.requestsPerWindow;
    const windowMs = state.windowMs ?? quota.windowMs;
    if (!(requestsPerWindow >= 1 && windowMs >= 1)) return;
    if (requestsPerWindow === quota.requestsPerWindow && windowMs === quota.windowMs) return;
    quota = { requestsPerWindow, windowMs };
    void spacing.updateSettings({ minTime: minTime() });
  };
  const serial = new Bottleneck({ maxConcurrent: 1 });
  let pausedUntil = 0;
  let resume: NodeJS.Timeout | undefined;
  const pause = (ms: number) => {
    const until = Date.now() + ms;
    if (until <= pausedUntil) return;
    pausedUntil = until;
    void spacing.updateSettings({ reservoir: 0 });
    clearTimeout(resume);
    resume = setTimeout(() => void spacing.updateSettings({ reservoir: null }), ms);
    resume.unref();
  };
  return {
    schedule: (task) => {
      followProcessShare();
      return spacing.schedule(task);
    },
    exclusive: (task) => serial.schedule(task),
    observe(state, retryAfter) {
      followStoreQuota(state);
      if (retryAfter !== undefined) pause(retryAfter);
      else if (state.left !== undefined && state.resetMs !== undefined && state.left <= reserve()) pause(state.resetMs);
    },
    async stop() {
      clearTimeout(resume);
      await Promise.all([spacing.stop({ dropWaitingJobs: true }), serial.stop({ dropWaitingJobs: true })]);
    },
  };
}
