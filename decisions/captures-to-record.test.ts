import { describe, expect, it } from 'vitest';
import { capturesToRecord, type CapturesToRecordInput, type PaymentTransaction } from './captures-to-record.js';

const at = '2026-11-02T15:00:00.000Z';
const tx = (transactionId: string, kind: PaymentTransaction['kind'], amount: number, succeeded = true): PaymentTransaction => ({
  transactionId,
  kind,
  amount,
  succeeded,
  at,
});
const base: CapturesToRecordInput = { transactions: [], postingPayment: undefined, recordedCaptures: [], orderTotal: 10_000 };

describe('capturesToRecord', () => {
  const cases: Array<[name: string, input: Partial<CapturesToRecordInput>, expected: ReturnType<typeof capturesToRecord>]> = [
    [
      'when the order is only authorised, then nothing is recorded',
      { transactions: [tx('1', 'authorization', 10_000)] },
      { captures: [], voided: false },
    ],
    [
      'when the authorisation is captured in full after posting, then one payment for the capture',
      { transactions: [tx('1', 'authorization', 10_000), tx('2', 'capture', 10_000)] },
      { captures: [{ transactionId: '2', amount: 10_000, applicable: 10_000, capturedAt: at }], voided: false },
    ],
    [
      'when that capture is recorded already, then nothing more (a repeated webhook)',
      {
        transactions: [tx('1', 'authorization', 10_000), tx('2', 'capture', 10_000)],
        recordedCaptures: [{ transactionId: '2', amount: 10_000 }],
      },
      { captures: [], voided: false },
    ],
    [
      'when two partial captures come, then one payment each',
      { transactions: [tx('1', 'authorization', 10_000), tx('2', 'capture', 4_000), tx('3', 'capture', 6_000)] },
      {
        captures: [
          { transactionId: '2', amount: 4_000, applicable: 4_000, capturedAt: at },
          { transactionId: '3', amount: 6_000, applicable: 6_000, capturedAt: at },
        ],
        voided: false,
      },
    ],
    [
      'when the second partial capture comes after the first was recorded, then only the second',
      {
        transactions: [tx('1', 'authorization', 10_000), tx('2', 'capture', 4_000), tx('3', 'capture', 6_000)],
        recordedCaptures: [{ transactionId: '2', amount: 4_000 }],
      },
      { captures: [{ transactionId: '3', amount: 6_000, applicable: 6_000, capturedAt: at }], voided: false },
    ],
    [
      'when the authorisation is voided, then nothing is recorded and the void is said',
      { transactions: [tx('1', 'authorization', 10_000), tx('2', 'void', 10_000)] },
      { captures: [], voided: true },
    ],
    [
      'when a capture failed, then it records nothing',
      { transactions: [tx('1', 'authorization', 10_000), tx('2', 'capture', 10_000, false)] },
      { captures: [], voided: false },
    ],
    [
      'when the order was paid at checkout and posted with its payment, then nothing more',
      { transactions: [tx('1', 'purchase', 10_000)], postingPayment: { amount: 10_000 } },
      { captures: [], voided: false },
    ],
    [
      'when the posting payment received the first partial capture, then only the later one',
      {
        transactions: [tx('1', 'authorization', 10_000), tx('2', 'capture', 4_000), tx('3', 'capture', 6_000)],
        postingPayment: { amount: 4_000 },
      },
      { captures: [{ transactionId: '3', amount: 6_000, applicable: 6_000, capturedAt: at }], voided: false },
    ],
    [
      'when the posting payment has no amount on record, then it is taken to account for every capture',
      { transactions: [tx('2', 'capture', 4_000), tx('3', 'capture', 6_000)], postingPayment: { amount: undefined } },
      { captures: [], voided: false },
    ],
    [
      'when captures were recorded on their own and a later run posted the rest, then nothing more',
      {
        transactions: [tx('2', 'capture', 4_000), tx('3', 'capture', 3_000), tx('4', 'capture', 3_000)],
        recordedCaptures: [
          { transactionId: '2', amount: 4_000 },
          { transactionId: '3', amount: 3_000 },
        ],
        postingPayment: { amount: 3_000 },
      },
      { captures: [], voided: false },
    ],
    [
      'when the posting payment received part of a capture, then the capture is recorded for the rest, once',
      { transactions: [tx('2', 'capture', 5_000), tx('3', 'capture', 5_000)], postingPayment: { amount: 3_000 } },
      {
        captures: [
          { transactionId: '2', amount: 2_000, applicable: 2_000, capturedAt: at },
          { transactionId: '3', amount: 5_000, applicable: 5_000, capturedAt: at },
        ],
        voided: false,
      },
    ],
    [
      'when that partly received capture is recorded, then the posting payment still accounts for the same money',
      {
        transactions: [tx('2', 'capture', 5_000), tx('3', 'capture', 5_000)],
        postingPayment: { amount: 3_000 },
        recordedCaptures: [{ transactionId: '2', amount: 2_000 }],
      },
      { captures: [{ transactionId: '3', amount: 5_000, applicable: 5_000, capturedAt: at }], voided: false },
    ],
    [
      'when captures exceed the order total, then the excess stays unapplied on the payment',
      { transactions: [tx('2', 'capture', 8_000), tx('3', 'capture', 4_000)] },
      {
        captures: [
          { transactionId: '2', amount: 8_000, applicable: 8_000, capturedAt: at },
          { transactionId: '3', amount: 4_000, applicable: 2_000, capturedAt: at },
        ],
        voided: false,
      },
    ],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(capturesToRecord({ ...base, ...input })).toEqual(expected);
  });
});
