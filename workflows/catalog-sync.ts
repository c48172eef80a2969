import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { inventoryPageReadOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import { laterIntacctTimestamp, nextCatalogWatermark } from '../mappers/catalog-item-sync.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import type {
  CatalogSyncActivities,
  CatalogSyncCheckpoint,
  CatalogSyncCounters,
  CatalogSyncInput,
  CatalogSyncReport,
  CatalogSyncResult,
} from './catalog-sync-contract.js';

export type { CatalogSyncInput, CatalogSyncResult } from './catalog-sync-contract.js';

/** Reads: one Intacct page, or one page's storefront records; heartbeating, retried while a system is down. */
const { readChangedItems, planStorefrontChanges } = proxyActivities<CatalogSyncActivities>(inventoryPageReadOptions);

/** Storefront batch writes: absolute values, so a retry after a lost answer writes the same again. May queue behind the store's quota. */
const { pushProductChanges, pushVariantChanges } = proxyActivities<CatalogSyncActivities>(vendorCallOptions);

const { planCatalogSync, finishCatalogSync } = proxyActivities<CatalogSyncActivities>(scheduledRunBookkeepingOptions);

/** BigCommerce's batch limits: products 10, variants 50 per call. */
const productBatchSize = 10;
const variantBatchSize = 50;
const defaultPageSize = 200;
/** About 4 + batches events per page, each payload a few kB: ten pages keep a run's history small. */
const defaultPagesPerRun = 10;
const samplesKept = 20;

const noCounters: CatalogSyncCounters = {
  pages: 0,
  intacctItems: 0,
  unmapped: 0,
  notInStorefront: 0,
  unchanged: 0,
  ownWrites: 0,
  productsWritten: 0,
  variantsWritten: 0,
  failed: 0,
  productBatches: 0,
  variantBatches: 0,
  intacctTransactions: 0,
  storefrontRequests: 0,
};

/**
 * Carries Intacct's item changes to the storefront: pages through the items modified since the
 * last run (a keyset over item ids, so a replacement worker resumes at the page reached), reads
 * each page's SKUs from the store, and writes only the values that differ, products ten and
 * variants fifty at a time, one batch after another within the store's quota. A second run over
 * the same items therefore writes nothing. Every `pagesPerRun` pages it continues as new with
 * its checkpoint. Ends by keeping its report and moving the tenant's watermark to the latest
 * change it read, in Intacct's own clock, less the run's duration and a margin
 * (`nextCatalogWatermark`), so a change made while it ran is read by the next run.
 */
export async function catalogSync(input: CatalogSyncInput): Promise<CatalogSyncResult> {
  const { tenantId } = input;
  const runId = input.runId ?? workflowInfo().runId;
  const plan = await planCatalogSync({ tenantId, ...(input.full === true && { full: true }) });
  const checkpoint: CatalogSyncCheckpoint = input.checkpoint
    ? { ...input.checkpoint, counters: { ...input.checkpoint.counters } }
    : {
        startedAtMs: Date.now(),
        ...(plan.modifiedSince !== undefined && { modifiedSince: plan.modifiedSince }),
        counters: { ...noCounters },
        failedSamples: [],
        generation: 0,
      };
  const { counters } = checkpoint;
  // A plan without `deferredBecause` (every run recorded before the soft limit existed) runs as it did.
  const deferred = plan.enabled && plan.deferredBecause !== undefined;
  const runs = plan.enabled && plan.storefront === 'bigcommerce' && !deferred;

  const noteFailures = (failed: Array<{ sku: string; reason: string }>) => {
    counters.failed += failed.length;
    checkpoint.failedSamples = [...checkpoint.failedSamples, ...failed].slice(0, samplesKept);
  };

  if (runs) {
    for (let pagesThisRun = 0; ; pagesThisRun += 1) {
      if (pagesThisRun >= (input.pagesPerRun ?? defaultPagesPerRun) && checkpoint.cursor !== undefined) {
        return continueAsNew<typeof catalogSync>({ ...input, runId, checkpoint: { ...checkpoint, generation: checkpoint.generation + 1 } });
      }
      const page = await readChangedItems({
        tenantId,
        pageSize: input.pageSize ?? defaultPageSize,
        ...(checkpoint.modifiedSince !== undefined && { modifiedSince: checkpoint.modifiedSince }),
        ...(checkpoint.cursor !== undefined && { cursor: checkpoint.cursor }),
      });
      counters.pages += 1;
      counters.intacctItems += page.items.length;
      counters.unmapped += page.unmapped;
      counters.intacctTransactions += page.intacctTransactions;
      for (const item of page.items) {
        const latest = laterIntacctTimestamp(checkpoint.latestModifiedAt, item.modifiedAt);
        if (latest !== undefined) checkpoint.latestModifiedAt = latest;
      }

      if (page.items.some((item) => item.skus.length > 0)) {
        const changes = await planStorefrontChanges({ tenantId, items: page.items.filter((item) => item.skus.length > 0) });
        counters.notInStorefront += changes.notInStorefront;
        counters.unchanged += changes.unchanged;
        counters.ownWrites += changes.ownWrites;
        counters.storefrontRequests += changes.storefrontRequests;
        noteFailures(changes.failed);
        for (const batch of batchesOf(changes.products, productBatchSize)) {
          const result = await pushProductChanges({ tenantId, changes: batch });
          counters.productBatches += 1;
          counters.storefrontRequests += 1;
          counters.productsWritten += result.written;
          noteFailures(result.failed);
        }
        for (const batch of batchesOf(changes.variants, variantBatchSize)) {
          const result = await pushVariantChanges({ tenantId, changes: batch });
          counters.variantBatches += 1;
          counters.storefrontRequests += 1;
          counters.variantsWritten += result.written;
          noteFailures(result.failed);
        }
      }

      if (page.nextCursor === undefined) break;
      checkpoint.cursor = page.nextCursor;
    }
  }

  const finishedAtMs = Date.now();
  const nextModifiedSince = runs ? nextCatalogWatermark(checkpoint.latestModifiedAt, finishedAtMs - checkpoint.startedAtMs) : undefined;
  const report: CatalogSyncReport = {
    runId,
    tenantId,
    storefront: plan.storefront,
    outcome: !plan.enabled ? 'disabled' : deferred ? 'deferred' : runs ? 'completed' : 'unsupported',
    ...(deferred && { note: plan.deferredBecause }),
    ...(checkpoint.modifiedSince !== undefined && { modifiedSince: checkpoint.modifiedSince }),
    ...(nextModifiedSince !== undefined && { nextModifiedSince }),
    startedAt: new Date(checkpoint.startedAtMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    durationMs: finishedAtMs - checkpoint.startedAtMs,
    ...counters,
    failedSamples: checkpoint.failedSamples,
    generations: checkpoint.generation + 1,
  };
  await finishCatalogSync(report);
  return report;
}
