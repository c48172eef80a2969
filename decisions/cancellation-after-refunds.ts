import { formatAmount } from '../mappers/money.js';

/** One refund of the order as the sync ledger holds it ('refund' entries by `orderExternalId`). */
export interface OrderRefundRecord {
  /** The storefront's refund (or return) id. */
  externalId: string;
  state: 'pending' | 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';
  /** What it took off the order's Intacct documents, in minor units of `currency`. */
  amount?: number;
  currency?: string;
  /** The credit memo it created (or, before invoicing, the sales order it changed). */
  intacctDocumentId?: string;
  /** Before invoicing: the sales order it reduced or closed. */
  reducedDocumentId?: string;
  reduction?: 'reduced' | 'closed';
  /** The AR posting that paid the money out. */
  intacctKey?: string;
}

/** What the cancellation was about to undo, in words ("reversing payment 123", "deleting Sales Order-SO-0001"). */
export interface CancellationAfterRefundsInput {
  orderId: string;
  undoing: string;
  refunds: readonly OrderRefundRecord[];
}

export type CancellationAfterRefundsDecision =
  | { action: 'undo' }
  | {
      action: 'park';
      /** The refunds that stop it, in ledger order. */
      refunds: Array<{ refundId: string; state: OrderRefundRecord['state']; amount?: string; currency?: string; documentId?: string }>;
      /** Synced refunds' amounts summed per currency, as decimal strings. */
      refundedTotals: Record<string, string>;
      reason: string;
    };

/** States in which a refund has given money back or may still do so (a refund in flight or parked for a retry). */
const liveStates: ReadonlyArray<OrderRefundRecord['state']> = ['synced', 'pending', 'parked'];

/** Whether a refund counts against undoing the order: live, or (whatever its state) it left something in Intacct. */
function counts(refund: OrderRefundRecord): boolean {
  return (
    liveStates.includes(refund.state) ||
    refund.intacctDocumentId !== undefined ||
    refund.reducedDocumentId !== undefined ||
    refund.intacctKey !== undefined
  );
}

function money(refund: OrderRefundRecord): string | undefined {
  if (refund.amount === undefined || refund.currency === undefined) return undefined;
  return `${formatAmount(refund.amount, refund.currency)} ${refund.currency}`;
}

function describeRefund(refund: OrderRefundRecord): string {
  const parts: string[] = [];
  if (refund.reducedDocumentId !== undefined)
    parts.push(`${refund.reduction === 'closed' ? 'closed' : 'reduced'} ${refund.reducedDocumentId}`);
  else if (refund.intacctDocumentId !== undefined) parts.push(`credit memo ${refund.intacctDocumentId}`);
  const amount = money(refund);
  if (amount !== undefined) parts.push(amount);
  if (refund.intacctKey !== undefined) parts.push(`paid out as AR adjustment ${refund.intacctKey}`);
  if (refund.state === 'pending') parts.push('in flight');
  else if (refund.state !== 'synced') parts.push(refund.state);
  return `refund ${refund.externalId} (${parts.length > 0 ? parts.join(', ') : 'nothing recorded yet'})`;
}

/**
 * Decides whether a cancellation may undo the order in Intacct (reverse its payment, delete or
 * close its document) automatically. An order the store refunded (in part or in full) before
 * cancelling it already gave that money back through ReturnToCreditMemo: reversing the whole
 * payment on top would show the customer refunded twice, so such an order is parked for a
 * person, who reverses only what the refunds left. Refunds skipped or cancelled without leaving
 * anything in Intacct do not count; an order without refunds is undone as before.
 */
export function decideCancellationAfterRefunds(input: CancellationAfterRefundsInput): CancellationAfterRefundsDecision {
  const blocking = input.refunds.filter(counts);
  if (blocking.length === 0) return { action: 'undo' };
  const totals = new Map<string, number>();
  for (const refund of blocking) {
    if (refund.state !== 'synced' || refund.amount === undefined || refund.currency === undefined) continue;
    totals.set(refund.currency, (totals.get(refund.currency) ?? 0) + refund.amount);
  }
  const refundedTotals = Object.fromEntries([...totals].map(([currency, minor]) => [currency, formatAmount(minor, currency)]));
  const totalsInWords = [...totals].map(([currency, minor]) => `${formatAmount(minor, currency)} ${currency}`).join(' + ');
  const reason =
    `order ${input.orderId} was refunded before it was cancelled: ${blocking.map(describeRefund).join('; ')}` +
    `${totalsInWords === '' ? '' : `, ${totalsInWords} given back so far`}; ` +
    `${input.undoing} would give that money back a second time, so nothing was undone in Intacct`;
  return {
    action: 'park',
    refunds: blocking.map((refund) => ({
      refundId: refund.externalId,
      state: refund.state,
      ...(refund.amount !== undefined &&
        refund.currency !== undefined && { amount: formatAmount(refund.amount, refund.currency), currency: refund.currency }),
      ...((refund.reducedDocumentId ?? refund.intacctDocumentId) !== undefined && {
        documentId: (refund.reducedDocumentId ?? refund.intacctDocumentId)!,
      }),
    })),
    refundedTotals,
    reason,
  };
}
