/**
 * Which captured payments of a posted order still need an Intacct payment of their own: the
 * rule behind "a payment captured after posting is recorded once per capture".
 */

/** One of the order's storefront payment transactions, as the rule reads it (minor units of the order's currency). */
export interface PaymentTransaction {
  /** The storefront's transaction id: the key a capture is recorded under. */
  transactionId: string;
  /** Money taken is `capture` (of an earlier authorisation) or `purchase` (authorised and captured at once). */
  kind: 'authorization' | 'capture' | 'purchase' | 'void' | 'refund' | 'other';
  amount: number;
  /** False for a failed or still pending transaction: no money moved. */
  succeeded: boolean;
  /** When the storefront recorded it (ISO 8601). */
  at: string;
  /** The id the payment gateway knows it by (BigCommerce `gateway_transaction_id`): how a payout line finds it. */
  gatewayTransactionId?: string;
}

/** A capture to record as its own Intacct payment. */
export interface CaptureToRecord {
  transactionId: string;
  /** What the payment receives, in minor units. */
  amount: number;
  /** What of it the order's invoice may still take; the rest stays on the payment unapplied. */
  applicable: number;
  capturedAt: string;
  /** The gateway's id of the capture, when the storefront gave one (see {@link PaymentTransaction.gatewayTransactionId}). */
  gatewayTransactionId?: string;
}

export interface CapturesToRecordInput {
  /** The order's transactions in the storefront's order (oldest first). */
  transactions: readonly PaymentTransaction[];
  /**
   * The payment recorded when the order was posted, if any, with the amount it received;
   * `amount` undefined for payments recorded before amounts were kept.
   */
  postingPayment: { amount: number | undefined } | undefined;
  /** Captures already recorded on their own (the ledger's entries), with their amounts. */
  recordedCaptures: ReadonlyArray<{ transactionId: string; amount: number }>;
  /** The order's total: more than this is never applied to its invoice. */
  orderTotal: number;
}

export interface CapturesToRecord {
  captures: CaptureToRecord[];
  /** The authorisation was voided: nothing was captured, and nothing will be. */
  voided: boolean;
}

const takesMoney = (transaction: PaymentTransaction) =>
  transaction.succeeded && transaction.amount > 0 && (transaction.kind === 'capture' || transaction.kind === 'purchase');

/**
 * The captures no payment accounts for yet. The payment recorded at posting received what had
 * been captured by then, so it accounts for the oldest captures not recorded on their own, up
 * to its amount (all of them when its amount is unknown: an old payment is never doubled), and
 * for the difference of a capture recorded for less than it took. Each capture beyond that, not
 * in `recordedCaptures`, is recorded once, for what the posting payment leaves of it; failed and pending transactions, authorisations and voids take no money
 * and record nothing.
 */
export function capturesToRecord(input: CapturesToRecordInput): CapturesToRecord {
  const recorded = new Map(input.recordedCaptures.map((capture) => [capture.transactionId, capture.amount]));
  let postingCovers = input.postingPayment === undefined ? 0 : (input.postingPayment.amount ?? Number.POSITIVE_INFINITY);
  let applied = (input.postingPayment?.amount ?? 0) + input.recordedCaptures.reduce((sum, capture) => sum + Math.max(0, capture.amount), 0);
  const captures: CaptureToRecord[] = [];
  for (const transaction of input.transactions.filter(takesMoney)) {
    const recordedAmount = recorded.get(transaction.transactionId);
    if (recordedAmount !== undefined) {
      // Recorded for less than it took: the posting payment had received the difference.
      postingCovers -= Math.max(0, Math.min(postingCovers, transaction.amount - recordedAmount));
      continue;
    }
    const covered = Math.min(postingCovers, transaction.amount);
    postingCovers -= covered;
    const amount = transaction.amount - covered;
    if (amount <= 0) continue;
    const applicable = Math.max(0, Math.min(amount, input.orderTotal - applied));
    applied += applicable;
    captures.push({
      transactionId: transaction.transactionId,
      amount,
      applicable,
      capturedAt: transaction.at,
      ...(transaction.gatewayTransactionId !== undefined && { gatewayTransactionId: transaction.gatewayTransactionId }),
    });
  }
  const voided = input.transactions.some((transaction) => transaction.kind === 'void' && transaction.succeeded);
  return { captures, voided };
}
