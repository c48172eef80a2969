/**
 * What the Clarity connector hands to its callers, in the product's words. The wire shapes
 * (and their names) live in `wire-mapping.ts` only; re-pointing the connector at a real
 * Clarity site changes that module and leaves these types, and every caller, alone.
 *
 * Money stays a decimal string with two decimals, as the storefront sent it: turning it into
 * minor units is the mappers' job, where the currency's exponent is known.
 */

/** A decimal amount as the storefront wrote it, e.g. `"129.99"`. */
export type DecimalAmount = string;

export type ClarityOrderStatus = 'pending' | 'processing' | 'fulfilled' | 'cancelled' | 'refunded';
export type ClarityReturnStatus = 'requested' | 'approved' | 'received' | 'refunded' | 'rejected';
export type ClarityEventType = 'order.created' | 'order.updated' | 'product.updated' | 'return.created';

export interface ClarityAddress {
  firstName: string;
  lastName: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone: string | null;
  email: string | null;
}

export interface ClarityLineItem {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: DecimalAmount;
  /** This line's share of order and coupon discounts. */
  discount: DecimalAmount;
  /** The line's total tax. */
  tax: DecimalAmount;
  /** quantity × unitPrice − discount + tax. */
  lineTotal: DecimalAmount;
  /** The key of the product's type when the order was placed (a proposal addition; absent when the site does not send it). */
  productType?: string | null;
}

export interface ClarityPaymentInfo {
  method: string;
  status: string;
  gateway: string;
  transactionId: string | null;
  amount: DecimalAmount;
  cardBrand: string | null;
  last4: string | null;
}

export interface ClarityOrder {
  orderId: string;
  orderNumber: string;
  /** Null for a guest checkout. */
  customerId: string | null;
  customerEmail: string;
  /** ISO 8601 UTC. */
  orderDate: string;
  updatedAt: string;
  status: ClarityOrderStatus;
  /** ISO 4217. */
  currency: string;
  subtotalAmount: DecimalAmount;
  discountAmount: DecimalAmount;
  shippingAmount: DecimalAmount;
  taxAmount: DecimalAmount;
  totalAmount: DecimalAmount;
  couponCode: string | null;
  billingAddress: ClarityAddress;
  shippingAddress: ClarityAddress;
  shippingMethod: string;
  lineItems: ClarityLineItem[];
  paymentInfo: ClarityPaymentInfo;
  /** The ERP document number written back by the integration, if any. */
  erpReference: string | null;
  /**
   * The key of the registered customer's group when the order was placed; null for a guest or
   * no group (a proposal addition; absent when the site does not send it).
   */
  customerGroup?: string | null;
}

export interface ClarityTransaction {
  transactionId: string;
  type: 'authorization' | 'capture' | 'refund' | 'void';
  amount: DecimalAmount;
  currency: string;
  status: 'succeeded' | 'failed' | 'pending';
  gateway: string;
  createdAt: string;
}

export interface ClarityShipmentLine {
  sku: string;
  quantity: number;
}

/** A shipment to push; `shipmentId` is the storefront's idempotency handle for it. */
export interface ClarityShipmentInput {
  shipmentId: string;
  carrier: string;
  service?: string | null;
  trackingNumber: string;
  trackingUrl?: string | null;
  /** ISO 8601 UTC. */
  shippedAt: string;
  lineItems: ClarityShipmentLine[];
}

export interface ClarityShipment {
  shipmentId: string;
  orderId: string;
  carrier: string;
  service: string | null;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: string;
  lineItems: ClarityShipmentLine[];
  createdAt: string;
}

export interface ClarityProduct {
  productId: string;
  sku: string;
  name: string;
  price: DecimalAmount;
  currency: string;
  active: boolean;
  available: number;
  inventoryTracked: boolean;
  updatedAt: string;
}

export interface ClarityInventoryLevel {
  sku: string;
  available: number;
  locationId: string;
  updatedAt: string;
}

/** What an integration may set on a product; fields left out keep their value. `price` is in the product's currency. */
export interface ClarityProductUpdate {
  name?: string;
  price?: DecimalAmount;
  active?: boolean;
}

export interface ClarityInventoryInput {
  sku: string;
  /** The absolute quantity available for sale (never a delta). */
  available: number;
  locationId?: string;
}

export type ClarityInventoryBatchResult = { sku: string; ok: true } | { sku: string; ok: false; error: string };

export interface ClarityCustomer {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
  company: string | null;
  phone: string | null;
  addresses: ClarityAddress[];
  createdAt: string;
  updatedAt: string;
}

export interface ClarityReturnLine {
  sku: string;
  quantity: number;
  reason: string;
  unitPrice: DecimalAmount;
  tax: DecimalAmount;
  restock: boolean;
}

export interface ClarityRefund {
  amount: DecimalAmount;
  taxAmount: DecimalAmount;
  refundedAt: string;
  transactionId: string;
  method: string;
}

export interface ClarityReturn {
  returnId: string;
  orderId: string;
  status: ClarityReturnStatus;
  createdAt: string;
  updatedAt: string;
  currency: string;
  lineItems: ClarityReturnLine[];
  shippingRefund: DecimalAmount;
  refund: ClarityRefund | null;
}

export interface ClarityCoupon {
  code: string;
  type: 'percent' | 'fixed' | 'free_shipping';
  value: string;
  active: boolean;
}

export interface ClarityWebhookSubscription {
  id: string;
  url: string;
  events: ClarityEventType[];
  description: string | null;
  active: boolean;
  createdAt: string;
}

/** A subscription as created or rotated: the only time the signing secret is visible. */
export interface ClarityWebhookSubscriptionWithSecret extends ClarityWebhookSubscription {
  /** `whsec_` + base64 key; store it encrypted, never log it. */
  secret: string;
}

export interface ClarityWebhookSubscriptionInput {
  url: string;
  events: ClarityEventType[];
  description?: string;
}

/** One page of a cursor-paged list; `nextCursor` is undefined on the last page. */
export interface ClarityPage<T> {
  items: T[];
  nextCursor: string | undefined;
}

export interface ClarityPageRequest {
  /** 1–200; the storefront's default is 50. */
  limit?: number;
  cursor?: string;
}

export interface ClarityOrderQuery extends ClarityPageRequest {
  /** ISO 8601: only orders changed at or after this instant. */
  updatedSince?: string;
  createdSince?: string;
  status?: ClarityOrderStatus;
}

export interface ClarityProductQuery extends ClarityPageRequest {
  sku?: string;
  updatedSince?: string;
}

export interface ClarityCustomerQuery extends ClarityPageRequest {
  email?: string;
  updatedSince?: string;
}

export interface ClarityReturnQuery extends ClarityPageRequest {
  updatedSince?: string;
  status?: ClarityReturnStatus;
}

/**
 * A webhook event after validation, in the product's words. Deliberately thin: an event only
 * says what to fetch, the workflow reads the full record through the client (events arrive
 * out of order, and a strict full-payload check would make deliveries fail on harmless drift).
 */
export type ClarityEvent =
  | { id: string; type: 'order.created' | 'order.updated'; occurredAt: string; orderId: string; status: string }
  | { id: string; type: 'product.updated'; occurredAt: string; productId: string; sku: string; changedFields: string[] }
  | { id: string; type: 'return.created'; occurredAt: string; returnId: string; orderId: string };
