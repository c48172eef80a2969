import { z } from 'zod';

/**
 * The parts of Stripe's objects the connector reads (API version `stripeApiVersion`), from
 * Stripe's API reference. Unknown fields are dropped; expandable references are read as their
 * id whether or not Stripe expanded them, so callers see one shape either way.
 */

/** An expandable reference (`"ch_…"`, or the object when expanded) as its id; null when absent. */
const expandableId = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullable()
  .optional()
  .transform((value) => (value === undefined || value === null ? null : typeof value === 'string' ? value : value.id));

const unixSeconds = z.number().int().nonnegative();
const minorUnits = z.number().int();
/** Stripe writes currencies in lower case. */
const currency = z.string().regex(/^[a-z]{3}$/, 'a three-letter currency code');
const metadata = z.record(z.string(), z.string()).optional().default({});

/** A payout to the account's bank (`po_…`). `arrival_date` is the day it is expected at the bank. */
export const stripePayoutSchema = z.object({
  id: z.string(),
  object: z.literal('payout'),
  amount: minorUnits,
  currency,
  arrival_date: unixSeconds,
  created: unixSeconds,
  status: z.string(),
  automatic: z.boolean().optional(),
  balance_transaction: expandableId,
  description: z.string().nullable().optional(),
  failure_code: z.string().nullable().optional(),
  failure_message: z.string().nullable().optional(),
  method: z.string().optional(),
  reconciliation_status: z.string().optional(),
  metadata,
});
export type StripePayout = z.output<typeof stripePayoutSchema>;

/** The object behind a balance transaction (`source`), when expanded: what it is and the payment it belongs to. */
const balanceTransactionSourceObject = z.object({
  id: z.string(),
  object: z.string(),
  /** Refunds and disputes name their charge; a charge is itself. */
  charge: expandableId,
  payment_intent: expandableId,
  amount: minorUnits.optional(),
  amount_captured: minorUnits.optional(),
  currency: currency.optional(),
});

/** The line of a source as the connector hands it on: the source's id and kind, and the payment ids it carries. */
export interface StripeBalanceTransactionSource {
  id: string;
  /** Stripe's `object` (`charge`, `refund`, `dispute`, `transfer`, …); undefined when the source was not expanded. */
  object: string | undefined;
  chargeId: string | null;
  paymentIntentId: string | null;
  /**
   * What the source moved in its own currency (a charge's captured amount, a refund's or
   * dispute's amount, always positive), when expanded: a converted line's original amount.
   */
  presented?: { amount: number; currency: string } | undefined;
}

const balanceTransactionSource = z
  .union([z.string(), balanceTransactionSourceObject])
  .nullable()
  .optional()
  .transform((value): StripeBalanceTransactionSource | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string')
      return {
        id: value,
        object: undefined,
        chargeId: value.startsWith('ch_') || value.startsWith('py_') ? value : null,
        paymentIntentId: null,
      };
    const isCharge = value.object === 'charge';
    const amount = isCharge ? (value.amount_captured ?? value.amount) : value.amount;
    return {
      id: value.id,
      object: value.object,
      chargeId: isCharge ? value.id : value.charge,
      paymentIntentId: value.payment_intent,
      ...(amount !== undefined && value.currency !== undefined && { presented: { amount: Math.abs(amount), currency: value.currency } }),
    };
  });

/** One movement of the account's balance (`txn_…`): amounts in the balance's currency, fee positive when taken. */
export const stripeBalanceTransactionSchema = z.object({
  id: z.string(),
  object: z.literal('balance_transaction'),
  amount: minorUnits,
  fee: minorUnits,
  net: minorUnits,
  currency,
  created: unixSeconds,
  available_on: unixSeconds.optional(),
  description: z.string().nullable().optional(),
  /** Set when the money was converted: the source currency's amount × rate = this amount. */
  exchange_rate: z.number().positive().nullable().optional(),
  fee_details: z
    .array(z.object({ amount: minorUnits, currency, type: z.string(), description: z.string().nullable().optional() }))
    .optional()
    .default([]),
  reporting_category: z.string().optional(),
  source: balanceTransactionSource,
  status: z.string().optional(),
  type: z.string(),
});
export type StripeBalanceTransaction = z.output<typeof stripeBalanceTransactionSchema>;

/** A charge (`ch_…`; `py_…` for some payment methods), with the payment intent it belongs to. */
export const stripeChargeSchema = z.object({
  id: z.string(),
  object: z.literal('charge'),
  amount: minorUnits,
  amount_captured: minorUnits.optional(),
  amount_refunded: minorUnits.optional(),
  currency,
  created: unixSeconds,
  captured: z.boolean().optional(),
  paid: z.boolean().optional(),
  refunded: z.boolean().optional(),
  disputed: z.boolean().optional(),
  status: z.string(),
  payment_intent: expandableId,
  balance_transaction: expandableId,
  metadata,
});
export type StripeCharge = z.output<typeof stripeChargeSchema>;

/** A payment intent (`pi_…`): what storefronts on Stripe's newer integrations store as the payment's id. */
export const stripePaymentIntentSchema = z.object({
  id: z.string(),
  object: z.literal('payment_intent'),
  amount: minorUnits,
  amount_received: minorUnits.optional(),
  currency,
  created: unixSeconds,
  status: z.string(),
  latest_charge: expandableId,
  metadata,
});
export type StripePaymentIntent = z.output<typeof stripePaymentIntentSchema>;

/** A refund (`re_…`) of a charge. */
export const stripeRefundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  amount: minorUnits,
  currency,
  created: unixSeconds,
  status: z.string().nullable().optional(),
  charge: expandableId,
  payment_intent: expandableId,
  balance_transaction: expandableId,
  reason: z.string().nullable().optional(),
  metadata,
});
export type StripeRefund = z.output<typeof stripeRefundSchema>;

/** A dispute (`dp_…`, `du_…`) of a charge; its balance transactions withdraw and, if won, reinstate the funds. */
export const stripeDisputeSchema = z.object({
  id: z.string(),
  object: z.literal('dispute'),
  amount: minorUnits,
  currency,
  created: unixSeconds,
  status: z.string(),
  reason: z.string().nullable().optional(),
  charge: expandableId,
  payment_intent: expandableId,
  balance_transactions: z.array(stripeBalanceTransactionSchema).optional().default([]),
  is_charge_refundable: z.boolean().optional(),
  metadata,
});
export type StripeDispute = z.output<typeof stripeDisputeSchema>;

const balanceAmounts = z.array(z.object({ amount: minorUnits, currency }));

/** The account's balance (`GET /v1/balance`): what the connection test reads. */
export const stripeBalanceSchema = z.object({
  object: z.literal('balance'),
  available: balanceAmounts,
  pending: balanceAmounts,
  livemode: z.boolean().optional(),
});
export type StripeBalance = z.output<typeof stripeBalanceSchema>;

/** One page of a list (`{ object: "list", data, has_more }`). */
export function stripeListSchema<T extends z.ZodType>(item: T) {
  return z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });
}
