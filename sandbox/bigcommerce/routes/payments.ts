import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { toCents } from '../formats.js';
import { listFilter, readPaging, statusCodesType, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';
import { refundView, transactionView } from './order-views.js';
import { capturePayment, voidPayment } from '../payment-actions.js';

const refundItem = z.object({
  item_type: z.enum(['PRODUCT', 'GIFT_WRAPPING', 'SHIPPING', 'HANDLING', 'ORDER', 'TAX', 'FEE']),
  item_id: z.number().int(),
  quantity: z.number().int().optional(),
  amount: z.number().optional(),
  reason: z.string().optional(),
});
const quoteBody = z.object({ items: z.array(refundItem) });
const refundBody = z.object({
  items: z.array(refundItem),
  payments: z.array(z.object({ provider_id: z.string(), amount: z.number(), offline: z.boolean().default(false) })).min(1),
  reason: z.string().default(''),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new SandboxError(
      422,
      'JSON data is missing or invalid',
      Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.') || 'body', `error.path.${issue.code}`])),
    );
  }
  return result.data;
}

const orderId = (request: Request) => Number(request.params.orderId);

/** V3 transactions, refund quotes and refunds of orders. */
export function v3PaymentRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  router.get('/orders/:orderId/transactions', (request, response) => {
    const order = store.order(orderId(request));
    if (order.transactions.length === 0) {
      response.status(204).end();
      return;
    }
    const data = order.transactions.map((transaction) => transactionView(order, transaction));
    response.json({ data, meta: v3Pagination(data.length, 1, 50, data.length) });
  });

  // Asynchronous on the real store (`capture pending`, `void pending`); here the gateway answers at once.
  router.post('/orders/:orderId/payment_actions/capture', (request, response) => {
    capturePayment(store, orderId(request));
    response.status(201).json({});
  });

  router.post('/orders/:orderId/payment_actions/void', (request, response) => {
    voidPayment(store, orderId(request));
    response.status(201).json({});
  });

  router.post('/orders/:orderId/payment_actions/refund_quotes', (request, response) => {
    const { items } = parse(quoteBody, request.body);
    const quote = store.quoteRefund(orderId(request), items);
    const amount = quote.totalCents / 100;
    response.status(201).json({
      data: {
        order_id: orderId(request),
        total_refund_amount: amount,
        total_refund_tax_amount: quote.taxCents / 100,
        order_level_refund_amount: 0,
        rounding: 0,
        adjustment: 0,
        tax_inclusive: false,
        refund_methods: [
          [
            {
              provider_id: 'testgateway',
              provider_description: 'Test Payment Gateway',
              amount,
              offline: false,
              offline_provider: false,
              offline_reason: '',
            },
          ],
          [
            {
              provider_id: 'custom',
              provider_description: 'Manual refund',
              amount,
              offline: true,
              offline_provider: true,
              offline_reason: 'Refunded outside BigCommerce',
            },
          ],
        ],
      },
      meta: {},
    });
  });

  router.post('/orders/:orderId/payment_actions/refunds', (request, response) => {
    try {
      const input = parse(refundBody, request.body);
      const refund = store.createRefund(
        orderId(request),
        input.items,
        input.payments.map((payment) => ({
          providerId: payment.provider_id,
          amountCents: toCents(payment.amount) ?? 0,
          offline: payment.offline,
        })),
        input.reason,
      );
      response.status(201).json({ data: refundView(refund), meta: {} });
    } catch (error) {
      // The refund endpoint wraps its errors in `data`, unlike the rest of V3.
      if (!(error instanceof SandboxError) || error.status !== 422) throw error;
      sendWrapped(response, error);
    }
  });

  router.get('/orders/:orderId/payment_actions/refunds', (request, response) => {
    const order = store.order(orderId(request));
    response.json({ data: order.refunds.map(refundView), meta: v3Pagination(order.refunds.length, 1, 50, order.refunds.length) });
  });

  router.get('/orders/payment_actions/refunds', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(400, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const orderIds = listFilter(query['order_id:in'])?.map(Number);
    const createdMin = query['created:min'] ? new Date(query['created:min']) : undefined;
    const createdMax = query['created:max'] ? new Date(query['created:max']) : undefined;
    const all = store.state.orders
      .flatMap((order) => order.refunds)
      .filter(
        (refund) =>
          (orderIds === undefined || orderIds.includes(refund.orderId)) &&
          (createdMin === undefined || refund.createdAt >= createdMin) &&
          (createdMax === undefined || refund.createdAt <= createdMax),
      )
      .sort((a, b) => a.id - b.id);
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({ data: rows.map(refundView), meta: v3Pagination(all.length, paging.page, paging.limit, rows.length) });
  });

  router.get('/orders/payment_actions/refunds/:refundId', (request, response) => {
    const refund = store.state.orders
      .flatMap((order) => order.refunds)
      .find((candidate) => candidate.id === Number(request.params.refundId));
    if (!refund) throw new SandboxError(404, 'Refund not found');
    response.json({ data: refundView(refund), meta: {} });
  });

  return router;
}

function sendWrapped(response: Response, error: SandboxError): void {
  response.status(422).json({ data: [{ status: 422, title: error.message, type: statusCodesType, errors: error.fieldErrors }] });
}
