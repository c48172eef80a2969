/** Issue 23's memory figures: whether what the worker keeps is bounded by configuration. */
import { round } from './stats.js';

/** The peaks of the first and the last quarter of a run's samples, and their ratio. */
export interface QuarterPeaks {
  firstQuarterPeakMb: number;
  lastQuarterPeakMb: number;
  /** lastQuarterPeakMb ÷ firstQuarterPeakMb (0 when the first quarter measured nothing). */
  growth: number;
}

/**
 * Whether a figure sampled over a run levels off: the highest value of the first quarter of the
 * samples after the first (taken before any work: warm-up belongs to the first quarter) against
 * the highest of the last quarter. A sample may hold one value per process, or none yet.
 */
export function quarterPeaks(samples: ReadonlyArray<ReadonlyArray<number | undefined>>): QuarterPeaks {
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const peakOf = (rows: ReadonlyArray<ReadonlyArray<number | undefined>>) =>
    Math.max(0, ...rows.flatMap((row) => row.filter((mb): mb is number => mb !== undefined)));
  const firstQuarterPeakMb = peakOf(samples.slice(1, 1 + quarter));
  const lastQuarterPeakMb = peakOf(samples.slice(-quarter));
  return { firstQuarterPeakMb, lastQuarterPeakMb, growth: firstQuarterPeakMb === 0 ? 0 : round(lastQuarterPeakMb / firstQuarterPeakMb, 3) };
}

/**
 * Issue 23's memory goal: the heap the worker keeps after warm-up (the peak of the heaps left by
 * forced full collections) within 10 % across catalogue sizes, so that what bounds it is
 * configuration (page size, pages per run, the workflow cache), not the catalogue.
 */
export function inventoryMemoryBound(results: Record<string, unknown>): Record<string, unknown> {
  const peaks = Object.fromEntries(
    Object.entries(results).flatMap(([skus, figures]) => {
      const kept = (figures as { heapKeptAfterWarmUpMb?: { p50: number; max: number } }).heapKeptAfterWarmUpMb;
      return kept ? [[skus, kept.max]] : [];
    }),
  );
  const values = Object.values(peaks);
  if (values.length < 2) return { sizes: values.length, note: 'fewer than two catalogue sizes measured: nothing to compare' };
  const spread = round((Math.max(...values) - Math.min(...values)) / Math.min(...values), 3);
  return {
    peakHeapKeptAfterWarmUpMb: peaks,
    spread,
    goal: 'spread ≤ 0.10',
    met: spread <= 0.1,
    how: "per catalogue size, in its own process: the heap left by a full collection forced every 2 s from the first run's 10th second to the end of the second run, its peak; spread = (largest − smallest) ÷ smallest",
  };
}
