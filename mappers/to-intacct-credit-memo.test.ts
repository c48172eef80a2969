import { describe, expect, it } from 'vitest';
import type { CanonicalRefund } from './canonical-refund.js';
import {
  CreditMemoMappingError,
  toIntacctCreditMemo,
  toIntacctStockOffset,
  type CreditMemoMappingInput,
} from './to-intacct-credit-memo.js';
import { parseTenantSettings } from '../store/schemas/settings.js';

const parsed = parseTenantSettings({
  connection: {
    storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: 'http://127.0.0.1:1' },
    intacct: { companyId: 'DEMO-CO', endpointUrl: 'http://127.0.0.1:2/ia/xml/xmlgw.phtml' },
  },
  orderSync: { triggerStatuses: ['11'], defaultWarehouseId: 'WH01' },
  returns: { enabled: true },
  timezone: 'UTC',
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const settings = parsed.settings;

const refund: CanonicalRefund = {
  storefront: 'bigcommerce',
  refundId: '7',
  orderId: '100',
  createdAt: '2026-03-05T12:00:00.000Z',
  currency: 'USD',
  lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 2, amount: 4800 }],
  shipping: 0,
  handling: 0,
  orderLevel: 0,
  tax: 396,
  total: 5196,
};

const base: CreditMemoMappingInput = {
  refund,
  credited: { documentId: 'Sales Invoice-INV-0001', customerId: 'C-1001' },
  settings,
  items: new Map([
    ['1', { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01' }],
    ['2', { itemId: 'MUG-CER-12OZ' }],
  ]),
  adjustmentItems: [
    { kind: 'shipping', intacctItemId: 'SHIPPING' },
    { kind: 'tax', intacctItemId: 'SALES-TAX' },
  ],
};

const withRefund = (changes: Partial<CanonicalRefund>): CreditMemoMappingInput => ({ ...base, refund: { ...refund, ...changes } });
const withReturns = (changes: Partial<typeof settings.returns>, input = base): CreditMemoMappingInput => ({
  ...input,
  settings: { ...settings, returns: { ...settings.returns, ...changes } },
});
const lineSum = (lines: ReadonlyArray<{ quantity: string; price?: string }>) =>
  lines.reduce((sum, line) => sum + Math.round(Number(line.quantity) * Number(line.price) * 100), 0);

describe('toIntacctCreditMemo', () => {
  it('when a product line is refunded with tax, then the credit memo has the item line and a tax line on the credited customer, referenced by the refund id', () => {
    const { document, unrestocked } = toIntacctCreditMemo(base);
    expect(document).toEqual({
      transactionDefinition: 'Sales Credit Memo',
      date: '2026-03-05',
      customerId: 'C-1001',
      referenceNumber: '7',
      message: 'Refund 7 of storefront order 100; credits Sales Invoice-INV-0001',
      lines: [
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '24.00', memo: 'refund 7' },
        { itemId: 'SALES-TAX', quantity: '1', price: '3.96', memo: 'tax refund 7' },
      ],
    });
    expect(unrestocked).toEqual([{ itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: 2 }]);
  });

  it.each([
    [
      'full refund with shipping',
      {
        lines: [
          { lineId: '1', sku: 'A', quantity: 2, amount: 4800 },
          { lineId: '2', sku: 'B', quantity: 1, amount: 1450 },
        ],
        shipping: 800,
        tax: 0,
        total: 7050,
      },
      7050,
    ],
    ['shipping only', { lines: [], shipping: 800, tax: 0, total: 800 }, 800],
    [
      'amount not divisible by quantity (split line)',
      { lines: [{ lineId: '1', sku: 'A', quantity: 3, amount: 1000 }], tax: 0, total: 1000 },
      1000,
    ],
    [
      'order-level amount spread by largest remainder',
      {
        lines: [
          { lineId: '1', sku: 'A', quantity: 1, amount: 1000 },
          { lineId: '2', sku: 'B', quantity: 1, amount: 2000 },
        ],
        orderLevel: 100,
        tax: 0,
        total: 3100,
      },
      3100,
    ],
  ] satisfies Array<[string, Partial<CanonicalRefund>, number]>)(
    'when %s, then the lines sum to the refund total to the cent',
    (_name, changes, expected) => {
      const { document } = toIntacctCreditMemo(withRefund(changes));
      expect(lineSum(document.lines)).toBe(expected);
    },
  );

  it.each([
    ['restock off', {}, undefined, 'WH01', 1],
    ['restock on, storefront silent', { restock: true }, undefined, 'WH01', 0],
    ['restock on to a chosen warehouse', { restock: true, restockWarehouseId: 'WH02' }, undefined, 'WH02', 0],
    ['restock on, goods did not come back', { restock: true, restockWarehouseId: 'WH02' }, false, 'WH01', 1],
    ['restock on, goods came back', { restock: true }, true, 'WH01', 0],
  ] as const)(
    'when %s, then the line goes to the right warehouse and unrestocked lists what stays out',
    (_name, returns, lineRestock, warehouse, unrestockedCount) => {
      const input = withReturns(
        returns,
        withRefund({
          lines: [{ lineId: '1', sku: 'A', quantity: 2, amount: 4800, ...(lineRestock !== undefined && { restock: lineRestock }) }],
        }),
      );
      const { document, unrestocked } = toIntacctCreditMemo(input);
      expect(document.lines[0]!.warehouseId).toBe(warehouse);
      expect(unrestocked).toHaveLength(unrestockedCount);
    },
  );

  it('when shippingRefundItemId is set, then the shipping refund uses it instead of the shipping adjustment item', () => {
    const { document } = toIntacctCreditMemo(
      withReturns({ shippingRefundItemId: 'SHIP-REFUND' }, withRefund({ lines: [], shipping: 800, tax: 0, total: 800 })),
    );
    expect(document.lines).toEqual([{ itemId: 'SHIP-REFUND', quantity: '1', price: '8.00', memo: 'shipping refund 7' }]);
  });

  it('when Intacct calculates tax, then no tax line is written and the lines are the pre-tax amount', () => {
    const input = {
      ...base,
      settings: {
        ...settings,
        orderSync: { ...settings.orderSync, adjustments: { ...settings.orderSync.adjustments, tax: 'intacctCalculates' as const } },
      },
    };
    expect(toIntacctCreditMemo(input).document.lines).toHaveLength(1);
  });

  it('when the refund is in another currency than the base, then the currency block is written', () => {
    expect(toIntacctCreditMemo(withRefund({ currency: 'EUR' })).document.currency).toEqual({
      baseCurrency: 'USD',
      currency: 'EUR',
      exchangeRateType: settings.orderSync.currency.exchangeRateType,
    });
  });

  it.each([
    [
      'a line without an item',
      { lines: [{ lineId: '9', sku: 'X', quantity: 1, amount: 100 }], tax: 0, total: 100 },
      [],
      /line 9 \(SKU X\) has no Intacct item/,
    ],
    [
      'shipping without an item',
      { lines: [], shipping: 800, tax: 0, total: 800 },
      [{ kind: 'tax', intacctItemId: 'SALES-TAX' }],
      /shipping refund of 8.00 needs an item/,
    ],
    ['tax without an item', {}, [{ kind: 'shipping', intacctItemId: 'SHIPPING' }], /tax refund of 3.96 needs an item/],
    ['an order-level amount without products', { lines: [], orderLevel: 500, tax: 0, total: 500 }, undefined, /order-level refund of 5.00/],
    ['parts that do not sum to the total', { total: 5197 }, undefined, /lines come to 51.96, not the refund's 51.97/],
    ['nothing to credit', { lines: [], tax: 0, total: 0 }, undefined, /credits nothing/],
  ] satisfies Array<[string, Partial<CanonicalRefund>, CreditMemoMappingInput['adjustmentItems'] | undefined, RegExp]>)(
    'when %s, then a CreditMemoMappingError names it',
    (_name, changes, adjustmentItems, message) => {
      const input = { ...withRefund(changes), ...(adjustmentItems !== undefined && { adjustmentItems }) };
      expect(() => toIntacctCreditMemo(input)).toThrow(CreditMemoMappingError);
      expect(() => toIntacctCreditMemo(input)).toThrow(message);
    },
  );
});

describe('toIntacctStockOffset', () => {
  const offsetInput = {
    refund: { refundId: '7', orderId: '100', createdAt: '2026-03-05T12:00:00.000Z' },
    creditMemoId: 'Sales Credit Memo-CM-0001',
    settings,
  };

  it.each([
    ['nothing left out', [], ['A'], undefined],
    ['only non-inventory items left out', [{ itemId: 'GIFT', warehouseId: 'WH01', quantity: 1 }], ['A'], undefined],
    [
      'a stocked item left out twice in one warehouse and once in another',
      [
        { itemId: 'A', warehouseId: 'WH01', quantity: 1 },
        { itemId: 'A', warehouseId: 'WH01', quantity: 2 },
        { itemId: 'A', warehouseId: 'WH02', quantity: 1 },
        { itemId: 'GIFT', warehouseId: 'WH01', quantity: 1 },
      ],
      ['A'],
      [
        { itemId: 'A', warehouseId: 'WH01', quantity: '3' },
        { itemId: 'A', warehouseId: 'WH02', quantity: '1' },
      ],
    ],
  ] as Array<[string, Array<{ itemId: string; warehouseId: string; quantity: number }>, string[], unknown]>)(
    'when %s, then the offset lines are as expected',
    (_name, unrestocked, stocked, lines) => {
      const offset = toIntacctStockOffset({ ...offsetInput, unrestocked, stockedItemIds: new Set(stocked) });
      if (lines === undefined) expect(offset).toBeUndefined();
      else
        expect(offset).toEqual({
          transactionDefinition: 'Adjustment Decrease',
          date: '2026-03-05',
          referenceNumber: '7',
          message: 'Refund 7 of storefront order 100: not restocked (Sales Credit Memo-CM-0001)',
          lines,
        });
    },
  );
});
