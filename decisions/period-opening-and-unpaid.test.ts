import { describe, expect, it } from 'vitest';
import type { PeriodReconciliationReport } from '../workflows/period-reconcile-contract.js';
import { daysBetween, type PreviousPeriodClosing } from './period-opening-and-unpaid.js';
import { buildPeriodReconciliation } from './period-reconciliation.js';
import { payoutLine } from '../test/support/payout-fixtures.js';
import { periodInput, periodPayment, periodPayout } from '../test/support/period-fixtures.js';

const payment = periodPayment;
const input = periodInput;

/** A posted payout paying out the named payments' charges with a 3 % fee each. */
const payout = (payoutId: string, postingDate: string, charges: Array<[string, number]>) =>
  periodPayout(
    payoutId,
    postingDate,
    charges.map(([paymentId, gross], index) =>
      payoutLine(`${payoutId}_${index}`, 'charge', gross, Math.round(gross * 0.03), {
        paymentReference: `pi_${paymentId}`,
        occurredAt: `${postingDate}T00:00:00Z`,
      }),
    ),
  );

/** A stored report's closings, as the activity reads them back for the next month. */
const closingOf = (report: PeriodReconciliationReport, revision = 1): PreviousPeriodClosing => ({
  period: report.period,
  revision,
  figuresHash: `hash-${report.period}`,
  closings: report.gateways.map((section) => ({
    gateway: section.gateway,
    currency: section.currency,
    closing: section.rollForward.closing,
  })),
});

const kinds = (report: PeriodReconciliationReport) => report.differences.map((difference) => difference.kind);

