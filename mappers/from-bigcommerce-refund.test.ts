import { describe, expect, it } from 'vitest';
import type { Refund } from '../connectors/bigcommerce/index.js';
import type { CanonicalOrder } from './canonical-order.js';
import { RefundMappingError, refundImbalance } from './canonical-refund.js';
import { fromBigCommerceRefund } from './from-bigcommerce-refund.js';

const address = { firstName: 'Jane', lastName: 'Doe', line1: '1 Main St', city: 'Austin', country: 'US' };

/** Order 100: 2 × tee at 24.00 (tax 3.96), 1 × mug at 14.50 (tax 1.20), shipping 8.00, 8.25 % tax. */
const order: CanonicalOrder = {
  storefront: 'bigcommerce',
  orderId: '100',
  status: '11',
  placedAt: '2026-03-02T15:00:00.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '1' },
  billingAddress: address,
  lines: [
    { lineId: '11', sku: 'TSHIRT-BLK-M', name: 'Tee', quantity: 2, unitPrice: 2400, lineTotal: 4800, lineDiscount: 0, tax: 396 },
    { lineId: '12', sku: 'MUG-CER-12OZ', name: 'Mug', quantity: 1, unitPrice: 1450, lineTotal: 1450, lineDiscount: 0, tax: 120 },
  ],
  shipping: 800,
  handling: 0,
  discount: 0,
  tax: 516,
  total: 7566,
  couponCodes: [],
  paymentMethod: 'Credit Card',
  amountPaid: 7566,
  attributes: {},
};

function refund(items: Refund['items'], totals: { total: number; tax: number }, overrides: Partial<Refund> = {}): Refund {
  return {
    id: 5,
    order_id: 100,
    created: '2026-03-05T12:00:00+00:00',
    reason: 'damaged',
    total_amount: totals.total,
    total_tax: totals.tax,
    items,
    payments: [{ id: 1, provider_id: 'custom', amount: totals.total, offline: true }],
    ...overrides,
  };
}

