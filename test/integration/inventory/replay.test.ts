import { beforeAll, describe, expect, it } from 'vitest';
import { recordInventorySkuSyncHistories } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { recordedHistoriesDirectory, recordedHistoryFiles, replayRecordedHistories } from '../../support/replay.js';

/**
 * Recorded InventorySkuSync histories replayed against today's workflow code. The
 * `-before-locations` file was recorded by the code before the single-SKU sync wrote a level per
 * mapped store location, and must still replay (the activities and their order did not change,
 * only what their inputs and answers carry); `-locations` by today's code. Re-record:
 * `RECORD_INVENTORY_HISTORY=1` (`replay-recording.ts`).
 */
describe('InventorySkuSync replays its recorded histories', () => {
  let files: string[] = [];

  beforeAll(async () => {
    if (process.env.RECORD_INVENTORY_HISTORY === '1')
      await recordInventorySkuSyncHistories(recordedHistoriesDirectory, process.env.RECORD_INVENTORY_HISTORY_FILE);
    files = await recordedHistoryFiles('inventory-sku-sync-');
  }, 120_000);

  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    expect(files).toEqual(expect.arrayContaining(['inventory-sku-sync-before-locations.json', 'inventory-sku-sync-locations.json']));
    await replayRecordedHistories(files);
  }, 120_000);
});
