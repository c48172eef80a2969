import { performance } from 'node:perf_hooks';
import { ItemSuggestionIndex, defaultMinimumConfidence } from '../../mappers/item-suggestions.js';
import { generateCatalogue, generateLabelledQueries } from './mapping-labelled-set.js';
import { round } from './stats.js';

export interface MappingBenchOptions {
  /** Items in the labelled set's catalogue (default 5,000). */
  catalogueItems?: number;
  /** Labelled storefront SKUs (default 2,000). */
  labelledSkus?: number;
  /** The speed figure: unresolved SKUs against Intacct items (defaults 1,000 and 100,000). */
  speedSkus?: number;
  speedItems?: number;
  log?: (line: string) => void;
}

/**
 * Issue 21's item-suggestion figures on the generated labelled set: precision@1 (of the SKUs
 * that got a candidate, the share whose first is right; a decoy with a candidate counts as
 * wrong), precision@3, coverage (of the SKUs that have an item, the share with a candidate at or
 * above the threshold), per variation; then the time to suggest for many SKUs against a large
 * catalogue, index build included.
 */
export function runMappingBench(options: MappingBenchOptions = {}): Record<string, unknown> {
  const log = options.log ?? (() => undefined);
  const catalogue = generateCatalogue(options.catalogueItems ?? 5_000, 1);
  const { queries, confirmed } = generateLabelledQueries(catalogue, options.labelledSkus ?? 2_000, 2);
  log(`item suggestions: ${queries.length} labelled SKUs against ${catalogue.length} items`);
  const index = new ItemSuggestionIndex(catalogue);
  const answers = index.suggestMany(
    queries.map((labelled) => labelled.query),
    { confirmed },
    { limit: 3 },
  );

  const byVariation = new Map<string, { skus: number; offered: number; right: number }>();
  let answered = 0;
  let rightFirst = 0;
  let rightInThree = 0;
  let answerable = 0;
  let covered = 0;
  queries.forEach((labelled, position) => {
    const candidates = answers[position]!.candidates;
    const offered = candidates.length > 0;
    const first = candidates[0]?.intacctItemId;
    const variation = byVariation.get(labelled.variation) ?? { skus: 0, offered: 0, right: 0 };
    variation.skus += 1;
    if (offered) variation.offered += 1;
    if (first === labelled.expected || (!offered && labelled.expected === null)) variation.right += 1;
    byVariation.set(labelled.variation, variation);
    if (labelled.expected !== null) {
      answerable += 1;
      if (offered) covered += 1;
    }
    if (!offered) return;
    answered += 1;
    if (first === labelled.expected) rightFirst += 1;
    if (candidates.some((candidate) => candidate.intacctItemId === labelled.expected)) rightInThree += 1;
  });

  const speedItems = options.speedItems ?? 100_000;
  const speedSkus = options.speedSkus ?? 1_000;
  log(`item suggestions: ${speedSkus} SKUs against ${speedItems} items`);
  const large = generateCatalogue(speedItems, 3);
  const unresolved = generateLabelledQueries(large, speedSkus, 4);
  const cpuStart = process.cpuUsage();
  const buildStart = performance.now();
  const largeIndex = new ItemSuggestionIndex(large);
  const built = performance.now();
  largeIndex.suggestMany(
    unresolved.queries.map((labelled) => labelled.query),
    { confirmed: unresolved.confirmed },
    { limit: 3 },
  );
  const suggested = performance.now();
  const cpu = process.cpuUsage(cpuStart);

  return {
    itemSuggestions: {
      precisionAt1: round(rightFirst / answered, 3),
      precisionAt3: round(rightInThree / answered, 3),
      coverage: round(covered / answerable, 3),
      threshold: defaultMinimumConfidence,
      labelledSet: { items: catalogue.length, skus: queries.length, decoys: queries.length - answerable },
      byVariation: Object.fromEntries(
        [...byVariation.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, counts]) => [name, counts]),
      ),
      how: 'generated catalogue (seed 1) and storefront SKUs (seed 2): test/bench/mapping-labelled-set.ts. precision@1 = SKUs whose first candidate is right ÷ SKUs with any candidate (a decoy with a candidate is wrong); precision@3 = right within the first three ÷ the same; coverage = SKUs with an item that got a candidate ÷ SKUs with an item. byVariation.right: the first candidate is right, or a decoy got none',
    },
    itemSuggestionSpeed: {
      items: large.length,
      skus: unresolved.queries.length,
      indexBuildMs: Math.round(built - buildStart),
      suggestMs: Math.round(suggested - built),
      totalMs: Math.round(suggested - buildStart),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      how: 'one process, index built from the items in memory (as the per-tenant cache holds them, so a request pays only suggestMs), then suggestions for every SKU, 3 candidates each; cpuMs is the process CPU time of both, a steadier figure than wall time on a shared machine',
    },
  };
}
