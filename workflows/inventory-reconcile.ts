import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { inventoryPageReadOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import { batchesOf, diffInventoryLevels, largestDrifts, levelToWrite, mappedLocationIds } from '../mappers/inventory-availability.js';
import type {
  InventoryCheckpoint,
  InventoryCounters,
  InventoryReconcileActivities,
  InventoryReconcileInput,
  InventoryReconcileResult,
  InventoryReport,
} from './inventory-reconcile-contract.js';

export type {
  InventoryCheckpoint,
  InventoryReconcileInput,
  InventoryReconcileResult,
  InventoryReport,
} from './inventory-reconcile-contract.js';

/** Reads: one Intacct page or a page's storefront levels; heartbeating, retried while a system is down. */
const { readIntacctStockPage, readStorefrontLevels } = proxyActivities<InventoryReconcileActivities>(inventoryPageReadOptions);

/**
 * One storefront write of absolute levels: idempotent, so a retry after a lost answer is
 * harmless. A vendor call like OrderToCash's: it may queue behind the store's quota for long.
 */
const { pushInventoryBatch } = proxyActivities<InventoryReconcileActivities>(vendorCallOptions);

/** Settings and the report: small MongoDB reads and writes. */
const { planInventoryRun, storeInventoryReport } = proxyActivities<InventoryReconcileActivities>(scheduledRunBookkeepingOptions);

/** About 3 + 2 × batches events per page, each page's payloads ~100 kB at most: five pages keep a run's history small. */
const defaultPagesPerRun = 5;
const defaultPageSize = 2000;
const driftsKept = 20;
const samplesKept = 20;

const noCounters: InventoryCounters = {
  pages: 0,
  intacctItems: 0,
  compared: 0,
  changed: 0,
  pushed: 0,
  failed: 0,
  unmapped: 0,
  filtered: 0,
  notInStorefront: 0,
  batches: 0,
  intacctTransactions: 0,
};

/**
 * Makes the storefront's stock equal Intacct's availability: pages through Intacct's stock
 * (a keyset cursor over item ids), reads the storefront's levels for each page's SKUs, and
 * writes only the changed ones as absolute levels, one batch at a time (BigCommerce asks for
 * one inventory write in flight per store). Every `pagesPerRun` pages it continues as new
 * with its checkpoint, so history stays bounded and a replacement worker resumes at the page
 * reached; memory is one page, whatever the catalogue's size. Ends by storing its report.
 */
export async function inventoryReconcile(input: InventoryReconcileInput): Promise<InventoryReconcileResult> {
  const { tenantId } = input;
  const runId = input.runId ?? workflowInfo().runId;
  const plan = await planInventoryRun({ tenantId });
  const checkpoint: InventoryCheckpoint = input.checkpoint
    ? { ...input.checkpoint, counters: { ...input.checkpoint.counters } }
    : {
        startedAtMs: Date.now(),
        counters: { ...noCounters },
        largestDrifts: [],
        failedSamples: [],
        unmappedSamples: [],
        notInStorefrontSamples: [],
        generation: 0,
      };
  const { counters } = checkpoint;
  const batchSize = Math.min(input.batchSize ?? plan.maxBatchSize, plan.maxBatchSize);

  // A plan without `deferredBecause` (every run recorded before the soft limit existed) runs as it did.
  if (plan.enabled && plan.deferredBecause === undefined) {
    for (let pagesThisRun = 0; ; pagesThisRun += 1) {
      if (pagesThisRun >= (input.pagesPerRun ?? defaultPagesPerRun) && checkpoint.cursor !== undefined) {
        return continueAsNew<typeof inventoryReconcile>({
          ...input,
          runId,
          checkpoint: { ...checkpoint, generation: checkpoint.generation + 1 },
        });
      }
      const page = await readIntacctStockPage({
        tenantId,
        pageSize: input.pageSize ?? defaultPageSize,
        ...(checkpoint.cursor !== undefined && { cursor: checkpoint.cursor }),
      });
      counters.pages += 1;
      counters.intacctItems += page.intacctItems;
      counters.unmapped += page.unmapped;
      counters.filtered += page.filtered;
      counters.intacctTransactions += page.intacctTransactions;
      checkpoint.unmappedSamples = [...checkpoint.unmappedSamples, ...page.unmappedSamples].slice(0, samplesKept);

      if (page.levels.length > 0) {
        const locationIds = mappedLocationIds(page.levels);
        const current = await readStorefrontLevels({
          tenantId,
          skus: [...new Set(page.levels.map((level) => level.sku))],
          ...(locationIds.length > 0 && { locationIds }),
        });
        const diff = diffInventoryLevels(page.levels, current.levels);
        counters.compared += diff.changes.length + diff.unchanged;
        counters.changed += diff.changes.length;
        counters.notInStorefront += diff.notInStorefront.length;
        checkpoint.notInStorefrontSamples = [...checkpoint.notInStorefrontSamples, ...diff.notInStorefront].slice(0, samplesKept);
        checkpoint.largestDrifts = largestDrifts(checkpoint.largestDrifts, diff.changes, driftsKept);
        const batches = batchesOf(diff.changes, batchSize);
        for (const [index, batch] of batches.entries()) {
          const result = await pushInventoryBatch({
            tenantId,
            idempotencyKey: `inventory:${runId}:${counters.pages}:${index}`,
            levels: batch.map(levelToWrite),
          });
          counters.batches += 1;
          counters.pushed += result.pushed;
          counters.failed += result.failed.length;
          checkpoint.failedSamples = [...checkpoint.failedSamples, ...result.failed].slice(0, samplesKept);
        }
      }

      if (page.nextCursor === undefined) break;
      checkpoint.cursor = page.nextCursor;
    }
  }

  const finishedAtMs = Date.now();
  const report: InventoryReport = {
    runId,
    tenantId,
    storefront: plan.storefront,
    outcome: !plan.enabled ? 'disabled' : plan.deferredBecause !== undefined ? 'deferred' : 'completed',
    ...(plan.enabled && plan.deferredBecause !== undefined && { note: plan.deferredBecause }),
    startedAt: new Date(checkpoint.startedAtMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    durationMs: finishedAtMs - checkpoint.startedAtMs,
    ...counters,
    largestDrifts: checkpoint.largestDrifts,
    failedSamples: checkpoint.failedSamples,
    unmappedSamples: checkpoint.unmappedSamples,
    notInStorefrontSamples: checkpoint.notInStorefrontSamples,
    generations: checkpoint.generation + 1,
  };
  await storeInventoryReport(report);
  return report;
}
