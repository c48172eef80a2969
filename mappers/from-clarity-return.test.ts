import { describe, expect, it } from 'vitest';
import type { ClarityReturn } from '../connectors/clarity/index.js';
import type { CanonicalOrder } from './canonical-order.js';
import { RefundMappingError, refundImbalance, type CanonicalRefund } from './canonical-refund.js';
import { fromClarityReturn } from './from-clarity-return.js';

const address = { firstName: 'Jane', lastName: 'Doe', line1: '1 Main St', city: 'Austin', country: 'US' };

const order: CanonicalOrder = {
  storefront: 'clarity',
  orderId: 'CL-1',
  status: 'fulfilled',
  placedAt: '2026-03-02T15:00:00.000Z',
  currency: 'USD',
  customer: { kind: 'guest' },
  billingAddress: address,
  lines: [
    { lineId: 'L1', sku: 'HOODIE-GRY-L', name: 'Hoodie', quantity: 2, unitPrice: 5900, lineTotal: 11800, lineDiscount: 0, tax: 974 },
    { lineId: 'L2', sku: 'CAP-NVY-OS', name: 'Cap', quantity: 1, unitPrice: 1999, lineTotal: 1999, lineDiscount: 0, tax: 165 },
  ],
  shipping: 0,
  handling: 0,
  discount: 0,
  tax: 1139,
  total: 14938,
  couponCodes: [],
  paymentMethod: 'card',
  amountPaid: 14938,
  attributes: {},
};

function clarityReturn(overrides: Partial<ClarityReturn> = {}): ClarityReturn {
  return {
    returnId: 'RMA-1',
    orderId: 'CL-1',
    status: 'refunded',
    createdAt: '2026-03-05T10:00:00.000Z',
    updatedAt: '2026-03-05T10:00:00.000Z',
    currency: 'USD',
    lineItems: [{ sku: 'HOODIE-GRY-L', quantity: 1, reason: 'wrong size', unitPrice: '59.00', tax: '4.87', restock: true }],
    shippingRefund: '0.00',
    refund: {
      amount: '63.87',
      taxAmount: '4.87',
      refundedAt: '2026-03-06T10:00:00.000Z',
      transactionId: 'tx-1',
      method: 'original_payment',
    },
    ...overrides,
  };
}

describe('fromClarityReturn', () => {
  it.each([
    ['store_credit', 6387],
    ['gift_card', 6387],
    ['original_payment', undefined],
  ])('when the return is refunded by %s, then storeCredit is %s', (method, storeCredit) => {
    const mapped = fromClarityReturn(
      clarityReturn({
        refund: { amount: '63.87', taxAmount: '4.87', refundedAt: '2026-03-06T10:00:00.000Z', transactionId: 'tx-1', method },
      }),
      order,
    );
    expect('refunded' in mapped ? undefined : mapped.storeCredit).toBe(storeCredit);
  });

  it('when a refunded return has one line, then the canonical refund carries the line with its tax and restock flag', () => {
    expect(fromClarityReturn(clarityReturn(), order)).toEqual({
      storefront: 'clarity',
      refundId: 'RMA-1',
      orderId: 'CL-1',
      createdAt: '2026-03-06T10:00:00.000Z',
      currency: 'USD',
      lines: [{ lineId: 'L1', sku: 'HOODIE-GRY-L', quantity: 1, amount: 5900, tax: 487, restock: true }],
      shipping: 0,
      handling: 0,
      orderLevel: 0,
      tax: 487,
      total: 6387,
      paymentMethod: 'card',
    });
  });

  it.each([
    ['requested', { status: 'requested' as const, refund: null }, /requested and has not been refunded yet/],
    ['received', { status: 'received' as const, refund: null }, /received and has not been refunded yet/],
    ['rejected', { status: 'rejected' as const }, /was rejected/],
  ])('when the return is %s, then it is not refunded yet', (_name, overrides, reason) => {
    const mapped = fromClarityReturn(clarityReturn(overrides), order);
    expect(mapped).toMatchObject({ refunded: false, reason: expect.stringMatching(reason) });
  });

  it('when the refund holds discounted line amounts and shipping, then the lines share the rest by largest remainder and balance', () => {
    const mapped = fromClarityReturn(
      clarityReturn({
        lineItems: [
          { sku: 'HOODIE-GRY-L', quantity: 1, reason: 'x', unitPrice: '59.00', tax: '4.87', restock: false },
          { sku: 'CAP-NVY-OS', quantity: 1, reason: 'x', unitPrice: '19.99', tax: '1.65', restock: true },
        ],
        shippingRefund: '5.00',
        refund: {
          amount: '80.00',
          taxAmount: '6.52',
          refundedAt: '2026-03-06T10:00:00.000Z',
          transactionId: 'tx',
          method: 'original_payment',
        },
      }),
      order,
    ) as CanonicalRefund;
    expect(mapped.lines.map((line) => [line.amount, line.restock])).toEqual([
      [5115, false],
      [1733, true],
    ]);
    expect(mapped.shipping).toBe(500);
    expect(refundImbalance(mapped)).toBe(0);
  });

  it.each([
    [
      'a SKU not on the order',
      { lineItems: [{ sku: 'NOPE', quantity: 1, reason: 'x', unitPrice: '1.00', tax: '0.00', restock: true }] },
      /SKU NOPE is not on order CL-1/,
    ],
    [
      'line tax unlike the refund tax',
      { refund: { amount: '63.87', taxAmount: '4.00', refundedAt: '2026-03-06T10:00:00.000Z', transactionId: 't', method: 'm' } },
      /lines' tax \(487\) differs/,
    ],
    ['another currency', { currency: 'EUR' }, /the return is in EUR, the order in USD/],
    ['a total below tax and shipping', { shippingRefund: '70.00' }, /less than its tax and shipping/],
  ] as const)('when %s, then a RefundMappingError names it', (_name, overrides, message) => {
    const call = () => fromClarityReturn(clarityReturn(overrides as Partial<ClarityReturn>), order);
    expect(call).toThrow(RefundMappingError);
    expect(call).toThrow(message);
  });
});
