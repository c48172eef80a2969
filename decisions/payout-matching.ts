import { formatAmount } from '../mappers/money.js';
import type { PayoutLine, ProcessorPayout } from '../workflows/payout-reconcile-contract.js';

/**
 * What the product posted to Intacct for one storefront payment, found by its payment reference
 * (the gateway's transaction id, BigCommerce `gateway_transaction_id`): the cash receipt of the
 * order's payment, or the credit memo of a refund. Built by the caller from the sync ledger.
 */
export type LedgerPosting =
  | {
      readonly kind: 'receipt';
      readonly orderId: string;
      /** The storefront's own id of the transaction (BigCommerce transaction id), when known. */
      readonly storefrontTransactionId?: string;
      /** ARPYMT RECORDNO: the receipt key a deposit moves. */
      readonly paymentKey: string;
      /** Minor units of {@link currency}. */
      readonly amount: number;
      readonly currency: string;
      /** The deposit's id (a payout id) when the receipt is already deposited. */
      readonly depositedIn?: string;
    }
  | {
      readonly kind: 'creditMemo';
      readonly orderId: string;
      readonly storefrontTransactionId?: string;
      /** The credit memo's Intacct key (DOCID or ARADJUSTMENT RECORDNO). */
      readonly documentKey: string;
      /** Minor units of {@link currency}, as a positive amount credited. */
      readonly amount: number;
      readonly currency: string;
    };

/** What the ledger knows, by payment reference. A reference with several captures or refunds has several postings. */
export type LedgerPostingsByReference = Readonly<Record<string, readonly LedgerPosting[]>>;

/** One payout line and what it was matched to. */
export interface PayoutLineMatch {
  readonly line: PayoutLine;
  /** False when the line needed a posting the ledger does not have (see the variances). */
  readonly matched: boolean;
  readonly orderId?: string;
  /** The receipt a charge line deposits, and its amount in payout currency minor units. */
  readonly receipt?: { readonly paymentKey: string; readonly amount: number };
  /** The credit memo a refund line pays out. */
  readonly creditMemoKey?: string;
}

export const payoutVarianceKinds = [
  'unmatchedLine',
  'amountDifference',
  'duplicateLine',
  'alreadyDeposited',
  'payoutOutOfBalance',
] as const;
/** Why a payout does not reconcile by itself; each becomes an attention item. */
export type PayoutVarianceKind = (typeof payoutVarianceKinds)[number];

/** A difference between the processor and the books, in words and figures (minor units of `currency`). */
export interface PayoutVariance {
  readonly kind: PayoutVarianceKind;
  readonly payoutId: string;
  readonly lineId?: string;
  readonly paymentReference?: string;
  readonly explanation: string;
  readonly figures: { readonly currency: string; readonly expected: number; readonly actual: number; readonly difference: number };
}

/** The outcome of {@link matchPayout}. */
export interface PayoutMatching {
  readonly payoutId: string;
  readonly currency: string;
  readonly lines: readonly PayoutLineMatch[];
  readonly variances: readonly PayoutVariance[];
  /** Σ of the lines' net: what the payout should be. */
  readonly linesNet: number;
  /** Every line matched, every amount agreed, the lines sum to the payout: clearing nets to zero once posted. */
  readonly fullyMatched: boolean;
}

/** Line kinds that move a storefront payment's money and so must name a payment the product posted. */
const paymentBoundKinds: ReadonlySet<PayoutLine['kind']> = new Set([
  'charge',
  'refund',
  'chargeback',
  'chargeback_reversal',
  'dispute_fee',
]);

/**
 * Matches each line of a payout to what the product posted, by payment reference: a charge to the
 * order's cash receipt (the receipt the deposit moves), a refund to the order's credit memo,
 * a dispute line to the order's receipt; fees, reserves and adjustments belong to no payment.
 * Every line the books cannot explain, every amount that differs, a receipt matched twice or
 * already deposited by another payout, and a payout whose lines do not sum to its amount become
 * variances, explained in words with the figures. A line whose payment reference the ledger does
 * not know is looked up by its order reference in `postingsByOrder` (keyed by storefront order
 * id), for processors that carry the merchant's order id rather than the gateway's transaction id.
 * Pure: the caller gathers the postings.
 */
