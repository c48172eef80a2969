import { describe, expect, it } from 'vitest';
import { buildPeriodReconciliation, payoutLineFigures, type PeriodReconciliationInput } from './period-reconciliation.js';
import type { PayoutLine } from '../workflows/payout-reconcile-contract.js';
import { payoutLine } from '../test/support/payout-fixtures.js';
import { periodInput, periodPayment, periodPayout } from '../test/support/period-fixtures.js';
import type { PreviousPeriodClosing } from './period-opening-and-unpaid.js';

const payment = periodPayment;
const payout = periodPayout;
let lineNumber = 0;
const line = (kind: PayoutLine['kind'], gross: number, fee: number, reference?: string): PayoutLine =>
  payoutLine(`txn_${(lineNumber += 1)}`, kind, gross, fee, {
    ...(reference !== undefined && { paymentReference: reference }),
    occurredAt: '2026-11-01T00:00:00Z',
  });

const base = (overrides: Partial<PeriodReconciliationInput>): PeriodReconciliationInput =>
  // A month's wait: the tests of other parts of the report list no payment as unpaid-out.
  periodInput('2026-11', { unpaidOut: { afterDays: 30, asOf: '2026-11-30' }, ...overrides });

/** October's stored report, closing the stripe USD roll-forward at `closing`. */
const octoberClosing = (closing: number): PreviousPeriodClosing => ({
  period: '2026-10',
  revision: 2,
  figuresHash: 'hash-of-october',
  closings: [{ gateway: 'stripe', currency: 'USD', closing }],
});

describe('payoutLineFigures', () => {
  it.each([
    [
      'a charge with its fee',
      [line('charge', 10_000, 320)],
      { gross: 10_000, refunds: 0, chargebacks: 0, fees: 320, adjustments: 0, linesNet: 9_680 },
    ],
    [
      'a refund out of the balance',
      [line('refund', -2_500, 0)],
      { gross: 0, refunds: 2_500, chargebacks: 0, fees: 0, adjustments: 0, linesNet: -2_500 },
    ],
    [
      'a chargeback with its dispute fee, then its reversal',
      [line('chargeback', -4_000, 0), line('dispute_fee', -1_500, 0), line('chargeback_reversal', 4_000, 0)],
      { gross: 0, refunds: 0, chargebacks: 0, fees: 1_500, adjustments: 0, linesNet: -1_500 },
    ],
    [
      'a fee line, a reserve held and an adjustment',
      [line('fee', -199, 0), line('reserve', -1_000, 0), line('adjustment', 37, 0)],
      { gross: 0, refunds: 0, chargebacks: 0, fees: 199, adjustments: -963, linesNet: -1_162 },
    ],
  ])('when %s then the register columns sum the lines to the cent', (_name, lines, expected) => {
    expect(payoutLineFigures(lines)).toEqual(expected);
  });
});

