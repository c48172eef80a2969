import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWarehouseStockPage, type WarehouseStock } from '../../../connectors/intacct/index.js';
import { startHarness, type SandboxHarness } from './support.js';

describe('readWarehouseStockPage against the sandbox (keyset pages of whole items)', () => {
  let sandbox: SandboxHarness;

  beforeAll(async () => {
    sandbox = await startHarness({ seed: { extraItems: 50 } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it.each([3, 4, 7, 2000])(
    'when paged %i rows at a time, then every item comes once, with all its warehouses, in item order',
    async (pageSize) => {
      const client = sandbox.client();
      const seen: Array<{ itemId: string; rows: readonly WarehouseStock[] }> = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await readWarehouseStockPage(client, { afterItemId: after, pageSize, controlId: `page-${pages}` });
        seen.push(...page.items);
        after = page.nextAfterItemId;
        pages += 1;
      } while (after !== undefined && pages < 500);

      const records = await sandbox.records('ITEMWAREHOUSEINFO');
      const expected = new Map<string, string[]>();
      for (const record of records)
        expected.set(String(record.ITEMID), [...(expected.get(String(record.ITEMID)) ?? []), String(record.WAREHOUSEID)].sort());
      expect(seen.map((item) => item.itemId)).toEqual([...new Set(seen.map((item) => item.itemId))]);
      expect(new Map(seen.map((item) => [item.itemId, item.rows.map((row) => row.warehouseId).sort()]))).toEqual(expected);
      expect(seen.find((item) => item.itemId === 'WIDGET-1')?.rows.map((row) => [row.warehouseId, row.onHand])).toEqual([
        ['WH01', '120'],
        ['WH02', '40'],
      ]);
      if (pageSize === 2000) expect(pages).toBe(1);
    },
  );
});
