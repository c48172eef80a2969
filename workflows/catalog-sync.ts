import { continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import { inventoryPageReadOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import type {
  CatalogSyncActivities,
  CatalogSyncCheckpoint,
  CatalogSyncCounters,
  CatalogSyncInput,
  CatalogSyncResult,
  ChangedItemsPage,
} from './catalog-sync-contract.js';
import { noteFailures, runPagedIntacctSync } from './paged-intacct-sync.js';

export type { CatalogSyncInput, CatalogSyncResult } from './catalog-sync-contract.js';

/** Reads: one Intacct page, or one page's storefront records; heartbeating, retried while a system is down. */
const { readChangedItems, planStorefrontChanges } = proxyActivities<CatalogSyncActivities>(inventoryPageReadOptions);

/** Storefront batch writes: absolute values, so a retry after a lost answer writes the same again. May queue behind the store's quota. */
const { pushProductChanges, pushVariantChanges, createStorefrontProducts } = proxyActivities<CatalogSyncActivities>(vendorCallOptions);

const { planCatalogSync, finishCatalogSync } = proxyActivities<CatalogSyncActivities>(scheduledRunBookkeepingOptions);

/** Runs started before CatalogSync wrote to Clarity ended `unsupported` for a Clarity tenant without reading. */
export const clarityCatalogWritesPatch = 'catalog-sync-clarity-writes';

/** Runs started before CatalogSync created products for items flagged for the web neither created nor counted them. */
export const webProductsPatch = 'catalog-sync-web-products';

/** BigCommerce's batch limits: products 10, variants 50 per call (Clarity takes the products one request each). */
const productBatchSize = 10;
const variantBatchSize = 50;

const noCounters: CatalogSyncCounters = {
  pages: 0,
  intacctItems: 0,
  unmapped: 0,
  notInStorefront: 0,
  unchanged: 0,
  ownWrites: 0,
  productsWritten: 0,
  variantsWritten: 0,
  productsCreated: 0,
  failed: 0,
  productBatches: 0,
  variantBatches: 0,
  intacctTransactions: 0,
  storefrontRequests: 0,
};

/**
 * Carries Intacct's item changes to the storefront (BigCommerce or Clarity): pages through the items modified since the
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
  const plan = await planCatalogSync({ tenantId, ...(input.full === true && { full: true }) });
  const report = await runPagedIntacctSync<
    CatalogSyncCounters,
    CatalogSyncCheckpoint['failedSamples'][number],
    CatalogSyncInput,
    ChangedItemsPage
  >({
    input,
    plan,
    noCounters,
    readPage: readChangedItems,
    modifiedTimes: (page) => page.items.map((item) => item.modifiedAt),
    applyPage: async (page, checkpoint) => {
      const { counters } = checkpoint;
      counters.intacctItems += page.items.length;
      counters.unmapped += page.unmapped;
      if (!page.items.some((item) => item.skus.length > 0)) return;
      const changes = await planStorefrontChanges({ tenantId, items: page.items.filter((item) => item.skus.length > 0) });
      counters.notInStorefront += changes.notInStorefront;
      counters.unchanged += changes.unchanged;
      counters.ownWrites += changes.ownWrites;
      counters.storefrontRequests += changes.storefrontRequests;
      noteFailures(checkpoint, changes.failed);
      for (const batch of batchesOf(changes.products, productBatchSize)) {
        const result = await pushProductChanges({ tenantId, changes: batch });
        counters.productBatches += 1;
        counters.storefrontRequests += result.requests ?? 1;
        counters.productsWritten += result.written;
        noteFailures(checkpoint, result.failed);
      }
      for (const batch of batchesOf(changes.variants, variantBatchSize)) {
        const result = await pushVariantChanges({ tenantId, changes: batch });
        counters.variantBatches += 1;
        counters.storefrontRequests += result.requests ?? 1;
        counters.variantsWritten += result.written;
        noteFailures(checkpoint, result.failed);
      }
      if ((changes.creations ?? []).length === 0 || !patched(webProductsPatch)) return;
      for (const batch of batchesOf(changes.creations ?? [], productBatchSize)) {
        const result = await createStorefrontProducts({ tenantId, products: batch });
        counters.storefrontRequests += result.requests;
        counters.productsCreated = (counters.productsCreated ?? 0) + result.created;
        noteFailures(checkpoint, result.failed);
      }
    },
    continueAsNew: (next) => continueAsNew<typeof catalogSync>(next),
    writesTo: (storefront) => storefront === 'bigcommerce' || (storefront === 'clarity' && patched(clarityCatalogWritesPatch)),
  });
  await finishCatalogSync(report);
  return report;
}