describe('buildPeriodReconciliation: clearing roll-forward', () => {
  it("when payouts pay out the month's charges then opening + captured − refunded − fees − chargebacks − paid out = closing = payments not yet paid out, to the cent", () => {
    const report = buildPeriodReconciliation(
      base({
        payments: [
          payment('o1', 12_345, '2026-10-30'), // October, paid out in November: opening
          payment('o2', 10_001, '2026-11-03'),
          payment('o3', 5_099, '2026-11-10'),
          payment('o4', 7_777, '2026-11-30'), // cut-off: sold in November, paid out in December
        ],
        payouts: [
          payout('po_oct', '2026-10-02', [line('charge', 999, 30, 'pi_gone')]), // earlier: a payment not in the ledger window
          payout('po_1', '2026-11-04', [
            line('charge', 12_345, 388, 'pi_o1'),
            line('charge', 10_001, 320, 'pi_o2'),
            line('refund', -2_000, 0),
          ]),
          payout('po_2', '2026-11-12', [
            line('charge', 5_099, 178, 'pi_o3'),
            line('chargeback', -1_200, 0),
            line('dispute_fee', -1_500, 0),
          ]),
        ],
        clearingBalances: { '1060': 7_777 - 999 },
        previousClosing: octoberClosing(12_345 - 969 - 30),
      }),
    );
    const [stripe] = report.gateways;
    expect(stripe!.rollForward).toEqual({
      opening: 12_345 - 969 - 30, // o1, less po_oct's movement (its charge's payment predates the ledger)
      openingFrom: {
        source: 'previousReport',
        period: '2026-10',
        revision: 2,
        figuresHash: 'hash-of-october',
        fromRecords: 12_345 - 969 - 30,
      },
      captured: 10_001 + 5_099 + 7_777,
      refunded: 2_000,
      fees: 388 + 320 + 178 + 1_500,
      chargebacks: 1_200,
      adjustments: 0,
      paidOut: 12_345 + 10_001 - 388 - 320 - 2_000 + 5_099 - 178 - 1_200 - 1_500,
      closing: 7_777 - 999,
      notYetPaidOut: 7_777,
      differenceFromNotYetPaidOut: -999,
      intacct: {
        compared: true,
        accountNo: '1060',
        balance: 6_778,
        expected: 6_778,
        explainedByUnpostedPayouts: 0,
        unexplained: 0,
        sharedWith: [],
      },
    });
    expect(stripe!.registerTotals).toEqual({
      gross: 27_445,
      refunds: 2_000,
      chargebacks: 1_200,
      fees: 2_386,
      adjustments: 0,
      net: 21_859,
      variance: 0,
    });
    expect(stripe!.register.map((row) => [row.payoutId, row.net, row.depositKey, row.journalKeys])).toEqual([
      ['po_1', 19_638, 'DEP-po_1', ['GJ-po_1']],
      ['po_2', 2_221, 'DEP-po_2', ['GJ-po_2']],
    ]);
    // The one difference: po_oct's charge matches no payment recorded; po_oct is October's, so it is not reported again here.
    expect(report.differences.map((difference) => difference.kind)).toEqual(['closingDiffersFromUnpaidPayments']);
  });

  it("when a payout is parked then Intacct's clearing stays above the roll-forward by exactly that payout and the difference names it", () => {
    const report = buildPeriodReconciliation(
      base({
        payments: [payment('o1', 10_000, '2026-11-02')],
        payouts: [
          payout('po_p', '2026-11-05', [line('charge', 10_000, 320, 'pi_o1')], { state: 'parked', variances: ['charge of o1 differs'] }),
        ],
        clearingBalances: { '1060': 10_000 },
      }),
    );
    const rollForward = report.gateways[0]!.rollForward;
    expect(rollForward.closing).toBe(0);
    expect(rollForward.intacct).toMatchObject({ balance: 10_000, expected: 0, explainedByUnpostedPayouts: 10_000, unexplained: 0 });
    expect(report.differences.map((difference) => [difference.kind, difference.reference])).toEqual([
      ['payoutParked', 'po_p'],
      ['glAwaitsUnpostedPayouts', '1060'],
    ]);
    expect(report.differences[1]!.explanation).toContain('po_p (parked)');
  });

  it('when the GL holds a posting the product did not make then it is an unexplained difference with its figures', () => {
    const report = buildPeriodReconciliation(base({ payments: [payment('o1', 4_200, '2026-11-02')], clearingBalances: { '1060': 4_250 } }));
    expect(report.differences).toEqual([
      expect.objectContaining({
        area: 'intacctGl',
        kind: 'glUnexplained',
        figures: { currency: 'USD', expected: 4_200, actual: 4_250, difference: 50 },
      }),
    ]);
    expect(report.differences[0]!.explanation).toContain('0.50 USD was posted to the account outside the product');
  });

  it("when a payout's lines do not sum to what the bank received then the register shows the variance and says so", () => {
    const report = buildPeriodReconciliation(
      base({
        payments: [payment('o1', 10_000, '2026-11-02')],
        payouts: [payout('po_x', '2026-11-05', [line('charge', 10_000, 300, 'pi_o1')], { amount: 9_650 })],
        clearingBalances: { '1060': 50 },
      }),
    );
    expect(report.gateways[0]!.register[0]).toMatchObject({ net: 9_650, variance: -50 });
    expect(report.differences[0]).toMatchObject({
      kind: 'payoutOutOfBalance',
      figures: { expected: 9_700, actual: 9_650, difference: -50 },
    });
    expect(report.differences[0]!.explanation).toBe(
      "payout po_x paid 96.50 USD to the bank but its lines sum to 97.00 USD: -0.50 USD is not explained by the processor's lines",
    );
  });

  it('when two gateways share undeposited funds then the GL is compared with both closings together', () => {
    const report = buildPeriodReconciliation(
      base({
        gateways: [
          { gateway: 'stripe', clearingAccountNo: '1050' },
          { gateway: 'paypal', clearingAccountNo: '1050' },
        ],
        payments: [payment('o1', 1_000, '2026-11-02'), payment('o2', 2_000, '2026-11-03', { gateway: 'paypal' })],
        clearingBalances: { '1050': 3_000 },
      }),
    );
    expect(report.gateways.map((gateway) => [gateway.gateway, gateway.rollForward.intacct])).toEqual([
      ['stripe', expect.objectContaining({ expected: 3_000, unexplained: 0, sharedWith: ['paypal/USD'] })],
      ['paypal', expect.objectContaining({ expected: 3_000, unexplained: 0, sharedWith: ['stripe/USD'] })],
    ]);
    expect(report.differences).toEqual([]);
  });

  it('when payments are in another currency than the GL then the GL is not compared and the reason says why', () => {
    const report = buildPeriodReconciliation(base({ payments: [payment('o1', 1_000, '2026-11-02', { currency: 'EUR' })] }));
    expect(report.gateways[0]!.rollForward.intacct).toEqual({
      compared: false,
      accountNo: '1060',
      reason: "Intacct's GL is in the base currency USD; account 1060 holds EUR payments",
    });
  });
});

