import { StripeApiError, invalidRequest, unexpectedState } from './errors.js';
import { processingFee, toSettlement } from './fees.js';
import type { CardDetails, ChargeRecord, PaymentIntentRecord, RefundRecord } from './model.js';
import { renderCharge, renderPaymentIntent, renderRefund } from './render.js';
import type { StripeWorld } from './world.js';

/**
 * Stripe's test payment methods the sandbox knows (API reference "Testing"): the card each
 * stands for, and what a payment with it does.
 */
export const testPaymentMethods: Record<string, { card: CardDetails; outcome: 'succeed' | 'decline' | 'dispute' }> = {
  pm_card_visa: { card: { brand: 'visa', last4: '4242', country: 'US', funding: 'credit' }, outcome: 'succeed' },
  pm_card_visa_debit: { card: { brand: 'visa', last4: '5556', country: 'US', funding: 'debit' }, outcome: 'succeed' },
  pm_card_mastercard: { card: { brand: 'mastercard', last4: '4444', country: 'US', funding: 'credit' }, outcome: 'succeed' },
  pm_card_amex: { card: { brand: 'amex', last4: '8431', country: 'US', funding: 'credit' }, outcome: 'succeed' },
  pm_card_chargeDeclined: { card: { brand: 'visa', last4: '0002', country: 'US', funding: 'credit' }, outcome: 'decline' },
  pm_card_createDispute: { card: { brand: 'visa', last4: '0259', country: 'US', funding: 'credit' }, outcome: 'dispute' },
};

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  captureMethod: PaymentIntentRecord['captureMethod'];
  paymentMethod: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

export function createPaymentIntent(world: StripeWorld, input: NewPaymentIntent): PaymentIntentRecord {
  if (input.paymentMethod !== null) knownPaymentMethod(input.paymentMethod);
  toSettlement(input.amount, input.currency, world.settings);
  const id = world.newId('pi');
  const intent = world.insert('paymentIntents', {
    id,
    ...input,
    status: input.paymentMethod === null ? 'requires_payment_method' : 'requires_confirmation',
    latestCharge: null,
    amountCapturable: 0,
    amountReceived: 0,
    created: world.now(),
    canceledAt: null,
    cancellationReason: null,
    clientSecret: `${id}_secret_${world.newId('s').slice(2)}`,
    lastPaymentError: null,
  });
  world.emit('payment_intent.created', renderPaymentIntent(intent));
  return intent;
}

