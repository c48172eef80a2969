import { continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { inventoryPageReadOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import type { PriceRecordChange } from '../mappers/price-list-sync.js';
import { noteFailures, runPagedIntacctSync } from './paged-intacct-sync.js';
import type {
  ChangedPriceListEntriesPage,
  PriceListSyncActivities,
  PriceListSyncCheckpoint,
  PriceListSyncCounters,
  PriceListSyncFailure,
  PriceListSyncInput,
  PriceListSyncResult,
} from './price-list-sync-contract.js';

export type { PriceListSyncInput, PriceListSyncResult } from './price-list-sync-contract.js';

const { readChangedPriceListEntries, planPriceRecordChanges } = proxyActivities<PriceListSyncActivities>(inventoryPageReadOptions);
const { pushPriceRecords, deletePriceRecords, reconcilePriceRecords } = proxyActivities<PriceListSyncActivities>(vendorCallOptions);
const { planPriceListSync, finishPriceListSync } = proxyActivities<PriceListSyncActivities>(scheduledRunBookkeepingOptions);

/** Runs from this version delete the store records of entries Intacct withdrew (inactive, out of date). */
export const deletesWithdrawnRecordsPatch = 'price-list-sync-deletes-withdrawn-records';
/** Runs from this version can reconcile: after reading every entry, delete the managed records Intacct no longer backs. */
export const reconcilesStoreRecordsPatch = 'price-list-sync-reconciles-store-records';

/** BigCommerce's price record upsert limit. */
const priceRecordBatchSize = 1000;

const noCounters: PriceListSyncCounters = {
  pages: 0,
  intacctEntries: 0,
  unmapped: 0,
  notInStorefront: 0,
  unchanged: 0,
  skipped: 0,
  recordsWritten: 0,
  recordsDeleted: 0,
  recordBatches: 0,
  failed: 0,
  intacctTransactions: 0,
  storefrontRequests: 0,
};

/**
 * Carries Intacct price list entries to the storefront's price lists, as CatalogSync carries
 * item prices: pages through the entries modified since the last run (keyset on RECORDNO),
 * reads each page's SKUs and records from the store, and writes only the prices that differ,
 * up to 1,000 records per upsert and one upsert at a time (BigCommerce allows two), through
 * the client's rate limiter. A record whose entry Intacct withdrew (inactive, out of its dates)
 * and that no other entry backs is deleted. A second run over the same entries writes nothing.
 *
 * A reconciling run (an operator's `full` run, or the day's first scheduled run at the tenant's
 * hour) reads every entry, confirms each managed record an entry in effect prices, and after the
 * last page deletes the managed records left unconfirmed once Intacct confirms none of their
 * entries is in effect: entries deleted outright, DATETO passed. DATEFROM arriving needs no
 * more than reading every entry.
 */
export async function priceListSync(input: PriceListSyncInput): Promise<PriceListSyncResult> {
  const { tenantId } = input;
  const plan = await planPriceListSync({ tenantId, ...(input.full === true && { full: true }) });
  // Decided by the first generation's plan only: a later one could fall on the other side of the hour.
  const reconcile = input.checkpoint === undefined ? plan.reconcile === true : input.reconcile === true;
  const runId = input.runId ?? workflowInfo().runId;
  const report = await runPagedIntacctSync<PriceListSyncCounters, PriceListSyncFailure, PriceListSyncInput, ChangedPriceListEntriesPage>({
    input: { ...input, runId, ...(reconcile && { reconcile: true }) },
    plan,
    noCounters,
    readPage: readChangedPriceListEntries,
    modifiedTimes: (page) => page.entries.map((entry) => entry.modifiedAt),
    applyPage: async (page, checkpoint) => {
      const { counters } = checkpoint;
      counters.intacctEntries += page.entries.length;
      counters.unmapped += page.unmapped;
      const mapped = page.entries.filter((entry) => entry.skus.length > 0);
      if (mapped.length > 0) await applyEntries(mapped, checkpoint);
      if (page.nextCursor !== undefined || !reconcile || !patched(reconcilesStoreRecordsPatch)) return;
      for (;;) {
        const pass = await reconcilePriceRecords({ tenantId, runId });
        counters.recordsDeleted = (counters.recordsDeleted ?? 0) + pass.deleted;
        counters.storefrontRequests += pass.storefrontRequests;
        counters.intacctTransactions += pass.intacctTransactions;
        if (pass.done) break;
      }
      counters.reconciled = true;
    },
    continueAsNew: (next) => continueAsNew<typeof priceListSync>(next),
  });
  await finishPriceListSync(report);
  return report;

  /** One page's mapped entries: the records that differ written, the withdrawn ones deleted. */
  async function applyEntries(mapped: ChangedPriceListEntriesPage['entries'], checkpoint: PriceListSyncCheckpoint): Promise<void> {
    const { counters } = checkpoint;
    const planned = await planPriceRecordChanges({ tenantId, entries: mapped, ...(reconcile && { reconcilingRun: runId }) });
    counters.notInStorefront += planned.notInStorefront;
    counters.unchanged += planned.unchanged;
    counters.skipped += planned.skipped;
    counters.storefrontRequests += planned.storefrontRequests;
    noteFailures(checkpoint, planned.failed);
    const byList = new Map<number, PriceRecordChange[]>();
    for (const change of planned.changes) byList.set(change.priceListId, [...(byList.get(change.priceListId) ?? []), change]);
    for (const [priceListId, changes] of byList) {
      for (const batch of batchesOf(changes, priceRecordBatchSize)) {
        const result = await pushPriceRecords({ tenantId, priceListId, changes: batch });
        counters.recordBatches += 1;
        counters.storefrontRequests += 1;
        counters.recordsWritten += result.written;
        noteFailures(checkpoint, result.failed);
      }
    }
    counters.intacctTransactions += planned.intacctTransactions ?? 0;
    const deletions = planned.deletions ?? [];
    if (deletions.length === 0 || !patched(deletesWithdrawnRecordsPatch)) return;
    const deletedByList = new Map<number, string[]>();
    for (const deletion of deletions)
      deletedByList.set(deletion.priceListId, [...(deletedByList.get(deletion.priceListId) ?? []), deletion.sku]);
    for (const [priceListId, skus] of deletedByList) {
      const { deleted } = await deletePriceRecords({ tenantId, priceListId, skus });
      counters.storefrontRequests += 1;
      counters.recordsDeleted = (counters.recordsDeleted ?? 0) + deleted;
    }
  }
}
