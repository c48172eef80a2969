import { describe, expect, it } from 'vitest';
import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import type { TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import { defaultTenantSettings, parseTenantSettings, type TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalAddress, CanonicalOrder, CanonicalOrderLine } from './canonical-order.js';
import { canonicalOrderAmounts } from './canonical-order.js';
import { checkOrderBalance } from './money.js';
import { SalesDocumentMappingError, toIntacctSalesDocument, type ResolvedItem } from './to-intacct-sales-document.js';

const baseSettings = defaultTenantSettings({
  storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
  intacct: { companyId: 'DEMO-CO' },
});

function settingsWith(orderSync: Record<string, unknown>): TenantSettings {
  const parsed = parseTenantSettings({ ...baseSettings, orderSync: { ...baseSettings.orderSync, ...orderSync }, timezone: 'UTC' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

const address = (firstName: string, city: string): CanonicalAddress => ({
  firstName,
  lastName: 'Doe',
  line1: '1 Main St',
  city,
  country: 'DE',
});
const line = (lineId: string, lineTotal: number, tax: number, extra: Partial<CanonicalOrderLine> = {}): CanonicalOrderLine => ({
  lineId,
  sku: `SKU-${lineId}`,
  name: lineId,
  quantity: 1,
  unitPrice: lineTotal,
  lineTotal,
  lineDiscount: 0,
  tax,
  ...extra,
});

/** A US order taxed by jurisdiction (state and city) on each line and on shipping, tax added on top. */
const usOrder = (overrides: Partial<CanonicalOrder> = {}): CanonicalOrder => ({
  storefront: 'bigcommerce',
  orderId: '500',
  status: '11',
  placedAt: '2026-03-01T12:00:00.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '7' },
  billingAddress: address('Jane', 'Austin'),
  lines: [
    line('a', 5000, 413, {
      taxes: [
        { name: 'Texas State Tax', ratePercent: '6.25', amount: 313 },
        { name: 'Austin City Tax', ratePercent: '2', amount: 100 },
      ],
    }),
    line('b', 1450, 120, {
      taxes: [
        { name: 'Texas State Tax', ratePercent: '6.25', amount: 91 },
        { name: 'Austin City Tax', ratePercent: '2', amount: 29 },
      ],
    }),
  ],
  shipping: 800,
  handling: 0,
  discount: 0,
  chargeTaxes: [{ appliesTo: 'shipping', name: 'Texas State Tax', ratePercent: '6.25', amount: 50 }],
  tax: 583,
  total: 5000 + 1450 + 800 + 583,
  couponCodes: [],
  amountPaid: 0,
  attributes: {},
  ...overrides,
});

/**
 * A VAT-inclusive EUR order with three rates (France: 5.5 %, 10 %, 20 %). The shopper paid the
 * gross prices; the store extracted each line's VAT, and the canonical amounts are the nets.
 */
const vatOrder = (overrides: Partial<CanonicalOrder> = {}): CanonicalOrder => ({
  ...usOrder(),
  orderId: '600',
  currency: 'EUR',
  pricesIncludeTax: true,
  lines: [
    // 2 × 10.55 gross at 5.5 %: 20.00 net, 1.10 VAT.
    line('book', 2000, 110, { quantity: 2, unitPrice: 1000, taxes: [{ name: 'TVA 5,5 %', ratePercent: '5.5', amount: 110 }] }),
    // 33.00 gross at 10 %: 30.00 net, 3.00 VAT.
    line('meal', 3000, 300, { taxes: [{ name: 'TVA 10 %', ratePercent: '10', amount: 300 }] }),
    // 3 × 19.99 gross at 20 %: 9.995 VAT, which the store rounds to 9.99; net 49.98.
    line('tee', 4998, 999, { quantity: 3, unitPrice: 1666, taxes: [{ name: 'TVA 20 %', ratePercent: '20', amount: 999 }] }),
  ],
  // 5.90 gross at 20 %.
  shipping: 492,
  chargeTaxes: [{ appliesTo: 'shipping', name: 'TVA 20 %', ratePercent: '20', amount: 98 }],
  tax: 110 + 300 + 999 + 98,
  total: 2110 + 3300 + 5997 + 590,
  ...overrides,
});

const items = new Map<string, ResolvedItem>([
  ['a', { itemId: 'TSHIRT-BLK-M' }],
  ['b', { itemId: 'MUG-CER-12OZ' }],
  ['book', { itemId: 'BOOK-1' }],
  ['meal', { itemId: 'VOUCHER-MEAL' }],
  ['tee', { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH-PARIS' }],
]);
const adjustmentItems = [
  { kind: 'shipping' as const, intacctItemId: 'SHIPPING' },
  { kind: 'tax' as const, intacctItemId: 'SALES-TAX' },
  { kind: 'taxRounding' as const, intacctItemId: 'TAX-ROUNDING' },
  { kind: 'giftWrapping' as const, intacctItemId: 'GIFT-WRAP' },
  { kind: 'handling' as const, intacctItemId: 'HANDLING' },
];
const taxRates: TaxRateMappingRow[] = [
  { storefrontTax: 'Texas State Tax', intacctTaxDetailId: 'TX State Sales Tax', intacctItemId: 'TAX-TX' },
  { storefrontTax: 'Austin City Tax', intacctTaxDetailId: 'TX Austin City Tax' },
  { storefrontTax: 'TVA 5,5 %', intacctTaxDetailId: 'FR Sale Goods Reduced Rate 5.5' },
  { storefrontTax: 'TVA 10 %', intacctTaxDetailId: 'FR Sale Goods Reduced Rate 10' },
  { storefrontTax: 'TVA 20 %', intacctTaxDetailId: 'FR Sale Goods Standard Rate' },
];

/** What the document comes to in Intacct, in minor units: quantity × price of every line plus every tax entry. */
function documentTotal(document: SalesDocumentInput): number {
  const cents = (text: string) => Math.round(Number(text) * 100);
  return document.lines.reduce(
    (sum, documentLine) =>
      sum +
      Number(documentLine.quantity) * cents(documentLine.price ?? '0') +
      (documentLine.taxEntries ?? []).reduce((taxSum, entry) => taxSum + cents(entry.amount ?? '0'), 0),
    0,
  );
}

const perLine = { adjustments: { tax: 'perLine' }, tax: { solutionId: 'Sales Tax Solution' } };
const map = (order: CanonicalOrder, orderSync: Record<string, unknown>, rows: TaxRateMappingRow[] = taxRates) =>
  toIntacctSalesDocument({ order, settings: settingsWith(orderSync), customerId: 'C-1', items, adjustmentItems, taxRates: rows });

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SalesDocumentMappingError) return error.problems;
    throw error;
  }
  throw new Error('expected a SalesDocumentMappingError');
}

describe('toIntacctSalesDocument: tax modes', () => {
  it('when tax is exclusive and posted per line, then each line carries its tax by jurisdiction under the solution, shipping too', () => {
    const document = map(usOrder(), perLine);
    expect(document.taxSolutionId).toBe('Sales Tax Solution');
    expect(document.lines).toEqual([
      {
        itemId: 'TSHIRT-BLK-M',
        quantity: '1',
        price: '50.00',
        taxEntries: [
          { detailId: 'TX State Sales Tax', amount: '3.13' },
          { detailId: 'TX Austin City Tax', amount: '1.00' },
        ],
      },
      {
        itemId: 'MUG-CER-12OZ',
        quantity: '1',
        price: '14.50',
        taxEntries: [
          { detailId: 'TX State Sales Tax', amount: '0.91' },
          { detailId: 'TX Austin City Tax', amount: '0.29' },
        ],
      },
      {
        itemId: 'SHIPPING',
        quantity: '1',
        price: '8.00',
        memo: 'shipping',
        taxEntries: [{ detailId: 'TX State Sales Tax', amount: '0.50' }],
      },
    ]);
    expect(documentTotal(document)).toBe(usOrder().total);
  });

  it('when prices include VAT at three rates, then the lines are the extracted nets and the tax detail is the store’s VAT to the cent', () => {
    const order = vatOrder();
    expect(checkOrderBalance(canonicalOrderAmounts(order))).toMatchObject({ balanced: true });
    const document = map(order, { ...perLine, tax: { solutionId: 'France - VAT' }, currency: { baseCurrency: 'EUR' } });
    expect(document.taxSolutionId).toBe('France - VAT');
    expect(document.lines).toEqual([
      { itemId: 'BOOK-1', quantity: '2', price: '10.00', taxEntries: [{ detailId: 'FR Sale Goods Reduced Rate 5.5', amount: '1.10' }] },
      {
        itemId: 'VOUCHER-MEAL',
        quantity: '1',
        price: '30.00',
        taxEntries: [{ detailId: 'FR Sale Goods Reduced Rate 10', amount: '3.00' }],
      },
      // 49.98 over 3 units is 16.66 each.
      {
        itemId: 'TSHIRT-BLK-M',
        warehouseId: 'WH-PARIS',
        quantity: '3',
        price: '16.66',
        taxEntries: [{ detailId: 'FR Sale Goods Standard Rate', amount: '9.99' }],
      },
      {
        itemId: 'SHIPPING',
        quantity: '1',
        price: '4.92',
        memo: 'shipping',
        taxEntries: [{ detailId: 'FR Sale Goods Standard Rate', amount: '0.98' }],
      },
    ]);
    expect(documentTotal(document)).toBe(order.total);
  });

  it('when the store rounded the order tax differently from its line taxes, then the residue is a named tax-rounding line', () => {
    // The store taxed the order's subtotal: 5.84 against 5.83 over its lines and shipping.
    const order = usOrder({ tax: 584, total: 5000 + 1450 + 800 + 584 });
    const document = map(order, perLine);
    expect(document.lines.at(-1)).toEqual({ itemId: 'TAX-ROUNDING', quantity: '1', price: '0.01', memo: 'tax rounding' });
    expect(documentTotal(document)).toBe(order.total);
  });

  it('when tax is posted per jurisdiction, then there is one tax line per storefront tax, of its own item or the tax item', () => {
    const order = usOrder({ tax: 584, total: 5000 + 1450 + 800 + 584 });
    const document = map(order, { adjustments: { tax: 'perJurisdiction' } });
    expect(document.taxSolutionId).toBeUndefined();
    expect(document.lines).toEqual([
      { itemId: 'TSHIRT-BLK-M', quantity: '1', price: '50.00' },
      { itemId: 'MUG-CER-12OZ', quantity: '1', price: '14.50' },
      { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping' },
      { itemId: 'TAX-TX', quantity: '1', price: '4.54', memo: 'Texas State Tax' },
      { itemId: 'SALES-TAX', quantity: '1', price: '1.29', memo: 'Austin City Tax' },
      { itemId: 'TAX-ROUNDING', quantity: '1', price: '0.01', memo: 'tax rounding' },
    ]);
    expect(documentTotal(document)).toBe(order.total);
  });

  it('when the store did not break a line’s tax down, then per jurisdiction it is a line named "tax" and per line it takes the default tax detail', () => {
    const order = usOrder({
      lines: [line('a', 5000, 413), line('b', 1450, 120)],
      chargeTaxes: [],
      tax: 533,
      total: 5000 + 1450 + 800 + 533,
    });
    expect(map(order, { adjustments: { tax: 'perJurisdiction' } }).lines.at(-1)).toEqual({
      itemId: 'SALES-TAX',
      quantity: '1',
      price: '5.33',
      memo: 'tax',
    });
    const document = map(order, { ...perLine, tax: { solutionId: 'Sales Tax Solution', defaultTaxDetailId: 'TX Combined' } });
    expect(document.lines.map((documentLine) => documentLine.taxEntries)).toEqual([
      [{ detailId: 'TX Combined', amount: '4.13' }],
      [{ detailId: 'TX Combined', amount: '1.20' }],
      undefined,
    ]);
    expect(documentTotal(document)).toBe(order.total);
  });

  it('when exclusive tax is a single tax line or left to Intacct, then those modes are unchanged', () => {
    expect(map(usOrder(), {}).lines.at(-1)).toEqual({ itemId: 'SALES-TAX', quantity: '1', price: '5.83', memo: 'tax' });
    expect(documentTotal(map(usOrder(), { adjustments: { tax: 'intacctCalculates' } }))).toBe(usOrder().total - 583);
  });

  it.each<{ case: string; order: CanonicalOrder; orderSync: Record<string, unknown>; rows?: TaxRateMappingRow[]; problems: string[] }>([
    {
      case: 'a storefront tax has no tax detail',
      order: usOrder(),
      orderSync: perLine,
      rows: taxRates.filter((row) => row.storefrontTax !== 'Austin City Tax'),
      problems: [
        'no Intacct tax detail for Austin City Tax: add rows with an intacctTaxDetailId to the taxRates mapping table (or set orderSync.tax.defaultTaxDetailId)',
      ],
    },
    {
      case: 'there is no tax solution',
      order: usOrder(),
      orderSync: { adjustments: { tax: 'perLine' } },
      problems: ['tax is posted as line tax detail, so orderSync.tax.solutionId (the Intacct tax solution) is required'],
    },
    {
      case: 'a taxed shipping charge is spread over the lines',
      order: usOrder(),
      orderSync: { ...perLine, adjustments: { tax: 'perLine', shipping: 'allocateToLines' } },
      problems: [
        'the shipping is taxed and its tax is posted as line tax detail, so it needs a line of its own: set adjustments.shipping to separateLine',
      ],
    },
    {
      case: 'the parts are far from the store’s tax',
      order: usOrder({ tax: 683, total: 5000 + 1450 + 800 + 683 }),
      orderSync: perLine,
      problems: ["the store's line taxes come to 5.83, not its order tax of 6.83: more than rounding, so the order is checked by hand"],
    },
  ])('when $case, then the order is refused with the reason', ({ order, orderSync, rows, problems }) => {
    expect(problemsOf(() => map(order, orderSync, rows))).toEqual(problems);
  });

  it('when there is a rounding residue and no taxRounding item, then the order is refused naming the row to add', () => {
    const order = usOrder({ tax: 584, total: 5000 + 1450 + 800 + 584 });
    expect(
      problemsOf(() =>
        toIntacctSalesDocument({
          order,
          settings: settingsWith(perLine),
          customerId: 'C-1',
          items,
          adjustmentItems: adjustmentItems.filter((row) => row.kind !== 'taxRounding'),
          taxRates,
        }),
      ),
    ).toEqual([
      `the store's tax differs from the sum of its line taxes by 0.01 (rounding): add a "taxRounding" row to the adjustmentItems mapping table`,
    ]);
  });
});

describe('toIntacctSalesDocument: gift wrapping, shipping methods and consignments', () => {
  const wrapped = usOrder({ giftWrapping: 350, total: usOrder().total + 350 });

  it('when an order has gift wrapping, then it is a line of the gift-wrapping item, or spread when the tenant says so', () => {
    const document = map(wrapped, {});
    expect(document.lines).toContainEqual({ itemId: 'GIFT-WRAP', quantity: '1', price: '3.50', memo: 'gift wrapping' });
    expect(documentTotal(document)).toBe(wrapped.total);
    const spread = map(wrapped, { adjustments: { giftWrapping: 'allocateToLines' } });
    expect(spread.lines.slice(0, 2)).toEqual([
      { itemId: 'TSHIRT-BLK-M', quantity: '1', price: '52.71' },
      { itemId: 'MUG-CER-12OZ', quantity: '1', price: '15.29' },
    ]);
    expect(documentTotal(spread)).toBe(wrapped.total);
  });

  it('when gift wrapping has no item, then the order is refused naming the row to add', () => {
    expect(
      problemsOf(() =>
        toIntacctSalesDocument({
          order: wrapped,
          settings: settingsWith({}),
          customerId: 'C-1',
          items,
          adjustmentItems: adjustmentItems.filter((row) => row.kind !== 'giftWrapping'),
        }),
      ),
    ).toEqual(['the giftWrapping of 3.50 needs an item: add a "giftWrapping" row to the adjustmentItems mapping table']);
  });

  it.each([
    { case: 'the method has a row', method: 'Free Shipping', defaultMethod: 'Ground', expected: 'UPS Ground' },
    { case: 'the method has no row', method: 'Pigeon', defaultMethod: 'Ground', expected: 'Ground' },
    { case: 'the method has no row and there is no default', method: 'Pigeon', defaultMethod: undefined, expected: undefined },
  ])('when $case, then the shipping method is $expected', ({ method, defaultMethod, expected }) => {
    const document = toIntacctSalesDocument({
      order: usOrder({ attributes: { shippingMethod: method } }),
      settings: settingsWith({ shipping: defaultMethod === undefined ? {} : { defaultMethod } }),
      customerId: 'C-1',
      items,
      adjustmentItems,
      shippingMethods: [{ storefrontMethod: 'Free Shipping', intacctShippingMethod: 'UPS Ground' }],
    });
    expect(document.shippingMethod).toBe(expected);
  });

  const consigned = usOrder({
    shippingAddress: address('Jane', 'Austin'),
    shipTos: [
      { id: '11', address: address('Jane', 'Austin') },
      { id: '12', address: address('Jane', 'Dallas') },
    ],
    lines: usOrder().lines.map((orderLine, index) => ({ ...orderLine, shipToId: index === 0 ? '11' : '12' })),
  });

  it('when an order ships to two addresses and the tenant posts line ship-to, then each line names its own, numbered', () => {
    const lines = map(consigned, { shipping: { consignments: 'lineShipTo' } }).lines;
    const shipTo = (index: number) => lines[index]?.shipTo;
    expect(shipTo(0)).toMatchObject({ contact: { contactName: 'Jane Doe - BC 500 ship-to 1', mailAddress: { city: 'Austin' } } });
    expect(shipTo(1)).toMatchObject({ contact: { contactName: 'Jane Doe - BC 500 ship-to 2', mailAddress: { city: 'Dallas' } } });
    expect(shipTo(2)).toBeUndefined();
  });

  it('when an order ships to two addresses and the tenant parks such orders, then the reason says so; by default the first address serves', () => {
    expect(problemsOf(() => map(consigned, { shipping: { consignments: 'park' } }))).toEqual([
      'the order ships to 2 addresses and orderSync.shipping.consignments is park: post it by hand, or set consignments to lineShipTo (the transaction definition must enable line-level ship-to) or firstAddress',
    ]);
    expect(map(consigned, {}).lines.every((documentLine) => documentLine.shipTo === undefined)).toBe(true);
  });
});