describe('buildPeriodReconciliation: cut-off and disputes', () => {
  it('when sales straddle the month ends then each side of the cut-off lists its payments', () => {
    const report = buildPeriodReconciliation(
      base({
        payments: [payment('sep', 1_111, '2026-10-31'), payment('nov', 2_222, '2026-11-30'), payment('dec', 3_333, '2026-12-01')],
        payouts: [payout('po_n', '2026-11-02', [line('charge', 1_111, 0, 'pi_sep')])],
        clearingBalances: { '1060': 2_222 },
      }),
    );
    expect(report.gateways[0]!.cutOff).toEqual({
      soldNotPaidOut: [{ orderId: 'nov', paymentReference: 'pi_nov', amount: 2_222, capturedOn: '2026-11-30' }],
      soldNotPaidOutTotal: 2_222,
      paidOutSoldEarlier: [
        { orderId: 'sep', paymentReference: 'pi_sep', amount: 1_111, capturedOn: '2026-10-31', payoutId: 'po_n', paidOutOn: '2026-11-02' },
      ],
      paidOutSoldEarlierTotal: 1_111,
    });
    // December's payment is after the period: not in the figures at all.
    expect(report.gateways[0]!.rollForward).toMatchObject({
      opening: 1_111,
      captured: 2_222,
      paidOut: 1_111,
      closing: 2_222,
      notYetPaidOut: 2_222,
    });
  });

  it.each([
    ['needs_response', true],
    ['under_review', true],
    ['won', false],
    ['lost', false],
  ])('when a dispute is %s at the month end then it is listed as open: %s', (status, open) => {
    const report = buildPeriodReconciliation(
      base({
        payments: [payment('o1', 5_000, '2026-11-02')],
        payouts: [payout('po_d', '2026-11-20', [line('charge', 5_000, 0, 'pi_o1'), line('chargeback', -5_000, 0, 'pi_o1')])],
        clearingBalances: { '1060': 0 },
        disputes: [{ disputeId: 'dp_1', status, amount: 5_000, currency: 'USD', paymentReferences: ['pi_o1'], openedOn: '2026-11-18' }],
      }),
    );
    expect(report.gateways[0]!.openDisputes).toEqual(
      open
        ? [
            {
              disputeId: 'dp_1',
              status,
              amount: 5_000,
              currency: 'USD',
              paymentReference: 'pi_o1',
              openedOn: '2026-11-18',
              withdrawn: 5_000,
            },
          ]
        : [],
    );
    expect(report.differences.filter((difference) => difference.area === 'disputes')).toHaveLength(open ? 1 : 0);
  });
});

