import { describe, expect, it } from 'vitest';
import type { CanonicalRefund } from './canonical-refund.js';
import {
  SalesOrderReductionError,
  refundsAppliedTo,
  toIntacctSalesOrderReduction,
  withRefundApplied,
  type SalesOrderLine,
  type SalesOrderReductionInput,
} from './to-intacct-sales-order-reduction.js';

const lines: SalesOrderLine[] = [
  { lineNumber: 1, itemId: 'TSHIRT-BLK-M', quantity: '2', price: '24', warehouseId: 'WH01', unit: 'Each' },
  { lineNumber: 2, itemId: 'MUG-CER-12OZ', quantity: '2', price: '10', warehouseId: 'WH01' },
  { lineNumber: 3, itemId: 'MUG-CER-12OZ', quantity: '1', price: '10.01', warehouseId: 'WH01' },
  { lineNumber: 4, itemId: 'SHIPPING', quantity: '1', price: '8' },
  { lineNumber: 5, itemId: 'SALES-TAX', quantity: '1', price: '6.4' },
];

const refund: CanonicalRefund = {
  storefront: 'bigcommerce',
  refundId: '31',
  orderId: '100',
  createdAt: '2026-03-05T12:00:00.000Z',
  currency: 'USD',
  lines: [],
  shipping: 0,
  handling: 0,
  orderLevel: 0,
  tax: 0,
  total: 0,
};

