import type { StripeBalanceTransaction, StripeBalanceTransactionSource, StripePayout } from '../connectors/stripe/index.js';
import type { PayoutLine, PayoutLineKind, ProcessorPayout } from '../workflows/payout-reconcile-contract.js';
import { isIso4217Currency } from './money.js';

/** What the Stripe connector reads for one payout: the payout and every balance transaction it settled. */
export interface StripePayoutInput {
  payout: StripePayout;
  /** From `GET /v1/balance_transactions?payout=…&expand[]=data.source`; the payout's own line may be among them. */
  balanceTransactions: readonly StripeBalanceTransaction[];
  /** The storefront's name of the gateway whose settings the payout posts with. Default `stripe`. */
  gateway?: string;
}

/** Why a Stripe payout cannot be read as a {@link ProcessorPayout}, each problem named. */
export class StripePayoutMappingError extends Error {
  override readonly name = 'StripePayoutMappingError';

  constructor(
    readonly payoutId: string,
    readonly problems: readonly string[],
  ) {
    super(`Stripe payout ${payoutId} cannot be read: ${problems.join('; ')}`);
  }
}

const payoutStatuses = ['pending', 'in_transit', 'paid', 'failed', 'canceled'] as const;

/** Balance transaction types that are a payment coming in (`payment`: non-card methods) or a partial capture given back. */
const chargeTypes = new Set(['charge', 'payment']);
const refundTypes = new Set(['refund', 'payment_refund', 'refund_failure']);
const feeTypes = new Set(['stripe_fee', 'stripe_fx_fee', 'tax_fee', 'application_fee', 'application_fee_refund', 'network_cost']);
const reserveTypes = new Set(['reserve_transaction', 'reserved_funds', 'payment_network_reserve_hold', 'payment_network_reserve_release']);

function isDispute(source: StripeBalanceTransactionSource | null): boolean {
  if (source === null) return false;
  return source.object === 'dispute' || /^(dp|du)_/.test(source.id);
}

/**
 * A balance transaction's kind in the books' words. `type` first; an `adjustment` is told apart
 * by its source (a dispute: chargeback when money goes out, its reversal when it comes back) and
 * by Stripe's `reporting_category`; anything else stays an adjustment, shown with Stripe's type.
 */
export function stripeLineKind(line: Pick<StripeBalanceTransaction, 'type' | 'amount' | 'reporting_category' | 'source'>): PayoutLineKind {
  const category = line.reporting_category;
  if (chargeTypes.has(line.type)) return 'charge';
  if (refundTypes.has(line.type)) return 'refund';
  if (reserveTypes.has(line.type) || category === 'risk_reserved_funds') return 'reserve';
  if (feeTypes.has(line.type)) return isDispute(line.source) ? 'dispute_fee' : 'fee';
  if (line.type === 'adjustment') {
    if (isDispute(line.source) || category === 'dispute' || category === 'dispute_reversal')
      return category === 'dispute_reversal' || (category !== 'dispute' && line.amount > 0) ? 'chargeback_reversal' : 'chargeback';
    if (category === 'refund_failure') return 'refund';
    if (category === 'partial_capture_reversal') return 'charge';
    if (category === 'fee') return 'fee';
  }
  return 'adjustment';
}

/** Unix seconds as ISO 8601 (UTC). */
const isoTime = (seconds: number): string => new Date(seconds * 1000).toISOString();
/** Unix seconds as the UTC calendar date Stripe means (arrival dates are midnight UTC). */
const calendarDate = (seconds: number): string => isoTime(seconds).slice(0, 10);

function references(source: StripeBalanceTransactionSource | null): Pick<PayoutLine, 'paymentReference' | 'otherPaymentReferences'> {
  if (source === null) return {};
  const { paymentIntentId, chargeId } = source;
  if (paymentIntentId !== null)
    return { paymentReference: paymentIntentId, ...(chargeId !== null && { otherPaymentReferences: [chargeId] }) };
  return chargeId === null ? {} : { paymentReference: chargeId };
}

/**
 * A converted line's original: the source's own amount and currency (signed as the line) and
 * Stripe's rate, where source amount × rate = the line's amount.
 */
