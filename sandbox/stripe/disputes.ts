import { unexpectedState } from './errors.js';
import { disputeFee, toSettlement } from './fees.js';
import type { ChargeRecord, DisputeRecord } from './model.js';
import { renderCharge, renderDispute } from './render.js';
import type { StripeWorld } from './world.js';

/** Reasons a cardholder's bank gives (Stripe's `dispute.reason`). */
export const disputeReasons = [
  'bank_cannot_process',
  'check_returned',
  'credit_not_processed',
  'customer_initiated',
  'debit_not_authorized',
  'duplicate',
  'fraudulent',
  'general',
  'incorrect_account_details',
  'insufficient_funds',
  'product_not_received',
  'product_unacceptable',
  'subscription_canceled',
  'unrecognized',
] as const;

/**
 * The cardholder disputes a captured charge (what Stripe's test card 4000 0000 0000 0259 does):
 * the disputed amount and the dispute fee leave the balance at once, as one `adjustment`.
 */
export function openDispute(world: StripeWorld, charge: ChargeRecord, amount?: number, reason: string = 'fraudulent'): DisputeRecord {
  if (!charge.captured) throw unexpectedState(`Charge ${charge.id} has not been captured and cannot be disputed.`, 'charge_not_capturable');
  if (charge.disputed) throw unexpectedState(`Charge ${charge.id} is already disputed.`, 'charge_disputed');
  const disputed = amount ?? charge.amountCaptured - charge.amountRefunded;
  if (disputed < 1 || disputed > charge.amountCaptured - charge.amountRefunded)
    throw unexpectedState(
      `A dispute of ${disputed} is more than the ${charge.amountCaptured - charge.amountRefunded} left on charge ${charge.id}.`,
      'amount_too_large',
      'amount',
    );
  const id = world.newId('dp');
  const settled = toSettlement(disputed, charge.currency, world.settings);
  const feeDetails = disputeFee(world.settings.fees.disputeFee, world.settings);
  const withdrawal = world.addBalanceTransaction({
    amount: -settled.amount,
    currency: world.settings.settlementCurrency,
    fee: world.settings.fees.disputeFee,
    feeDetails,
    type: 'adjustment',
    reportingCategory: 'dispute',
    source: id,
    description: `Chargeback withdrawal for ${charge.id}`,
    exchangeRate: settled.exchangeRate,
    availableOn: world.now(),
  });
  const dispute = world.insert('disputes', {
    id,
    amount: disputed,
    currency: charge.currency,
    charge: charge.id,
    paymentIntent: charge.paymentIntent,
    reason,
    status: 'needs_response',
    created: world.now(),
    balanceTransactions: [withdrawal.id],
    metadata: {},
  });
  charge.disputed = true;
  world.emit('charge.dispute.created', renderDispute(dispute, world));
  world.emit('charge.dispute.funds_withdrawn', renderDispute(dispute, world));
  return dispute;
}

/** Evidence submitted: the bank reviews it. */
export function submitEvidence(world: StripeWorld, dispute: DisputeRecord): void {
  assertOpen(dispute);
  const previous = { status: dispute.status };
  dispute.status = 'under_review';
  world.emit('charge.dispute.updated', renderDispute(dispute, world), previous);
}

/**
 * The bank decides. Lost: the funds stay withdrawn. Won: the disputed amount comes back as a
 * second `adjustment` (with the dispute fee, when the account's pricing returns it).
 */
export function closeDispute(world: StripeWorld, dispute: DisputeRecord, outcome: 'won' | 'lost'): DisputeRecord {
  assertOpen(dispute);
  const charge = world.get('charges', dispute.charge);
  if (outcome === 'won') {
    const settled = toSettlement(dispute.amount, dispute.currency, world.settings);
    const { disputeFee: fee, disputeFeeReturnedWhenWon } = world.settings.fees;
    const returnedFee = disputeFeeReturnedWhenWon ? -fee : 0;
    const reversal = world.addBalanceTransaction({
      amount: settled.amount,
      currency: world.settings.settlementCurrency,
      fee: returnedFee,
      feeDetails: disputeFee(returnedFee, world.settings),
      type: 'adjustment',
      reportingCategory: 'dispute_reversal',
      source: dispute.id,
      description: `Chargeback reversal for ${charge.id}`,
      exchangeRate: settled.exchangeRate,
      availableOn: world.now(),
    });
    dispute.balanceTransactions.push(reversal.id);
  }
  const previous = { status: dispute.status };
  dispute.status = outcome;
  if (outcome === 'won') world.emit('charge.dispute.funds_reinstated', renderDispute(dispute, world));
  world.emit('charge.dispute.closed', renderDispute(dispute, world), previous);
  world.emit('charge.updated', renderCharge(charge));
  return dispute;
}

function assertOpen(dispute: DisputeRecord): void {
  if (dispute.status === 'won' || dispute.status === 'lost')
    throw unexpectedState(`This dispute is already closed (${dispute.status}).`, 'dispute_already_closed');
}
