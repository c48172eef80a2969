import { describe, expect, it } from 'vitest';
import { inventoryMemoryBound, quarterPeaks } from '../bench/memory-bound.js';

describe("the bench's memory figures", () => {
  it.each([
    [
      'flat after warm-up: the sample before any work is left out',
      [[900], [100], [104], [98], [101], [99], [103], [100], [102]],
      { firstQuarterPeakMb: 104, lastQuarterPeakMb: 102, growth: 0.981 },
    ],
    [
      'growing with the orders',
      [[50], [100], [110], [130], [150], [170], [190], [210], [240]],
      { firstQuarterPeakMb: 110, lastQuarterPeakMb: 240, growth: 2.182 },
    ],
    [
      'several workers: the highest of any',
      [
        [10, 10],
        [100, 120],
        [90, 95],
        [80, 110],
        [100, 60],
      ],
      { firstQuarterPeakMb: 120, lastQuarterPeakMb: 100, growth: 0.833 },
    ],
    [
      'nothing measured yet in the first quarter',
      [[undefined], [undefined], [80], [90]],
      { firstQuarterPeakMb: 0, lastQuarterPeakMb: 90, growth: 0 },
    ],
    ['no samples', [], { firstQuarterPeakMb: 0, lastQuarterPeakMb: 0, growth: 0 }],
  ])('quarter peaks: %s', (_case, samples, expected) => {
    expect(quarterPeaks(samples)).toEqual(expected);
  });

  const size = (max: number) => ({ heapKeptAfterWarmUpMb: { p50: max - 1, max } });

  it.each([
    ['within 10 %: met', { '10000': size(100), '100000': size(104.6), '300000': size(109.9) }, { spread: 0.099, met: true }],
    ['the largest catalogue keeps 11 % more: not met', { '10000': size(100), '300000': size(111) }, { spread: 0.11, met: false }],
    ['the smallest is the reference whatever the order', { '300000': size(100), '10000': size(120) }, { spread: 0.2, met: false }],
  ])('inventory across catalogue sizes: %s', (_case, results, expected) => {
    expect(inventoryMemoryBound(results)).toMatchObject({ ...expected, goal: 'spread ≤ 0.10' });
  });

  it('when fewer than two sizes were measured, then there is nothing to compare and no verdict', () => {
    const verdict = inventoryMemoryBound({ '10000': size(100), '100000': { available: false } });
    expect(verdict).toEqual({ sizes: 1, note: 'fewer than two catalogue sizes measured: nothing to compare' });
    expect(verdict).not.toHaveProperty('met');
  });
});
