import { formatAmount } from '../mappers/money.js';
import type { AlertInput } from '../store/alert-outbox.js';
import type { LedgerEntry } from '../store/ledger.js';
import type { PayoutPosting } from '../store/payout-postings.js';
import type { UnpaidOutCheck } from './unpaid-out-attention.js';

/** What a tenant's day is summed up from: records of that day only. */
export interface DailySummaryRecords {
  tenantId: string;
  /** YYYY-MM-DD in the tenant's time zone. */
  day: string;
  timeZone: string;
  /** The states of the orders the ledger first recorded that day. */
  orderStates: ReadonlyArray<LedgerEntry['state']>;
  /** The payouts posting on that day (their posting date), as PayoutReconcile left them. */
  payouts: ReadonlyArray<Pick<PayoutPosting, 'processor' | 'payoutId' | 'state' | 'currency' | 'figures' | 'variances'>>;
  /** Attention items of the tenant open when the summary is made. */
  openAttention: number;
  /** The daily check's payments paid but in no payout after the tenant's days; absent when it was not run. */
  unpaidOut?: UnpaidOutCheck['summary'];
}

/** The day's figures, as the alert's details carry them. */
export interface DailySummary {
  day: string;
  timeZone: string;
  orders: { recorded: number; synced: number; parked: number; pending: number; failed: number; cancelledOrSkipped: number };
  payouts: {
    posted: number;
    parked: number;
    pending: number;
    /** What reached the bank in the posted payouts, per currency (minor units). */
    postedNet: Record<string, number>;
  };
  /** Each payout variance of the day in words. */
  variances: Array<{ payoutId: string; processor: string; kind: string; explanation: string }>;
  openAttention: number;
  /** Payments paid but in no payout after `afterDays` days at `asOf`: how many, and their total per currency (minor units). */
  unpaidOut?: UnpaidOutCheck['summary'];
}

/** Sums up a day (pure): counts by state, the posted payouts' net per currency, every variance. */
export function buildDailySummary(records: DailySummaryRecords): DailySummary {
  const count = (state: LedgerEntry['state']) => records.orderStates.filter((each) => each === state).length;
  const postedNet: Record<string, number> = {};
  for (const payout of records.payouts.filter((each) => each.state === 'posted'))
    postedNet[payout.currency] = (postedNet[payout.currency] ?? 0) + payout.figures.net;
  return {
    day: records.day,
    timeZone: records.timeZone,
    orders: {
      recorded: records.orderStates.length,
      synced: count('synced'),
      parked: count('parked'),
      pending: count('pending'),
      failed: count('failed'),
      cancelledOrSkipped: count('cancelled') + count('skipped'),
    },
    payouts: {
      posted: records.payouts.filter((each) => each.state === 'posted').length,
      parked: records.payouts.filter((each) => each.state === 'parked').length,
      pending: records.payouts.filter((each) => each.state === 'pending').length,
      postedNet,
    },
    variances: records.payouts.flatMap((payout) =>
      payout.variances.map((variance) => ({
        payoutId: payout.payoutId,
        processor: payout.processor,
        kind: variance.kind,
        explanation: variance.explanation,
      })),
    ),
    openAttention: records.openAttention,
    ...(records.unpaidOut !== undefined && { unpaidOut: records.unpaidOut }),
  };
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The summary in one line: the alert's subject and the webhook's headline. */
export function dailySummaryHeadline(summary: DailySummary): string {
  const { orders, payouts } = summary;
  return `Daily summary of ${summary.day}: ${plural(orders.synced, 'order')} synced, ${orders.parked} parked; ${plural(payouts.posted, 'payout')} posted, ${payouts.parked} parked; ${plural(summary.variances.length, 'variance')}`;
}

/**
 * The summary as the alert the outbox sends (pure): the headline, then one line each for orders,
 * payouts, variances and the attention queue. One per tenant and day: the day is its episode, so
 * a repeated run with the same figures adds nothing.
 */
export function dailySummaryAlert(tenantId: string, summary: DailySummary): AlertInput {
  const { orders, payouts } = summary;
  const nets = Object.entries(payouts.postedNet)
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([currency, amount]) => `${formatAmount(amount, currency)} ${currency}`);
  const unpaidOut = summary.unpaidOut;
  const unpaidTotals = Object.entries(unpaidOut?.totals ?? {})
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([currency, amount]) => `${formatAmount(amount, currency)} ${currency}`);
  const lines = [
    `${dailySummaryHeadline(summary)} (${summary.timeZone}).`,
    `Orders recorded: ${orders.recorded} (${orders.synced} synced, ${orders.parked} parked, ${orders.pending} in progress, ${orders.failed} failed, ${orders.cancelledOrSkipped} cancelled or skipped).`,
    `Payouts: ${payouts.posted} posted${nets.length > 0 ? ` (${nets.join(', ')} to the bank)` : ''}, ${payouts.parked} parked, ${payouts.pending} in progress.`,
    summary.variances.length === 0
      ? 'Variances: none.'
      : `Variances: ${summary.variances.map((variance) => `payout ${variance.payoutId} (${variance.processor}): ${variance.explanation}`).join('; ')}`,
    ...(unpaidOut === undefined
      ? []
      : [
          `Paid but in no payout after ${unpaidOut.afterDays} days: ${unpaidOut.count === 0 ? 'none' : `${plural(unpaidOut.count, 'payment')} (${unpaidTotals.join(', ')}), each an attention item (payment_not_paid_out)`}.`,
        ]),
    `Waiting for a person: ${plural(summary.openAttention, 'open attention item')}.`,
  ];
  return {
    tenantId,
    rule: 'daily_summary',
    subject: { entity: 'tenant', externalId: 'daily-summary' },
    code: 'daily_summary',
    reason: lines.join('\n'),
    fix:
      summary.openAttention === 0
        ? 'Nothing waits for a person.'
        : `Work through the ${plural(summary.openAttention, 'open item')} in the attention queue (parked orders and payouts say what to fix).`,
    details: { ...summary },
    episode: summary.day,
  };
}
