import { formatAmount } from '../mappers/money.js';
import type { ProcessorPayout } from '../workflows/payout-reconcile-contract.js';
import { lineReferences } from './period-gl-and-disputes.js';
import { unpaidOutAfterDays } from './period-opening-and-unpaid.js';
import type { PeriodPaymentRecord } from './period-reconciliation.js';

/** The attention code of a payment captured and recorded that no payout included after the tenant's days. */
export const paymentNotPaidOutCode = 'payment_not_paid_out';

/** Such an item's key in the tenant's attention queue: one per gateway and payment reference. */
export function unpaidOutAttentionId(gateway: string, paymentReference: string): string {
  return `unpaid-out:${gateway}:${paymentReference}`;
}

/** What the daily check reads: the tenant's recorded payments, the payouts paid so far and the items it opened before. */
export interface UnpaidOutCheckRecords {
  /** The day the days are counted to (YYYY-MM-DD, tenant's time zone): the day the summary sums up. */
  asOf: string;
  /** `close.unpaidOutAfterDays`. */
  afterDays: number;
  /** The gateways with close settings (lower case): only their payments wait for a payout. */
  gateways: readonly string[];
  payments: readonly PeriodPaymentRecord[];
  /** Payouts paid to the bank and not reversed (a `not_paid` posting is not one). */
  paidPayouts: ReadonlyArray<Pick<ProcessorPayout, 'payoutId' | 'gateway' | 'currency' | 'lines'>>;
  /** The external ids of the `payment_not_paid_out` items open now. */
  openItemIds: readonly string[];
}

/** One item to open (or keep open with today's figures). */
export interface UnpaidOutAttentionItem {
  externalId: string;
  reason: string;
  fix: string;
  details: {
    gateway: string;
    currency: string;
    orderId: string;
    paymentReference: string;
    amount: number;
    capturedOn: string;
    daysWaiting: number;
  };
}

/** What the check decided: items to open, open items to resolve and why, and the summary's figures. */
export interface UnpaidOutCheck {
  open: UnpaidOutAttentionItem[];
  resolve: Array<{ externalId: string; why: string }>;
  /** For the daily summary: how many payments wait and their total per currency (minor units). */
  summary: { afterDays: number; asOf: string; count: number; totals: Record<string, number> };
}

const fix =
  'Look the payment up at the processor: held or in review, refunded or disputed outside the store, or paid out in a payout not imported yet (import it). The item resolves itself once a paid payout includes the payment.';

/**
 * Decides the `payment_not_paid_out` attention items (pure): a payment the product recorded
 * that no paid payout of its gateway includes after `afterDays` days (the same rule and count as
 * the month's report, {@link unpaidOutAfterDays}) gets one item; an open item whose payment a
 * payout now includes, or that no longer waits for one (cancelled, refunded in the books), is
 * resolved.
 */
export function decideUnpaidOutAttention(records: UnpaidOutCheckRecords): UnpaidOutCheck {
  const paidOutIn = new Map<string, string>();
  const payments = records.payments.filter(
    (payment) =>
      payment.state === 'synced' &&
      payment.gateway !== undefined &&
      records.gateways.includes(payment.gateway) &&
      payment.recordedOn <= records.asOf,
  );
  for (const payout of records.paidPayouts)
    for (const line of payout.lines.filter((candidate) => candidate.kind === 'charge')) {
      const references = lineReferences(line);
      const payment = payments.find(
        (candidate) =>
          candidate.gateway === payout.gateway.toLowerCase() &&
          candidate.currency === payout.currency &&
          (candidate.gatewayTransactionIds.some((id) => references.includes(id)) || candidate.orderId === line.orderReference),
      );
      if (payment !== undefined) paidOutIn.set(payment.paymentId, payout.payoutId);
    }

  const groups = new Map<string, PeriodPaymentRecord[]>();
  for (const payment of payments.filter((candidate) => !paidOutIn.has(candidate.paymentId))) {
    const key = `${payment.gateway}\u0000${payment.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), payment]);
  }
  const open: UnpaidOutAttentionItem[] = [];
  const totals: Record<string, number> = {};
  for (const [key, waiting] of [...groups].sort(([left], [right]) => (left < right ? -1 : 1))) {
    const [gateway, currency] = key.split('\u0000') as [string, string];
    // The report's own rule; its difference (for the report's readers) is not wanted here.
    const unpaid = unpaidOutAfterDays(waiting, { afterDays: records.afterDays, asOf: records.asOf }, { gateway, currency }, []);
    if (unpaid.payments.length > 0) totals[currency] = (totals[currency] ?? 0) + unpaid.total;
    for (const payment of unpaid.payments)
      open.push({
        externalId: unpaidOutAttentionId(gateway, payment.paymentReference),
        // No day count in the words: the alert is keyed to them, so a payment still waiting tomorrow is not alerted again.
        reason: `order ${payment.orderId}'s payment ${payment.paymentReference} of ${formatAmount(payment.amount, currency)} ${currency} was captured on ${payment.capturedOn} and its receipt recorded in Intacct, but no ${gateway} payout has included it after ${records.afterDays} days: the money is still in the clearing account`,
        fix,
        details: { gateway, currency, ...payment },
      });
  }

  const stillWaiting = new Set(open.map((item) => item.externalId));
  const byId = new Map(
    records.payments
      .filter((payment) => payment.gateway !== undefined)
      .flatMap((payment) =>
        [payment.gatewayTransactionIds[0] ?? payment.paymentId].map(
          (reference) => [unpaidOutAttentionId(payment.gateway!, reference), payment] as const,
        ),
      ),
  );
  const resolve = records.openItemIds
    .filter((externalId) => !stillWaiting.has(externalId))
    .map((externalId) => {
      const payment = byId.get(externalId);
      const payoutId = payment === undefined ? undefined : paidOutIn.get(payment.paymentId);
      return {
        externalId,
        why: payoutId !== undefined ? `payout ${payoutId} included the payment` : 'the payment no longer waits for a payout',
      };
    });
  return { open, resolve, summary: { afterDays: records.afterDays, asOf: records.asOf, count: open.length, totals } };
}
