import { describe, expect, it } from 'vitest';
import { runAnomalyBench } from '../bench/anomalies.js';
import { runMappingBench } from '../bench/mapping.js';

/**
 * The mapping bench's quality figures on a smaller generated set, held to issue 21's goals so a
 * scorer or check change that loses precision, coverage or recall fails here before the bench.
 * No timing is asserted: speed is the bench's to measure.
 */
describe('mapping bench figures against the goals', () => {
  it('when item suggestions run on a labelled set then precision@1 ≥ 0.9 at coverage ≥ 0.8, and every variation is covered', () => {
    const figures = runMappingBench({ catalogueItems: 2_000, labelledSkus: 600, speedItems: 500, speedSkus: 50 }) as {
      itemSuggestions: {
        precisionAt1: number;
        precisionAt3: number;
        coverage: number;
        byVariation: Record<string, { skus: number; right: number }>;
      };
    };
    const { precisionAt1, precisionAt3, coverage, byVariation } = figures.itemSuggestions;
    expect(precisionAt1).toBeGreaterThanOrEqual(0.9);
    expect(precisionAt3).toBeGreaterThanOrEqual(precisionAt1);
    expect(coverage).toBeGreaterThanOrEqual(0.8);
    expect(Object.keys(byVariation).sort()).toEqual([
      'case',
      'decoy: a colour not stocked',
      'decoy: a size not stocked',
      'decoy: an unrelated product',
      'decoy: another part number',
      'exact',
      'housePrefix',
      'leadingZeros',
      'separators',
      'sizeMoved',
      'typo',
      'upcOnly',
    ]);
  });

  it('when the anomaly checks run on a generated history then false positives stay ≤ 1 % and recall of entry errors ≥ 0.9', () => {
    const figures = runAnomalyBench({ historyOrders: 3_000, normalOrders: 1_000, injectedEach: 100 }) as {
      falsePositiveRate: number;
      recall: Record<string, number>;
    };
    expect(figures.falsePositiveRate).toBeLessThanOrEqual(0.01);
    expect(figures.recall.priceEntry).toBeGreaterThanOrEqual(0.9);
    expect(figures.recall.quantityEntry).toBeGreaterThanOrEqual(0.9);
    expect(figures.recall.velocity).toBe(1);
  });
});
