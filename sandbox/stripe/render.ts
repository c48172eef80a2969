import type {
  BalanceTransactionRecord,
  ChargeRecord,
  CollectionName,
  DisputeRecord,
  EventRecord,
  PaymentIntentRecord,
  PayoutRecord,
  RefundRecord,
  StripeRecords,
  WebhookEndpointRecord,
} from './model.js';
import type { StripeWorld } from './world.js';

/** The API version the sandbox's objects follow when a webhook endpoint names none. */
export const sandboxApiVersion = '2025-10-29.clover';

type Json = Record<string, unknown>;

export function renderPaymentIntent(intent: PaymentIntentRecord): Json {
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    amount_capturable: intent.amountCapturable,
    amount_details: { tip: {} },
    amount_received: intent.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: intent.canceledAt,
    cancellation_reason: intent.cancellationReason,
    capture_method: intent.captureMethod,
    client_secret: intent.clientSecret,
    confirmation_method: 'automatic',
    created: intent.created,
    currency: intent.currency,
    customer: null,
    customer_account: null,
    description: intent.description,
    excluded_payment_method_types: null,
    last_payment_error: intent.lastPaymentError,
    latest_charge: intent.latestCharge,
    livemode: false,
    metadata: { ...intent.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: intent.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: intent.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function renderCharge(charge: ChargeRecord): Json {
  const succeeded = charge.status === 'succeeded';
  return {
    id: charge.id,
    object: 'charge',
    amount: charge.amount,
    amount_captured: charge.amountCaptured,
    amount_refunded: charge.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: charge.balanceTransaction,
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
    },
    calculated_statement_descriptor: 'SANDBOX STORE',
    captured: charge.captured,
    created: charge.created,
    currency: charge.currency,
    customer: null,
    description: charge.description,
    disputed: charge.disputed,
    failure_balance_transaction: null,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    fraud_details: {},
    livemode: false,
    metadata: { ...charge.metadata },
    on_behalf_of: null,
    outcome: succeeded
      ? {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        }
      : {
          network_status: 'declined_by_network',
          reason: 'generic_decline',
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        },
    paid: succeeded,
    payment_intent: charge.paymentIntent,
    payment_method: charge.paymentMethod,
    payment_method_details: {
      card: {
        brand: charge.card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: charge.card.country,
        exp_month: 12,
        exp_year: 2034,
        funding: charge.card.funding,
        last4: charge.card.last4,
        network: charge.card.brand,
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: charge.amountRefunded > 0 && charge.amountRefunded === charge.amountCaptured,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: charge.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function renderRefund(refund: RefundRecord): Json {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    application: null,
    balance_transaction: refund.balanceTransaction,
    charge: refund.charge,
    created: refund.created,
    currency: refund.currency,
    customer: null,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: { ...refund.metadata },
    payment_intent: refund.paymentIntent,
    payment_method: null,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}

export function renderBalanceTransaction(transaction: BalanceTransactionRecord, now: number): Json {
  return {
    id: transaction.id,
    object: 'balance_transaction',
    amount: transaction.amount,
    available_on: transaction.availableOn,
    balance_type: 'payments',
    created: transaction.created,
    currency: transaction.currency,
    description: transaction.description,
    exchange_rate: transaction.exchangeRate,
    fee: transaction.fee,
    fee_details: transaction.feeDetails.map((detail) => ({ ...detail, application: null })),
    net: transaction.net,
    reporting_category: transaction.reportingCategory,
    source: transaction.source,
    status: transaction.availableOn <= now || transaction.payout !== null ? 'available' : 'pending',
    type: transaction.type,
  };
}

const emptyEvidence = Object.fromEntries(
  [
    'access_activity_log',
    'billing_address',
    'cancellation_policy',
    'cancellation_policy_disclosure',
    'cancellation_rebuttal',
    'customer_communication',
    'customer_email_address',
    'customer_name',
    'customer_purchase_ip',
    'customer_signature',
    'duplicate_charge_documentation',
    'duplicate_charge_explanation',
    'duplicate_charge_id',
    'product_description',
    'receipt',
    'refund_policy',
    'refund_policy_disclosure',
    'refund_refusal_explanation',
    'service_date',
    'service_documentation',
    'shipping_address',
    'shipping_carrier',
    'shipping_date',
    'shipping_documentation',
    'shipping_tracking_number',
    'uncategorized_file',
    'uncategorized_text',
  ].map((field) => [field, null]),
);

export function renderDispute(dispute: DisputeRecord, world: StripeWorld): Json {
  const charge = world.find('charges', dispute.charge);
  return {
    id: dispute.id,
    object: 'dispute',
    amount: dispute.amount,
    balance_transactions: dispute.balanceTransactions.map((id) =>
      renderBalanceTransaction(world.get('balanceTransactions', id), world.now()),
    ),
    charge: dispute.charge,
    created: dispute.created,
    currency: dispute.currency,
    enhanced_eligibility_types: [],
    evidence: { ...emptyEvidence },
    evidence_details: { due_by: dispute.created + 21 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: { ...dispute.metadata },
    payment_intent: dispute.paymentIntent,
    payment_method_details: {
      card: { brand: charge?.card.brand ?? 'visa', case_type: 'chargeback', network_reason_code: '10.4' },
      type: 'card',
    },
    reason: dispute.reason,
    status: dispute.status,
  };
}

export function renderPayout(payout: PayoutRecord): Json {
  return {
    id: payout.id,
    object: 'payout',
    amount: payout.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: payout.arrivalDate,
    automatic: true,
    balance_transaction: payout.balanceTransaction,
    created: payout.created,
    currency: payout.currency,
    description: payout.description,
    destination: payout.destination,
    failure_balance_transaction: payout.failureBalanceTransaction,
    failure_code: payout.failureCode,
    failure_message: payout.failureMessage,
    livemode: false,
    metadata: { ...payout.metadata },
    method: 'standard',
    original_payout: null,
    payout_method: null,
    reconciliation_status: payout.status === 'paid' ? 'completed' : payout.status === 'failed' ? 'not_applicable' : 'in_progress',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: payout.status,
    trace_id: { status: payout.status === 'paid' ? 'supported' : 'pending', value: null },
    type: 'bank_account',
  };
}

export function renderEvent(event: EventRecord, apiVersion: string | null, pendingWebhooks: number): Json {
  return {
    id: event.id,
    object: 'event',
    api_version: apiVersion ?? sandboxApiVersion,
    created: event.created,
    data: { object: event.object, ...(event.previousAttributes !== undefined && { previous_attributes: event.previousAttributes }) },
    livemode: false,
    pending_webhooks: pendingWebhooks,
    request: event.request,
    type: event.type,
  };
}

export function renderWebhookEndpoint(endpoint: WebhookEndpointRecord, withSecret = false): Json {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    api_version: endpoint.apiVersion,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: [...endpoint.enabledEvents],
    livemode: false,
    metadata: { ...endpoint.metadata },
    ...(withSecret && { secret: endpoint.secret }),
    status: endpoint.status,
    url: endpoint.url,
  };
}

/** Any record as the API shows it. */
export function renderRecord(world: StripeWorld, collection: CollectionName, record: StripeRecords[CollectionName][number]): Json {
  switch (collection) {
    case 'paymentIntents':
      return renderPaymentIntent(record as PaymentIntentRecord);
    case 'charges':
      return renderCharge(record as ChargeRecord);
    case 'refunds':
      return renderRefund(record as RefundRecord);
    case 'disputes':
      return renderDispute(record as DisputeRecord, world);
    case 'balanceTransactions':
      return renderBalanceTransaction(record as BalanceTransactionRecord, world.now());
    case 'payouts':
      return renderPayout(record as PayoutRecord);
    case 'events':
      return renderEvent(record as EventRecord, null, 0);
    case 'webhookEndpoints':
      return renderWebhookEndpoint(record as WebhookEndpointRecord);
  }
}
