import { describe, expect, it } from 'vitest';
import { defaultTenantSettings, parseTenantSettings, type TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder } from './canonical-order.js';
import { businessDateOf, SalesDocumentMappingError, toIntacctSalesDocument, type ResolvedItem } from './to-intacct-sales-document.js';

const baseSettings = defaultTenantSettings({
  storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
  intacct: { companyId: 'DEMO-CO' },
});

function settingsWith(orderSync: Record<string, unknown>, timezone = 'America/Chicago'): TenantSettings {
  const parsed = parseTenantSettings({ ...baseSettings, orderSync: { ...baseSettings.orderSync, ...orderSync }, timezone });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

const address = {
  firstName: 'Jane',
  lastName: 'Doe',
  line1: '1 Main St',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
};
const order = (overrides: Partial<CanonicalOrder> = {}): CanonicalOrder => ({
  storefront: 'bigcommerce',
  orderId: '100',
  status: '11',
  placedAt: '2026-03-01T03:30:00.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '1', email: 'jane@example.com' },
  billingAddress: address,
  lines: [
    { lineId: 'a', sku: 'TSHIRT-BLK-M', name: 'Tee', quantity: 2, unitPrice: 2500, lineTotal: 5000, lineDiscount: 0, tax: 0 },
    { lineId: 'b', sku: 'MUG-CER-12OZ', name: 'Mug', quantity: 1, unitPrice: 1450, lineTotal: 1450, lineDiscount: 0, tax: 0 },
  ],
  shipping: 800,
  handling: 0,
  discount: 1000,
  tax: 412,
  total: 5000 + 1450 + 800 - 1000 + 412,
  couponCodes: ['SPRING10'],
  amountPaid: 0,
  attributes: {},
  ...overrides,
});

const items = new Map<string, ResolvedItem>([
  ['a', { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01' }],
  ['b', { itemId: 'MUG-CER-12OZ' }],
]);
const adjustmentItems = [
  { kind: 'shipping' as const, intacctItemId: 'SHIPPING' },
  { kind: 'handling' as const, intacctItemId: 'SHIPPING' },
  { kind: 'discount' as const, intacctItemId: 'DISCOUNT' },
  { kind: 'tax' as const, intacctItemId: 'SALES-TAX' },
];

const cents = (lines: ReadonlyArray<{ quantity: string; price?: string }>) =>
  lines.reduce((sum, line) => sum + Number(line.quantity) * Math.round(Number(line.price) * 100), 0);

describe('toIntacctSalesDocument', () => {
  it('writes the header from the settings, shipping and tax lines and a discount subtotal by default, summing to the total', () => {
    const document = toIntacctSalesDocument({
      order: order(),
      settings: settingsWith({ defaultPaymentTerm: 'Net 30' }),
      customerId: 'C-1001',
      items,
      adjustmentItems,
    });
    expect(document).toEqual({
      transactionDefinition: 'Sales Order',
      // 03:30 UTC on 1 March is still 28 February in Chicago.
      date: '2026-02-28',
      customerId: 'C-1001',
      referenceNumber: '100',
      paymentTerm: 'Net 30',
      message: 'Storefront order 100; coupons SPRING10',
      lines: [
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '25.00' },
        { itemId: 'MUG-CER-12OZ', quantity: '1', price: '14.50' },
        { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping' },
        { itemId: 'SALES-TAX', quantity: '1', price: '4.12', memo: 'tax' },
      ],
      subtotals: [{ description: 'Discount', total: '-10.00' }],
    });
    expect(cents(document.lines) - 1000).toBe(order().total);
  });

  it('names the discount subtotal as the tenant configured and carries the dimensions on it', () => {
    const document = toIntacctSalesDocument({
      order: order(),
      settings: settingsWith({ adjustments: { discountSubtotal: 'Web Promotions' } }),
      customerId: 'C-1001',
      items,
      adjustmentItems,
      dimensions: { departmentId: 'ECOM' },
    });
    expect(document.subtotals).toEqual([{ description: 'Web Promotions', total: '-10.00', departmentId: 'ECOM' }]);
  });

  it('writes no subtotal for an order without a discount', () => {
    expect(
      toIntacctSalesDocument({
        order: order({ discount: 0, total: 7662, couponCodes: [] }),
        settings: settingsWith({}),
        customerId: 'C-1001',
        items,
        adjustmentItems,
      }).subtotals,
    ).toBeUndefined();
  });

  it('writes the discount as a negative line of its item when the tenant chose separate lines', () => {
    const document = toIntacctSalesDocument({
      order: order(),
      settings: settingsWith({ defaultPaymentTerm: 'Net 30', adjustments: { discount: 'separateLine' } }),
      customerId: 'C-1001',
      items,
      adjustmentItems,
    });
    expect(document).toEqual({
      transactionDefinition: 'Sales Order',
      // 03:30 UTC on 1 March is still 28 February in Chicago.
      date: '2026-02-28',
      customerId: 'C-1001',
      referenceNumber: '100',
      paymentTerm: 'Net 30',
      message: 'Storefront order 100; coupons SPRING10',
      lines: [
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '25.00' },
        { itemId: 'MUG-CER-12OZ', quantity: '1', price: '14.50' },
        { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping' },
        { itemId: 'DISCOUNT', quantity: '1', price: '-10.00', memo: 'coupons: SPRING10' },
        { itemId: 'SALES-TAX', quantity: '1', price: '4.12', memo: 'tax' },
      ],
    });
    expect(cents(document.lines)).toBe(order().total);
  });

  it.each([
    [
      'storefront order numbers with a prefix',
      { documentNumberRule: { kind: 'storefrontOrderNumber', prefix: 'BC-' } },
      { documentNumber: 'BC-100' },
    ],
    ['a due date some days after the order', { dueDate: { kind: 'daysAfterOrder', days: 30 } }, { dueDate: '2026-03-30' }],
    ['another transaction definition', { transactionDefinition: 'Sales Invoice' }, { transactionDefinition: 'Sales Invoice' }],
  ])('follows the settings: %s', (_case, orderSync, expected) => {
    expect(
      toIntacctSalesDocument({ order: order(), settings: settingsWith(orderSync), customerId: 'C-1001', items, adjustmentItems }),
    ).toMatchObject(expected);
  });

  it('marks a foreign-currency order with the exchange rate type, amounts in its own currency (JPY has no decimals)', () => {
    const jpy = order({
      currency: 'JPY',
      lines: [{ lineId: 'b', sku: 'MUG-CER-12OZ', name: 'Mug', quantity: 3, unitPrice: 1500, lineTotal: 4500, lineDiscount: 0, tax: 0 }],
      shipping: 700,
      discount: 0,
      tax: 0,
      total: 5200,
      couponCodes: [],
    });
    const document = toIntacctSalesDocument({ order: jpy, settings: settingsWith({}), customerId: 'C-1001', items, adjustmentItems });
    expect(document.currency).toEqual({ baseCurrency: 'USD', currency: 'JPY', exchangeRateType: 'Intacct Daily Rate' });
    expect(document.lines).toEqual([
      { itemId: 'MUG-CER-12OZ', quantity: '3', price: '1500' },
      { itemId: 'SHIPPING', quantity: '1', price: '700', memo: 'shipping' },
    ]);
  });

  it('spreads shipping and the discount over the lines by largest remainder, splitting a line when cents do not divide', () => {
    const document = toIntacctSalesDocument({
      order: order({ tax: 0, total: 5000 + 1450 + 800 - 1000 }),
      settings: settingsWith({
        adjustments: { shipping: 'allocateToLines', handling: 'separateLine', discount: 'allocateToLines', tax: 'separateLine' },
      }),
      customerId: 'C-1001',
      items,
      adjustmentItems,
    });
    // −200 net spread over 5000 and 1450 → −155 and −45; the tees come to 4845 for 2 units.
    expect(document.lines).toEqual([
      { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '1', price: '24.22' },
      { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '1', price: '24.23' },
      { itemId: 'MUG-CER-12OZ', quantity: '1', price: '14.05' },
    ]);
    expect(cents(document.lines)).toBe(5000 + 1450 + 800 - 1000);
  });

  it('leaves tax to Intacct when configured, so the lines are the pre-tax total', () => {
    const document = toIntacctSalesDocument({
      order: order(),
      settings: settingsWith({
        adjustments: { shipping: 'separateLine', handling: 'separateLine', discount: 'separateLine', tax: 'intacctCalculates' },
      }),
      customerId: 'C-1001',
      items,
      adjustmentItems,
    });
    expect(document.lines.map((line) => line.itemId)).not.toContain('SALES-TAX');
    expect(cents(document.lines)).toBe(order().total - order().tax);
  });

  it('applies the resolved dimensions to every line', () => {
    const document = toIntacctSalesDocument({
      order: order({ discount: 0, tax: 0, shipping: 0, total: 6450, couponCodes: [] }),
      settings: settingsWith({}),
      customerId: 'C-1001',
      items,
      adjustmentItems,
      dimensions: { departmentId: 'ECOM', locationId: '100' },
    });
    expect(document.lines.every((line) => line.departmentId === 'ECOM' && line.locationId === '100')).toBe(true);
  });

  it('when an item or an adjustment item is missing then it refuses, listing every missing piece', () => {
    const error = (() => {
      try {
        toIntacctSalesDocument({
          order: order(),
          settings: settingsWith({ adjustments: { discount: 'separateLine' } }),
          customerId: 'C-1001',
          items: new Map([['a', { itemId: 'TSHIRT-BLK-M' }]]),
          adjustmentItems: [],
        });
      } catch (caught) {
        return caught as SalesDocumentMappingError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(SalesDocumentMappingError);
    expect(error.problems).toEqual([
      'line b (SKU MUG-CER-12OZ) has no Intacct item',
      'the shipping of 8.00 needs an item: add a "shipping" row to the adjustmentItems mapping table',
      'the discount of 10.00 needs an item: add a "discount" row to the adjustmentItems mapping table',
      'the tax of 4.12 needs an item: add a "tax" row to the adjustmentItems mapping table',
    ]);
  });

  it('when the order does not balance then it refuses rather than writing a document that differs', () => {
    expect(() =>
      toIntacctSalesDocument({ order: order({ total: 9999 }), settings: settingsWith({}), customerId: 'C-1001', items, adjustmentItems }),
    ).toThrow("the lines come to 66.62, not the order's 99.99");
  });
});

describe('businessDateOf', () => {
  it.each([
    ['2026-03-01T03:30:00.000Z', 'America/Chicago', '2026-02-28'],
    ['2026-03-01T03:30:00.000Z', 'UTC', '2026-03-01'],
    ['2026-12-31T23:30:00.000Z', 'Asia/Tokyo', '2027-01-01'],
  ])('%s in %s is %s', (instant, zone, date) => {
    expect(businessDateOf(instant, zone)).toBe(date);
  });
});
