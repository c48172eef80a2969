import { z } from 'zod';
import type {
  ClarityAddress,
  ClarityCoupon,
  ClarityCustomer,
  ClarityInventoryBatchResult,
  ClarityInventoryLevel,
  ClarityLineItem,
  ClarityOrder,
  ClarityPage,
  ClarityPaymentInfo,
  ClarityProduct,
  ClarityReturn,
  ClarityShipment,
  ClarityTransaction,
  ClarityWebhookSubscription,
  ClarityWebhookSubscriptionWithSecret,
} from './model.js';
import { currency, eventType, money, orderStatus, returnStatus, timestamp } from './wire-scalars.js';

/*
 * The schemas that parse Clarity's record bodies (orders, products, stock, customers, returns,
 * coupons, webhook subscriptions, pages) and output the model. Part of the wire mapping (see
 * `wire-mapping.ts`).
 */

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
  productType: z.string().nullish(),
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
  customerGroup: z.string().nullish(),
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
