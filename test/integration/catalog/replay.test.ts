import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordCatalogSyncHistories, recordPriceListSyncHistory } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { sandboxDataConverter } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);
const historiesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/histories');

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
    if (process.env.RECORD_CATALOG_HISTORY === '1') await recordCatalogSyncHistories(historiesDirectory);
    const priceListFile = process.env.RECORD_PRICE_LIST_HISTORY;
    if (priceListFile !== undefined && /^price-list-sync[\w-]*\.json$/.test(priceListFile))
      await recordPriceListSyncHistory(historiesDirectory, priceListFile);
    files = (await readdir(historiesDirectory)).filter(
      (file) => (file.startsWith('catalog-sync-') || file.startsWith('price-list-sync-')) && file.endsWith('.json'),
    );
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
    const histories = [];
    for (const file of files) {
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(await readFile(path.join(historiesDirectory, file), 'utf8')) as Record<string, unknown>,
      );
      expect(
        history.events?.some((event) => event.workflowExecutionCompletedEventAttributes),
        file,
      ).toBe(true);
      histories.push({ workflowId: file, history });
    }
    // One bundle for every history: bundling per file took most of the test's time.
    const replayed = Worker.runReplayHistories(
      { workflowsPath: require.resolve('../../../workflows/index.ts'), dataConverter: sandboxDataConverter() },
      histories,
    );
    const failures: string[] = [];
    for await (const result of replayed) if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
