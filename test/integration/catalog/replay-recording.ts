/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import type { StorefrontKind } from '../../../mappers/canonical-order.js';
import {
  catalogSyncWorkflowId,
  catalogSyncWorkflowType,
  type CatalogSyncActivities,
  type CatalogSyncInput,
} from '../../../workflows/catalog-sync-contract.js';
import {
  priceListSyncWorkflowId,
  priceListSyncWorkflowType,
  type PriceListSyncActivities,
  type PriceListSyncInput,
} from '../../../workflows/price-list-sync-contract.js';
import { uniqueId } from '../../support/harness.js';
import { recordHistories } from '../../support/replay.js';

const require = createRequire(import.meta.url);

/** One recorded run: the tenant's storefront, and the history's file name. */
const stories: Array<{ file: string; storefront: StorefrontKind }> = [
  { file: 'catalog-sync-bigcommerce.json', storefront: 'bigcommerce' },
  { file: 'catalog-sync-clarity.json', storefront: 'clarity' },
];

/**
 * Records CatalogSync histories for `replay.test.ts` with stand-in activities on the test's dev
 * server: one run over one page with one changed product, for a BigCommerce tenant (which also
 * creates a product for an item flagged for the web) and a Clarity one. The activities' answers are in the history, so stand-ins record the workflow's
 * decisions as faithfully as the product's would. Written as the protobuf JSON of each History.
 *
 * Re-record after an intended change (versioned with `patched()`, the old files kept under other
 * names): `RECORD_CATALOG_HISTORY=1 npx vitest run test/integration/catalog/replay.test.ts`.
 */
export async function recordCatalogSyncHistories(directory: string): Promise<void> {
  let storefront: StorefrontKind = 'bigcommerce';
  const activities = (): CatalogSyncActivities => ({
    planCatalogSync: async () => ({ enabled: true, storefront, modifiedSince: '12/01/2026 00:00:00' }),
    readChangedItems: async () => ({
      items: [
        {
          itemId: 'TSHIRT-BLK-M',
          name: 'Classic T-Shirt, Black, M',
          status: 'active',
          basePrice: '26',
          standardCost: '9.5',
          modifiedAt: '12/07/2026 09:00:00',
          skus: ['TSHIRT-BLK-M'],
        },
      ],
      unmapped: 0,
      intacctTransactions: 1,
    }),
    planStorefrontChanges: async () => ({
      products: [{ sku: 'TSHIRT-BLK-M', productId: 'P-501', priceMinor: 2600 }],
      variants: [],
      notInStorefront: 0,
      unchanged: 0,
      ownWrites: 0,
      failed: [],
      storefrontRequests: 1,
      ...(storefront === 'bigcommerce' && {
        creations: [{ sku: 'SOCKS-WOOL', itemId: 'SOCKS-WOOL', name: 'Wool Socks', priceMinor: 1250, visible: false }],
      }),
    }),
    pushProductChanges: async () => ({ written: 1, failed: [] }),
    pushVariantChanges: async () => ({ written: 0, failed: [] }),
    createStorefrontProducts: async () => ({ created: 1, existing: 0, failed: [], requests: 2 }),
    finishCatalogSync: async () => undefined,
  });
  await recordHistories({
    directory,
    workflowsPath: require.resolve('../../fixtures/workflows/catalog-sync.ts'),
    activities,
    runs: stories.map((story) => ({
      file: story.file,
      start: (client, taskQueue) => {
        storefront = story.storefront;
        const input: CatalogSyncInput = { tenantId: uniqueId('catalog') };
        return client.workflow.start(catalogSyncWorkflowType, {
          workflowId: catalogSyncWorkflowId(input.tenantId),
          taskQueue,
          args: [input],
        });
      },
    })),
  });
}

/**
 * Records a PriceListSync history for `replay.test.ts` the same way: a reconciling run over one
 * page, one record written, one withdrawn record deleted, then the managed records reconciled in
 * two passes (one record of an entry deleted in Intacct deleted). Re-record after an intended change:
 * `RECORD_PRICE_LIST_HISTORY=<file name> npx vitest run test/integration/catalog/replay.test.ts`.
 */
export async function recordPriceListSyncHistory(directory: string, file: string): Promise<void> {
  const entry = {
    recordNo: '7',
    priceListId: 'WHOLESALE',
    itemId: 'TSHIRT-BLK-M',
    valueType: 'Actual',
    value: '19.5',
    minQuantity: '',
    dateFrom: '',
    dateTo: '',
    status: 'active',
    modifiedAt: '12/07/2026 09:00:00',
  };
  let passes = 0;
  const activities = (): PriceListSyncActivities => ({
    planPriceListSync: async () => ({ enabled: true, storefront: 'bigcommerce', reconcile: true }),
    readChangedPriceListEntries: async () => ({
      entries: [
        { ...entry, skus: ['TSHIRT-BLK-M'] },
        { ...entry, recordNo: '8', itemId: 'MUG-CER-12OZ', status: 'inactive', skus: ['MUG-CER-12OZ'] },
      ],
      unmapped: 0,
      intacctTransactions: 1,
    }),
    planPriceRecordChanges: async () => ({
      changes: [{ priceListId: 1, sku: 'TSHIRT-BLK-M', priceMinor: 1950 }],
      deletions: [{ priceListId: 1, sku: 'MUG-CER-12OZ' }],
      notInStorefront: 0,
      unchanged: 0,
      skipped: 1,
      failed: [],
      storefrontRequests: 2,
      intacctTransactions: 1,
    }),
    pushPriceRecords: async () => ({ written: 1, failed: [] }),
    deletePriceRecords: async () => ({ deleted: 1 }),
    reconcilePriceRecords: async () => {
      passes += 1;
      return { confirmed: 999, deleted: passes, alreadyGone: 0, storefrontRequests: 2, intacctTransactions: 1, done: passes === 2 };
    },
    finishPriceListSync: async () => undefined,
  });
  await recordHistories({
    directory,
    workflowsPath: require.resolve('../../fixtures/workflows/catalog-sync.ts'),
    activities,
    runs: [
      {
        file,
        start: (client, taskQueue) => {
          const input: PriceListSyncInput = { tenantId: uniqueId('price-lists') };
          return client.workflow.start(priceListSyncWorkflowType, {
            workflowId: priceListSyncWorkflowId(input.tenantId),
            taskQueue,
            args: [input],
          });
        },
      },
    ],
  });
}
