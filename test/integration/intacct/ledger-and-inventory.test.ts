import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  create,
  createInventoryAdjustment,
  createJournalEntry,
  listDimensionValues,
  listPaymentTerms,
  listWarehouseStock,
  listWarehouses,
  query,
  queryWarehouseStock,
  queryItems,
  readItems,
  type IntacctClient,
  type WarehouseStock,
} from '../../../connectors/intacct/index.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

const catalogueSize = 6000;

describe('Intacct client against the sandbox: items, inventory, ledger and reference data', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness({ seed: { extraItems: catalogueSize } });
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when stock is listed, then readByQuery pages of 1000 and readMore cover every item and warehouse once, one transaction per page', async () => {
    const tenantId = uniqueId('tenant');
    const pager = sandbox.client({ tenantId });
    const pages: WarehouseStock[][] = [];
    for await (const page of listWarehouseStock(pager, { warehouseIds: ['WH01', 'WH02'] })) pages.push(page);
    const rows = pages.flat();
    const expected = (await sandbox.records('ITEMWAREHOUSEINFO')).length;
    expect(expected).toBeGreaterThan(catalogueSize);
    expect(pages.map((page) => page.length)).toEqual([...Array.from({ length: Math.floor(expected / 1000) }, () => 1000), expected % 1000]);
    expect(new Set(rows.map((row) => `${row.itemId}@${row.warehouseId}`)).size).toBe(expected);
    expect(rows.find((row) => row.itemId === '00123' && row.warehouseId === 'WH02')).toEqual({
      itemId: '00123',
      warehouseId: 'WH02',
      onHand: '250',
      onOrder: '0',
      onHold: '0',
    });
    expect(sandbox.counter.byFunction(tenantId)).toEqual({ getAPISession: 1, readByQuery: 1, readMore: pages.length - 1 });
  });

  it('when stock is read with query, then offset pages of up to 2000 cover the same rows in RECORDNO order, one transaction per page', async () => {
    const tenantId = uniqueId('tenant');
    const pager = sandbox.client({ tenantId });
    const pages: WarehouseStock[][] = [];
    for await (const page of queryWarehouseStock(pager, { pageSize: 2000 })) pages.push(page);
    const expected = (await sandbox.records('ITEMWAREHOUSEINFO')).length;
    expect(pages.map((page) => page.length)).toEqual([...Array.from({ length: Math.floor(expected / 2000) }, () => 2000), expected % 2000]);
    expect(new Set(pages.flat().map((row) => `${row.itemId}@${row.warehouseId}`)).size).toBe(expected);
    expect(sandbox.counter.byFunction(tenantId)).toEqual({ getAPISession: 1, query: pages.length });
  });

  it('when query filters with display values and caseinsensitive, then it matches what readByQuery would need stored codes for', async () => {
    const [result] = await client.execute([
      {
        controlId: uniqueId('q'),
        body: query({
          object: 'CUSTOMER',
          select: ['CUSTOMERID'],
          filter: {
            and: [
              { field: 'STATUS', operator: 'equalto', value: 'active' },
              { field: 'NAME', operator: 'like', value: "erin's%" },
            ],
          },
          caseInsensitive: true,
        }),
      },
    ]);
    expect(result!.data!.records).toEqual([{ CUSTOMERID: 'C-1002' }]);
    expect(result!.data!.listtype).toBe('CUSTOMER');
    const [caseSensitive] = await client.execute([
      {
        controlId: uniqueId('q'),
        body: query({ object: 'CUSTOMER', select: ['CUSTOMERID'], filter: { field: 'NAME', operator: 'like', value: "erin's%" } }),
      },
    ]);
    expect(caseSensitive!.data!.records).toEqual([]);
    const refused = await failure(
      client.executeOne({ controlId: uniqueId('q'), body: query({ object: 'CUSTOMER', select: ['NOTAFIELD'] }) }),
    );
    expect(refused).toBeInstanceOf(IntacctInputError);
    expect(refused.vendorCode).toBe('Invalid fields list NOTAFIELD');
  });

  it('when a tenant names its quantity fields differently, then the client reads them by configuration and the defaults fail loudly', async () => {
    const renamed = await startHarness({ seed: { warehouseQuantityFields: { onHand: 'ONHAND', onOrder: 'ONORDER', onHold: 'ONHOLD' } } });
    try {
      const renamedClient = renamed.client();
      const rows: WarehouseStock[] = [];
      for await (const page of listWarehouseStock(renamedClient, {
        warehouseIds: ['WH02'],
        fields: { onHand: 'ONHAND', onOrder: 'ONORDER', onHold: 'ONHOLD' },
      }))
        rows.push(...page);
      expect(rows.find((row) => row.itemId === 'WIDGET-1')).toEqual({
        itemId: 'WIDGET-1',
        warehouseId: 'WH02',
        onHand: '40',
        onOrder: '0',
        onHold: '0',
      });
      const error = await failure(listWarehouseStock(renamedClient).next());
      expect(error).toBeInstanceOf(IntacctInputError);
      expect(error.vendorCode).toBe('Invalid fields list QONHAND,QONORDER,QONHOLD');
    } finally {
      await renamed.close();
    }
  });

  it('when a readMore comes after its resultId expired, then it fails with an input error', async () => {
    const pages = listWarehouseStock(client, { pageSize: 1000 });
    await pages.next();
    await fetch(`${sandbox.url}/__control/result-ids/expire`, { method: 'POST' });
    const error = await failure(pages.next());
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error.functionName).toBe('readMore');
  });

  it('when items are read and queried, then ids keep their leading zeros and prices their text', async () => {
    const items = await readItems(client, ['00123', 'WIDGET-1', 'NOT-THERE']);
    expect(items.map((item) => [item.itemId, item.basePrice, item.itemType])).toEqual([
      ['00123', '1.10', 'Inventory'],
      ['WIDGET-1', '19.99', 'Inventory'],
    ]);
    const nonInventory: string[] = [];
    for await (const page of queryItems(client, "ITEMTYPE LIKE 'Non-Inventory%' AND STATUS = 'T'"))
      nonInventory.push(...page.map((item) => item.itemId));
    // The order-charge items (shipping, discount, tax, its rounding, gift wrap, handling) plus the storefront sandboxes' gift card and (untracked) sticker pack.
    expect(nonInventory.sort()).toEqual([
      'DISCOUNT',
      'GIFT-WRAP',
      'GIFTCARD-50',
      'HANDLING',
      'SALES-TAX',
      'SHIPPING',
      'STICKER-PACK-5',
      'TAX-ROUNDING',
    ]);
  });

  it('when stock is adjusted, then on-hand moves, a replay resolves to the same document, and going below zero fails', async () => {
    const reference = uniqueId('COUNT');
    const onHand = async (): Promise<string> =>
      (await sandbox.records('ITEMWAREHOUSEINFO')).find((row) => row.ITEMID === 'GADGET-1' && row.WAREHOUSEID === 'WH01')!.QONHAND!;
    const before = Number(await onHand());
    const adjustment = {
      transactionDefinition: 'Adjustment Increase',
      date: '2026-01-15',
      referenceNumber: reference,
      lines: [{ itemId: 'GADGET-1', warehouseId: 'WH01', quantity: '5', cost: '21' }],
    };
    const first = await createInventoryAdjustment(client, adjustment, `ic:${reference}`);
    expect(first.documentId).toMatch(/^Adjustment Increase-ADJI-\d{4}$/);
    expect(await createInventoryAdjustment(client, adjustment, `ic:${reference}`)).toEqual({
      documentId: first.documentId,
      created: false,
    });
    expect(Number(await onHand())).toBe(before + 5);
    const tooMany = await failure(
      createInventoryAdjustment(
        client,
        {
          ...adjustment,
          transactionDefinition: 'Adjustment Decrease',
          referenceNumber: uniqueId('COUNT'),
          lines: [{ itemId: 'GADGET-1', warehouseId: 'WH01', quantity: String(before + 6) }],
        },
        uniqueId('ic'),
      ),
    );
    expect(tooMany).toBeInstanceOf(IntacctInputError);
    expect(tooMany.description2).toContain('Not enough stock');
    expect(Number(await onHand())).toBe(before + 5);
  });

  it('when a journal entry balances, then it posts once; unknown accounts and dimensions, and unbalanced entries sent raw, fail as input errors', async () => {
    const reference = uniqueId('JE');
    const entry = {
      journal: 'GJ',
      date: '2026-01-31',
      title: 'Card fees January',
      referenceNumber: reference,
      lines: [
        { accountNumber: '6100', direction: 'debit' as const, amount: '12.34', departmentId: 'ECOM', locationId: '100' },
        { accountNumber: '1050', direction: 'credit' as const, amount: '12.34' },
      ],
    };
    const posted = await createJournalEntry(client, entry, `je:${reference}`);
    expect(posted.batchKey).toMatch(/^\d+$/);
    expect(await createJournalEntry(client, entry, `je:${reference}`)).toEqual({ batchKey: posted.batchKey, created: false });
    const badDepartment = await failure(
      createJournalEntry(
        client,
        { ...entry, referenceNumber: uniqueId('JE'), lines: [{ ...entry.lines[0]!, departmentId: 'NOPE' }, entry.lines[1]!] },
        uniqueId('je'),
      ),
    );
    expect(badDepartment.description2).toBe("Invalid Department 'NOPE' specified.");
    const unbalanced = create([
      {
        object: 'GLBATCH',
        fields: [
          ['JOURNAL', 'GJ'],
          ['BATCH_DATE', '01/31/2026'],
          ['BATCH_TITLE', 'raw'],
          [
            'ENTRIES',
            [
              [
                'GLENTRY',
                [
                  ['ACCOUNTNO', '6100'],
                  ['TR_TYPE', '1'],
                  ['AMOUNT', '10'],
                ],
              ],
              [
                'GLENTRY',
                [
                  ['ACCOUNTNO', '1050'],
                  ['TR_TYPE', '-1'],
                  ['AMOUNT', '9.99'],
                ],
              ],
            ],
          ],
        ],
      },
    ]);
    const error = await failure(client.executeOne({ controlId: uniqueId('je'), body: unbalanced }));
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error.description2).toContain('not balanced');
  });

  it('when reference data is listed, then warehouses, terms and dimension values come back', async () => {
    expect((await listWarehouses(client)).map((warehouse) => warehouse.id)).toEqual(['WH01', 'WH02']);
    expect((await listPaymentTerms(client)).map((term) => term.id)).toEqual(['Net 30', 'Net 15', 'Due on Receipt']);
    expect((await listDimensionValues(client, 'DEPARTMENT')).map((value) => [value.id, value.name])).toEqual([
      ['SALES', 'Sales'],
      ['OPS', 'Operations'],
      ['ECOM', 'E-commerce'],
    ]);
    expect((await listDimensionValues(client, 'LOCATION')).map((value) => value.id)).toEqual(['100', '200']);
    expect((await listDimensionValues(client, 'CLASS')).map((value) => value.id)).toEqual(['RETAIL', 'WHOLESALE']);
  });
});
