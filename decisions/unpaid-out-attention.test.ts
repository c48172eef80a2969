import { describe, expect, it } from 'vitest';
import type { PayoutLine } from '../workflows/payout-reconcile-contract.js';
import type { PeriodPaymentRecord } from './period-reconciliation.js';
import { decideUnpaidOutAttention, unpaidOutAttentionId, type UnpaidOutCheckRecords } from './unpaid-out-attention.js';

const payment = (orderId: string, recordedOn: string, overrides: Partial<PeriodPaymentRecord> = {}): PeriodPaymentRecord => ({
  paymentId: `${orderId}:capture:t${orderId}`,
  orderId,
  gateway: 'stripe',
  gatewayTransactionIds: [`pi_${orderId}`],
  amount: 50_00,
  currency: 'USD',
  state: 'synced',
  recordedOn,
  ...overrides,
});

const charge = (reference: string, extra: Partial<PayoutLine> = {}): PayoutLine => ({
  lineId: `txn_${reference}`,
  kind: 'charge',
  gross: 50_00,
  fee: 1_75,
  net: 48_25,
  paymentReference: reference,
  occurredAt: '2026-11-20T10:00:00Z',
  ...extra,
});

const payout = (payoutId: string, lines: PayoutLine[], overrides: Partial<UnpaidOutCheckRecords['paidPayouts'][number]> = {}) => ({
  payoutId,
  gateway: 'stripe',
  currency: 'USD',
  lines,
  ...overrides,
});

const base: UnpaidOutCheckRecords = {
  asOf: '2026-12-06',
  afterDays: 7,
  gateways: ['stripe'],
  payments: [],
  paidPayouts: [],
  openItemIds: [],
};

/** Which payments (by order) the check opens items for, and which items it resolves and why. */
const outcome = (records: Partial<UnpaidOutCheckRecords>) => {
  const check = decideUnpaidOutAttention({ ...base, ...records });
  return {
    open: check.open.map((item) => item.details.orderId),
    resolve: check.resolve.map((item) => `${item.externalId}: ${item.why}`),
    count: check.summary.count,
    totals: check.summary.totals,
  };
};

describe('decideUnpaidOutAttention', () => {
  it.each<[string, Partial<UnpaidOutCheckRecords>, ReturnType<typeof outcome>]>([
    [
      'a payment 8 days old in no payout gets an item',
      { payments: [payment('1001', '2026-11-28')] },
      { open: ['1001'], resolve: [], count: 1, totals: { USD: 50_00 } },
    ],
    [
      'a payment exactly 7 days old waits one more day',
      { payments: [payment('1001', '2026-11-29')] },
      { open: [], resolve: [], count: 0, totals: {} },
    ],
    [
      'a payment a paid payout included (by payment intent) gets none',
      { payments: [payment('1001', '2026-11-20')], paidPayouts: [payout('po_1', [charge('pi_1001')])] },
      { open: [], resolve: [], count: 0, totals: {} },
    ],
    [
      'a payment a payout included by its charge id (other references) gets none',
      {
        payments: [payment('1001', '2026-11-20', { gatewayTransactionIds: ['ch_1001'] })],
        paidPayouts: [payout('po_1', [charge('pi_x', { otherPaymentReferences: ['ch_1001'] })])],
      },
      { open: [], resolve: [], count: 0, totals: {} },
    ],
    [
      'a payment a settlement file included by order reference gets none',
      { payments: [payment('1001', '2026-11-20')], paidPayouts: [payout('po_1', [charge('row-9', { orderReference: '1001' })])] },
      { open: [], resolve: [], count: 0, totals: {} },
    ],
    [
      "another gateway's payout does not pay out a stripe payment",
      { payments: [payment('1001', '2026-11-20')], paidPayouts: [payout('pp_1', [charge('pi_1001')], { gateway: 'paypal' })] },
      { open: ['1001'], resolve: [], count: 1, totals: { USD: 50_00 } },
    ],
    [
      'a refund line with the reference is not a payout of the payment',
      { payments: [payment('1001', '2026-11-20')], paidPayouts: [payout('po_1', [charge('pi_1001', { kind: 'refund', gross: -50_00 })])] },
      { open: ['1001'], resolve: [], count: 1, totals: { USD: 50_00 } },
    ],
    [
      'payments not synced, or of a gateway without close settings, do not wait in clearing',
      {
        payments: [
          payment('1001', '2026-11-20', { state: 'parked' }),
          payment('1002', '2026-11-20', { gateway: 'cod' }),
          payment('1003', '2026-11-20', { gateway: undefined }),
        ],
      },
      { open: [], resolve: [], count: 0, totals: {} },
    ],
    [
      'several payments are counted and totalled per currency',
      {
        payments: [
          payment('1001', '2026-11-20'),
          payment('1002', '2026-11-21', { amount: 12_34 }),
          payment('1003', '2026-11-22', { currency: 'EUR', amount: 7_00 }),
        ],
      },
      { open: ['1003', '1001', '1002'], resolve: [], count: 3, totals: { USD: 62_34, EUR: 7_00 } },
    ],
    [
      'an open item whose payment a payout now includes is resolved, naming the payout',
      {
        payments: [payment('1001', '2026-11-20')],
        paidPayouts: [payout('po_9', [charge('pi_1001')])],
        openItemIds: [unpaidOutAttentionId('stripe', 'pi_1001')],
      },
      { open: [], resolve: ['unpaid-out:stripe:pi_1001: payout po_9 included the payment'], count: 0, totals: {} },
    ],
    [
      'an open item whose payment still waits stays open (opened again, same key)',
      { payments: [payment('1001', '2026-11-20')], openItemIds: [unpaidOutAttentionId('stripe', 'pi_1001')] },
      { open: ['1001'], resolve: [], count: 1, totals: { USD: 50_00 } },
    ],
    [
      'an open item whose payment was cancelled in the books is resolved',
      { payments: [payment('1001', '2026-11-20', { state: 'cancelled' })], openItemIds: [unpaidOutAttentionId('stripe', 'pi_1001')] },
      { open: [], resolve: ['unpaid-out:stripe:pi_1001: the payment no longer waits for a payout'], count: 0, totals: {} },
    ],
  ])('when %s', (_case, records, expected) => {
    expect(outcome(records)).toEqual(expected);
  });

  it('when a payment waits, then its item says what, why and the fix, with figures but no day count in the words', () => {
    const check = decideUnpaidOutAttention({ ...base, payments: [payment('1001', '2026-11-20')] });
    expect(check.open).toEqual([
      {
        externalId: 'unpaid-out:stripe:pi_1001',
        reason:
          "order 1001's payment pi_1001 of 50.00 USD was captured on 2026-11-20 and its receipt recorded in Intacct, but no stripe payout has included it after 7 days: the money is still in the clearing account",
        fix: expect.stringContaining('Look the payment up at the processor'),
        details: {
          gateway: 'stripe',
          currency: 'USD',
          orderId: '1001',
          paymentReference: 'pi_1001',
          amount: 50_00,
          capturedOn: '2026-11-20',
          daysWaiting: 16,
        },
      },
    ]);
    // The next day the words (what the alert is keyed by) are the same: no second alert.
    const nextDay = decideUnpaidOutAttention({ ...base, asOf: '2026-12-07', payments: [payment('1001', '2026-11-20')] });
    expect(nextDay.open[0]!.reason).toBe(check.open[0]!.reason);
    expect(nextDay.open[0]!.details.daysWaiting).toBe(17);
  });
});
