import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parkForAttention } from '../../../store/attention.js';
import { recordLedgerEntry } from '../../../store/ledger.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

describe('admin API: mapping tables, ledger and attention queue', () => {
  let api: AdminApiUnderTest;
  beforeAll(async () => {
    api = await startAdminApi();
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'maps', name: 'Maps', connection: bigCommerceConnection } })).status,
    ).toBe(201);
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'other', name: 'Other', connection: bigCommerceConnection } })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  const base = '/api/v1/tenants/maps';

  it('when a row is put then it reads back, lists, and deletes; an invalid row is 400 with its field', async () => {
    const put = await api.call('PUT', `${base}/mappings/items/rows/TSHIRT-BLK-M`, { body: { intacctItemId: 'TS-BLK-M' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ key: 'TSHIRT-BLK-M', row: { storefrontSku: 'TSHIRT-BLK-M', intacctItemId: 'TS-BLK-M' } });
    expect((await api.call('GET', `${base}/mappings/items/rows/TSHIRT-BLK-M`)).body.row.intacctItemId).toBe('TS-BLK-M');

    const invalid = await api.call('PUT', `${base}/mappings/paymentMethods/rows/Credit%20Card`, { body: {} });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toContainEqual({ path: 'glAccountNo', message: expect.any(String) });

    expect((await api.call('DELETE', `${base}/mappings/items/rows/TSHIRT-BLK-M`)).status).toBe(204);
    expect((await api.call('GET', `${base}/mappings/items/rows/TSHIRT-BLK-M`)).status).toBe(404);
    expect((await api.call('DELETE', `${base}/mappings/items/rows/TSHIRT-BLK-M`)).status).toBe(404);
    expect((await api.call('GET', `${base}/mappings/nonsense`)).status).toBe(400);
  });

  it('when a CSV has bad rows then it is rejected with row-level errors and nothing is imported; a good one imports and exports back', async () => {
    const bad = 'storefrontSku,intacctItemId\nMUG-WHT-11OZ,MUG-11\n,NO-SKU\nMUG-WHT-11OZ,DUPLICATE\n';
    const rejected = await api.call('POST', `${base}/mappings/items/import`, { rawBody: bad, contentType: 'text/csv' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.code).toBe('csv_rejected');
    expect(rejected.body.error.details.map((error: { line: number }) => error.line)).toEqual([3, 4]);
    expect((await api.call('GET', `${base}/mappings/items`)).body.rows).toEqual([]);

    const good = 'storefrontSku,intacctItemId,unit,warehouseId\nMUG-WHT-11OZ,MUG-11,Each,\nCAP-RED,CAP-RED-01,,WH-EAST\n';
    const imported = await api.call('POST', `${base}/mappings/items/import`, { rawBody: good, contentType: 'text/csv' });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ imported: 2, created: 2, updated: 0 });
    const reimported = await api.call('POST', `${base}/mappings/items/import`, { rawBody: good, contentType: 'text/csv' });
    expect(reimported.body).toEqual({ imported: 2, created: 0, updated: 2 });

    const exported = await api.call('GET', `${base}/mappings/items/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const roundTrip = await api.call('POST', `${base}/mappings/items/import`, { rawBody: exported.text, contentType: 'text/csv' });
    expect(roundTrip.body).toEqual({ imported: 2, created: 0, updated: 2 });

    expect((await api.call('GET', '/api/v1/tenants/other/mappings/items')).body.rows).toEqual([]);
    expect((await api.call('POST', `${base}/mappings/items/import`, { rawBody: good, contentType: 'text/plain' })).status).toBe(415);
  });

  it('when rows span pages then the cursor walks them all once', async () => {
    const csv = [
      'paymentMethod,glAccountNo,undepositedFunds,bankAccountId',
      ...Array.from({ length: 7 }, (_, i) => `method-${i},1200,,`),
    ].join('\n');
    expect((await api.call('POST', `${base}/mappings/paymentMethods/import`, { rawBody: csv, contentType: 'text/csv' })).status).toBe(200);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call('GET', `${base}/mappings/paymentMethods?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.rows.map((row: { key: string }) => row.key));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `method-${i}`));
  });

  it('lists the ledger and the attention queue with filters, and resolves an attention item', async () => {
    const db = api.database.db;
    await recordLedgerEntry(
      db,
      { tenantId: 'maps', entity: 'order', externalId: '100' },
      { state: 'synced', intacctDocumentId: 'SO-0001', countAttempt: true },
    );
    await recordLedgerEntry(db, { tenantId: 'maps', entity: 'order', externalId: '101' }, { state: 'parked', countAttempt: true });
    await recordLedgerEntry(db, { tenantId: 'other', entity: 'order', externalId: '100' }, { state: 'synced' });
    await parkForAttention(db, {
      tenantId: 'maps',
      entity: 'order',
      externalId: '101',
      code: 'unknown_sku',
      reason: 'SKU NOPE-1 is not mapped',
      fix: 'map the SKU, then retry',
    });

    const synced = await api.call('GET', `${base}/ledger?state=synced`);
    expect(synced.body.entries).toEqual([
      expect.objectContaining({ externalId: '100', state: 'synced', intacctDocumentId: 'SO-0001', attempts: 1 }),
    ]);
    expect((await api.call('GET', `${base}/ledger`)).body.entries).toHaveLength(2);
    expect((await api.call('GET', `${base}/ledger?state=bogus`)).status).toBe(400);

    const open = await api.call('GET', `${base}/attention`);
    expect(open.body.items).toEqual([
      expect.objectContaining({ externalId: '101', code: 'unknown_sku', fix: 'map the SKU, then retry', state: 'open' }),
    ]);
    expect((await api.call('POST', `${base}/attention/order/101/resolve`)).status).toBe(200);
    expect((await api.call('GET', `${base}/attention`)).body.items).toEqual([]);
    expect((await api.call('GET', `${base}/attention?state=resolved`)).body.items).toHaveLength(1);
    expect((await api.call('POST', `${base}/attention/order/101/resolve`)).status).toBe(404);
  });
});
