import { describe, expect, it } from 'vitest';
import { fromClarityCustomer, isOwnStorefrontEcho, storefrontCustomerStamp } from './customer-sync.js';
import {
  advanceMark,
  compareCustomerChanges,
  customersPastMark,
  polledCustomerChange,
  polledCustomerTopic,
} from './clarity-customer-poll.js';

const at = (updatedAt: string, customerId: string) => ({ customerId, updatedAt });

describe('compareCustomerChanges: Clarity’s list order', () => {
  it.each([
    ['an earlier change first', at('2026-12-01T10:00:00Z', 'CU-9'), at('2026-12-01T10:00:01Z', 'CU-1'), -1],
    ['the same instant: by customer id', at('2026-12-01T10:00:00Z', 'CU-1'), at('2026-12-01T10:00:00Z', 'CU-2'), -1],
    [
      'the same instant written two ways: still the same instant',
      at('2026-12-01T10:00:00Z', 'CU-1'),
      at('2026-12-01T10:00:00.000Z', 'CU-1'),
      0,
    ],
    ['a later change last', at('2026-12-02T00:00:00Z', 'CU-1'), at('2026-12-01T23:59:59.999Z', 'CU-2'), 1],
  ])('when %s', (_name, a, b, sign) => {
    expect(Math.sign(compareCustomerChanges(a, b))).toBe(sign);
  });
});

describe('customersPastMark: what a poll hands on', () => {
  const mark = at('2026-12-01T10:00:00.000Z', 'CU-2');
  const page = [
    at('2026-12-01T10:00:00.000Z', 'CU-1'),
    at('2026-12-01T10:00:00.000Z', 'CU-2'),
    at('2026-12-01T10:00:00.000Z', 'CU-3'),
    at('2026-12-01T11:00:00.000Z', 'CU-0'),
  ];

  it('when customers share the mark’s instant, then only those after the mark’s customer, and every later change, are handed on', () => {
    expect(customersPastMark(page, mark)).toEqual([page[2], page[3]]);
  });

  it('when the page holds only what the last poll handed on (a poll with no changes), then nothing', () => {
    expect(customersPastMark(page.slice(0, 2), mark)).toEqual([]);
  });

  it('when there is no mark (a full poll), then every customer, in list order', () => {
    expect(customersPastMark([page[3]!, page[0]!], undefined)).toEqual([page[0], page[3]]);
  });

  it('when a first poll’s mark has no customer id, then a customer changed at that very instant is handed on', () => {
    expect(customersPastMark([page[0]!], at('2026-12-01T10:00:00.000Z', ''))).toEqual([page[0]]);
  });
});

describe('advanceMark: where the next poll starts', () => {
  it.each([
    [
      'the page’s latest change',
      at('2026-12-01T10:00:00Z', 'CU-2'),
      [at('2026-12-01T11:00:00Z', 'CU-0'), at('2026-12-01T10:30:00Z', 'CU-9')],
      at('2026-12-01T11:00:00Z', 'CU-0'),
    ],
    ['nothing handed on: the mark stays', at('2026-12-01T10:00:00Z', 'CU-2'), [], at('2026-12-01T10:00:00Z', 'CU-2')],
    ['never backwards', at('2026-12-01T10:00:00Z', 'CU-2'), [at('2026-11-01T10:00:00Z', 'CU-7')], at('2026-12-01T10:00:00Z', 'CU-2')],
    ['no mark yet (a full poll): the latest change', undefined, [at('2026-12-01T10:00:00Z', 'CU-2')], at('2026-12-01T10:00:00Z', 'CU-2')],
    ['no mark and nothing handed on: still none', undefined, [], undefined],
  ])('when %s', (_name, mark, customers, expected) => {
    expect(advanceMark(mark, customers)).toEqual(expected);
  });
});

describe('polledCustomerChange: the change CustomerSync receives', () => {
  it('when the same change is polled twice, then both are one delivery; a later change of the customer is another', () => {
    const first = polledCustomerChange(at('2026-12-01T10:00:00.000Z', 'CU-2001'));
    expect(first).toEqual({
      deliveryId: 'clarity-poll:CU-2001:2026-12-01T10:00:00.000Z',
      topic: polledCustomerTopic,
      occurredAt: '2026-12-01T10:00:00.000Z',
    });
    expect(polledCustomerChange(at('2026-12-01T10:00:00.000Z', 'CU-2001')).deliveryId).toBe(first.deliveryId);
    expect(polledCustomerChange(at('2026-12-01T10:05:00.000Z', 'CU-2001')).deliveryId).not.toBe(first.deliveryId);
  });

  it('when a polled change reaches CustomerSync, then it is never taken for the echo of the product’s own write', () => {
    const shopper = fromClarityCustomer({
      customerId: 'CU-2001',
      email: 'jane@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      company: null,
      phone: null,
      addresses: [],
      createdAt: '2026-03-14T10:12:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(isOwnStorefrontEcho([polledCustomerTopic], shopper, storefrontCustomerStamp(shopper))).toBe(false);
  });
});
