/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import {
  inventorySkuSyncWorkflowId,
  inventorySkuSyncWorkflowType,
  type InventorySkuSyncActivities,
  type InventorySkuSyncInput,
} from '../../../workflows/inventory-sku-sync-contract.js';
import { uniqueId } from '../../support/harness.js';
import { recordHistories } from '../../support/replay.js';

const require = createRequire(import.meta.url);

/** One recorded run: whether the tenant's warehouses table maps store locations, and the history's file name. */
const stories: Array<{ file: string; locations: boolean }> = [{ file: 'inventory-sku-sync-locations.json', locations: true }];

/**
 * Records InventorySkuSync histories for `replay.test.ts` with stand-in activities on the test's
 * dev server: one round for the mug's SKU, its level pushed at each of two mapped store locations
 * (`-locations`) or, with `RECORD_INVENTORY_HISTORY_FILE` naming another file and no locations,
 * once at the default location. The activities' answers are in the history, so stand-ins record
 * the workflow's decisions as faithfully as the product's would.
 *
 * `inventory-sku-sync-before-locations.json` was recorded by the workflow before the warehouses
 * table reached the single-SKU sync (no locations in any answer). Re-record after an intended
 * change (versioned with `patched()`, the old files kept under other names):
 * `RECORD_INVENTORY_HISTORY=1 npx vitest run test/integration/inventory/replay.test.ts`.
 */
export async function recordInventorySkuSyncHistories(directory: string, extra?: string): Promise<void> {
  let locations = true;
  const activities = (): InventorySkuSyncActivities => ({
    resolveInventoryTarget: async () => ({ enabled: true, storefront: 'bigcommerce', maxBatchSize: 2000, skus: ['MUG-CER-12OZ'] }),
    readIntacctStockForSkus: async () => ({
      levels: locations
        ? [
            { sku: 'MUG-CER-12OZ', available: 40, intacctItemId: 'MUG-CER-12OZ', locationId: '1' },
            { sku: 'MUG-CER-12OZ', available: 120, intacctItemId: 'MUG-CER-12OZ', locationId: '2' },
          ]
        : [{ sku: 'MUG-CER-12OZ', available: 160, intacctItemId: 'MUG-CER-12OZ' }],
      filtered: [],
      unmapped: [],
      notInIntacct: [],
      intacctTransactions: 1,
    }),
    readStorefrontLevels: async () => ({
      levels: locations
        ? [
            { sku: 'MUG-CER-12OZ', locationId: '1', onHand: 7, productId: '112', variantId: '212' },
            { sku: 'MUG-CER-12OZ', locationId: '2', onHand: 9, productId: '112', variantId: '212' },
          ]
        : [{ sku: 'MUG-CER-12OZ', onHand: 7, productId: '112', variantId: '212' }],
    }),
    pushInventoryBatch: async (input) => ({ pushed: input.levels.length, failed: [] }),
  });
  await recordHistories({
    directory,
    workflowsPath: require.resolve('../../fixtures/workflows/inventory-reconcile.ts'),
    activities,
    runs: [...stories, ...(extra === undefined ? [] : [{ file: extra, locations: false }])].map((story) => ({
      file: story.file,
      start: (client, taskQueue) => {
        locations = story.locations;
        const input: InventorySkuSyncInput = {
          tenantId: uniqueId('inventory'),
          target: { kind: 'bigcommerceProduct', productId: '112' },
          trigger: 'webhook',
        };
        return client.workflow.start(inventorySkuSyncWorkflowType, {
          workflowId: inventorySkuSyncWorkflowId(input.tenantId, input.target),
          taskQueue,
          args: [input],
        });
      },
    })),
  });
}
