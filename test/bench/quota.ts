import type { ProcessStack } from '../support/process-stack.js';
import { benchOrderBody, waitUntilSynced } from './order-to-cash.js';
import { mapLimit, pollUntil, round } from './stats.js';

export interface QuotaRunOptions {
  /** Orders placed in one burst. */
  orders: number;
  /** The store's quota for the run (BigCommerce Standard and Plus: 150 per 30 s). */
  storeQuota: { requestsPerWindow: number; windowMs: number };
  timeoutMs: number;
  /** How often each worker's resident memory is read during the run (default 5 s). */
  memorySampleEveryMs?: number;
  log?: (line: string) => void;
}

/** What the sandboxes counted while several workers worked one burst of orders off. */
export interface QuotaFigures {
  workers: number;
  orders: number;
  /** Burst placed → last order synced. */
  seconds: number;
  store: {
    requestsPerWindow: number;
    windowMs: number;
    /** The most requests the store admitted in one of its windows. */
    mostInOneWindow: number;
    /** Requests the store refused with 429. */
    refused429: number;
  };
  intacct: {
    concurrencyLimitPerCompany: number;
    /** The most requests in flight at once for one company, over every company. */
    mostInFlightPerCompany: number;
    /** Requests refused with 429 GW-0010 because the company's limit was in use. */
    refused429: number;
  };
  /** Both limits held: no 429 from either sandbox, never more than their limits. */
  withinLimits: boolean;
  /** Each worker's resident memory (VmRSS, MB) during the run, one row per sample. */
  workerMemoryMb: { everySeconds: number; samples: Array<{ atSeconds: number; workers: number[] }> };
  how: string;
}

interface IntacctLimits {
  concurrencyLimit: number;
  byCompany: Record<string, { maxInFlight: number; refusedForConcurrency: number; refusedForRate: number }>;
}

/**
 * Issue 23's three-worker check: the stack's worker processes (three in the benchmark) work off
 * a burst of orders against a store with a plan's quota and Intacct's two-request limit per
 * company, and the sandboxes' own counters say whether the installation stayed within both.
 * The burst is placed as shoppers' checkouts, which spend none of the quota, so every request
 * the store counts is the product's.
 */
export async function runQuotaCheck(stack: ProcessStack, options: QuotaRunOptions): Promise<QuotaFigures> {
  const log = options.log ?? (() => undefined);
  const expectOk = (answer: { status: number; body: unknown }, what: string) => {
    if (answer.status >= 300) throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };
  const { workers } = stack.processes;
  // Each worker spaces a store's requests for one over the live workers, counted every 10 s:
  // wait until all have joined and each has counted the others once since.
  await pollUntil(
    async () =>
      (await stack.db.collection('installation_members').countDocuments({ role: 'worker', expiresAt: { $gt: new Date() } })) >= workers,
    { intervalMs: 250, timeoutMs: 60_000, describe: () => `${workers} workers to join the installation` },
  );
  await new Promise((resolve) => setTimeout(resolve, 10_500));

  // A fresh window and fresh counters on both sandboxes.
  expectOk(await stack.bigCommerce('PUT', '/_control/rate-limit', options.storeQuota), 'setting the store quota');
  expectOk(await stack.intacctControl('DELETE', '/limits'), 'resetting the Intacct limit counters');

  const everyMs = options.memorySampleEveryMs ?? 5_000;
  const started = Date.now();
  const samples: QuotaFigures['workerMemoryMb']['samples'] = [];
  const sample = async () => samples.push({ atSeconds: round((Date.now() - started) / 1000), workers: await stack.workerMemoryMb() });
  await sample();
  const sampler = setInterval(() => void sample(), everyMs);
  let seconds: number;
  try {
    log(
      `quota: ${options.orders} orders at once, ${workers} workers, store quota ${options.storeQuota.requestsPerWindow} per ${options.storeQuota.windowMs} ms`,
    );
    await mapLimit(
      Array.from({ length: options.orders }, (_, index) => index),
      10,
      async (index) =>
        expectOk(await stack.bigCommerce('POST', '/_control/checkout/v2/orders', benchOrderBody(index)), `placing order ${index}`),
    );
    await waitUntilSynced(stack, options.orders, options.timeoutMs);
    seconds = round((Date.now() - started) / 1000);
  } finally {
    clearInterval(sampler);
  }
  await sample();

  const store = expectOk(await stack.bigCommerce('GET', '/_control/state'), 'reading the store quota').body as {
    rateLimit: { requestsPerWindow: number; windowMs: number; refused: number; peakInWindow: number };
  };
  const limits = expectOk(await stack.intacctControl('GET', '/limits'), 'reading the Intacct limits').body as IntacctLimits;
  const companies = Object.values(limits.byCompany);
  const intacct = {
    concurrencyLimitPerCompany: limits.concurrencyLimit,
    mostInFlightPerCompany: Math.max(0, ...companies.map((company) => company.maxInFlight)),
    refused429: companies.reduce((sum, company) => sum + company.refusedForConcurrency + company.refusedForRate, 0),
  };
  const { requestsPerWindow, windowMs, refused, peakInWindow } = store.rateLimit;
  return {
    workers,
    orders: options.orders,
    seconds,
    store: { requestsPerWindow, windowMs, mostInOneWindow: peakInWindow, refused429: refused },
    intacct,
    withinLimits:
      refused === 0 &&
      peakInWindow <= requestsPerWindow &&
      intacct.refused429 === 0 &&
      intacct.mostInFlightPerCompany <= intacct.concurrencyLimitPerCompany,
    workerMemoryMb: { everySeconds: everyMs / 1000, samples },
    how: "orders placed at once as checkouts (no quota spent), worked off by the stack's worker processes; store figures from the BigCommerce sandbox's quota window (the most it admitted in one window, the 429s it answered), Intacct figures from the Intacct sandbox's per-company counters (the most requests admitted at once, the 429 GW-0010s for its concurrency limit); both reset when the burst starts. Worker RSS read from /proc during the run",
  };
}
