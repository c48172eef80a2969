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
