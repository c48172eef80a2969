import { describe, expect, it } from 'vitest';
import { BigCommerceRetryableError, createStoreRequestLimiter } from '../../../connectors/bigcommerce/index.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

// The real window is 30 s; a 1 s window with the same arithmetic keeps the test to seconds.
// 100 per second is below what one client sends unthrottled here, so the limiter must work.
const quota = { requestsPerWindow: 100, windowMs: 1_000 };
const bc = useBigCommerceSandbox({ rateLimit: quota });

type Logged = { requests: { status: number }[] };

describe('BigCommerce rate limiting', () => {
  it('when a burst of 500 requests goes through the store limiter then none is refused', async () => {
    const limiter = createStoreRequestLimiter({ ...quota, maxConcurrent: 50 });
    const client = bc.client({ limiter });
    try {
      const orders = await Promise.all(Array.from({ length: 500 }, () => client.orders.getOrder(100)));
      expect(orders).toHaveLength(500);
    } finally {
      await limiter.stop();
    }
    const { requests } = (await bc.control('GET', '/requests')) as Logged;
    expect(requests).toHaveLength(500);
    expect(requests.filter((request) => request.status === 429)).toEqual([]);
    expect(client.rateLimit()).toMatchObject({ quota: 100, windowMs: 1_000 });
  });

  it('when the same burst goes without the limiter then 429s come back retryable with the wait, and waiting that long recovers', async () => {
    const client = bc.client();
    const outcomes = await Promise.allSettled(Array.from({ length: 500 }, () => client.orders.getOrder(100)));
    const refused = outcomes
      .filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
      .map((outcome) => outcome.reason as unknown);
    for (const error of refused) {
      expect(error).toBeInstanceOf(BigCommerceRetryableError);
      expect(error).toMatchObject({ status: 429 });
    }
    const waits = refused.map((error) => (error as BigCommerceRetryableError).retryAfterMs);
    expect(refused.length).toBeGreaterThan(0);
    expect(waits.every((wait) => wait !== undefined && wait > 0 && wait <= 1_000)).toBe(true);
    // What Temporal does with the error's retry-after: wait, then try again.
    await new Promise((resolve) => setTimeout(resolve, Math.max(...(waits as number[]))));
    expect((await client.orders.getOrder(100)).id).toBe(100);
    const raw = await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders/100`, { headers: { 'X-Auth-Token': 'demo-bc-token' } });
    expect(Number(raw.headers.get('x-rate-limit-requests-left'))).toBeLessThan(100);
    expect(raw.headers.get('x-rate-limit-requests-quota')).toBe('100');
    expect(raw.headers.get('x-rate-limit-time-window-ms')).toBe('1000');
  });
});