describe('daysBetween', () => {
  it.each([
    ['2026-11-01', '2026-11-08', 7],
    ['2026-10-30', '2026-11-02', 3],
    ['2026-03-28', '2026-03-30', 2], // across a daylight-saving change: calendar days, not hours
    ['2026-12-31', '2026-12-31', 0],
  ])('when from %s to %s then %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('buildPeriodReconciliation: the opening balance is the previous month’s closing', () => {
  // October: two payments, one paid out in October; November: a payment, and October's second paid out.
  const october = input('2026-10', {
    payments: [payment('o1', 10_000, '2026-10-05'), payment('o2', 4_000, '2026-10-30')],
    payouts: [payout('po_oct', '2026-10-08', [['o1', 10_000]])],
    unpaidOut: { afterDays: 7, asOf: '2026-10-31' },
  });
  const novemberRecords = {
    payments: [...october.payments, payment('n1', 2_500, '2026-11-20')],
    payouts: [...october.payouts, payout('po_nov', '2026-11-03', [['o2', 4_000]])],
  };

  it('when October was reconciled then November opens at its closing, says so, and closes at the payments not yet paid out', () => {
    const octoberReport = buildPeriodReconciliation(october);
    expect(octoberReport.gateways[0]!.rollForward.closing).toBe(14_000 - 300 - 9_700);
    const november = buildPeriodReconciliation(input('2026-11', { ...novemberRecords, previousClosing: closingOf(octoberReport, 3) }));
    const roll = november.gateways[0]!.rollForward;
    expect(roll.opening).toBe(4_000);
    expect(roll.openingFrom).toEqual({
      source: 'previousReport',
      period: '2026-10',
      revision: 3,
      figuresHash: 'hash-2026-10',
      fromRecords: 4_000,
    });
    expect(roll.closing).toBe(4_000 + 2_500 - 120 - 3_880);
    expect(roll.notYetPaidOut).toBe(2_500);
    expect(roll.differenceFromNotYetPaidOut).toBe(0);
    expect(kinds(november)).not.toContain('previousPeriodNotReconciled');
    expect(kinds(november)).not.toContain('openingDiffersFromPreviousClosing');
  });

  it('when records changed after October was stored then November still opens at the stored closing and a difference gives both figures', () => {
    const stale: PreviousPeriodClosing = {
      period: '2026-10',
      revision: 1,
      figuresHash: 'hash-2026-10',
      closings: [{ gateway: 'stripe', currency: 'USD', closing: 3_700 }],
    };
    const november = buildPeriodReconciliation(input('2026-11', { ...novemberRecords, previousClosing: stale }));
    expect(november.gateways[0]!.rollForward.opening).toBe(3_700);
    const difference = november.differences.find((each) => each.kind === 'openingDiffersFromPreviousClosing');
    expect(difference).toMatchObject({
      area: 'rollForward',
      gateway: 'stripe',
      reference: 'stripe/USD/2026-10',
      figures: { currency: 'USD', expected: 4_000, actual: 3_700, difference: -300 },
    });
    expect(difference!.explanation).toBe(
      'the opening balance is 37.00 USD, where the report of 2026-10 (revision 1) closed, but the payments and payouts recorded before 2026-11 now give 40.00 USD: 3.00 USD was recorded or changed after that report was stored; reconcile 2026-10 again, then this month',
    );
  });

  it('when October was not reconciled then the opening is worked out from the records and the report says it is unchecked', () => {
    const november = buildPeriodReconciliation(input('2026-11', novemberRecords));
    const roll = november.gateways[0]!.rollForward;
    expect(roll.opening).toBe(4_000);
    expect(roll.openingFrom).toEqual({ source: 'records', reason: '2026-10 is not reconciled: no report of it is stored' });
    const difference = november.differences.find((each) => each.kind === 'previousPeriodNotReconciled');
    expect(difference).toMatchObject({ area: 'rollForward', gateway: 'stripe', reference: 'stripe/USD/2026-10' });
    expect(difference!.explanation).toContain(
      'so the opening balance of 40.00 USD is worked out from the payments and payouts recorded before 2026-11',
    );
    expect(difference!.explanation).toContain('reconcile 2026-10 first');
  });

  it('when October’s report has no section for the gateway then the reason names that report', () => {
    const withoutStripe: PreviousPeriodClosing = {
      period: '2026-10',
      revision: 1,
      figuresHash: 'h',
      closings: [{ gateway: 'paypal', currency: 'USD', closing: 0 }],
    };
    const november = buildPeriodReconciliation(input('2026-11', { ...novemberRecords, previousClosing: withoutStripe }));
    expect(november.gateways[0]!.rollForward.openingFrom).toEqual({
      source: 'records',
      reason: 'the report of 2026-10 (revision 1) has no stripe USD section',
    });
    expect(kinds(november)).toContain('previousPeriodNotReconciled');
  });

  it('when nothing was recorded before the month (the first month) then it opens at zero without a difference', () => {
    const first = buildPeriodReconciliation(input('2026-10', october));
    expect(first.gateways[0]!.rollForward.opening).toBe(0);
    expect(first.gateways[0]!.rollForward.openingFrom).toEqual({
      source: 'records',
      reason: '2026-09 is not reconciled: no report of it is stored',
    });
    expect(kinds(first)).not.toContain('previousPeriodNotReconciled');
  });
});

describe('buildPeriodReconciliation: payments paid but in no payout after N days', () => {
  const records = {
    payments: [
      payment('late', 5_000, '2026-11-02'), // 28 days at the 30th
      payment('edge', 1_000, '2026-11-23'), // exactly 7 days: not yet
      payment('over', 2_000, '2026-11-22'), // 8 days
      payment('paid', 3_000, '2026-11-01'),
      payment('recent', 700, '2026-11-29'),
      payment('parked', 900, '2026-11-01', { state: 'parked' }), // no receipt recorded in Intacct
      payment('other', 800, '2026-11-01', { gateway: 'square' }), // a gateway without close settings
    ],
    payouts: [payout('po_1', '2026-11-04', [['paid', 3_000]])],
  };

  it('when payments wait more than the days then the section lists them longest-waiting first and one difference names each', () => {
    const report = buildPeriodReconciliation(input('2026-11', { ...records, unpaidOut: { afterDays: 7, asOf: '2026-11-30' } }));
    expect(report.gateways[0]!.unpaidOut).toEqual({
      afterDays: 7,
      asOf: '2026-11-30',
      payments: [
        { orderId: 'late', paymentReference: 'pi_late', amount: 5_000, capturedOn: '2026-11-02', daysWaiting: 28 },
        { orderId: 'over', paymentReference: 'pi_over', amount: 2_000, capturedOn: '2026-11-22', daysWaiting: 8 },
      ],
      total: 7_000,
    });
    const difference = report.differences.find((each) => each.kind === 'paidNotPaidOut');
    expect(difference).toEqual({
      area: 'payments',
      kind: 'paidNotPaidOut',
      gateway: 'stripe',
      reference: 'stripe/USD',
      explanation:
        '2 payment(s) of 70.00 USD were captured and their receipts recorded in Intacct, but no stripe payout has included them after 7 days (at 2026-11-30): order late (pi_late, 50.00 USD, 28 days), order over (pi_over, 20.00 USD, 8 days); look them up at the processor (held, refunded outside the store, or paid out in a payout not imported yet)',
      figures: { currency: 'USD', expected: 0, actual: 7_000, difference: 7_000 },
    });
  });

  it('when the tenant allows more days then fewer payments are exceptions, and none gives no difference', () => {
    const longer = buildPeriodReconciliation(input('2026-11', { ...records, unpaidOut: { afterDays: 20, asOf: '2026-11-30' } }));
    expect(longer.gateways[0]!.unpaidOut!.payments.map((each) => each.orderId)).toEqual(['late']);
    const none = buildPeriodReconciliation(input('2026-11', { ...records, unpaidOut: { afterDays: 28, asOf: '2026-11-30' } }));
    expect(none.gateways[0]!.unpaidOut).toEqual({ afterDays: 28, asOf: '2026-11-30', payments: [], total: 0 });
    expect(kinds(none)).not.toContain('paidNotPaidOut');
  });

  it('when the month is still open then days count to the as-of day, not to the month’s end', () => {
    const open = buildPeriodReconciliation(input('2026-11', { ...records, unpaidOut: { afterDays: 7, asOf: '2026-11-25' } }));
    expect(open.gateways[0]!.unpaidOut!.payments.map((each) => [each.orderId, each.daysWaiting])).toEqual([['late', 23]]);
  });

  it('when a payment recorded in an earlier month is still unpaid then it is listed too', () => {
    const report = buildPeriodReconciliation(
      input('2026-11', {
        payments: [payment('sept', 1_234, '2026-09-30')],
        previousClosing: null,
        unpaidOut: { afterDays: 7, asOf: '2026-11-30' },
      }),
    );
    expect(report.gateways[0]!.unpaidOut!.payments).toEqual([
      { orderId: 'sept', paymentReference: 'pi_sept', amount: 1_234, capturedOn: '2026-09-30', daysWaiting: 61 },
    ]);
  });

  it('when more than ten wait then the explanation names ten and counts the rest, and the section lists all', () => {
    const many = Array.from({ length: 13 }, (_, index) => payment(`m${String(index).padStart(2, '0')}`, 100, '2026-11-01'));
    const report = buildPeriodReconciliation(input('2026-11', { payments: many, unpaidOut: { afterDays: 7, asOf: '2026-11-30' } }));
    expect(report.gateways[0]!.unpaidOut!.payments).toHaveLength(13);
    const explanation = report.differences.find((each) => each.kind === 'paidNotPaidOut')!.explanation;
    expect(explanation).toContain('order m09 (pi_m09, 1.00 USD, 29 days) and 3 more;');
    expect(explanation).not.toContain('m10');
  });
});
