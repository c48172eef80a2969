import { beforeAll, describe, expect, it } from 'vitest';
import { recordCatalogSyncHistories, recordPriceListSyncHistory } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { recordedHistoriesDirectory, recordedHistoryFiles, replayRecordedHistories } from '../../support/replay.js';

/**
 * Recorded CatalogSync histories replayed against today's workflow code. The `-before-clarity-writes`
 * files were recorded by the code before CatalogSync wrote to Clarity: a Clarity tenant's run then
 * ended `unsupported` without reading, and must still replay that way (the `patched` gate); the
 * `-before-web-products` files before CatalogSync created products for items flagged for the web
 * (the `catalog-sync-web-products` gate); the others by today's code, the BigCommerce one creating a product. Re-record: `RECORD_CATALOG_HISTORY=1` (`replay-recording.ts`).
 */
describe('CatalogSync replays its recorded histories', () => {
  let files: string[] = [];

  beforeAll(async () => {
    if (process.env.RECORD_CATALOG_HISTORY === '1') await recordCatalogSyncHistories(recordedHistoriesDirectory);
    const priceListFile = process.env.RECORD_PRICE_LIST_HISTORY;
    if (priceListFile !== undefined && /^price-list-sync[\w-]*\.json$/.test(priceListFile))
      await recordPriceListSyncHistory(recordedHistoriesDirectory, priceListFile);
    files = [...(await recordedHistoryFiles('catalog-sync-')), ...(await recordedHistoryFiles('price-list-sync-'))];
  }, 120_000);

  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'catalog-sync-bigcommerce-before-clarity-writes.json',
        'catalog-sync-clarity-before-clarity-writes.json',
        'catalog-sync-bigcommerce-before-web-products.json',
        'catalog-sync-clarity-before-web-products.json',
        'catalog-sync-bigcommerce.json',
        'catalog-sync-clarity.json',
        'price-list-sync-before-reconciliation.json',
        'price-list-sync-reconciling.json',
      ]),
    );
    await replayRecordedHistories(files);
  }, 120_000);
});
