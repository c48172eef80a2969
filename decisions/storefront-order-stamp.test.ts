import { describe, expect, it } from 'vitest';
import {
  fromBigCommerceOrderHeader,
  fromClarityOrderHeader,
  isSameOrderVersion,
  stampAfterOwnWrite,
  type BigCommerceOrderHeader,
  type ClarityOrderHeader,
} from './storefront-order-stamp.js';

const awaitingFulfilment: BigCommerceOrderHeader = {
  date_modified: 'Tue, 20 Jan 2026 14:05:03 +0000',
  status_id: 11,
  items_total: 3,
  items_shipped: 0,
  total_inc_tax: '43.3000',
  refunded_amount: '0.0000',
  payment_status: 'captured',
};
const placed = '2026-01-20T14:05:03Z (status 11, shipped 0 of 3, total 43.3000, refunded 0.0000, payment captured)';

describe('fromBigCommerceOrderHeader', () => {
  const cases: { name: string; header: BigCommerceOrderHeader; expected: string | undefined }[] = [
    { name: 'an order awaiting fulfilment', header: awaitingFulfilment, expected: placed },
    {
      name: 'a time in another zone',
      header: { ...awaitingFulfilment, date_modified: 'Tue, 20 Jan 2026 08:05:03 -0600' },
      expected: placed,
    },
    {
      name: 'a time without seconds',
      header: { ...awaitingFulfilment, date_modified: 'Tue, 20 Jan 2026 14:05 +0000' },
      expected: placed.replace('14:05:03', '14:05:00'),
    },
    {
      name: 'a partly shipped order',
      header: { ...awaitingFulfilment, status_id: 3, items_shipped: 1 },
      expected: '2026-01-20T14:05:03Z (status 3, shipped 1 of 3, total 43.3000, refunded 0.0000, payment captured)',
    },
    { name: 'no modification time', header: { ...awaitingFulfilment, date_modified: '' }, expected: undefined },
  ];
  it.each(cases)('when the header is $name, then the stamp is $expected', ({ header, expected }) => {
    expect(fromBigCommerceOrderHeader(header)).toBe(expected);
  });
});

describe('fromClarityOrderHeader', () => {
  const processing: ClarityOrderHeader = { updatedAt: '2026-01-20T14:05:03.250Z', status: 'processing', totalAmount: '43.30' };
  const cases: { name: string; order: ClarityOrderHeader; expected: string | undefined }[] = [
    { name: 'stamped to the millisecond', order: processing, expected: '2026-01-20T14:05:03.250Z (status processing, total 43.30)' },
    {
      name: 'stamped to the second',
      order: { ...processing, updatedAt: '2026-01-20T14:05:03Z' },
      expected: '2026-01-20T14:05:03Z (status processing, total 43.30)',
    },
    {
      name: 'fulfilled',
      order: { ...processing, status: 'fulfilled' },
      expected: '2026-01-20T14:05:03.250Z (status fulfilled, total 43.30)',
    },
    { name: 'not stamped with a time', order: { ...processing, updatedAt: 'yesterday' }, expected: undefined },
  ];
  it.each(cases)('when the order is $name, then the stamp is $expected', ({ order, expected }) => {
    expect(fromClarityOrderHeader(order)).toBe(expected);
  });
});

describe('isSameOrderVersion', () => {
  const stamp = (changes: Partial<BigCommerceOrderHeader>) => fromBigCommerceOrderHeader({ ...awaitingFulfilment, ...changes });
  const cases: { name: string; lastSeen: string | undefined; current: string | undefined; same: boolean }[] = [
    { name: 'nothing changed', lastSeen: placed, current: stamp({}), same: true },
    {
      name: 'a later change moved the time',
      lastSeen: placed,
      current: stamp({ date_modified: 'Tue, 20 Jan 2026 14:05:04 +0000' }),
      same: false,
    },
    { name: 'a cancellation in the same second', lastSeen: placed, current: stamp({ status_id: 5 }), same: false },
    { name: 'a shipment in the same second', lastSeen: placed, current: stamp({ status_id: 3, items_shipped: 1 }), same: false },
    { name: 'a refund in the same second', lastSeen: placed, current: stamp({ refunded_amount: '10.0000' }), same: false },
    { name: 'nothing was seen yet', lastSeen: undefined, current: placed, same: false },
    { name: 'the store sent no time', lastSeen: placed, current: undefined, same: false },
  ];
  it.each(cases)('when $name, then the versions are the same: $same', ({ lastSeen, current, same }) => {
    expect(isSameOrderVersion(lastSeen, current)).toBe(same);
  });
});

describe('stampAfterOwnWrite', () => {
  const written = placed.replace('14:05:03', '14:05:09');
  const sameSecondWrite = placed;
  const cases: {
    name: string;
    seen: string | undefined;
    before: string | undefined;
    after: string | undefined;
    expected: string | undefined;
  }[] = [
    { name: 'the write only moved the time', seen: placed, before: placed, after: written, expected: written },
    { name: 'the write landed in the same second', seen: placed, before: placed, after: sameSecondWrite, expected: sameSecondWrite },
    { name: 'nothing had to be written', seen: placed, before: placed, after: placed, expected: placed },
    {
      name: 'the order changed before the write',
      seen: placed,
      before: written,
      after: written.replace('14:05:09', '14:05:10'),
      expected: undefined,
    },
    {
      name: 'the order was cancelled between the read and the write',
      seen: placed,
      before: placed,
      after: written.replace('status 11', 'status 5'),
      expected: undefined,
    },
    { name: 'the answer is older than the read', seen: written, before: written, after: placed, expected: undefined },
    { name: 'the product had not seen a version', seen: undefined, before: placed, after: written, expected: undefined },
    { name: 'the answer has no time', seen: placed, before: placed, after: undefined, expected: undefined },
  ];
  it.each(cases)('when $name, then the product remembers $expected', ({ seen, before, after, expected }) => {
    expect(stampAfterOwnWrite(seen, before, after)).toBe(expected);
  });
});
