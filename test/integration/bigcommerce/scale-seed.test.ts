import { describe, expect, it } from 'vitest';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

const bc = useBigCommerceSandbox();

describe('BigCommerce sandbox scale seed (reset with extraProducts)', () => {
  it('when reset with extraProducts, then that many product-tracked SKUs carry index % 89 at the default location and are written like any other', async () => {
    await bc.control('POST', '/reset', { extraProducts: 3000 });
    const client = bc.client();

    const page = await client.inventory.listItems({
      skus: ['SKU-000001', 'SKU-000089', 'SKU-003000', 'SKU-003001'],
      locationIds: [1],
      limit: 10,
    });
    expect(
      page.data.map((item) => [
        item.identity.sku,
        item.identity.product_id,
        item.identity.variant_id,
        item.locations[0]!.total_inventory_onhand,
      ]),
    ).toEqual([
      ['SKU-000001', 100_001, 300_001, 1],
      ['SKU-000089', 100_089, 300_089, 0],
      ['SKU-003000', 103_000, 303_000, 3000 % 89],
    ]);
    await client.inventory.setAbsoluteLevels([{ location_id: 1, sku: 'SKU-003000', quantity: 7 }]);
    expect(
      (await client.inventory.listItems({ skus: ['SKU-003000'], locationIds: [1] })).data[0]!.locations[0]!.total_inventory_onhand,
    ).toBe(7);
  });

  it('when reset without options, then only the demo catalogue is there', async () => {
    await bc.control('POST', '/reset', { extraProducts: 5 });
    await bc.control('POST', '/reset');

    expect((await bc.client().inventory.listItems({ skus: ['SKU-000001'] })).data).toEqual([]);
  });

  it('when extraProducts is not a whole number, then the reset is refused', async () => {
    await expect(bc.control('POST', '/reset', { extraProducts: -1 })).rejects.toThrow('answered 400');
  });
});
