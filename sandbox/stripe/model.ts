/**
 * The Stripe sandbox's records: what the API's objects are rendered from (render.ts). Times are
 * Unix seconds, amounts integers in the currency's minor unit, as on the wire.
 */

export type PaymentIntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_capture' | 'succeeded' | 'canceled';

export interface PaymentIntentRecord {
  id: string;
  amount: number;
  currency: string;
  status: PaymentIntentStatus;
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  paymentMethod: string | null;
  latestCharge: string | null;
  amountCapturable: number;
  amountReceived: number;
  created: number;
  canceledAt: number | null;
  cancellationReason: string | null;
  description: string | null;
  metadata: Record<string, string>;
  clientSecret: string;
  lastPaymentError: Record<string, unknown> | null;
}

export interface CardDetails {
  brand: string;
  last4: string;
  country: string;
  funding: string;
}

export interface ChargeRecord {
  id: string;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  currency: string;
  captured: boolean;
  status: 'succeeded' | 'failed';
  paymentIntent: string;
  paymentMethod: string;
  card: CardDetails;
  balanceTransaction: string | null;
  created: number;
  description: string | null;
  metadata: Record<string, string>;
  disputed: boolean;
  failureCode: string | null;
  failureMessage: string | null;
}

export interface RefundRecord {
  id: string;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  status: 'succeeded';
  reason: string | null;
  balanceTransaction: string;
  created: number;
  metadata: Record<string, string>;
}

export type DisputeStatus = 'needs_response' | 'under_review' | 'won' | 'lost';

export interface DisputeRecord {
  id: string;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  reason: string;
  status: DisputeStatus;
  created: number;
  balanceTransactions: string[];
  metadata: Record<string, string>;
}

export interface FeeDetail {
  amount: number;
  currency: string;
  description: string;
  type: 'stripe_fee' | 'application_fee' | 'tax';
}

/** Balance transaction types the sandbox produces (a subset of Stripe's). */
export type BalanceTransactionType = 'charge' | 'payment' | 'refund' | 'adjustment' | 'payout' | 'payout_failure';

export interface BalanceTransactionRecord {
  id: string;
  amount: number;
  currency: string;
  fee: number;
  feeDetails: FeeDetail[];
  net: number;
  type: BalanceTransactionType;
  reportingCategory: string;
  source: string;
  description: string | null;
  exchangeRate: number | null;
  created: number;
  availableOn: number;
  /** The payout that paid this transaction out (or the payout it is), once there is one. */
  payout: string | null;
}

export type PayoutStatus = 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';

export interface PayoutRecord {
  id: string;
  amount: number;
  currency: string;
  arrivalDate: number;
  created: number;
  status: PayoutStatus;
  balanceTransaction: string;
  failureBalanceTransaction: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  description: string;
  destination: string;
  metadata: Record<string, string>;
}

export interface EventRecord {
  id: string;
  type: string;
  created: number;
  object: Record<string, unknown>;
  previousAttributes: Record<string, unknown> | undefined;
  request: { id: string | null; idempotency_key: string | null };
}

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  enabledEvents: string[];
  secret: string;
  status: 'enabled' | 'disabled';
  description: string | null;
  created: number;
  metadata: Record<string, string>;
  apiVersion: string | null;
}

/** Every collection, each in creation order. */
export interface StripeRecords {
  paymentIntents: PaymentIntentRecord[];
  charges: ChargeRecord[];
  refunds: RefundRecord[];
  disputes: DisputeRecord[];
  balanceTransactions: BalanceTransactionRecord[];
  payouts: PayoutRecord[];
  events: EventRecord[];
  webhookEndpoints: WebhookEndpointRecord[];
}

export type CollectionName = keyof StripeRecords;

/** Which collection an id belongs to, by Stripe's prefixes (what `expand[]` follows). */
export const collectionByPrefix: Record<string, CollectionName> = {
  pi: 'paymentIntents',
  ch: 'charges',
  re: 'refunds',
  dp: 'disputes',
  txn: 'balanceTransactions',
  po: 'payouts',
  evt: 'events',
  we: 'webhookEndpoints',
};

/** The API's object name of each collection (`No such charge: …`, `object: "charge"`). */
export const objectNames: Record<CollectionName, string> = {
  paymentIntents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
  disputes: 'dispute',
  balanceTransactions: 'balance_transaction',
  payouts: 'payout',
  events: 'event',
  webhookEndpoints: 'webhook_endpoint',
};
