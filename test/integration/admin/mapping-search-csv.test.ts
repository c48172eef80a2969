import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

describe('admin API: searching mapping tables and their CSV files', () => {
  let api: AdminApiUnderTest;
  const base = '/api/v1/tenants/search/mappings';
  beforeAll(async () => {
    api = await startAdminApi();
    for (const id of ['search', 'neighbour']) {
      expect((await api.call('POST', '/api/v1/tenants', { body: { id, name: id, connection: bigCommerceConnection } })).status).toBe(201);
    }
    const items = [
      'storefrontSku,intacctItemId,unit,warehouseId',
      'MUG-WHT-11OZ,MUG-11,Each,',
      'MUG-BLK-15OZ,MUG-15,Each,WH-EAST',
      'CAP-RED,CAP-RED-01,,WH-EAST',
      'TEE.(S),TEE-S,,',
      'TEEXS,TEE-XS,,',
    ].join('\n');
    expect((await api.call('POST', `${base}/items/import`, { rawBody: items, contentType: 'text/csv' })).status).toBe(200);
    const neighbour = 'storefrontSku,intacctItemId\nMUG-NEIGHBOUR,MUG-N\n';
    const imported = await api.call('POST', '/api/v1/tenants/neighbour/mappings/items/import', {
      rawBody: neighbour,
      contentType: 'text/csv',
    });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  const keysOf = async (query: string) => {
    const response = await api.call('GET', `${base}/items?${query}`);
    expect(response.status).toBe(200);
    return (response.body.rows as Array<{ key: string }>).map((row) => row.key).sort();
  };

  it.each([
    ['a part of the key, in any case', 'q=mug', ['MUG-BLK-15OZ', 'MUG-WHT-11OZ']],
    ['a value of another column', 'q=wh-east', ['CAP-RED', 'MUG-BLK-15OZ']],
    ['the Intacct item id', 'q=TEE-X', ['TEEXS']],
    ['characters a pattern would read as wildcards', `q=${encodeURIComponent('TEE.(S)')}`, ['TEE.(S)']],
    ['text no row holds', 'q=nothing-like-this', []],
    ['only spaces (no search)', 'q=%20%20', ['CAP-RED', 'MUG-BLK-15OZ', 'MUG-WHT-11OZ', 'TEE.(S)', 'TEEXS']],
  ])('when searching for %s then exactly the matching rows of this tenant come back', async (_, query, keys) => {
    expect(await keysOf(query)).toEqual(keys);
  });

  it('when search results span pages then the cursor walks them once, still filtered', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call('GET', `${base}/items?q=e&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.rows.map((row: { key: string }) => row.key));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['CAP-RED', 'MUG-BLK-15OZ', 'MUG-WHT-11OZ', 'TEE.(S)', 'TEEXS']);
  });

  it('when a file has several bad rows then each is listed by line, column and reason and nothing is imported', async () => {
    const csv = [
      'paymentMethod,glAccountNo,undepositedFunds,bankAccountId',
      'Credit Card,1200,,',
      'PayPal,,maybe,',
      ',1300,,',
      'Cash,,true,BOA',
      'Credit Card,1400,,',
    ].join('\r\n');
    const response = await api.call('POST', `${base}/paymentMethods/import`, { rawBody: csv, contentType: 'text/csv' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('csv_rejected');
    expect(response.body.error.details).toEqual([
      { line: 3, column: 'undepositedFunds', message: 'undepositedFunds must be true or false, not "maybe"' },
      { line: 4, column: 'paymentMethod', message: 'paymentMethod is required' },
      { line: 5, column: 'bankAccountId', message: 'a payment goes to undeposited funds or to a bank account, not both' },
      { line: 6, column: 'paymentMethod', message: 'duplicate paymentMethod "Credit Card", first given on line 2' },
    ]);
    expect((await api.call('GET', `${base}/paymentMethods`)).body.rows).toEqual([]);
  });

  it('when a value looks like a formula then the export quotes it and the import reads it back unchanged', async () => {
    const put = await api.call('PUT', `${base}/items/rows/${encodeURIComponent('=HYPERLINK("x")')}`, { body: { intacctItemId: '+SUM' } });
    expect(put.status).toBe(200);
    const exported = await api.call('GET', `${base}/items/export`);
    expect(exported.text).toContain(`"'=HYPERLINK(""x"")",'+SUM`);
    const reimported = await api.call('POST', `${base}/items/import`, { rawBody: exported.text, contentType: 'text/csv' });
    expect(reimported.body).toEqual({ imported: 6, created: 0, updated: 6 });
    expect((await api.call('GET', `${base}/items/rows/${encodeURIComponent('=HYPERLINK("x")')}`)).body.row.intacctItemId).toBe('+SUM');
  });
});
