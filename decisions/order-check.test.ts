import { describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { checkOrder } from './order-check.js';

const orderSync = {
  triggerStatuses: ['11'],
  cancelStatuses: ['5'],
  otherStatusAction: 'wait' as const,
  guestOrders: { enabled: true, customerId: 'WEB-GUEST' },
};
const address = {
  firstName: 'Jane',
  lastName: 'Doe',
  line1: '1 Main St',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
};
const order: CanonicalOrder = {
  storefront: 'bigcommerce',
  orderId: '100',
  status: '11',
  placedAt: '2026-11-02T15:00:00.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '1', email: 'jane@example.com' },
  billingAddress: address,
  lines: [
    { lineId: '1', sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 1250, lineTotal: 2500, lineDiscount: 100, tax: 0 },
    { lineId: '2', sku: 'CAP', name: 'Cap', quantity: 1, unitPrice: 1999, lineTotal: 1999, lineDiscount: 0, tax: 0 },
  ],
  shipping: 500,
  handling: 0,
  discount: 300,
  tax: 371,
  total: 4970,
  couponCodes: ['SAVE3'],
  amountPaid: 4970,
  attributes: {},
};

describe('checkOrder', () => {
  it.each([
    ['a balanced order in a syncing status syncs', order, { action: 'sync' }],
    [
      'a cancelled order cancels before any amount is checked',
      { ...order, status: '5', total: 1 },
      { action: 'cancel', reason: 'status 5 cancels the order' },
    ],
    [
      'an order not yet in a syncing status waits, even when it does not balance',
      { ...order, status: '1', total: 1 },
      { action: 'wait', reason: 'status 1 is not a status that syncs yet' },
    ],
    [
      'an order without lines is skipped',
      { ...order, lines: [], total: 571 },
      { action: 'skip', code: 'no_lines', reason: 'the order has no lines' },
    ],
  ])('when %s', (_case, input, expected) => {
    expect(checkOrder(input, orderSync)).toEqual(expected);
  });

  it.each([
    ['a cent short', 4969, '49.70', '49.69', '-0.01'],
    ['a cent over', 4971, '49.70', '49.71', '0.01'],
    ['tax missing from the total', 4599, '49.70', '45.99', '-3.71'],
  ])(
    'when the total is %s, then the order is parked with both amounts and the difference',
    (_case, total, computed, stated, difference) => {
      const check = checkOrder({ ...order, total }, orderSync);
      expect(check).toMatchObject({
        action: 'park',
        attention: { code: 'totals_do_not_balance', details: { computedTotal: computed, total: stated, difference, currency: 'USD' } },
      });
      if (check.action === 'park') expect(check.attention.reason).toContain(`${difference} apart`);
    },
  );

  it('when the currency has no minor unit, then the difference is shown in whole units', () => {
    const yen: CanonicalOrder = {
      ...order,
      currency: 'JPY',
      lines: [{ ...order.lines[0]!, unitPrice: 1000, lineTotal: 2000, lineDiscount: 0 }],
      shipping: 0,
      discount: 0,
      tax: 0,
      total: 2001,
    };
    expect(checkOrder(yen, orderSync)).toMatchObject({
      action: 'park',
      attention: { details: { computedTotal: '2000', total: '2001', difference: '1' } },
    });
  });
});
