import { Router } from 'express';
import { z } from 'zod';
import { enumParam, idempotent, parseBody, pathParam, requireScope, type StateRef, timestampParam } from '../context.js';
import { page, readPageQuery } from '../paging.js';
import { orderToWire, shipmentToWire, transactionToWire, type OrderRecord } from '../records.js';

const orderStatuses = ['pending', 'processing', 'fulfilled', 'cancelled', 'refunded'] as const;
const timestamp = z.iso.datetime({ offset: false });

const orderPatch = z
  .strictObject({ erpReference: z.string().max(100).nullable().optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change');

const shipmentRequest = z.strictObject({
  shipmentId: z.string().min(1).max(64),
  carrier: z.string().min(1),
  service: z.string().nullable().optional(),
  trackingNumber: z.string().min(1).max(64),
  trackingUrl: z.url().nullable().optional(),
  shippedAt: timestamp,
  lineItems: z.array(z.strictObject({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
});

/** Orders, their payment transactions and shipments. */
export function orderRoutes(state: StateRef): Router {
  const router = Router();
  const keyed = idempotent(state);

  router.get('/api/v1/orders', requireScope(state, 'orders:read'), (request, response) => {
    const query = request.query as Record<string, unknown>;
    const paging = readPageQuery(query);
    const updatedSince = timestampParam(query, 'updatedSince');
    const createdSince = timestampParam(query, 'createdSince');
    const status = enumParam(query, 'status', orderStatuses);
    const orders = [...state().store.orders.values()]
      .filter(
        (order) =>
          (updatedSince === undefined || order.updatedAt >= updatedSince) &&
          (createdSince === undefined || order.orderDate >= createdSince) &&
          (status === undefined || order.status === status),
      )
      .sort((a, b) => orderKey(a).localeCompare(orderKey(b)));
    const result = page(orders, orderKey, paging);
    response.json({ data: result.data.map(orderToWire), nextCursor: result.nextCursor });
  });

  router.get('/api/v1/orders/:orderId', requireScope(state, 'orders:read'), (request, response) => {
    response.json(orderToWire(state().store.order(pathParam(request, 'orderId'))));
  });

  router.patch('/api/v1/orders/:orderId', requireScope(state, 'orders:write'), keyed, (request, response) => {
    const store = state().store;
    store.order(pathParam(request, 'orderId'));
    const patch = parseBody(orderPatch, request.body);
    const order =
      patch.erpReference === undefined
        ? store.order(pathParam(request, 'orderId'))
        : store.setErpReference(pathParam(request, 'orderId'), patch.erpReference);
    response.json(orderToWire(order));
  });

  router.get('/api/v1/orders/:orderId/transactions', requireScope(state, 'orders:read'), (request, response) => {
    response.json({ data: state().store.order(pathParam(request, 'orderId')).transactions.map(transactionToWire) });
  });

  router.get('/api/v1/orders/:orderId/shipments', requireScope(state, 'orders:read'), (request, response) => {
    response.json({ data: state().store.order(pathParam(request, 'orderId')).shipments.map(shipmentToWire) });
  });

  router.post('/api/v1/orders/:orderId/shipments', requireScope(state, 'orders:write'), keyed, (request, response) => {
    const store = state().store;
    store.order(pathParam(request, 'orderId'));
    const input = parseBody(shipmentRequest, request.body);
    const { shipment, created } = store.addShipment(pathParam(request, 'orderId'), {
      ...input,
      service: input.service ?? null,
      trackingUrl: input.trackingUrl ?? null,
    });
    response.status(created ? 201 : 200).json(shipmentToWire(shipment));
  });

  return router;
}

/** Orders page by last change, then id, so an incremental pull never skips one. */
function orderKey(order: OrderRecord): string {
  return `${order.updatedAt}|${order.orderId}`;
}
