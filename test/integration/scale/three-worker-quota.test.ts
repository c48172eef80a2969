import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runQuotaCheck, type QuotaFigures } from '../../bench/quota.js';
import { startProcessStack, type ProcessStack } from '../../support/process-stack.js';

/**
 * Issue 23's quotas across processes, on the real processes: three workers work off a burst of
 * orders against a store whose quota a burst would overrun and Intacct's two requests in flight
 * per company. The limits are the installation's (leases and membership in MongoDB), so the
 * sandboxes' own counters must show neither was exceeded. The quota is a smaller window than a
 * plan's 150 per 30 s, so that the burst outlasts several windows in a short test.
 */
describe('three worker processes share the store quota and the Intacct company limit', () => {
  let stack: ProcessStack;

  beforeAll(async () => {
    stack = await startProcessStack({ storefronts: ['bigcommerce'], workers: 3, mongoUri: inject('mongoUri') });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('when three workers post a burst of orders then the store never answers 429 and Intacct never sees more than two requests of the company at once', async () => {
    const storeQuota = { requestsPerWindow: 45, windowMs: 10_000 };
    const figures: QuotaFigures = await runQuotaCheck(stack, { orders: 12, storeQuota, timeoutMs: 300_000 });

    expect(figures.workers).toBe(3);
    expect(figures.store.refused429).toBe(0);
    expect(figures.store.mostInOneWindow).toBeLessThanOrEqual(storeQuota.requestsPerWindow);
    expect(figures.intacct.concurrencyLimitPerCompany).toBe(2);
    expect(figures.intacct.refused429).toBe(0);
    expect(figures.intacct.mostInFlightPerCompany).toBeLessThanOrEqual(2);
    expect(figures.withinLimits).toBe(true);
    // Not vacuous: the burst needed more than one window of the quota, and Intacct was really used.
    expect(figures.seconds * 1000).toBeGreaterThan(storeQuota.windowMs);
    // More in one window than one worker's third: the workers together spent the quota, not one alone.
    expect(figures.store.mostInOneWindow).toBeGreaterThan(storeQuota.requestsPerWindow / 3);
    expect(figures.intacct.mostInFlightPerCompany).toBeGreaterThanOrEqual(1);
    // Every worker was up through the run, and each was sampled.
    for (const row of figures.workerMemoryMb.samples) expect(row.workers).toHaveLength(3);
    expect(figures.workerMemoryMb.samples.at(-1)!.workers.every((mb) => mb > 0)).toBe(true);
  }, 600_000);
});
