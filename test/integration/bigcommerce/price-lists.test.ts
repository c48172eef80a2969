import { describe, expect, it } from 'vitest';
import { BigCommerceInputError } from '../../../connectors/bigcommerce/index.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

const bc = useBigCommerceSandbox();

/** The sandbox's seeded price list: Wholesale, assigned to customer group 2. */
const wholesale = 1;

const rawUpsert = (body: unknown) =>
  fetch(`${bc.sandbox.url}/stores/demostore/v3/pricelists/${wholesale}/records`, {
    method: 'PUT',
    headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('BigCommerce client: V3 price list records against the sandbox', () => {
  it('when records are upserted by SKU then they are read back by sku:in, and a second upsert replaces, not adds', async () => {
    const client = bc.client();
    expect((await client.priceLists.listRecords(wholesale, { skus: ['TSHIRT-BLK-M'] })).data).toEqual([]);
    await client.priceLists.upsertRecords(wholesale, [
      { sku: 'TSHIRT-BLK-M', currency: 'USD', price: 19.5 },
      { sku: 'MUG-CER-12OZ', currency: 'USD', price: 11 },
    ]);
    await client.priceLists.upsertRecords(wholesale, [{ sku: 'TSHIRT-BLK-M', currency: 'USD', price: 18 }]);
    const records = await client.priceLists.listRecords(wholesale, { skus: ['TSHIRT-BLK-M', 'MUG-CER-12OZ'], currency: 'USD' });
    expect(records.data.map((record) => [record.sku, record.variant_id, record.price, record.currency])).toEqual([
      ['TSHIRT-BLK-M', 202, 18, 'usd'],
      ['MUG-CER-12OZ', 210, 11, 'usd'],
    ]);
    expect(records.pagination).toMatchObject({ total: 2 });
  });

  it('when records are deleted by SKU then only those go, and deleting them again succeeds (204)', async () => {
    const client = bc.client();
    await client.priceLists.upsertRecords(wholesale, [
      { sku: 'TSHIRT-BLK-M', currency: 'USD', price: 19.5 },
      { sku: 'MUG-CER-12OZ', currency: 'USD', price: 11 },
    ]);
    await client.priceLists.deleteRecords(wholesale, { skus: ['MUG-CER-12OZ'], currency: 'USD' });
    const left = await client.priceLists.listRecords(wholesale, { skus: ['TSHIRT-BLK-M', 'MUG-CER-12OZ'], currency: 'USD' });
    expect(left.data.map((record) => record.sku)).toEqual(['TSHIRT-BLK-M']);
    await expect(client.priceLists.deleteRecords(wholesale, { skus: ['MUG-CER-12OZ'], currency: 'USD' })).resolves.toBeUndefined();
    expect((await client.priceLists.listRecords(wholesale, { skus: ['TSHIRT-BLK-M'], currency: 'USD' })).data).toHaveLength(1);
  });

  it('when one record names an unknown SKU then the whole batch is refused (422) and nothing is saved', async () => {
    const error = await bc
      .client()
      .priceLists.upsertRecords(wholesale, [
        { sku: 'TSHIRT-BLK-M', currency: 'USD', price: 19.5 },
        { sku: 'NO-SUCH-SKU', currency: 'USD', price: 1 },
      ])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BigCommerceInputError);
    expect(error).toMatchObject({ status: 422 });
    expect((await bc.client().priceLists.listRecords(wholesale, { skus: ['TSHIRT-BLK-M'] })).data).toEqual([]);
  });

  it('when a batch has more than 1,000 records then the client refuses it and the store answers 413', async () => {
    const batch = Array.from({ length: 1001 }, (_, index) => ({ sku: 'TSHIRT-BLK-M', currency: 'USD', price: index }));
    await expect(bc.client().priceLists.upsertRecords(wholesale, batch)).rejects.toBeInstanceOf(BigCommerceInputError);
    expect((await rawUpsert(batch)).status).toBe(413);
    expect((await rawUpsert(batch.slice(0, 1000))).status).toBe(200);
  });

  it('when the price list does not exist then reads and writes are 404', async () => {
    const response = await fetch(`${bc.sandbox.url}/stores/demostore/v3/pricelists/99/records`, {
      headers: { 'X-Auth-Token': 'demo-bc-token' },
    });
    expect(response.status).toBe(404);
  });
});
