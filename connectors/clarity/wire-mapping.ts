import { z } from 'zod';
import type {
  ClarityAddress,
  ClarityCoupon,
  ClarityCustomer,
  ClarityEvent,
  ClarityInventoryBatchResult,
  ClarityInventoryInput,
  ClarityInventoryLevel,
  ClarityLineItem,
  ClarityOrder,
  ClarityPage,
  ClarityPaymentInfo,
  ClarityProduct,
  ClarityReturn,
  ClarityShipment,
  ClarityShipmentInput,
  ClarityTransaction,
  ClarityWebhookSubscription,
  ClarityWebhookSubscriptionInput,
  ClarityWebhookSubscriptionWithSecret,
} from './model.js';

/*
 * The one place that knows Clarity's wire names: paths, query parameters, headers, and the
 * field names of every body read or written, as written down in
 * `contract/clarity-openapi.yaml`. Everything else in the connector (and the webhook
 * receiver) speaks `model.ts`. To re-point the connector at a real CEF or Phoenix site
 * (see the storefront reference, "mapping the proposal to real Clarity names"), rewrite this
 * module: the schemas below parse the wire and output the model, so callers do not change.
 */

/** Where each operation lives, relative to the site's origin. Ids are path-encoded here. */
export const clarityRoutes = {
  token: '/oauth/token',
  orders: '/api/v1/orders',
  order: (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}`,
  orderTransactions: (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}/transactions`,
  orderShipments: (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}/shipments`,
  products: '/api/v1/products',
  product: (sku: string) => `/api/v1/products/${encodeURIComponent(sku)}`,
  inventory: '/api/v1/inventory',
  inventoryLevel: (sku: string) => `/api/v1/inventory/${encodeURIComponent(sku)}`,
  inventoryBatch: '/api/v1/inventory:batch',
  customers: '/api/v1/customers',
  customer: (customerId: string) => `/api/v1/customers/${encodeURIComponent(customerId)}`,
  returns: '/api/v1/returns',
  return: (returnId: string) => `/api/v1/returns/${encodeURIComponent(returnId)}`,
  coupon: (code: string) => `/api/v1/coupons/${encodeURIComponent(code)}`,
  webhooks: '/api/v1/webhooks',
  webhook: (webhookId: string) => `/api/v1/webhooks/${encodeURIComponent(webhookId)}`,
  rotateWebhookSecret: (webhookId: string) => `/api/v1/webhooks/${encodeURIComponent(webhookId)}/rotate-secret`,
} as const;

/** Headers with a meaning in the protocol. */
export const clarityHeaders = {
  idempotencyKey: 'Idempotency-Key',
  requestId: 'x-request-id',
  retryAfter: 'retry-after',
  wwwAuthenticate: 'www-authenticate',
  webhookId: 'webhook-id',
  webhookTimestamp: 'webhook-timestamp',
  webhookSignature: 'webhook-signature',
} as const;

/** The scopes the connector asks for: everything the sync reads and writes. */
export const clarityScopes = [
  'orders:read',
  'orders:write',
  'products:read',
  'inventory:write',
  'customers:read',
  'returns:read',
  'webhooks:manage',
];

/** Query parameters of a list call, in Clarity's names; undefined values are left out. */
export function toWireQuery(query: {
  limit?: number;
  cursor?: string;
  updatedSince?: string;
  createdSince?: string;
  status?: string;
  sku?: string;
  email?: string;
}): Record<string, string> {
  const wire: Record<string, string> = {};
  const names = {
    limit: 'limit',
    cursor: 'cursor',
    updatedSince: 'updatedSince',
    createdSince: 'createdSince',
    status: 'status',
    sku: 'sku',
    email: 'email',
  } as const;
  for (const [key, name] of Object.entries(names)) {
    const value = query[key as keyof typeof names];
    if (value !== undefined) wire[name] = String(value);
  }
  return wire;
}

const money = z.string().regex(/^-?\d+\.\d{2}$/, 'a decimal amount with two decimals');
const timestamp = z.iso.datetime({ offset: false });
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
const orderStatus = z.enum(['pending', 'processing', 'fulfilled', 'cancelled', 'refunded']);
const returnStatus = z.enum(['requested', 'approved', 'received', 'refunded', 'rejected']);
const eventType = z.enum(['order.created', 'order.updated', 'product.updated', 'return.created']);

const address: z.ZodType<ClarityAddress> = z.object({
  firstName: z.string(),
  lastName: z.string(),
  company: z.string().nullable(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});

const lineItem: z.ZodType<ClarityLineItem> = z.object({
  lineId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: money,
  discount: money,
  tax: money,
  lineTotal: money,
});

const paymentInfo: z.ZodType<ClarityPaymentInfo> = z.object({
  method: z.string(),
  status: z.string(),
  gateway: z.string(),
  transactionId: z.string().nullable(),
  amount: money,
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
});

/** Parses a wire order into the model. */
export const orderFromWire: z.ZodType<ClarityOrder> = z.object({
  orderId: z.string().min(1),
  orderNumber: z.string(),
  customerId: z.string().nullable(),
  customerEmail: z.string(),
  orderDate: timestamp,
  updatedAt: timestamp,
  status: orderStatus,
  currency,
  subtotalAmount: money,
  discountAmount: money,
  shippingAmount: money,
  taxAmount: money,
  totalAmount: money,
  couponCode: z.string().nullable(),
  billingAddress: address,
  shippingAddress: address,
  shippingMethod: z.string(),
  lineItems: z.array(lineItem).min(1),
  paymentInfo,
  erpReference: z.string().nullable(),
});

const transaction: z.ZodType<ClarityTransaction> = z.object({
  transactionId: z.string(),
  type: z.enum(['authorization', 'capture', 'refund', 'void']),
  amount: money,
  currency,
  status: z.enum(['succeeded', 'failed', 'pending']),
  gateway: z.string(),
  createdAt: timestamp,
});

/** Parses the `{ data }` list of an order's payment transactions. */
export const transactionListFromWire: z.ZodType<ClarityTransaction[]> = z
  .object({ data: z.array(transaction) })
  .transform(({ data }) => data);

const shipmentLine = z.object({ sku: z.string(), quantity: z.number().int().positive() });

/** Parses a wire shipment into the model. */
export const shipmentFromWire: z.ZodType<ClarityShipment> = z.object({
  shipmentId: z.string(),
  orderId: z.string(),
  carrier: z.string(),
  service: z.string().nullable(),
  trackingNumber: z.string(),
  trackingUrl: z.string().nullable(),
  shippedAt: timestamp,
  lineItems: z.array(shipmentLine),
  createdAt: timestamp,
});

/** Parses a wire product; the nested inventory object is flattened for callers. */
export const productFromWire: z.ZodType<ClarityProduct> = z
  .object({
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    price: money,
    currency,
    active: z.boolean(),
    inventory: z.object({ available: z.number().int().nonnegative(), tracked: z.boolean() }),
    updatedAt: timestamp,
  })
  .transform(({ inventory, ...product }) => ({ ...product, available: inventory.available, inventoryTracked: inventory.tracked }));

/** Parses a wire stock level into the model. */
export const inventoryLevelFromWire: z.ZodType<ClarityInventoryLevel> = z.object({
  sku: z.string(),
  available: z.number().int().nonnegative(),
  locationId: z.string(),
  updatedAt: timestamp,
});

/** Parses the per-item results of a batch stock update. */
export const inventoryBatchResultFromWire: z.ZodType<ClarityInventoryBatchResult[]> = z
  .object({
    results: z.array(
      z.discriminatedUnion('status', [
        z.object({ sku: z.string(), status: z.literal('ok') }),
        z.object({ sku: z.string(), status: z.literal('error'), error: z.object({ title: z.string() }) }),
      ]),
    ),
  })
  .transform(({ results }) =>
    results.map((result): ClarityInventoryBatchResult =>
      result.status === 'ok' ? { sku: result.sku, ok: true } : { sku: result.sku, ok: false, error: result.error.title },
    ),
  );

/** Parses a wire customer into the model. */
export const customerFromWire: z.ZodType<ClarityCustomer> = z.object({
  customerId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  addresses: z.array(address),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** Parses a wire return (RMA) into the model. */
export const returnFromWire: z.ZodType<ClarityReturn> = z.object({
  returnId: z.string(),
  orderId: z.string(),
  status: returnStatus,
  createdAt: timestamp,
  updatedAt: timestamp,
  currency,
  lineItems: z
    .array(
      z.object({
        sku: z.string(),
        quantity: z.number().int().positive(),
        reason: z.string(),
        unitPrice: money,
        tax: money,
        restock: z.boolean(),
      }),
    )
    .min(1),
  shippingRefund: money,
  refund: z.object({ amount: money, taxAmount: money, refundedAt: timestamp, transactionId: z.string(), method: z.string() }).nullable(),
});

/** Parses a wire coupon into the model. */
export const couponFromWire: z.ZodType<ClarityCoupon> = z.object({
  code: z.string(),
  type: z.enum(['percent', 'fixed', 'free_shipping']),
  value: z.string(),
  active: z.boolean(),
});

const webhookSubscriptionShape = {
  id: z.string(),
  url: z.string(),
  events: z.array(eventType),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: timestamp,
};

/** Parses a wire webhook subscription (never carries the secret). */
export const webhookSubscriptionFromWire: z.ZodType<ClarityWebhookSubscription> = z.object(webhookSubscriptionShape);

/** Parses a subscription as created or rotated, with its secret. */
export const webhookSubscriptionWithSecretFromWire: z.ZodType<ClarityWebhookSubscriptionWithSecret> = z.object({
  ...webhookSubscriptionShape,
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'a whsec_ secret'),
});

/** A cursor-paged list: `{ data, nextCursor }` on the wire. */
export function pageFromWire<T>(item: z.ZodType<T>): z.ZodType<ClarityPage<T>> {
  return z
    .object({ data: z.array(item), nextCursor: z.string().min(1).nullable() })
    .transform(({ data, nextCursor }) => ({ items: data, nextCursor: nextCursor ?? undefined }));
}

/** An unpaged list: `{ data }` on the wire. */
export function listFromWire<T>(item: z.ZodType<T>): z.ZodType<T[]> {
  return z.object({ data: z.array(item) }).transform(({ data }) => data);
}

/** The token endpoint's answer (RFC 6749 §5.1). */
export const tokenFromWire = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().regex(/^bearer$/i, 'a Bearer token'),
    expires_in: z.number().int().positive(),
    scope: z.string().optional(),
  })
  .transform((token) => ({ accessToken: token.access_token, expiresInSeconds: token.expires_in, scope: token.scope }));

/** The token endpoint's error (RFC 6749 §5.2). */
export const oauthErrorFromWire = z.object({ error: z.string(), error_description: z.string().optional() }).transform((error) => ({
  code: error.error,
  description: error.error_description,
}));

/** An RFC 9457 problem, read leniently: only what helps an operator or a retry decision. */
export const problemFromWire = z
  .object({
    type: z.string().optional(),
    title: z.string().optional(),
    status: z.number().optional(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .transform((problem) => ({
    code: problem.type,
    title: problem.title,
    detail: problem.detail,
    fieldErrors: problem.errors ?? [],
  }));

/** The token request body for the client-credentials grant. */
export function toWireTokenRequest(scopes: readonly string[]): Record<string, string> {
  return { grant_type: 'client_credentials', scope: scopes.join(' ') };
}

/** Body of `PATCH /orders/{orderId}` writing back the ERP document number. */
export function toWireOrderPatch(update: { erpReference: string | null }): Record<string, unknown> {
  return { erpReference: update.erpReference };
}

/** Body of `POST /orders/{orderId}/shipments`. */
export function toWireShipment(shipment: ClarityShipmentInput): Record<string, unknown> {
  return {
    shipmentId: shipment.shipmentId,
    carrier: shipment.carrier,
    service: shipment.service ?? null,
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl ?? null,
    shippedAt: shipment.shippedAt,
    lineItems: shipment.lineItems.map((line) => ({ sku: line.sku, quantity: line.quantity })),
  };
}

/** Body of `PUT /inventory/{sku}`. */
export function toWireInventoryUpdate(level: Omit<ClarityInventoryInput, 'sku'>): Record<string, unknown> {
  return { available: level.available, ...(level.locationId !== undefined && { locationId: level.locationId }) };
}

/** Body of `POST /inventory:batch`. */
export function toWireInventoryBatch(levels: readonly ClarityInventoryInput[]): Record<string, unknown> {
  return { items: levels.map((level) => ({ sku: level.sku, ...toWireInventoryUpdate(level) })) };
}

/** Body of `POST /webhooks`. */
export function toWireWebhookSubscription(subscription: ClarityWebhookSubscriptionInput): Record<string, unknown> {
  return {
    url: subscription.url,
    events: subscription.events,
    ...(subscription.description !== undefined && { description: subscription.description }),
  };
}

/**
 * A webhook envelope, read thinly (the id, the type, when it happened and the ids to fetch):
 * the full record is read through the API, so harmless drift in the payload does not make
 * deliveries fail. Unknown event types fail here; the receiver decides what that means.
 */
export const eventFromWire: z.ZodType<ClarityEvent> = z
  .discriminatedUnion('type', [
    z.object({
      id: z.string().min(1),
      type: z.enum(['order.created', 'order.updated']),
      timestamp,
      data: z.object({ orderId: z.string().min(1), status: z.string() }),
    }),
    z.object({
      id: z.string().min(1),
      type: z.literal('product.updated'),
      timestamp,
      data: z.object({ productId: z.string().min(1), sku: z.string().min(1), changedFields: z.array(z.string()) }),
    }),
    z.object({
      id: z.string().min(1),
      type: z.literal('return.created'),
      timestamp,
      data: z.object({ returnId: z.string().min(1), orderId: z.string().min(1) }),
    }),
  ])
  .transform((event): ClarityEvent => {
    switch (event.type) {
      case 'order.created':
      case 'order.updated':
        return { id: event.id, type: event.type, occurredAt: event.timestamp, orderId: event.data.orderId, status: event.data.status };
      case 'product.updated':
        return {
          id: event.id,
          type: event.type,
          occurredAt: event.timestamp,
          productId: event.data.productId,
          sku: event.data.sku,
          changedFields: event.data.changedFields,
        };
      case 'return.created':
        return { id: event.id, type: event.type, occurredAt: event.timestamp, returnId: event.data.returnId, orderId: event.data.orderId };
    }
  });

/** The event types the connector understands, for subscriptions. */
export const clarityEventTypes = eventType.options;
