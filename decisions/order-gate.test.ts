import { describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { decideOrderGate } from './order-gate.js';

const orderSync = {
  triggerStatuses: ['11', '9'],
  cancelStatuses: ['5'],
  otherStatusAction: 'wait' as const,
  guestOrders: { enabled: false },
};
const line = { lineId: '1', sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: 1000, lineTotal: 1000, lineDiscount: 0, tax: 0 };
const registered: Pick<CanonicalOrder, 'status' | 'customer' | 'lines'> = {
  status: '11',
  customer: { kind: 'registered', customerId: '7' },
  lines: [line],
};

describe('decideOrderGate', () => {
  it.each([
    ['a trigger status syncs', registered, orderSync, [], { action: 'sync' }],
    ['a later trigger status syncs', { ...registered, status: '9' }, orderSync, [], { action: 'sync' }],
    ['a cancel status cancels', { ...registered, status: '5' }, orderSync, [], { action: 'cancel', reason: 'status 5 cancels the order' }],
    [
      'an earlier status waits',
      { ...registered, status: '1' },
      orderSync,
      [],
      { action: 'wait', reason: 'status 1 is not a status that syncs yet' },
    ],
    [
      'another status is skipped when the tenant ignores them',
      { ...registered, status: '1' },
      { ...orderSync, otherStatusAction: 'ignore' as const },
      [],
      { action: 'skip', code: 'status_ignored', reason: "status 1 is ignored by the tenant's settings" },
    ],
    [
      'the statuses table overrides the trigger list',
      registered,
      orderSync,
      [{ storefrontStatus: '11', action: 'wait' as const }],
      { action: 'wait', reason: 'status 11 is not a status that syncs yet' },
    ],
    [
      'the statuses table can make any status sync',
      { ...registered, status: '7' },
      orderSync,
      [{ storefrontStatus: '7', action: 'sync' as const }],
      { action: 'sync' },
    ],
    [
      'the statuses table can cancel',
      { ...registered, status: '6' },
      orderSync,
      [{ storefrontStatus: '6', action: 'cancel' as const }],
      { action: 'cancel', reason: 'status 6 cancels the order' },
    ],
    [
      'a guest order is skipped when guest orders are off',
      { ...registered, customer: { kind: 'guest' as const, email: 'a@b.example' } },
      orderSync,
      [],
      { action: 'skip', code: 'guest_orders_off', reason: 'guest orders are not synced (settings: orderSync.guestOrders.enabled is off)' },
    ],
    [
      'a guest order syncs when guest orders are on',
      { ...registered, customer: { kind: 'guest' as const } },
      { ...orderSync, guestOrders: { enabled: true, customerId: 'WEB-GUEST' } },
      [],
      { action: 'sync' },
    ],
    [
      'a guest order that is not ready waits rather than being skipped',
      { ...registered, status: '1', customer: { kind: 'guest' as const } },
      orderSync,
      [],
      { action: 'wait', reason: 'status 1 is not a status that syncs yet' },
    ],
    [
      'an order without lines is skipped',
      { ...registered, lines: [] },
      orderSync,
      [],
      { action: 'skip', code: 'no_lines', reason: 'the order has no lines' },
    ],
  ])('%s', (_case, order, settings, statusRows, expected) => {
    expect(decideOrderGate(order, settings, statusRows)).toEqual(expected);
  });
});
