import { formatAmount } from '../mappers/money.js';
import type {
  ClearingRollForward,
  OpeningSource,
  Period,
  ReconciliationDifference,
  UnpaidOutExceptions,
  UnpaidOutPayment,
} from '../workflows/period-reconcile-contract.js';

/** The previous month's stored report, as far as the next month's opening needs it. */
export interface PreviousPeriodClosing {
  period: Period;
  revision: number;
  figuresHash: string;
  /** Each gateway and currency's roll-forward closing in that report. */
  closings: ReadonlyArray<{ gateway: string; currency: string; closing: number }>;
}

/** How many payments an explanation names before it says "and N more" (the section lists them all). */
const namedInExplanation = 10;

const dayMs = 86_400_000;

/** Whole days from one `YYYY-MM-DD` to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/**
 * Sets the roll-forward's opening to where the previous month's report closed (pure). The records
 * before the period still give an opening of their own (`fromRecords`): when the two differ, the
 * records changed after that report was stored, and a difference says so. Without a stored
 * previous report (or one without this gateway) the opening is the records' and, when there were
 * records before the period, a difference says the previous month was not reconciled.
 */
export function openingFromPreviousClosing(
  context: { period: Period; previousPeriod: Period; gateway: string; currency: string; hadEarlierRecords: boolean },
  previous: PreviousPeriodClosing | null,
  rollForward: ClearingRollForward,
  differences: ReconciliationDifference[],
): void {
  const { gateway, currency } = context;
  const money = (amount: number) => `${formatAmount(amount, currency)} ${currency}`;
  const fromRecords = rollForward.opening;
  const closing = previous?.closings.find((entry) => entry.gateway === gateway && entry.currency === currency);
  if (previous !== null && closing !== undefined) {
    const source: OpeningSource = {
      source: 'previousReport',
      period: previous.period,
      revision: previous.revision,
      figuresHash: previous.figuresHash,
      fromRecords,
    };
    rollForward.opening = closing.closing;
    rollForward.openingFrom = source;
    if (fromRecords !== closing.closing)
      differences.push({
        area: 'rollForward',
        kind: 'openingDiffersFromPreviousClosing',
        gateway,
        reference: `${gateway}/${currency}/${previous.period}`,
        explanation: `the opening balance is ${money(closing.closing)}, where the report of ${previous.period} (revision ${previous.revision}) closed, but the payments and payouts recorded before ${context.period} now give ${money(fromRecords)}: ${money(fromRecords - closing.closing)} was recorded or changed after that report was stored; reconcile ${previous.period} again, then this month`,
        figures: { currency, expected: fromRecords, actual: closing.closing, difference: closing.closing - fromRecords },
      });
    return;
  }
  const reason =
    previous === null
      ? `${context.previousPeriod} is not reconciled: no report of it is stored`
      : `the report of ${previous.period} (revision ${previous.revision}) has no ${gateway} ${currency} section`;
  rollForward.openingFrom = { source: 'records', reason };
  if (context.hadEarlierRecords)
    differences.push({
      area: 'rollForward',
      kind: 'previousPeriodNotReconciled',
      gateway,
      reference: `${gateway}/${currency}/${context.previousPeriod}`,
      explanation: `${reason}, so the opening balance of ${money(fromRecords)} is worked out from the payments and payouts recorded before ${context.period} and is not checked against a closing a controller has seen; reconcile ${context.previousPeriod} first, then this month again`,
      figures: { currency, expected: fromRecords, actual: fromRecords, difference: 0 },
    });
}

/**
 * The payments recorded (their cash receipt posted) that no payout has included after the
 * tenant's number of days, counted to the report's as-of day (pure); one difference names them.
 */
export function unpaidOutAfterDays(
  notPaidOut: ReadonlyArray<{
    orderId: string;
    paymentId: string;
    gatewayTransactionIds: readonly string[];
    amount: number;
    recordedOn: string;
  }>,
  setting: { afterDays: number; asOf: string },
  group: { gateway: string; currency: string },
  differences: ReconciliationDifference[],
): UnpaidOutExceptions {
  const { gateway, currency } = group;
  const payments: UnpaidOutPayment[] = notPaidOut
    .map((payment) => ({
      orderId: payment.orderId,
      paymentReference: payment.gatewayTransactionIds[0] ?? payment.paymentId,
      amount: payment.amount,
      capturedOn: payment.recordedOn,
      daysWaiting: daysBetween(payment.recordedOn, setting.asOf),
    }))
    .filter((payment) => payment.daysWaiting > setting.afterDays)
    .sort(
      (left, right) => right.daysWaiting - left.daysWaiting || (left.orderId < right.orderId ? -1 : left.orderId > right.orderId ? 1 : 0),
    );
  const total = payments.reduce((sum, payment) => sum + payment.amount, 0);
  if (payments.length > 0) {
    const money = (amount: number) => `${formatAmount(amount, currency)} ${currency}`;
    const named = payments
      .slice(0, namedInExplanation)
      .map((payment) => `order ${payment.orderId} (${payment.paymentReference}, ${money(payment.amount)}, ${payment.daysWaiting} days)`);
    const more = payments.length > namedInExplanation ? ` and ${payments.length - namedInExplanation} more` : '';
    differences.push({
      area: 'payments',
      kind: 'paidNotPaidOut',
      gateway,
      reference: `${gateway}/${currency}`,
      explanation: `${payments.length} payment(s) of ${money(total)} were captured and their receipts recorded in Intacct, but no ${gateway} payout has included them after ${setting.afterDays} days (at ${setting.asOf}): ${named.join(', ')}${more}; look them up at the processor (held, refunded outside the store, or paid out in a payout not imported yet)`,
      figures: { currency, expected: 0, actual: total, difference: total },
    });
  }
  return { afterDays: setting.afterDays, asOf: setting.asOf, payments, total };
}
