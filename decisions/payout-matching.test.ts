import { describe, expect, it } from 'vitest';
import type { PayoutLine } from '../workflows/payout-reconcile-contract.js';
import { creditMemo, payout, payoutLine, receipt } from '../test/support/payout-fixtures.js';
import { matchPayout, type LedgerPostingsByReference } from './payout-matching.js';

const charge = (id: string, gross: number, fee: number, reference: string) =>
  payoutLine(id, 'charge', gross, fee, { paymentReference: reference });

describe('matchPayout', () => {
  it('when every charge has its receipt, the refund its credit memo and fees belong to no payment, then the payout is fully matched', () => {
    const result = matchPayout(
      payout([
        charge('txn_1', 10_000, 320, 'ch_1'),
        charge('txn_2', 2_500, 103, 'ch_2'),
        payoutLine('txn_3', 'refund', -2_500, 0, { paymentReference: 'ch_2' }),
        payoutLine('txn_4', 'fee', -200),
      ]),
      {
        ch_1: [receipt('101', '9001', 10_000)],
        ch_2: [receipt('102', '9002', 2_500), creditMemo('102', 'Sales Credit Memo-CM-7', 2_500)],
      },
    );
    expect(result).toEqual({
      payoutId: 'po_1',
      currency: 'USD',
      linesNet: 9_377,
      fullyMatched: true,
      variances: [],
      lines: [
        {
          line: expect.objectContaining({ lineId: 'txn_1' }),
          matched: true,
          orderId: '101',
          receipt: { paymentKey: '9001', amount: 10_000 },
        },
        {
          line: expect.objectContaining({ lineId: 'txn_2' }),
          matched: true,
          orderId: '102',
          receipt: { paymentKey: '9002', amount: 2_500 },
        },
        { line: expect.objectContaining({ lineId: 'txn_3' }), matched: true, orderId: '102', creditMemoKey: 'Sales Credit Memo-CM-7' },
        { line: expect.objectContaining({ lineId: 'txn_4' }), matched: true },
      ],
    });
  });

  it.each([
    {
      name: 'a charge with no receipt',
      lines: [charge('txn_9', 4_200, 150, 'ch_9')],
      postings: {},
      variance: {
        kind: 'unmatchedLine',
        lineId: 'txn_9',
        paymentReference: 'ch_9',
        explanation: 'charge txn_9 (payment ch_9) of USD 42.00 matches no payment the product posted to Intacct',
        figures: { currency: 'USD', expected: 0, actual: 4_200, difference: 4_200 },
      },
    },
    {
      name: 'a charge for more than its receipt',
      lines: [charge('txn_1', 10_050, 320, 'ch_1')],
      postings: { ch_1: [receipt('101', '9001', 10_000)] },
      variance: {
        kind: 'amountDifference',
        lineId: 'txn_1',
        paymentReference: 'ch_1',
        explanation: 'charge txn_1 (payment ch_1) collected USD 100.50 but receipt 9001 of order 101 records USD 100.00',
        figures: { currency: 'USD', expected: 10_000, actual: 10_050, difference: 50 },
      },
    },
    {
      name: 'a refund with no credit memo',
      lines: [payoutLine('txn_r', 'refund', -1_999, 0, { paymentReference: 'ch_5' })],
      postings: { ch_5: [receipt('105', '9005', 5_000)] },
      variance: {
        kind: 'unmatchedLine',
        lineId: 'txn_r',
        paymentReference: 'ch_5',
        explanation: 'refund txn_r (payment ch_5) of USD 19.99 has no credit memo the product posted to Intacct',
        figures: { currency: 'USD', expected: 0, actual: -1_999, difference: -1_999 },
      },
    },
    {
      name: 'a refund for less than its credit memo',
      lines: [payoutLine('txn_r', 'refund', -1_000, 0, { paymentReference: 'ch_5' })],
      postings: { ch_5: [creditMemo('105', 'CM-1', 1_500)] },
      variance: {
        kind: 'amountDifference',
        lineId: 'txn_r',
        paymentReference: 'ch_5',
        explanation: 'refund txn_r (payment ch_5) paid back USD 10.00 but credit memo CM-1 of order 105 credits USD 15.00',
        figures: { currency: 'USD', expected: -1_500, actual: -1_000, difference: 500 },
      },
    },
    {
      name: 'a chargeback on a payment the product never posted',
      lines: [payoutLine('txn_d', 'chargeback', -3_000, 1_500, { paymentReference: 'ch_x' })],
      postings: {},
      variance: {
        kind: 'unmatchedLine',
        lineId: 'txn_d',
        paymentReference: 'ch_x',
        explanation: 'chargeback txn_d (payment ch_x) (net USD -45.00) concerns a payment the product never posted to Intacct',
        figures: { currency: 'USD', expected: 0, actual: -4_500, difference: -4_500 },
      },
    },
    {
      name: 'a receipt another payout already deposited',
      lines: [charge('txn_1', 10_000, 320, 'ch_1')],
      postings: { ch_1: [receipt('101', '9001', 10_000, { depositedIn: 'po_0' })] },
      variance: {
        kind: 'alreadyDeposited',
        lineId: 'txn_1',
        paymentReference: 'ch_1',
        explanation: 'charge txn_1 (payment ch_1): receipt 9001 of order 101 is already deposited by payout po_0',
        figures: { currency: 'USD', expected: 0, actual: 10_000, difference: 10_000 },
      },
    },
  ] as Array<{ name: string; lines: PayoutLine[]; postings: LedgerPostingsByReference; variance: object }>)(
    'when the payout has $name, then that line is a variance explained with its figures',
    ({ lines, postings, variance }) => {
      const result = matchPayout(payout(lines), postings);
      expect(result.variances).toEqual([{ payoutId: 'po_1', ...variance }]);
      expect(result.fullyMatched).toBe(false);
    },
  );

  it('when two lines name the same payment with one receipt, then the second is a duplicate and only the first deposits it', () => {
    const result = matchPayout(payout([charge('txn_1', 500, 0, 'ch_1'), charge('txn_2', 500, 0, 'ch_1')]), {
      ch_1: [receipt('1', '9001', 500)],
    });
    expect(result.lines.map((line) => [line.line.lineId, line.matched, line.receipt?.paymentKey])).toEqual([
      ['txn_1', true, '9001'],
      ['txn_2', false, undefined],
    ]);
    expect(result.variances.map((variance) => [variance.kind, variance.lineId])).toEqual([['duplicateLine', 'txn_2']]);
  });

  it('when the lines do not sum to the amount paid, then the payout itself is a variance naming both figures', () => {
    const result = matchPayout(payout([payoutLine('txn_f', 'fee', -200)], { amount: -150 }), {});
    expect(result.variances).toEqual([
      {
        kind: 'payoutOutOfBalance',
        payoutId: 'po_1',
        explanation: 'payout po_1 paid USD -1.50 but its 1 lines come to USD -2.00: USD 0.50 unexplained',
        figures: { currency: 'USD', expected: -200, actual: -150, difference: 50 },
      },
    ]);
  });

  it('when a charge was in the order’s currency and the receipt too, then the receipt is deposited at the payout-currency gross', () => {
    const line = charge('txn_1', 10_842, 300, 'ch_1');
    const euro = { ...line, original: { currency: 'EUR', amount: 10_000, exchangeRate: 1.0842 } };
    const result = matchPayout(payout([euro]), { ch_1: [receipt('101', '9001', 10_000, { currency: 'EUR' })] });
    expect(result.lines[0]).toEqual({ line: euro, matched: true, orderId: '101', receipt: { paymentKey: '9001', amount: 10_842 } });
    expect(result.fullyMatched).toBe(true);
    const noRate = matchPayout(payout([line]), { ch_1: [receipt('101', '9001', 10_000, { currency: 'EUR' })] });
    expect(noRate.variances[0]?.explanation).toBe(
      'charge txn_1 (payment ch_1): receipt 9001 of order 101 is in EUR, the payout in USD, and the line names no rate',
    );
  });

  it('when a line carries only the merchant’s order reference, then it is matched through the postings by order', () => {
    const line = payoutLine('T-77', 'charge', 2_000, 80, { orderReference: '1042' });
    const result = matchPayout(payout([line]), {}, { '1042': [receipt('1042', '9042', 2_000)] });
    expect(result.lines).toEqual([{ line, matched: true, orderId: '1042', receipt: { paymentKey: '9042', amount: 2_000 } }]);
    expect(result.fullyMatched).toBe(true);
    expect(matchPayout(payout([line]), {}).variances.map((variance) => variance.kind)).toEqual(['unmatchedLine']);
  });
});
