import { describe, expect, it } from 'vitest';
import type { TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import type { CanonicalOrder, CanonicalOrderLine } from './canonical-order.js';
import type { CanonicalRefund } from './canonical-refund.js';
import { refundedOrderTax } from './refund-tax.js';
import {
  SalesOrderReductionError,
  toIntacctSalesOrderReduction,
  type SalesOrderReductionInput,
} from './to-intacct-sales-order-reduction.js';

const orderLine = (lineId: string, quantity: number, unitPrice: number, taxes: Array<[string, number]>): CanonicalOrderLine => ({
  lineId,
  sku: `SKU-${lineId}`,
  name: lineId,
  quantity,
  unitPrice,
  lineTotal: unitPrice * quantity,
  lineDiscount: 0,
  tax: taxes.reduce((sum, [, amount]) => sum + amount, 0),
  taxes: taxes.map(([name, amount]) => ({ name, amount })),
});

/** A Texas order taxed by state and city, posted with one tax line per jurisdiction and a cent of rounding. */
const order: Pick<CanonicalOrder, 'lines' | 'shipping' | 'handling' | 'chargeTaxes'> = {
  lines: [
    orderLine('a', 2, 2500, [
      ['Texas State Tax', 313],
      ['Austin City Tax', 100],
    ]),
    orderLine('b', 1, 1450, [
      ['Texas State Tax', 91],
      ['Austin City Tax', 29],
    ]),
  ],
  shipping: 800,
  handling: 0,
  chargeTaxes: [{ appliesTo: 'shipping', name: 'Texas State Tax', amount: 50 }],
};

const taxRates: TaxRateMappingRow[] = [
  { storefrontTax: 'Texas State Tax', intacctItemId: 'TX-STATE-TAX' },
  { storefrontTax: 'Austin City Tax', intacctItemId: 'TX-CITY-TAX' },
];

const adjustments = {
  shipping: 'separateLine',
  handling: 'separateLine',
  discount: 'subtotal',
  discountSubtotal: 'Discount',
  giftWrapping: 'separateLine',
} as const;

function refundOf(parts: Partial<Pick<CanonicalRefund, 'lines' | 'shipping' | 'tax'>>): CanonicalRefund {
  const whole: CanonicalRefund = {
    storefront: 'bigcommerce',
    refundId: '41',
    orderId: '500',
    createdAt: '2026-03-05T12:00:00.000Z',
    currency: 'USD',
    lines: [],
    shipping: 0,
    handling: 0,
    orderLevel: 0,
    tax: 0,
    total: 0,
    ...parts,
  };
  return { ...whole, total: whole.lines.reduce((sum, line) => sum + line.amount, 0) + whole.shipping + whole.tax };
}

function inputFor(refund: CanonicalRefund, tax: 'perJurisdiction' | 'perLine' = 'perJurisdiction'): SalesOrderReductionInput {
  return {
    refund,
    salesDocumentId: 'Sales Order-SO-0050',
    lines: [
      { lineNumber: 1, itemId: 'A', quantity: '2', price: '25' },
      { lineNumber: 2, itemId: 'B', quantity: '1', price: '14.5' },
      { lineNumber: 3, itemId: 'SHIPPING', quantity: '1', price: '8', memo: 'shipping' },
      { lineNumber: 4, itemId: 'TX-STATE-TAX', quantity: '1', price: '4.54', memo: 'Texas State Tax' },
      { lineNumber: 5, itemId: 'TX-CITY-TAX', quantity: '1', price: '1.29', memo: 'Austin City Tax' },
      { lineNumber: 6, itemId: 'TAX-ROUNDING', quantity: '1', price: '0.01', memo: 'tax rounding' },
    ],
    items: new Map([
      ['a', { itemId: 'A' }],
      ['b', { itemId: 'B' }],
    ]),
    adjustmentItems: [
      { kind: 'shipping', intacctItemId: 'SHIPPING' },
      { kind: 'taxRounding', intacctItemId: 'TAX-ROUNDING' },
    ],
    taxRates,
    orderTax: refundedOrderTax(order, refund),
    settings: { orderSync: { adjustments: { ...adjustments, tax } } },
  };
}

describe('toIntacctSalesOrderReduction with tax posted per jurisdiction', () => {
  it.each([
    [
      'one of two units of a line: each jurisdiction line comes down by its share',
      refundOf({ lines: [{ lineId: 'a', sku: 'SKU-a', quantity: 1, amount: 2500 }], tax: 207 }),
      [
        { lineNumber: 1, quantity: '1' },
        { lineNumber: 4, quantity: '1', price: '2.97' },
        { lineNumber: 5, quantity: '1', price: '0.79' },
      ],
      2707,
    ],
    [
      'a line and the taxed shipping: the shipping tax comes off the state line too',
      refundOf({ lines: [{ lineId: 'b', sku: 'SKU-b', quantity: 1, amount: 1450 }], shipping: 800, tax: 170 }),
      [
        { lineNumber: 2, quantity: '0' },
        { lineNumber: 3, quantity: '0' },
        { lineNumber: 4, quantity: '1', price: '3.13' },
        { lineNumber: 5, quantity: '1', price: '1.00' },
      ],
      2420,
    ],
    [
      'a refund whose tax the store rounded up a cent: the cent comes off the rounding line',
      refundOf({ lines: [{ lineId: 'b', sku: 'SKU-b', quantity: 1, amount: 1450 }], tax: 121 }),
      [
        { lineNumber: 2, quantity: '0' },
        { lineNumber: 4, quantity: '1', price: '3.63' },
        { lineNumber: 5, quantity: '1', price: '1.00' },
        { lineNumber: 6, quantity: '0' },
      ],
      1571,
    ],
  ] as const)('when %s, then the lines come down by the refund to the cent', (_name, refund, changedLines, reducedBy) => {
    const reduction = toIntacctSalesOrderReduction(inputFor(refund));
    expect(reduction).toMatchObject({ action: 'reduce', changedLines, addedLines: [], reducedBy });
    expect(reducedBy).toBe(refund.total);
  });

  it('when a jurisdiction the refund gives back has no tax line on the sales order, then the reduction is refused naming it', () => {
    const input = inputFor(refundOf({ lines: [{ lineId: 'b', sku: 'SKU-b', quantity: 1, amount: 1450 }], tax: 120 }));
    const withoutCity = { ...input, lines: input.lines.filter((line) => line.itemId !== 'TX-CITY-TAX') };
    expect(() => toIntacctSalesOrderReduction(withoutCity)).toThrow(
      /the tax "Austin City Tax" refund of 0\.29 has no tax "Austin City Tax" line/,
    );
  });

  it('when the tax is line tax detail (perLine), then the reduction is refused: the credit memo after invoicing reverses it', () => {
    const input = inputFor(refundOf({ lines: [{ lineId: 'b', sku: 'SKU-b', quantity: 1, amount: 1450 }], tax: 120 }), 'perLine');
    expect(() => toIntacctSalesOrderReduction(input)).toThrow(SalesOrderReductionError);
    expect(() => toIntacctSalesOrderReduction(input)).toThrow(/line tax detail \(perLine\), which Intacct cannot change/);
  });
});
