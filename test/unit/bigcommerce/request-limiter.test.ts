import { afterEach, describe, expect, it } from 'vitest';
import { createStoreRequestLimiter, type StoreRequestLimiter } from '../../../connectors/bigcommerce/rate-limit.js';

let limiter: StoreRequestLimiter | undefined;
afterEach(async () => {
  await limiter?.stop();
  limiter = undefined;
});

async function elapsedFor(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('BigCommerce store request limiter', () => {
  it('when requests are scheduled then their starts are spaced by window / (90 % of quota − 1)', async () => {
    limiter = createStoreRequestLimiter({ requestsPerWindow: 10, windowMs: 400 });
    const starts: number[] = [];
    const current = limiter;
    await Promise.all(Array.from({ length: 4 }, () => current.schedule(() => Promise.resolve(starts.push(performance.now())))));
    // 400 ms / (floor(10 × 0.9) − 1) = 50 ms apart. Measured over the run rather than gap by gap:
    // on a loaded machine one start fires late and the next gap looks short, while the
    // limiter's schedule (what keeps a window under the quota) is kept.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(3 * 50 - 5);
    const gaps = starts.slice(1).map((at, index) => at - starts[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30);
  });

  it('when the store states a larger quota than the limiter started with, then it spaces for that one; when it states a smaller one, then for that', async () => {
    const current = createStoreRequestLimiter({ requestsPerWindow: 10, windowMs: 1_000 });
    limiter = current;
    const spanOf = async (count: number) => {
      const starts: number[] = [];
      await Promise.all(Array.from({ length: count }, () => current.schedule(() => Promise.resolve(starts.push(performance.now())))));
      return starts.at(-1)! - starts[0]!;
    };
    // Started at 10 per second: 1,000 ms / (floor(10 × 0.9) − 1) = 125 ms apart, so 5 starts span 500 ms.
    current.observe({ quota: 1_000, windowMs: 1_000, left: 990, resetMs: 900 });
    // 1,000 per second: 1,000 / 899 → 2 ms apart, 5 starts within a few ms (well under 250 on any machine).
    expect(await spanOf(5)).toBeLessThan(250);
    current.observe({ quota: 10, left: 9, resetMs: 900 });
    // Back to 125 ms apart, the window kept from before: 3 starts span at least 250 ms.
    expect(await spanOf(3)).toBeGreaterThanOrEqual(2 * 125 - 5);
  });

  it('when the store says few requests are left then nothing starts until its window resets', async () => {
    limiter = createStoreRequestLimiter({ requestsPerWindow: 100, windowMs: 1_000 });
    limiter.observe({ left: 3, resetMs: 300, quota: 100, windowMs: 1_000 });
    const current = limiter;
    expect(await elapsedFor(() => current.schedule(() => Promise.resolve()))).toBeGreaterThanOrEqual(290);
  });

  it('when a 429 came back then nothing starts until its retry-after has passed', async () => {
    limiter = createStoreRequestLimiter({ requestsPerWindow: 100, windowMs: 1_000 });
    limiter.observe({}, 300);
    const current = limiter;
    expect(await elapsedFor(() => current.schedule(() => Promise.resolve()))).toBeGreaterThanOrEqual(290);
  });

  it('when plenty of the quota is left then requests are not held', async () => {
    limiter = createStoreRequestLimiter({ requestsPerWindow: 100, windowMs: 1_000 });
    limiter.observe({ left: 80, resetMs: 10_000, quota: 100, windowMs: 1_000 });
    const current = limiter;
    expect(await elapsedFor(() => current.schedule(() => Promise.resolve()))).toBeLessThan(5_000);
  });

  it('when exclusive tasks are scheduled together then they run one after another', async () => {
    limiter = createStoreRequestLimiter({ requestsPerWindow: 100, windowMs: 1_000 });
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    };
    const current = limiter;
    await Promise.all([task, task, task].map((run) => current.exclusive(run)));
    expect(most).toBe(1);
  });
});