export function matchPayout(
  payout: ProcessorPayout,
  postings: LedgerPostingsByReference,
  postingsByOrder: LedgerPostingsByReference = {},
): PayoutMatching {
  const money = (minor: number) => `${payout.currency} ${formatAmount(minor, payout.currency)}`;
  const variances: PayoutVariance[] = [];
  const usedReceipts = new Set<string>();
  const lines: PayoutLineMatch[] = [];
  const variance = (kind: PayoutVarianceKind, line: PayoutLine | undefined, explanation: string, expected: number, actual: number) =>
    variances.push({
      kind,
      payoutId: payout.payoutId,
      ...(line !== undefined && { lineId: line.lineId }),
      ...(line?.paymentReference !== undefined && { paymentReference: line.paymentReference }),
      explanation,
      figures: { currency: payout.currency, expected, actual, difference: actual - expected },
    });

  for (const line of payout.lines) {
    const reference = line.paymentReference;
    // The payment reference first; the merchant's order reference when the processor carried no payment the ledger knows.
    const byPayment = reference === undefined ? undefined : postings[reference];
    const found = byPayment ?? (line.orderReference === undefined ? undefined : postingsByOrder[line.orderReference]) ?? [];
    const what = `${line.kind.replace('_', ' ')} ${line.lineId}${reference === undefined ? '' : ` (payment ${reference})`}`;
    const anyOrder = found[0]?.orderId;
    if (!paymentBoundKinds.has(line.kind)) {
      lines.push({ line, matched: true, ...(anyOrder !== undefined && { orderId: anyOrder }) });
      continue;
    }
    if (line.kind === 'charge') {
      const receipts = found.filter((posting) => posting.kind === 'receipt');
      const receipt = receipts.find((candidate) => !usedReceipts.has(candidate.paymentKey));
      if (receipt === undefined) {
        if (receipts.length > 0)
          variance(
            'duplicateLine',
            line,
            `${what} of ${money(line.gross)} pays a receipt another line of this payout already matched`,
            0,
            line.gross,
          );
        else
          variance(
            'unmatchedLine',
            line,
            `${what} of ${money(line.gross)} matches no payment the product posted to Intacct`,
            0,
            line.gross,
          );
        lines.push({ line, matched: false });
        continue;
      }
      usedReceipts.add(receipt.paymentKey);
      if (receipt.depositedIn !== undefined && receipt.depositedIn !== payout.payoutId) {
        variance(
          'alreadyDeposited',
          line,
          `${what}: receipt ${receipt.paymentKey} of order ${receipt.orderId} is already deposited by payout ${receipt.depositedIn}`,
          0,
          line.gross,
        );
        lines.push({ line, matched: false, orderId: receipt.orderId });
        continue;
      }
      const amount = receiptAmountInPayoutCurrency(receipt, line, payout.currency);
      if (amount === undefined) {
        variance(
          'amountDifference',
          line,
          `${what}: receipt ${receipt.paymentKey} of order ${receipt.orderId} is in ${receipt.currency}, the payout in ${payout.currency}, and the line names no rate`,
          line.gross,
          line.gross,
        );
        lines.push({ line, matched: false, orderId: receipt.orderId });
        continue;
      }
      if (amount !== line.gross)
        variance(
          'amountDifference',
          line,
          `${what} collected ${money(line.gross)} but receipt ${receipt.paymentKey} of order ${receipt.orderId} records ${money(amount)}`,
          amount,
          line.gross,
        );
      lines.push({ line, matched: true, orderId: receipt.orderId, receipt: { paymentKey: receipt.paymentKey, amount } });
      continue;
    }
    if (line.kind === 'refund') {
      const credits = found.filter((posting) => posting.kind === 'creditMemo');
      if (credits.length === 0) {
        variance('unmatchedLine', line, `${what} of ${money(-line.gross)} has no credit memo the product posted to Intacct`, 0, line.gross);
        lines.push({ line, matched: false, ...(anyOrder !== undefined && { orderId: anyOrder }) });
        continue;
      }
      const credit = credits.find((candidate) => candidate.amount === -line.gross) ?? credits[0]!;
      if (credit.currency === payout.currency && credit.amount !== -line.gross)
        variance(
          'amountDifference',
          line,
          `${what} paid back ${money(-line.gross)} but credit memo ${credit.documentKey} of order ${credit.orderId} credits ${money(credit.amount)}`,
          -credit.amount,
          line.gross,
        );
      lines.push({ line, matched: true, orderId: credit.orderId, creditMemoKey: credit.documentKey });
      continue;
    }
    const receipt = found.find((posting) => posting.kind === 'receipt');
    if (receipt === undefined) {
      variance(
        'unmatchedLine',
        line,
        `${what} (net ${money(line.net)}) concerns a payment the product never posted to Intacct`,
        0,
        line.net,
      );
      lines.push({ line, matched: false });
      continue;
    }
    lines.push({ line, matched: true, orderId: receipt.orderId });
  }

  const linesNet = payout.lines.reduce((sum, line) => sum + line.net, 0);
  if (linesNet !== payout.amount)
    variance(
      'payoutOutOfBalance',
      undefined,
      `payout ${payout.payoutId} paid ${money(payout.amount)} but its ${payout.lines.length} lines come to ${money(linesNet)}: ${money(payout.amount - linesNet)} unexplained`,
      linesNet,
      payout.amount,
    );
  return { payoutId: payout.payoutId, currency: payout.currency, lines, variances, linesNet, fullyMatched: variances.length === 0 };
}

/** The receipt's amount in the payout's currency: its own when they agree, else the line's original amount when that is the receipt's currency. */
function receiptAmountInPayoutCurrency(
  receipt: { readonly amount: number; readonly currency: string },
  line: PayoutLine,
  payoutCurrency: string,
): number | undefined {
  if (receipt.currency === payoutCurrency) return receipt.amount;
  if (line.original?.currency !== receipt.currency) return undefined;
  // The processor converted the order's currency at its rate: the receipt agrees when the original amounts do.
  return receipt.amount === line.original.amount ? line.gross : Math.round(receipt.amount * line.original.exchangeRate);
}
