import type { ProcessStack } from '../support/process-stack.js';
import { benchOrderBody, liftStoreQuota, waitUntilSynced } from './order-to-cash.js';
import { quarterPeaks, type QuarterPeaks } from './memory-bound.js';
import { round } from './stats.js';

export interface MemoryCurveOptions {
  /** How long orders are placed, steadily. */
  durationSeconds: number;
  ordersPerSecond: number;
  /** How often the worker's resident memory is read (default 10 s). */
  sampleEveryMs?: number;
  log?: (line: string) => void;
}

export interface MemoryCurveFigures {
  orders: number;
  ordersPerSecond: number;
  /** The worker's cap on cached workflows in this run (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows: number;
  /**
   * Every worker's RSS, the heap its main thread kept after its last full collection, and the
   * heap all its threads kept (the workflow threads too), in MB, at each sample, from the first
   * order to the last one synced.
   */
  samples: Array<{
    atSeconds: number;
    ordersPlaced: number;
    workerRssMb: number[];
    workerHeapKeptMb: Array<number | undefined>;
    workerHeapKeptAllThreadsMb: Array<number | undefined>;
  }>;
  /** RSS: the highest of the first and of the last quarter of the samples (after warm-up). */
  rss: QuarterPeaks;
  /** The same for the heap the main thread kept after a full collection. */
  heapKept: QuarterPeaks;
  /** The same for the heap all threads kept: what the worker holds, the workflow cache included, garbage left out. Flat when memory is bounded by configuration. */
  heapKeptAllThreads: QuarterPeaks;
  how: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker's memory over a long run (issue 23's memory curve): orders placed steadily for
 * `durationSeconds`, the worker's RSS read every `sampleEveryMs`. Memory bounded by
 * configuration (the workflow cache, page sizes) levels off after warm-up; memory that grows
 * with the number of orders keeps climbing, and the last quarter's peak says by how much.
 */
export async function runMemoryCurve(stack: ProcessStack, options: MemoryCurveOptions): Promise<MemoryCurveFigures> {
  const log = options.log ?? (() => undefined);
  await liftStoreQuota(stack);
  const everyMs = options.sampleEveryMs ?? 10_000;
  const total = Math.max(1, Math.round(options.durationSeconds * options.ordersPerSecond));
  const started = Date.now();
  let placed = 0;
  const samples: MemoryCurveFigures['samples'] = [];
  const sample = async () => {
    const [workerRssMb, workerHeapKeptMb, workerHeapKeptAllThreadsMb] = await Promise.all([
      stack.workerMemoryMb(),
      stack.workerHeapKeptMb(),
      stack.workerHeapKeptAllThreadsMb(),
    ]);
    samples.push({
      atSeconds: round((Date.now() - started) / 1000),
      ordersPlaced: placed,
      workerRssMb,
      workerHeapKeptMb,
      workerHeapKeptAllThreadsMb,
    });
  };
  await sample();
  const sampler = setInterval(() => void sample(), everyMs);
  try {
    const placing: Array<Promise<unknown>> = [];
    for (let index = 0; index < total; index += 1) {
      const due = started + (index * 1000) / options.ordersPerSecond;
      if (due > Date.now()) await pause(due - Date.now());
      placing.push(
        stack.bigCommerce('POST', '/_control/checkout/v2/orders', benchOrderBody(index)).then((answer) => {
          if (answer.status !== 201) throw new Error(`placing order ${index} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
          placed += 1;
        }),
      );
      if (index > 0 && index % 100 === 0)
        log(`memory curve: ${index}/${total} orders placed, worker RSS ${samples.at(-1)?.workerRssMb.join(', ')} MB`);
    }
    await Promise.all(placing);
    await waitUntilSynced(stack, total, Math.max(300_000, total * 2_000));
  } finally {
    clearInterval(sampler);
  }
  await sample();
  return {
    orders: total,
    ordersPerSecond: options.ordersPerSecond,
    maxCachedWorkflows: stack.config.worker.maxCachedWorkflows,
    samples,
    rss: quarterPeaks(samples.map((row) => row.workerRssMb)),
    heapKept: quarterPeaks(samples.map((row) => row.workerHeapKeptMb)),
    heapKeptAllThreads: quarterPeaks(samples.map((row) => row.workerHeapKeptAllThreadsMb)),
    how: "orders placed steadily as checkouts (store quota lifted) for the duration, then waited for until synced; at every sample the worker process's VmRSS from /proc, its main thread's nodejs_heap_after_full_gc_bytes from its /metrics, and the sum over its threads (main and the SDK's workflow threads) of each one's last full collection in its --trace-gc output; the highest of the first quarter of the samples (after the one before any order) against the highest of the last quarter",
  };
}
