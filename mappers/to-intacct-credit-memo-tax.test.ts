import { describe, expect, it } from 'vitest';
import type { SalesDocumentLine } from '../connectors/intacct/functions/create-sotransaction.js';
import type { TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import { defaultTenantSettings, parseTenantSettings, type TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder, CanonicalOrderLine } from './canonical-order.js';
import type { CanonicalRefund } from './canonical-refund.js';
import { refundedOrderTax } from './refund-tax.js';
import { CreditMemoMappingError, toIntacctCreditMemo, type CreditMemoMappingInput } from './to-intacct-credit-memo.js';

const baseSettings = defaultTenantSettings({
  storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
  intacct: { companyId: 'DEMO-CO' },
});

function settingsWith(tax: 'perLine' | 'perJurisdiction', extra: Record<string, unknown> = {}): TenantSettings {
  const parsed = parseTenantSettings({
    ...baseSettings,
    orderSync: {
      ...baseSettings.orderSync,
      adjustments: { ...baseSettings.orderSync.adjustments, tax },
      tax: { solutionId: 'France - VAT', ...extra },
    },
    returns: { ...baseSettings.returns, enabled: true },
    timezone: 'UTC',
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

const orderLine = (lineId: string, quantity: number, unitPrice: number, tax: number, extra: Partial<CanonicalOrderLine> = {}) =>
  ({
    lineId,
    sku: `SKU-${lineId}`,
    name: lineId,
    quantity,
    unitPrice,
    lineTotal: unitPrice * quantity,
    lineDiscount: 0,
    tax,
    ...extra,
  }) satisfies CanonicalOrderLine;

/** A French order: a book at 5.5 % VAT (3 units), a lamp at 20 % (2 units), shipping taxed at 20 %. */
const vatOrder: Pick<CanonicalOrder, 'lines' | 'shipping' | 'handling' | 'chargeTaxes'> = {
  lines: [
    orderLine('book', 3, 1000, 165, { taxes: [{ name: 'TVA 5.5%', ratePercent: '5.5', amount: 165 }] }),
    orderLine('lamp', 2, 4999, 2000, { taxes: [{ name: 'TVA 20%', ratePercent: '20', amount: 2000 }] }),
  ],
  shipping: 900,
  handling: 0,
  chargeTaxes: [{ appliesTo: 'shipping', name: 'TVA 20%', ratePercent: '20', amount: 180 }],
};

const taxRates: TaxRateMappingRow[] = [
  { storefrontTax: 'TVA 5.5%', intacctTaxDetailId: 'FR Sale Goods Reduced Rate 5.5', intacctItemId: 'TVA-55' },
  { storefrontTax: 'TVA 20%', intacctTaxDetailId: 'FR Sale Goods Standard Rate', intacctItemId: 'TVA-20' },
];

const refundOf = (changes: Partial<CanonicalRefund>): CanonicalRefund => ({
  storefront: 'bigcommerce',
  refundId: '31',
  orderId: '900',
  createdAt: '2026-03-05T12:00:00.000Z',
  currency: 'EUR',
  lines: [],
  shipping: 0,
  handling: 0,
  orderLevel: 0,
  tax: 0,
  total: 0,
  ...changes,
});

function inputFor(
  refund: CanonicalRefund,
  mode: 'perLine' | 'perJurisdiction' = 'perLine',
  changes: Partial<CreditMemoMappingInput> = {},
): CreditMemoMappingInput {
  return {
    refund,
    credited: { documentId: 'Sales Invoice-INV-0009', customerId: 'C-FR' },
    settings: settingsWith(mode),
    items: new Map([
      ['book', { itemId: 'BOOK' }],
      ['lamp', { itemId: 'LAMP' }],
    ]),
    adjustmentItems: [
      { kind: 'shipping', intacctItemId: 'SHIPPING' },
      { kind: 'taxRounding', intacctItemId: 'TAX-ROUNDING' },
    ],
    taxRates,
    orderTax: refundedOrderTax(vatOrder, refund),
    ...changes,
  };
}

/** Lines and tax entries in minor units: the credit memo's total. */
const memoTotal = (lines: readonly SalesDocumentLine[]) =>
  lines.reduce(
    (sum, line) =>
      sum +
      Math.round(Number(line.quantity) * Number(line.price) * 100) +
      (line.taxEntries ?? []).reduce((tax, entry) => tax + Math.round(Number(entry.amount) * 100), 0),
    0,
  );
const taxOf = (lines: readonly SalesDocumentLine[]) =>
  lines.reduce((sum, line) => sum + (line.taxEntries ?? []).reduce((tax, entry) => tax + Math.round(Number(entry.amount) * 100), 0), 0);

describe('toIntacctCreditMemo with tax posted per line', () => {
  it('when one of two taxed lines is partly refunded, then its line carries its share of the sale tax detail under the tax solution', () => {
    const refund = refundOf({ lines: [{ lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999 }], tax: 1000, total: 5999 });
    const { document } = toIntacctCreditMemo(inputFor(refund));
    expect(document.taxSolutionId).toBe('France - VAT');
    expect(document.lines).toEqual([
      {
        itemId: 'LAMP',
        quantity: '1',
        price: '49.99',
        memo: 'refund 31',
        taxEntries: [{ detailId: 'FR Sale Goods Standard Rate', amount: '10.00' }],
      },
    ]);
    expect(memoTotal(document.lines)).toBe(5999);
  });

  it('when the two rates (5.5 % and 20 %) and taxed shipping are refunded, then each line and the shipping line reverse their own rate', () => {
    const refund = refundOf({
      lines: [
        { lineId: 'book', sku: 'SKU-book', quantity: 2, amount: 2000 },
        { lineId: 'lamp', sku: 'SKU-lamp', quantity: 2, amount: 9998 },
      ],
      shipping: 900,
      tax: 110 + 2000 + 180,
      total: 2000 + 9998 + 900 + 2290,
    });
    const { document } = toIntacctCreditMemo(inputFor(refund));
    expect(document.lines.map((line) => [line.itemId, line.taxEntries])).toEqual([
      ['BOOK', [{ detailId: 'FR Sale Goods Reduced Rate 5.5', amount: '1.10' }]],
      ['LAMP', [{ detailId: 'FR Sale Goods Standard Rate', amount: '20.00' }]],
      ['SHIPPING', [{ detailId: 'FR Sale Goods Standard Rate', amount: '1.80' }]],
    ]);
    expect(taxOf(document.lines)).toBe(refund.tax);
    expect(memoTotal(document.lines)).toBe(refund.total);
  });

  it('when the storefront states each refunded line tax, then those are posted as they are, not allocated', () => {
    const refund = refundOf({
      lines: [
        { lineId: 'book', sku: 'SKU-book', quantity: 1, amount: 1000, tax: 56 },
        { lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999, tax: 999 },
      ],
      tax: 1055,
      total: 7054,
    });
    const { document } = toIntacctCreditMemo(inputFor(refund));
    expect(document.lines.map((line) => line.taxEntries?.[0]?.amount)).toEqual(['0.56', '9.99']);
    expect(memoTotal(document.lines)).toBe(7054);
  });

  it('when the refund tax is not stated per line, then it is the sale tax per unit × refunded units of each line', () => {
    const refund = refundOf({
      lines: [
        { lineId: 'book', sku: 'SKU-book', quantity: 1, amount: 1000 },
        { lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999 },
      ],
      tax: 55 + 1000,
      total: 1000 + 4999 + 1055,
    });
    const { document } = toIntacctCreditMemo(inputFor(refund));
    expect(document.lines.map((line) => line.taxEntries?.[0]?.amount)).toEqual(['0.55', '10.00']);
    expect(document.lines).toHaveLength(2);
  });

  it('when the store rounded the refund tax on its total, then the cent left over is a taxRounding line and the memo sums to the refund', () => {
    // One book of three: 1.65 / 3 = 0.55 each; the store refunds 0.56 tax on the book.
    const refund = refundOf({ lines: [{ lineId: 'book', sku: 'SKU-book', quantity: 1, amount: 1000 }], tax: 56, total: 1056 });
    const { document } = toIntacctCreditMemo(inputFor(refund));
    expect(document.lines).toEqual([
      {
        itemId: 'BOOK',
        quantity: '1',
        price: '10.00',
        memo: 'refund 31',
        taxEntries: [{ detailId: 'FR Sale Goods Reduced Rate 5.5', amount: '0.55' }],
      },
      { itemId: 'TAX-ROUNDING', quantity: '1', price: '0.01', memo: 'tax rounding refund 31' },
    ]);
    expect(memoTotal(document.lines)).toBe(1056);
  });

  it('when the whole of a line whose sale left a cent of rounding is refunded, then its entries are the sale’s and the cent goes back through taxRounding', () => {
    const order = { ...vatOrder, lines: [orderLine('book', 3, 1000, 166, { taxes: [{ name: 'TVA 5.5%', amount: 165 }] })] };
    const refund = refundOf({ lines: [{ lineId: 'book', sku: 'SKU-book', quantity: 3, amount: 3000 }], tax: 166, total: 3166 });
    const { document } = toIntacctCreditMemo(inputFor(refund, 'perLine', { orderTax: refundedOrderTax(order, refund) }));
    expect(document.lines.map((line) => [line.itemId, line.price, line.taxEntries?.[0]?.amount])).toEqual([
      ['BOOK', '10.00', '1.65'],
      ['TAX-ROUNDING', '0.01', undefined],
    ]);
  });

  it('when a line is refunded for part of its price with its tax, then the refund tax is allocated over the lines, no residue', () => {
    const refund = refundOf({
      lines: [
        { lineId: 'book', sku: 'SKU-book', quantity: 1, amount: 500 },
        { lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 2500 },
      ],
      tax: 28 + 500,
      total: 3528,
    });
    const { document } = toIntacctCreditMemo(inputFor(refund));
    expect(taxOf(document.lines)).toBe(528);
    expect(document.lines.map((line) => line.itemId)).toEqual(['BOOK', 'LAMP']);
    expect(memoTotal(document.lines)).toBe(3528);
  });

  it('when a refunded tax has no tax detail mapping, then the refund is refused naming the tax', () => {
    const refund = refundOf({ lines: [{ lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999 }], tax: 1000, total: 5999 });
    const input = inputFor(refund, 'perLine', { taxRates: [taxRates[0]!] });
    expect(() => toIntacctCreditMemo(input)).toThrow(CreditMemoMappingError);
    expect(() => toIntacctCreditMemo(input)).toThrow(
      /no Intacct tax detail for TVA 20%: add rows with an intacctTaxDetailId to the taxRates/,
    );
  });

  it('when no tax solution is set, then the refund is refused saying which setting', () => {
    const refund = refundOf({ lines: [{ lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999 }], tax: 1000, total: 5999 });
    const settings = settingsWith('perLine');
    const input = inputFor(refund, 'perLine', {
      settings: { ...settings, orderSync: { ...settings.orderSync, tax: { ...settings.orderSync.tax, solutionId: undefined } } },
    });
    expect(() => toIntacctCreditMemo(input)).toThrow(/orderSync\.tax\.solutionId/);
  });

  it("when the order's line taxes were not given, then the refund is refused rather than posted without tax", () => {
    const refund = refundOf({ lines: [{ lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999 }], tax: 1000, total: 5999 });
    const { orderTax: _omitted, ...input } = inputFor(refund);
    expect(() => toIntacctCreditMemo(input)).toThrow(/reverses the order's line taxes, but they were not given/);
  });

  it('when an unnamed line tax is refunded, then it goes under the default tax detail', () => {
    const order = { ...vatOrder, lines: [orderLine('lamp', 2, 5000, 2000)] };
    const refund = refundOf({ lines: [{ lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 5000 }], tax: 1000, total: 6000 });
    const settings = settingsWith('perLine', { defaultTaxDetailId: 'FR Sale Goods Standard Rate' });
    const { document } = toIntacctCreditMemo(inputFor(refund, 'perLine', { settings, orderTax: refundedOrderTax(order, refund) }));
    expect(document.lines[0]!.taxEntries).toEqual([{ detailId: 'FR Sale Goods Standard Rate', amount: '10.00' }]);
  });
});

describe('refundedOrderTax', () => {
  it('when a refund gives back one line and no shipping, then only that line’s tax travels to the activity', () => {
    const refund = refundOf({ lines: [{ lineId: 'lamp', sku: 'SKU-lamp', quantity: 1, amount: 4999 }], tax: 1000, total: 5999 });
    expect(refundedOrderTax(vatOrder, refund)).toEqual({
      lines: [{ lineId: 'lamp', quantity: 2, tax: 2000, taxes: [{ name: 'TVA 20%', ratePercent: '20', amount: 2000 }] }],
      shipping: 900,
      handling: 0,
    });
  });
});

describe('toIntacctCreditMemo with tax posted per jurisdiction', () => {
  /** A Texas order: state and city tax on each line. */
  const texasOrder = {
    lines: [
      orderLine('a', 2, 2500, 413, {
        taxes: [
          { name: 'Texas State Tax', ratePercent: '6.25', amount: 313 },
          { name: 'Austin City Tax', ratePercent: '2', amount: 100 },
        ],
      }),
      orderLine('b', 1, 1450, 120, {
        taxes: [
          { name: 'Texas State Tax', ratePercent: '6.25', amount: 91 },
          { name: 'Austin City Tax', ratePercent: '2', amount: 29 },
        ],
      }),
    ],
    shipping: 0,
    handling: 0,
  };
  const texasRates: TaxRateMappingRow[] = [
    { storefrontTax: 'Texas State Tax', intacctItemId: 'TX-STATE-TAX' },
    { storefrontTax: 'Austin City Tax', intacctItemId: 'TX-CITY-TAX' },
  ];

  it('when lines of two jurisdictions are refunded, then one tax line per jurisdiction carries its share, and the memo sums to the refund', () => {
    const refund = refundOf({
      currency: 'USD',
      lines: [
        { lineId: 'a', sku: 'SKU-a', quantity: 1, amount: 2500 },
        { lineId: 'b', sku: 'SKU-b', quantity: 1, amount: 1450 },
      ],
      tax: 207 + 120,
      total: 2500 + 1450 + 327,
    });
    const { document } = toIntacctCreditMemo(
      inputFor(refund, 'perJurisdiction', {
        items: new Map([
          ['a', { itemId: 'A' }],
          ['b', { itemId: 'B' }],
        ]),
        taxRates: texasRates,
        orderTax: refundedOrderTax(texasOrder, refund),
      }),
    );
    expect(document.taxSolutionId).toBeUndefined();
    expect(document.lines).toEqual([
      { itemId: 'A', quantity: '1', price: '25.00', memo: 'refund 31' },
      { itemId: 'B', quantity: '1', price: '14.50', memo: 'refund 31' },
      // Line a: 3.13 and 1.00 halved by largest remainder (1.57 + 0.50), line b whole.
      { itemId: 'TX-STATE-TAX', quantity: '1', price: '2.48', memo: 'Texas State Tax refund 31' },
      { itemId: 'TX-CITY-TAX', quantity: '1', price: '0.79', memo: 'Austin City Tax refund 31' },
    ]);
    expect(memoTotal(document.lines)).toBe(refund.total);
  });

  it('when a jurisdiction has neither an item nor a "tax" adjustment item, then the refund is refused naming the tax', () => {
    const refund = refundOf({
      currency: 'USD',
      lines: [{ lineId: 'b', sku: 'SKU-b', quantity: 1, amount: 1450 }],
      tax: 120,
      total: 1570,
    });
    const input = inputFor(refund, 'perJurisdiction', {
      items: new Map([['b', { itemId: 'B' }]]),
      taxRates: [texasRates[0]!],
      orderTax: refundedOrderTax(texasOrder, refund),
    });
    expect(() => toIntacctCreditMemo(input)).toThrow(/the tax "Austin City Tax" refund of 0\.29 needs an item/);
  });
});