function originalOf(line: StripeBalanceTransaction): PayoutLine['original'] {
  const presented = line.source?.presented;
  if (line.exchange_rate == null || presented === undefined || presented.currency === line.currency) return undefined;
  return {
    currency: presented.currency.toUpperCase(),
    amount: Math.sign(line.amount) * presented.amount,
    exchangeRate: line.exchange_rate,
  };
}

/**
 * The lines one balance transaction becomes. The contract's fee is a fee taken, so a fee Stripe
 * gives back (a negative `fee`) and the fee a dispute carries are lines of their own: a dispute's
 * fee is `dispute_fee` (money out when the dispute opens, back in when Stripe returns it), any
 * other fee given back a positive `fee` line. Every line's net sums to the transaction's net.
 */
function linesOf(line: StripeBalanceTransaction, kind: PayoutLineKind): PayoutLine[] {
  const common = {
    occurredAt: isoTime(line.created),
    ...references(line.source),
    ...(line.description != null && line.description !== '' && { description: line.description.slice(0, 500) }),
  };
  const original = originalOf(line);
  const splitFee = kind === 'chargeback' || kind === 'chargeback_reversal' || line.fee < 0;
  if (!splitFee)
    return [{ lineId: line.id, kind, gross: line.amount, fee: line.fee, net: line.net, ...common, ...(original && { original }) }];
  const main: PayoutLine = {
    lineId: line.id,
    kind,
    gross: line.amount,
    fee: 0,
    net: line.amount,
    ...common,
    ...(original && { original }),
  };
  if (line.fee === 0) return [main];
  const feeKind: PayoutLineKind = kind === 'chargeback' || kind === 'chargeback_reversal' ? 'dispute_fee' : 'fee';
  const feeLine: PayoutLine = {
    lineId: `${line.id}:${feeKind}`,
    kind: feeKind,
    gross: -line.fee,
    fee: 0,
    net: -line.fee,
    ...common,
    description: feeKind === 'dispute_fee' ? 'Dispute fee' : 'Fee returned',
  };
  return [main, feeLine];
}

/**
 * A Stripe payout and its balance transactions as the shared {@link ProcessorPayout}: one line
 * per balance transaction (two where a fee is split off, see {@link linesOf}), the payout's own
 * transfer left out, signed as Stripe's balance sees them. The payout's `amount` is what reached
 * the bank; whether the lines sum to it is for matching to judge, not for this mapper to fix.
 * Throws {@link StripePayoutMappingError} naming every problem: an unknown status, a line in
 * another currency, a line whose amount − fee is not its net.
 */
export function fromStripePayout(input: StripePayoutInput): ProcessorPayout {
  const { payout } = input;
  const problems: string[] = [];
  const currency = payout.currency.toUpperCase();
  if (!isIso4217Currency(currency)) problems.push(`currency ${payout.currency} is not an ISO 4217 code`);
  const status = payoutStatuses.find((candidate) => candidate === payout.status);
  if (status === undefined) problems.push(`status ${payout.status} is not one of ${payoutStatuses.join(', ')}`);
  const lines: PayoutLine[] = [];
  for (const line of input.balanceTransactions) {
    if (line.type === 'payout' && line.source?.id === payout.id) continue;
    if (line.currency !== payout.currency) {
      problems.push(`${line.id} is in ${line.currency}, the payout in ${payout.currency}`);
      continue;
    }
    if (line.amount - line.fee !== line.net) {
      problems.push(`${line.id}: amount ${line.amount} − fee ${line.fee} is not its net ${line.net}`);
      continue;
    }
    lines.push(...linesOf(line, stripeLineKind(line)));
  }
  if (problems.length > 0 || status === undefined) throw new StripePayoutMappingError(payout.id, problems);
  return {
    processor: 'stripe',
    gateway: input.gateway ?? 'stripe',
    payoutId: payout.id,
    status,
    currency,
    amount: payout.amount,
    createdDate: calendarDate(payout.created),
    arrivalDate: calendarDate(payout.arrival_date),
    lines,
  };
}