describe('buildPeriodReconciliation: orders vs Intacct documents vs payments vs refunds', () => {
  const report = buildPeriodReconciliation(
    base({
      payments: [
        payment('100', 5_000, '2026-11-02'),
        payment('101', 2_500, '2026-11-02'),
        payment('103', 1_000, '2026-11-03', { state: 'parked' }),
        payment('104', 3_000, '2026-11-04'),
      ],
      clearingBalances: { '1060': 10_500 },
      orders: [
        { orderId: '100', state: 'synced', intacctDocumentId: 'Sales Invoice-100', recordedOn: '2026-11-02' },
        { orderId: '101', state: 'synced', intacctDocumentId: 'Sales Invoice-101', recordedOn: '2026-11-02' },
        { orderId: '102', state: 'parked', recordedOn: '2026-11-03' },
        { orderId: '103', state: 'synced', intacctDocumentId: 'Sales Invoice-103', recordedOn: '2026-11-03' },
        { orderId: '104', state: 'synced', intacctDocumentId: 'Sales Invoice-104', recordedOn: '2026-11-04' },
        { orderId: '105', state: 'cancelled', recordedOn: '2026-11-05' },
      ],
      intacctDocuments: [
        { referenceNumber: '100', documentId: 'Sales Invoice-100', total: 5_000 },
        { referenceNumber: '101', documentId: 'Sales Invoice-101', total: 2_500 },
        { referenceNumber: '101', documentId: 'Sales Invoice-101b', total: 2_500 },
        { referenceNumber: '104', documentId: 'Sales Invoice-104', total: 3_100 },
      ],
      refunds: [
        {
          refundId: 'r1',
          orderId: '100',
          state: 'synced',
          intacctDocumentId: 'Credit Memo-r1',
          amount: 700,
          currency: 'USD',
          recordedOn: '2026-11-09',
        },
        { refundId: 'r2', orderId: '101', state: 'failed', amount: 300, currency: 'USD', recordedOn: '2026-11-10' },
      ],
    }),
  );

  it('when the books disagree then the counts and amounts show it', () => {
    expect(report.documents).toEqual({
      currency: 'USD',
      orders: { recorded: 6, posted: 4, unposted: 1, cancelledOrSkipped: 1 },
      intacctDocuments: { count: 4, amount: 13_100, missing: 1, duplicated: 1 },
      payments: { count: 3, amount: 10_500, unposted: { count: 1, amount: 1_000 } },
      refunds: { count: 1, amount: 700, unposted: { count: 1, amount: 300 } },
    });
  });

  it('when an order is missing, duplicated, unposted or different then each is one difference naming it', () => {
    expect(report.differences.map((difference) => [difference.kind, difference.reference])).toEqual([
      ['duplicatedDocument', '101'],
      ['unpostedOrder', '102'],
      ['missingDocument', '103'],
      ['amountDifference', '104'],
      ['unpostedPayment', '103'],
      ['unpostedRefund', 'r2'],
    ]);
    expect(report.differences[0]!.explanation).toBe(
      'Intacct holds 2 sales documents with reference 101 (Sales Invoice-101 25.00 USD, Sales Invoice-101b 25.00 USD); the product posted Sales Invoice-101: 25.00 USD of revenue is counted twice until the extra is deleted',
    );
    expect(report.differences[3]!.figures).toEqual({ currency: 'USD', expected: 3_100, actual: 3_000, difference: -100 });
  });
});

describe('buildPeriodReconciliation: reproducible', () => {
  it('when built twice from the same records then the reports are equal', () => {
    const input = base({
      payments: [payment('o1', 1_000, '2026-11-02')],
      payouts: [payout('po_1', '2026-11-03', [line('charge', 1_000, 59, 'pi_o1')])],
      clearingBalances: { '1060': 0 },
    });
    expect(buildPeriodReconciliation(input)).toEqual(buildPeriodReconciliation(structuredClone(input)));
  });
});