function knownPaymentMethod(id: string): (typeof testPaymentMethods)[string] {
  const method = testPaymentMethods[id];
  if (method === undefined)
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such PaymentMethod: '${id}'`,
      param: 'payment_method',
    });
  return method;
}

/**
 * Confirms the intent with its payment method: a charge is made; a declined card leaves the
 * intent waiting for another method and answers 402, an approved one captures at once or, for
 * manual capture, waits for {@link capturePaymentIntent}.
 */
export function confirmPaymentIntent(
  world: StripeWorld,
  intent: PaymentIntentRecord,
  paymentMethod: string | undefined,
  openDispute: (charge: ChargeRecord) => void,
): PaymentIntentRecord {
  if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation')
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
      'payment_intent_unexpected_state',
    );
  const methodId = paymentMethod ?? intent.paymentMethod;
  if (methodId === null)
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with cus_xxx, specify a payment method attached to this customer along with the customer ID.",
      'payment_method',
      'payment_intent_unexpected_state',
    );
  const method = knownPaymentMethod(methodId);
  intent.paymentMethod = methodId;
  const declined = method.outcome === 'decline';
  const automatic = intent.captureMethod !== 'manual';
  const charge = world.insert('charges', {
    id: world.newId('ch'),
    amount: intent.amount,
    amountCaptured: 0,
    amountRefunded: 0,
    currency: intent.currency,
    captured: false,
    status: declined ? 'failed' : 'succeeded',
    paymentIntent: intent.id,
    paymentMethod: methodId,
    card: method.card,
    balanceTransaction: null,
    created: world.now(),
    description: intent.description,
    metadata: { ...intent.metadata },
    disputed: false,
    failureCode: declined ? 'card_declined' : null,
    failureMessage: declined ? 'Your card was declined.' : null,
  });
  intent.latestCharge = charge.id;
  if (declined) {
    const error = {
      type: 'card_error' as const,
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      charge: charge.id,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    };
    intent.status = 'requires_payment_method';
    intent.lastPaymentError = { ...error, payment_method: { id: methodId, object: 'payment_method', type: 'card' } };
    world.emit('charge.failed', renderCharge(charge));
    world.emit('payment_intent.payment_failed', renderPaymentIntent(intent));
    throw new StripeApiError(402, { ...error, payment_intent: renderPaymentIntent(intent) }, {}, true);
  }
  world.emit('charge.succeeded', renderCharge(charge));
  if (automatic) {
    settleCapture(world, charge, intent.amount);
    intent.status = 'succeeded';
    intent.amountReceived = intent.amount;
    world.emit('payment_intent.succeeded', renderPaymentIntent(intent));
  } else {
    intent.status = 'requires_capture';
    intent.amountCapturable = intent.amount;
    world.emit('payment_intent.amount_capturable_updated', renderPaymentIntent(intent));
  }
  if (method.outcome === 'dispute') openDispute(charge);
  return intent;
}

/** The captured amount enters the balance: gross converted to the settlement currency, less the fee. */
function settleCapture(world: StripeWorld, charge: ChargeRecord, amount: number): void {
  const settled = toSettlement(amount, charge.currency, world.settings);
  const feeDetails = processingFee(settled.amount, world.settings);
  const transaction = world.addBalanceTransaction({
    amount: settled.amount,
    currency: world.settings.settlementCurrency,
    fee: feeDetails.reduce((sum, detail) => sum + detail.amount, 0),
    feeDetails,
    type: 'charge',
    reportingCategory: 'charge',
    source: charge.id,
    description: charge.description,
    exchangeRate: settled.exchangeRate,
  });
  charge.captured = true;
  charge.amountCaptured = amount;
  charge.balanceTransaction = transaction.id;
}

/** Captures an authorised intent, all of it or `amountToCapture`; the rest of the authorisation is released. */
export function capturePaymentIntent(
  world: StripeWorld,
  intent: PaymentIntentRecord,
  amountToCapture: number | undefined,
): PaymentIntentRecord {
  if (intent.status !== 'requires_capture')
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      'payment_intent_unexpected_state',
    );
  const amount = amountToCapture ?? intent.amountCapturable;
  if (amount < 1 || amount > intent.amountCapturable)
    throw invalidRequest(
      `The amount to capture (${amount}) must be positive and at most the amount capturable (${intent.amountCapturable}).`,
      'amount_to_capture',
      'amount_too_large',
    );
  const charge = world.get('charges', intent.latestCharge!);
  settleCapture(world, charge, amount);
  intent.status = 'succeeded';
  intent.amountReceived = amount;
  intent.amountCapturable = 0;
  world.emit('charge.captured', renderCharge(charge));
  world.emit('payment_intent.succeeded', renderPaymentIntent(intent));
  return intent;
}

export function cancelPaymentIntent(world: StripeWorld, intent: PaymentIntentRecord, reason: string | undefined): PaymentIntentRecord {
  if (intent.status === 'succeeded' || intent.status === 'canceled')
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
      'payment_intent_unexpected_state',
    );
  intent.status = 'canceled';
  intent.amountCapturable = 0;
  intent.canceledAt = world.now();
  intent.cancellationReason = reason ?? null;
  world.emit('payment_intent.canceled', renderPaymentIntent(intent));
  return intent;
}

/** Refunds a captured charge, in full or in part: the refund leaves the balance (Stripe keeps its fee). */
export function refundCharge(
  world: StripeWorld,
  charge: ChargeRecord,
  amount: number | undefined,
  reason: string | null,
  metadata: Record<string, string>,
): RefundRecord {
  if (!charge.captured)
    throw unexpectedState(
      `Charge ${charge.id} has not been captured; cancel its PaymentIntent to release it instead.`,
      'charge_not_refundable',
    );
  const dispute = world.records.disputes.find((candidate) => candidate.charge === charge.id && candidate.status !== 'won');
  if (dispute !== undefined) throw unexpectedState(`Charge ${charge.id} has been charged back; cannot issue a refund.`, 'charge_disputed');
  const left = charge.amountCaptured - charge.amountRefunded;
  if (left === 0) throw unexpectedState(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
  const refundAmount = amount ?? left;
  if (refundAmount > left)
    throw unexpectedState(
      `Refund amount (${refundAmount}) is greater than unrefunded amount on charge (${left})`,
      'amount_too_large',
      'amount',
    );
  const id = world.newId('re');
  const settled = toSettlement(refundAmount, charge.currency, world.settings);
  const transaction = world.addBalanceTransaction({
    amount: -settled.amount,
    currency: world.settings.settlementCurrency,
    fee: 0,
    feeDetails: [],
    type: 'refund',
    reportingCategory: 'refund',
    source: id,
    description: 'REFUND FOR CHARGE',
    exchangeRate: settled.exchangeRate,
    // A refund is taken from the balance at once; only incoming funds wait to become available.
    availableOn: world.now(),
  });
  const refund = world.insert('refunds', {
    id,
    amount: refundAmount,
    currency: charge.currency,
    charge: charge.id,
    paymentIntent: charge.paymentIntent,
    status: 'succeeded',
    reason,
    balanceTransaction: transaction.id,
    created: world.now(),
    metadata,
  });
  const previous = { amount_refunded: charge.amountRefunded, refunded: renderCharge(charge).refunded };
  charge.amountRefunded += refundAmount;
  world.emit('refund.created', renderRefund(refund));
  world.emit('charge.refunded', renderCharge(charge), previous);
  return refund;
}
