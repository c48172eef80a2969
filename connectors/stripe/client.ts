import type { z } from 'zod';
import { StripeInputError, StripeUnexpectedResponseError } from './errors.js';
import type { StripeParams } from './form-encoding.js';
import {
  stripeBalanceSchema,
  stripeBalanceTransactionSchema,
  stripeChargeSchema,
  stripeDisputeSchema,
  stripeListSchema,
  stripePaymentIntentSchema,
  stripePayoutSchema,
  stripeRefundSchema,
  type StripeBalance,
  type StripeBalanceTransaction,
  type StripeCharge,
  type StripeDispute,
  type StripePaymentIntent,
  type StripePayout,
  type StripeRefund,
} from './schemas.js';
import { createStripeTransport, type StripeTransport, type StripeTransportOptions } from './transport.js';

/** A range of unix times (seconds), as Stripe's list filters take them (`created[gte]=…`). */
export interface UnixTimeRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface PayoutListFilter {
  /** When the payout reaches (reached) the bank. */
  arrivalDate?: UnixTimeRange;
  created?: UnixTimeRange;
  /** `pending`, `paid`, `failed` or `canceled`. */
  status?: string;
}

/** Which payment a refund or dispute list is about, and when. */
export interface PaymentListFilter {
  charge?: string;
  paymentIntent?: string;
  created?: UnixTimeRange;
}

/** A typed client for one Stripe account: the reads payouts, fees and their payments need. */
export interface StripeClient {
  /** The account's balance: the connection test (one cheap authenticated read). */
  retrieveBalance(): Promise<StripeBalance>;
  retrievePayout(payoutId: string): Promise<StripePayout>;
  /** Every payout matching the filter, newest first, all pages read. */
  listPayouts(filter?: PayoutListFilter): Promise<StripePayout[]>;
  /**
   * Every balance transaction a payout settled, the payout's own line included, each with its
   * source expanded so the charge, refund or dispute behind it is known.
   */
  listPayoutBalanceTransactions(payoutId: string): Promise<StripeBalanceTransaction[]>;
  retrieveCharge(chargeId: string): Promise<StripeCharge>;
  listCharges(filter: Omit<PaymentListFilter, 'charge'>): Promise<StripeCharge[]>;
  retrievePaymentIntent(paymentIntentId: string): Promise<StripePaymentIntent>;
  retrieveRefund(refundId: string): Promise<StripeRefund>;
  listRefunds(filter: PaymentListFilter): Promise<StripeRefund[]>;
  retrieveDispute(disputeId: string): Promise<StripeDispute>;
  listDisputes(filter: PaymentListFilter): Promise<StripeDispute[]>;
}

/** Stripe's largest page. */
const pageSize = 100;

/** Ids become path segments: Stripe's are letters, digits and underscores, so anything else is refused before a request. */
const stripeIdPattern = /^[A-Za-z0-9_]{3,255}$/;

function objectPath(collection: string, id: string): string {
  if (!stripeIdPattern.test(id))
    throw new StripeInputError(`${JSON.stringify(id.slice(0, 40))} is not a Stripe id`, { vendorCode: 'invalid_id' });
  return `/v1/${collection}/${id}`;
}

const range = (value: UnixTimeRange | undefined): StripeParams | undefined =>
  value === undefined ? undefined : { gt: value.gt, gte: value.gte, lt: value.lt, lte: value.lte };

/**
 * Reads every page of a list: `limit=100`, then `starting_after` the last id of each page while
 * `has_more`. A page that says there is more but gives no new last id would loop forever, so it
 * is an unexpected answer.
 */
export async function listAllPages<T extends z.ZodType<{ id: string }>>(
  transport: StripeTransport,
  path: string,
  params: StripeParams,
  item: T,
): Promise<Array<z.output<T>>> {
  const schema = stripeListSchema(item);
  const all: Array<z.output<T>> = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await transport.get(path, { ...params, limit: pageSize, starting_after: startingAfter }, schema);
    all.push(...(page.data as Array<z.output<T>>));
    if (!page.has_more) return all;
    const last = (page.data.at(-1) as { id: string } | undefined)?.id;
    if (last === undefined || last === startingAfter)
      throw new StripeUnexpectedResponseError(`Stripe GET ${path}: has_more without a further page`, { vendorCode: 'unexpected_response' });
    startingAfter = last;
  }
}

/** Builds the client for one tenant's Stripe account. */
export function createStripeClient(options: StripeTransportOptions): StripeClient {
  const transport = createStripeTransport(options);
  const paymentFilter = (filter: PaymentListFilter): StripeParams => ({
    charge: filter.charge,
    payment_intent: filter.paymentIntent,
    created: range(filter.created),
  });
  return {
    retrieveBalance: () => transport.get('/v1/balance', {}, stripeBalanceSchema),
    retrievePayout: async (payoutId) => transport.get(objectPath('payouts', payoutId), {}, stripePayoutSchema),
    listPayouts: (filter = {}) =>
      listAllPages(
        transport,
        '/v1/payouts',
        { arrival_date: range(filter.arrivalDate), created: range(filter.created), status: filter.status },
        stripePayoutSchema,
      ),
    listPayoutBalanceTransactions: async (payoutId) => {
      objectPath('payouts', payoutId);
      return listAllPages(
        transport,
        '/v1/balance_transactions',
        { payout: payoutId, expand: ['data.source'] },
        stripeBalanceTransactionSchema,
      );
    },
    retrieveCharge: async (chargeId) => transport.get(objectPath('charges', chargeId), {}, stripeChargeSchema),
    listCharges: (filter) =>
      listAllPages(transport, '/v1/charges', { payment_intent: filter.paymentIntent, created: range(filter.created) }, stripeChargeSchema),
    retrievePaymentIntent: async (paymentIntentId) =>
      transport.get(objectPath('payment_intents', paymentIntentId), {}, stripePaymentIntentSchema),
    retrieveRefund: async (refundId) => transport.get(objectPath('refunds', refundId), {}, stripeRefundSchema),
    listRefunds: (filter) => listAllPages(transport, '/v1/refunds', paymentFilter(filter), stripeRefundSchema),
    retrieveDispute: async (disputeId) => transport.get(objectPath('disputes', disputeId), {}, stripeDisputeSchema),
    listDisputes: (filter) => listAllPages(transport, '/v1/disputes', paymentFilter(filter), stripeDisputeSchema),
  };
}
