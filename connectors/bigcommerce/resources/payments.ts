import { v3Single } from '../schemas/common.js';
import { refund, refundQuote, transaction } from '../schemas/payments.js';
import type { Refund, RefundInput, RefundQuote, RefundQuoteInput, Transaction } from '../schemas/payments.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page, type V3Page } from './paging.js';

/** V3 payment actions: transactions, refund quotes and refunds. */
export interface PaymentsResource {
  /** The order's transactions; `[]` when the store answers 204 (none). */
  listTransactions(orderId: number): Promise<Transaction[]>;
  createRefundQuote(orderId: number, quote: RefundQuoteInput): Promise<RefundQuote>;
  /** Creates a refund; BigCommerce takes one at a time per order and does not restock. */
  createRefund(orderId: number, refundInput: RefundInput): Promise<Refund>;
  listOrderRefunds(orderId: number): Promise<Refund[]>;
  listRefunds(filter?: {
    orderIds?: number[];
    createdMin?: string;
    createdMax?: string;
    page?: number;
    limit?: number;
  }): Promise<V3Page<Refund>>;
  getRefund(refundId: number): Promise<Refund>;
}

export function paymentsResource(transport: BigCommerceTransport): PaymentsResource {
  return {
    listTransactions: async (orderId) =>
      (await readV3Page(transport, { version: 'v3', method: 'GET', path: `/orders/${orderId}/transactions` }, transaction)).data,
    createRefundQuote: async (orderId, quote) =>
      (
        await transport.sendParsed(
          { version: 'v3', method: 'POST', path: `/orders/${orderId}/payment_actions/refund_quotes`, json: quote },
          v3Single(refundQuote),
        )
      ).data,
    createRefund: async (orderId, refundInput) =>
      (
        await transport.sendParsed(
          { version: 'v3', method: 'POST', path: `/orders/${orderId}/payment_actions/refunds`, json: refundInput },
          v3Single(refund),
        )
      ).data,
    listOrderRefunds: async (orderId) =>
      (await readV3Page(transport, { version: 'v3', method: 'GET', path: `/orders/${orderId}/payment_actions/refunds` }, refund)).data,
    listRefunds: (filter = {}) =>
      readV3Page(
        transport,
        {
          version: 'v3',
          method: 'GET',
          path: '/orders/payment_actions/refunds',
          searchParams: {
            'order_id:in': filter.orderIds?.join(','),
            'created:min': filter.createdMin,
            'created:max': filter.createdMax,
            page: filter.page,
            limit: filter.limit,
          },
        },
        refund,
      ),
    getRefund: async (refundId) =>
      (await transport.sendParsed({ version: 'v3', method: 'GET', path: `/orders/payment_actions/refunds/${refundId}` }, v3Single(refund)))
        .data,
  };
}
