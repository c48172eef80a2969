import type { ProcessStack } from '../support/process-stack.js';
import { benchOrderBody, liftStoreQuota, waitUntilSynced } from './order-to-cash.js';
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
   * Every worker's RSS and the heap it kept after its last full collection, in MB, at each
   * sample, from the first order to the last one synced.
   */
  samples: Array<{ atSeconds: number; ordersPlaced: number; workerRssMb: number[]; workerHeapKeptMb: Array<number | undefined> }>;
  /** The highest RSS of the first and of the last quarter of the samples (after warm-up): flat when memory is bounded by configuration. */
  firstQuarterPeakMb: number;
  lastQuarterPeakMb: number;
  /** lastQuarterPeakMb ÷ firstQuarterPeakMb. */
  growth: number;
  /** The same for the heap kept after a full collection: what the worker holds, garbage left out. */
  heapKept: { firstQuarterPeakMb: number; lastQuarterPeakMb: number; growth: number };
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
    const [workerRssMb, workerHeapKeptMb] = await Promise.all([stack.workerMemoryMb(), stack.workerHeapKeptMb()]);
    samples.push({ atSeconds: round((Date.now() - started) / 1000), ordersPlaced: placed, workerRssMb, workerHeapKeptMb });
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
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  // The first sample is before any order: warm-up (the workflow bundle, connections) is the first quarter's business.
  const quarters = (figure: (row: (typeof samples)[number]) => Array<number | undefined>) => {
    const peakOf = (rows: typeof samples) => Math.max(0, ...rows.flatMap((row) => figure(row).filter((mb) => mb !== undefined)));
    const firstQuarterPeakMb = peakOf(samples.slice(1, 1 + quarter));
    const lastQuarterPeakMb = peakOf(samples.slice(-quarter));
    return {
      firstQuarterPeakMb,
      lastQuarterPeakMb,
      growth: firstQuarterPeakMb === 0 ? 0 : round(lastQuarterPeakMb / firstQuarterPeakMb, 3),
    };
  };
  return {
    orders: total,
    ordersPerSecond: options.ordersPerSecond,
    maxCachedWorkflows: stack.config.worker.maxCachedWorkflows,
    samples,
    ...quarters((row) => row.workerRssMb),
    heapKept: quarters((row) => row.workerHeapKeptMb),
    how: "orders placed steadily as checkouts (store quota lifted) for the duration, then waited for until synced; at every sample the worker process's VmRSS from /proc and its nodejs_heap_after_full_gc_bytes from its /metrics; first and last quarter of the samples compared",
  };
}