const base: SalesOrderReductionInput = {
  refund,
  salesDocumentId: 'Sales Order-SO-0009',
  lines,
  items: new Map([
    ['1', { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01' }],
    ['2', { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01' }],
  ]),
  adjustmentItems: [
    { kind: 'shipping', intacctItemId: 'SHIPPING' },
    { kind: 'tax', intacctItemId: 'SALES-TAX' },
  ],
  settings: {
    orderSync: {
      adjustments: {
        shipping: 'separateLine',
        handling: 'separateLine',
        discount: 'subtotal',
        discountSubtotal: 'Discount',
        giftWrapping: 'separateLine',
        tax: 'separateLine',
      },
    },
  },
};

/** A refund of these parts, its total their sum. */
function refundOf(parts: Partial<Pick<CanonicalRefund, 'lines' | 'shipping' | 'handling' | 'orderLevel' | 'tax'>>): CanonicalRefund {
  const whole = { ...refund, ...parts };
  return {
    ...whole,
    total: whole.lines.reduce((sum, line) => sum + line.amount, 0) + whole.shipping + whole.handling + whole.orderLevel + whole.tax,
  };
}

describe('toIntacctSalesOrderReduction', () => {
  it.each([
    [
      'one of two shirts and its tax',
      refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 1, amount: 2400 }], tax: 198 }),
      {
        changedLines: [
          { lineNumber: 1, quantity: '1' },
          { lineNumber: 5, quantity: '1', price: '4.42' },
        ],
        addedLines: [],
        reducedBy: 2598,
        remaining: 6643,
      },
    ],
    [
      'one shirt for less than its price (the rest stays on the remaining unit)',
      refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 1, amount: 2000 }] }),
      { changedLines: [{ lineNumber: 1, quantity: '1', price: '28.00' }], addedLines: [], reducedBy: 2000, remaining: 7241 },
    ],
    [
      'every shirt (the line goes to quantity 0)',
      refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 2, amount: 4800 }] }),
      { changedLines: [{ lineNumber: 1, quantity: '0' }], addedLines: [], reducedBy: 4800, remaining: 4441 },
    ],
    [
      'one of three mugs posted as two lines (the remainder line is kept)',
      refundOf({ lines: [{ lineId: '2', sku: 'MUG', quantity: 1, amount: 1000 }] }),
      { changedLines: [{ lineNumber: 2, quantity: '1' }], addedLines: [], reducedBy: 1000, remaining: 8241 },
    ],
    [
      'two of three mugs, leaving the unit that carried the remainder (the first line goes to 0)',
      refundOf({ lines: [{ lineId: '2', sku: 'MUG', quantity: 2, amount: 2000 }] }),
      {
        changedLines: [
          { lineNumber: 2, quantity: '1', price: '10.01' },
          { lineNumber: 3, quantity: '0' },
        ],
        addedLines: [],
        reducedBy: 2000,
        remaining: 7241,
      },
    ],
    [
      'the shipping (its line goes to quantity 0)',
      refundOf({ shipping: 800 }),
      { changedLines: [{ lineNumber: 4, quantity: '0' }], addedLines: [], reducedBy: 800, remaining: 8441 },
    ],
    [
      'an order-level amount, spread over the products by what remains of them',
      refundOf({ orderLevel: 781 }),
      {
        changedLines: [
          { lineNumber: 1, quantity: '1', price: '21.59' },
          { lineNumber: 2, quantity: '2', price: '9.00' },
          { lineNumber: 3, quantity: '1', price: '9.01' },
        ],
        addedLines: [{ itemId: 'TSHIRT-BLK-M', quantity: '1', price: '21.60', warehouseId: 'WH01', unit: 'Each', memo: 'after refund 31' }],
        reducedBy: 781,
        remaining: 8460,
      },
    ],
  ])('when the refund is %s, then the lines come down by exactly its total', (_name, refunded, expected) => {
    expect(toIntacctSalesOrderReduction({ ...base, refund: refunded })).toEqual({ action: 'reduce', ...expected });
  });

  it("when a product no longer divides by its units, then a second line carries the remainder with the first line's warehouse and unit", () => {
    const threeShirts = [{ ...lines[0]!, quantity: '3' }, ...lines.slice(1)];
    const reduction = toIntacctSalesOrderReduction({
      ...base,
      lines: threeShirts,
      refund: refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 1, amount: 2399 }] }),
    });
    expect(reduction).toEqual({
      action: 'reduce',
      changedLines: [{ lineNumber: 1, quantity: '1' }],
      addedLines: [{ itemId: 'TSHIRT-BLK-M', quantity: '1', price: '24.01', warehouseId: 'WH01', unit: 'Each', memo: 'after refund 31' }],
      reducedBy: 2399,
      remaining: 9242,
    });
  });

  it('when everything is refunded, then the order is closed', () => {
    const all = refundOf({
      lines: [
        { lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 2, amount: 4800 },
        { lineId: '2', sku: 'MUG', quantity: 3, amount: 3001 },
      ],
      shipping: 800,
      tax: 640,
    });
    expect(toIntacctSalesOrderReduction({ ...base, refund: all })).toEqual({ action: 'close', reducedBy: 9241, remaining: 0 });
  });

  it('when Intacct computes the tax, then the lines come down by the refund less its tax', () => {
    const settings = { orderSync: { adjustments: { ...base.settings.orderSync.adjustments, tax: 'intacctCalculates' as const } } };
    const withoutTaxLine = lines.filter((line) => line.itemId !== 'SALES-TAX');
    const reduction = toIntacctSalesOrderReduction({
      ...base,
      settings,
      lines: withoutTaxLine,
      refund: refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 1, amount: 2400 }], tax: 198 }),
    });
    expect(reduction).toMatchObject({ action: 'reduce', changedLines: [{ lineNumber: 1, quantity: '1' }], reducedBy: 2400 });
  });

  it('when shipping was spread over the products, then a shipping refund comes off the products', () => {
    const settings = { orderSync: { adjustments: { ...base.settings.orderSync.adjustments, shipping: 'allocateToLines' as const } } };
    const noShippingLine = lines.filter((line) => line.itemId !== 'SHIPPING');
    const reduction = toIntacctSalesOrderReduction({ ...base, settings, lines: noShippingLine, refund: refundOf({ shipping: 781 }) });
    expect(reduction).toMatchObject({ action: 'reduce', reducedBy: 781, remaining: 7660 });
  });

  it.each([
    [
      'more shirts than the order has',
      refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 3, amount: 7200 }] }),
      'exceeds',
      /3 unit\(s\) of TSHIRT-BLK-M are refunded but 2 remain/,
    ],
    ['more shipping than the order has', refundOf({ shipping: 900 }), 'exceeds', /shipping refund of 9.00 is more than the 8.00 left/],
    [
      'more money for a shirt than it has left',
      refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 1, amount: 5000 }] }),
      'exceeds',
      /50.00 of TSHIRT-BLK-M is refunded but 48.00 remains/,
    ],
    [
      'a line with no Intacct item',
      refundOf({ lines: [{ lineId: '9', sku: 'HAT', quantity: 1, amount: 500 }] }),
      'unmappable',
      /line 9 \(SKU HAT\) has no Intacct item/,
    ],
    [
      'every shirt for part of their money',
      refundOf({ lines: [{ lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 2, amount: 4000 }] }),
      'unmappable',
      /every unit of TSHIRT-BLK-M is refunded but 8.00 of it is not/,
    ],
    ['handling with no handling line', refundOf({ handling: 100 }), 'unmappable', /handling refund of 1.00 has no handling line/],
    ['nothing', refundOf({}), 'unmappable', /reduces nothing/],
  ] as const)('when the refund takes %s, then it is refused as %s', (_name, refunded, kind, message) => {
    let caught: unknown;
    try {
      toIntacctSalesOrderReduction({ ...base, refund: refunded });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SalesOrderReductionError);
    expect((caught as SalesOrderReductionError).kind).toBe(kind);
    expect((caught as SalesOrderReductionError).type).toBe(kind === 'exceeds' ? 'RefundExceedsOrder' : 'SalesOrderReductionUnmappable');
    expect((caught as Error).message).toMatch(message);
  });

  it('when a line was already set to 0 by an earlier refund, then it stays at 0 and the rest is reduced from what remains', () => {
    const afterShirts = lines.map((line) => (line.lineNumber === 1 ? { ...line, quantity: '0' } : line));
    expect(
      toIntacctSalesOrderReduction({
        ...base,
        lines: afterShirts,
        refund: refundOf({ lines: [{ lineId: '2', sku: 'MUG', quantity: 3, amount: 3001 }], shipping: 800, tax: 640 }),
      }),
    ).toEqual({ action: 'close', reducedBy: 4441, remaining: 0 });
  });
});

describe('refund markers on the sales order message', () => {
  it.each([
    ['an empty message', '', '31', 'Storefront refunds applied before invoicing: 31'],
    [
      "the order's own message",
      'Storefront order 100; coupons SAVE5',
      '31',
      'Storefront order 100; coupons SAVE5\nStorefront refunds applied before invoicing: 31',
    ],
    [
      'a message with a refund applied',
      'Storefront order 100\nStorefront refunds applied before invoicing: 30',
      '31',
      'Storefront order 100\nStorefront refunds applied before invoicing: 30, 31',
    ],
    [
      'a message with this refund applied',
      'Storefront refunds applied before invoicing: 30, 31',
      '31',
      'Storefront refunds applied before invoicing: 30, 31',
    ],
  ])('when the message is %s, then the refund is added once and read back', (_name, message, refundId, expected) => {
    expect(withRefundApplied(message, refundId)).toBe(expected);
    expect(refundsAppliedTo(expected)).toContain(refundId);
  });

  it('when a refund id is a prefix of another, then it is not mistaken for it', () => {
    expect(refundsAppliedTo('Storefront refunds applied before invoicing: 310')).not.toContain('31');
  });
});
