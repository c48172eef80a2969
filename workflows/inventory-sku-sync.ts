import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { batchesOf, diffInventoryLevels, levelToWrite, mappedLocationIds } from '../mappers/inventory-availability.js';
import { vendorCallOptions } from './activity-options.js';
import { skuSyncReports } from '../mappers/inventory-sku-sync.js';
import {
  inventoryChangedSignal,
  type InventorySkuSyncActivities,
  type InventorySkuSyncInput,
  type InventorySkuSyncResult,
  type SkuSyncReport,
} from './inventory-sku-sync-contract.js';

export type { InventorySkuSyncInput, InventorySkuSyncResult } from './inventory-sku-sync-contract.js';

/**
 * Vendor calls: reads of a few SKUs, retried while a system is down, never forever (the
 * schedule's next run corrects the SKU anyway), and the write of absolute levels, idempotent so
 * a retry after a lost answer is harmless.
 */
const { resolveInventoryTarget, readIntacctStockForSkus, readStorefrontLevels, pushInventoryBatch } =
  proxyActivities<InventorySkuSyncActivities>(vendorCallOptions);

/** Rounds per run before continuing as new: a SKU changed again and again keeps a short history. */
const roundsPerRun = 20;

/**
 * Brings one SKU (or the SKUs of one BigCommerce product or variant) to Intacct's availability
 * now, the way a reconciliation would for that SKU: resolve the target's SKUs, compute their
 * availability from Intacct (SKU filter and item mapping applied), read the storefront's levels,
 * and write only the ones that differ, as absolute levels recorded as the product's own writes.
 * A change reported while a round runs (the `inventoryChanged` signal) makes one more round, so
 * the last change is never left behind. Nothing is read when inventory sync is off.
 */
export async function inventorySkuSync(input: InventorySkuSyncInput): Promise<InventorySkuSyncResult> {
  const { tenantId, target } = input;
  let changedAgain = false;
  setHandler(inventoryChangedSignal, () => {
    changedAgain = true;
  });
  let rounds = input.rounds ?? 0;
  let intacctTransactions = input.intacctTransactions ?? 0;
  for (let roundsThisRun = 1; ; roundsThisRun += 1) {
    changedAgain = false;
    rounds += 1;
    const round = await syncOnce(input, rounds);
    intacctTransactions += round.intacctTransactions;
    if (!changedAgain || round.outcome === 'disabled')
      return { tenantId, target, outcome: round.outcome, skus: round.skus, rounds, intacctTransactions };
    if (roundsThisRun >= roundsPerRun) return continueAsNew<typeof inventorySkuSync>({ ...input, rounds, intacctTransactions });
  }
}

async function syncOnce(
  input: InventorySkuSyncInput,
  round: number,
): Promise<{ outcome: 'synced' | 'disabled'; skus: SkuSyncReport[]; intacctTransactions: number }> {
  const { tenantId, target } = input;
  const plan = await resolveInventoryTarget({ tenantId, target });
  if (!plan.enabled) return { outcome: 'disabled', skus: [], intacctTransactions: 0 };
  if (plan.skus.length === 0) return { outcome: 'synced', skus: [], intacctTransactions: 0 };
  const stock = await readIntacctStockForSkus({ tenantId, skus: plan.skus });
  // Levels name their storefront locations when the warehouses table maps them (as a reconciliation's do); the read asks for those.
  const locationIds = mappedLocationIds(stock.levels);
  const current =
    stock.levels.length > 0
      ? await readStorefrontLevels({
          tenantId,
          skus: [...new Set(stock.levels.map((level) => level.sku))],
          ...(locationIds.length > 0 && { locationIds }),
        })
      : { levels: [] };
  const diff = diffInventoryLevels(stock.levels, current.levels);
  const failed: Array<{ sku: string; reason: string }> = [];
  for (const [index, batch] of batchesOf(diff.changes, plan.maxBatchSize).entries()) {
    const result = await pushInventoryBatch({
      tenantId,
      // Unique per run, round and batch: a retried push reuses it, a later round does not.
      idempotencyKey: `inventory-sku:${workflowInfo().runId}:${round}:${index}`,
      levels: batch.map(levelToWrite),
    });
    failed.push(...result.failed);
  }
  return {
    outcome: 'synced',
    skus: skuSyncReports({ skus: plan.skus, stock, current: current.levels, changes: diff.changes, failed }),
    intacctTransactions: stock.intacctTransactions,
  };
}