describe('fromBigCommerceRefund', () => {
  it('when one tee of two is refunded with its tax, then the canonical refund has that line at its requested ex-tax amount and the refund tax', () => {
    const canonical = fromBigCommerceRefund(
      refund([{ item_type: 'PRODUCT', item_id: 11, quantity: 1, requested_amount: 24 }], { total: 25.98, tax: 1.98 }),
      order,
    );
    expect(canonical).toEqual({
      storefront: 'bigcommerce',
      refundId: '5',
      orderId: '100',
      createdAt: '2026-03-05T12:00:00.000Z',
      currency: 'USD',
      lines: [{ lineId: '11', sku: 'TSHIRT-BLK-M', quantity: 1, amount: 2400 }],
      shipping: 0,
      handling: 0,
      orderLevel: 0,
      tax: 198,
      total: 2598,
      paymentMethod: 'Credit Card',
      reason: 'damaged',
    });
  });

  it.each([
    ['all store credit', [{ id: 1, provider_id: 'storecredit', amount: 25.98, offline: true }], 2598],
    [
      'part store credit, part card',
      [
        { id: 1, provider_id: 'storecredit', amount: 10, offline: true },
        { id: 2, provider_id: 'testgateway', amount: 15.98, offline: false },
      ],
      1000,
    ],
    ['a gift certificate', [{ id: 1, provider_id: 'giftcertificate', amount: 25.98, offline: true }], 2598],
    [
      'a declined store-credit payment',
      [{ id: 1, provider_id: 'storecredit', amount: 25.98, offline: true, is_declined: true }],
      undefined,
    ],
    ['the card only', [{ id: 1, provider_id: 'testgateway', amount: 25.98, offline: false }], undefined],
  ] as const)('when the refund is paid as %s, then storeCredit is what did not go back as money', (_name, payments, storeCredit) => {
    const canonical = fromBigCommerceRefund(
      refund(
        [{ item_type: 'PRODUCT', item_id: 11, quantity: 1, requested_amount: 24 }],
        { total: 25.98, tax: 1.98 },
        { payments: [...payments] },
      ),
      order,
    );
    expect(canonical.storeCredit).toBe(storeCredit);
  });

  it.each([
    [
      'full refund',
      [
        { item_type: 'PRODUCT', item_id: 11, quantity: 2, requested_amount: '48.00' },
        { item_type: 'PRODUCT', item_id: 12, quantity: 1, requested_amount: '14.50' },
        { item_type: 'SHIPPING', item_id: 1, requested_amount: 8 },
      ],
      { total: 75.66, tax: 5.16 },
      { lines: 2, shipping: 800, orderLevel: 0, total: 7566 },
    ],
    [
      'shipping only',
      [{ item_type: 'SHIPPING', item_id: 1, requested_amount: 8 }],
      { total: 8, tax: 0 },
      { lines: 0, shipping: 800, orderLevel: 0, total: 800 },
    ],
    [
      'an order-level goodwill amount',
      [{ item_type: 'ORDER', item_id: 100, requested_amount: 5 }],
      { total: 5, tax: 0 },
      { lines: 0, shipping: 0, orderLevel: 500, total: 500 },
    ],
    [
      'a product without requested amount (pro rata)',
      [{ item_type: 'PRODUCT', item_id: 11, quantity: 1, requested_amount: null }],
      { total: 25.98, tax: 1.98 },
      { lines: 1, shipping: 0, orderLevel: 0, total: 2598 },
    ],
  ] as const)('when %s, then the parts balance to the total', (_name, items, totals, expected) => {
    const canonical = fromBigCommerceRefund(refund([...items] as Refund['items'], totals), order);
    expect({
      lines: canonical.lines.length,
      shipping: canonical.shipping,
      orderLevel: canonical.orderLevel,
      total: canonical.total,
    }).toEqual(expected);
    expect(refundImbalance(canonical)).toBe(0);
  });

  it.each([
    [
      'an unknown order product',
      [{ item_type: 'PRODUCT', item_id: 99, quantity: 1, requested_amount: 1 }],
      { total: 1, tax: 0 },
      {},
      /order product 99 is not a line of order 100/,
    ],
    [
      'a product without quantity',
      [{ item_type: 'PRODUCT', item_id: 11, requested_amount: 1 }],
      { total: 1, tax: 0 },
      {},
      /without a quantity/,
    ],
    ['gift wrapping', [{ item_type: 'GIFT_WRAPPING', item_id: 11, quantity: 1 }], { total: 1, tax: 0 }, {}, /GIFT_WRAPPING is not mapped/],
    [
      'an amount finer than a cent',
      [{ item_type: 'SHIPPING', item_id: 1, requested_amount: 8.005 }],
      { total: 8.005, tax: 0 },
      {},
      /more decimals than USD allows/,
    ],
    [
      'parts that miss the total',
      [{ item_type: 'SHIPPING', item_id: 1, requested_amount: 8 }],
      { total: 9, tax: 0 },
      {},
      /differ from its total by 100 minor units/,
    ],
    [
      'another order',
      [{ item_type: 'SHIPPING', item_id: 1, requested_amount: 8 }],
      { total: 8, tax: 0 },
      { order_id: 101 },
      /belongs to order 101/,
    ],
  ] as const)('when %s, then a RefundMappingError names it', (_name, items, totals, overrides, message) => {
    const call = () => fromBigCommerceRefund(refund([...items] as Refund['items'], totals, overrides), order);
    expect(call).toThrow(RefundMappingError);
    expect(call).toThrow(message);
  });

  describe('a VAT-inclusive order', () => {
    /** Order 200 (EUR, prices include VAT): 2 books at 10.55 gross (5.5 %), 1 lamp at 60.00 gross (20 %), shipping 6.00 gross (20 %). */
    const inclusive: CanonicalOrder = {
      ...order,
      orderId: '200',
      currency: 'EUR',
      pricesIncludeTax: true,
      lines: [
        { lineId: '21', sku: 'BOOK', name: 'Book', quantity: 2, unitPrice: 1000, lineTotal: 2000, lineDiscount: 0, tax: 110 },
        { lineId: '22', sku: 'LAMP', name: 'Lamp', quantity: 1, unitPrice: 5000, lineTotal: 5000, lineDiscount: 0, tax: 1000 },
      ],
      shipping: 500,
      chargeTaxes: [{ appliesTo: 'shipping', name: 'VAT 20%', amount: 100 }],
      tax: 1210,
      total: 8710,
    };

    it('when the refund states gross amounts, then the tax is taken out of each line and shipping by its sale share, and net + tax is the gross', () => {
      const canonical = fromBigCommerceRefund(
        refund(
          [
            { item_type: 'PRODUCT', item_id: 21, quantity: 1, requested_amount: 10.55 },
            { item_type: 'PRODUCT', item_id: 22, quantity: 1, requested_amount: 60 },
            { item_type: 'SHIPPING', item_id: 1, requested_amount: 6 },
          ],
          { total: 76.55, tax: 11.55 },
          { order_id: 200 },
        ),
        inclusive,
      );
      expect(canonical.lines).toEqual([
        { lineId: '21', sku: 'BOOK', quantity: 1, amount: 1000, tax: 55 },
        { lineId: '22', sku: 'LAMP', quantity: 1, amount: 5000, tax: 1000 },
      ]);
      expect(canonical.shipping).toBe(500);
      expect(refundImbalance(canonical)).toBe(0);
    });

    it('when the refund states net amounts (as the sandbox does), then they are kept as they are', () => {
      const canonical = fromBigCommerceRefund(
        refund([{ item_type: 'PRODUCT', item_id: 22, quantity: 1, requested_amount: 50 }], { total: 60, tax: 10 }, { order_id: 200 }),
        inclusive,
      );
      expect(canonical.lines).toEqual([{ lineId: '22', sku: 'LAMP', quantity: 1, amount: 5000 }]);
      expect(canonical.tax).toBe(1000);
    });
  });
});
