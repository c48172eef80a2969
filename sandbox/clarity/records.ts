import { fromCents, type Cents } from './money.js';

/*
 * The sandbox's in-memory records and how each is written on the wire (the contract's
 * camelCase shapes, money as 2-decimal strings).
 */

export type OrderStatus = 'pending' | 'processing' | 'fulfilled' | 'cancelled' | 'refunded';
export type ReturnStatus = 'requested' | 'approved' | 'received' | 'refunded' | 'rejected';
export type EventType = 'order.created' | 'order.updated' | 'product.updated' | 'return.created';

export interface AddressRecord {
  firstName: string;
  lastName: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string | null;
  email: string | null;
}

export interface ProductRecord {
  productId: string;
  sku: string;
  name: string;
  price: Cents;
  currency: string;
  active: boolean;
  available: number;
  tracked: boolean;
  updatedAt: string;
  /** The key of the product's type (the merchant's list); orders copy it onto their lines. */
  productType?: string;
}

export interface CustomerRecord {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
  company: string | null;
  phone: string | null;
  addresses: AddressRecord[];
  createdAt: string;
  updatedAt: string;
  /** The key of the customer's group; orders copy it as it is at checkout. Not on the customer's wire shape. */
  customerGroup?: string;
}

export interface CouponRecord {
  code: string;
  type: 'percent' | 'fixed' | 'free_shipping';
  /** Percent as a whole number, or cents for fixed. */
  value: number;
  active: boolean;
}

export interface LineRecord {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: Cents;
  discount: Cents;
  tax: Cents;
  productType?: string;
}

export interface TransactionRecord {
  transactionId: string;
  type: 'authorization' | 'capture' | 'refund' | 'void';
  amount: Cents;
  currency: string;
  status: 'succeeded' | 'failed' | 'pending';
  gateway: string;
  createdAt: string;
}

export interface ShipmentRecord {
  shipmentId: string;
  orderId: string;
  carrier: string;
  service: string | null;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: string;
  lineItems: { sku: string; quantity: number }[];
  createdAt: string;
}

export interface OrderRecord {
  orderId: string;
  orderNumber: string;
  customerId: string | null;
  customerEmail: string;
  orderDate: string;
  updatedAt: string;
  status: OrderStatus;
  currency: string;
  shipping: Cents;
  couponCode: string | null;
  billingAddress: AddressRecord;
  shippingAddress: AddressRecord;
  shippingMethod: string;
  lines: LineRecord[];
  payment: {
    method: string;
    status: string;
    gateway: string;
    transactionId: string | null;
    cardBrand: string | null;
    last4: string | null;
  };
  erpReference: string | null;
  customerGroup?: string;
  transactions: TransactionRecord[];
  shipments: ShipmentRecord[];
}

export interface ReturnRecord {
  returnId: string;
  orderId: string;
  status: ReturnStatus;
  createdAt: string;
  updatedAt: string;
  currency: string;
  lineItems: { sku: string; quantity: number; reason: string; unitPrice: Cents; tax: Cents; restock: boolean }[];
  shippingRefund: Cents;
  refund: { amount: Cents; taxAmount: Cents; refundedAt: string; transactionId: string; method: string } | null;
}

/** The order's header totals, always derived from its lines so they cannot disagree. */
export function orderTotals(order: OrderRecord): { subtotal: Cents; discount: Cents; tax: Cents; total: Cents } {
  const subtotal = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const discount = order.lines.reduce((sum, line) => sum + line.discount, 0);
  const tax = order.lines.reduce((sum, line) => sum + line.tax, 0);
  return { subtotal, discount, tax, total: subtotal - discount + order.shipping + tax };
}

export function orderToWire(order: OrderRecord): Record<string, unknown> {
  const totals = orderTotals(order);
  return {
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    customerId: order.customerId,
    customerEmail: order.customerEmail,
    orderDate: order.orderDate,
    updatedAt: order.updatedAt,
    status: order.status,
    currency: order.currency,
    subtotalAmount: fromCents(totals.subtotal),
    discountAmount: fromCents(totals.discount),
    shippingAmount: fromCents(order.shipping),
    taxAmount: fromCents(totals.tax),
    totalAmount: fromCents(totals.total),
    couponCode: order.couponCode,
    billingAddress: { ...order.billingAddress },
    shippingAddress: { ...order.shippingAddress },
    shippingMethod: order.shippingMethod,
    lineItems: order.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: fromCents(line.unitPrice),
      discount: fromCents(line.discount),
      tax: fromCents(line.tax),
      lineTotal: fromCents(line.quantity * line.unitPrice - line.discount + line.tax),
      productType: line.productType ?? null,
    })),
    paymentInfo: { ...order.payment, amount: fromCents(totals.total) },
    erpReference: order.erpReference,
    customerGroup: order.customerGroup ?? null,
  };
}

export function productToWire(product: ProductRecord): Record<string, unknown> {
  return {
    productId: product.productId,
    sku: product.sku,
    name: product.name,
    price: fromCents(product.price),
    currency: product.currency,
    active: product.active,
    inventory: { available: product.available, tracked: product.tracked },
    updatedAt: product.updatedAt,
  };
}

export function inventoryToWire(product: ProductRecord): Record<string, unknown> {
  return { sku: product.sku, available: product.available, locationId: 'MAIN', updatedAt: product.updatedAt };
}

/** The customer's wire shape: its group travels on its orders only. */
export function customerToWire({ customerGroup: _customerGroup, ...customer }: CustomerRecord): Record<string, unknown> {
  return { ...customer, addresses: customer.addresses.map((address) => ({ ...address })) };
}

export function couponToWire(coupon: CouponRecord): Record<string, unknown> {
  return {
    code: coupon.code,
    type: coupon.type,
    value: coupon.type === 'fixed' ? fromCents(coupon.value) : String(coupon.value),
    active: coupon.active,
  };
}

export function transactionToWire(transaction: TransactionRecord): Record<string, unknown> {
  return { ...transaction, amount: fromCents(transaction.amount) };
}

export function shipmentToWire(shipment: ShipmentRecord): Record<string, unknown> {
  return { ...shipment, lineItems: shipment.lineItems.map((line) => ({ ...line })) };
}

export function returnToWire(record: ReturnRecord): Record<string, unknown> {
  return {
    returnId: record.returnId,
    orderId: record.orderId,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    currency: record.currency,
    lineItems: record.lineItems.map((line) => ({ ...line, unitPrice: fromCents(line.unitPrice), tax: fromCents(line.tax) })),
    shippingRefund: fromCents(record.shippingRefund),
    refund:
      record.refund === null
        ? null
        : { ...record.refund, amount: fromCents(record.refund.amount), taxAmount: fromCents(record.refund.taxAmount) },
  };
}

/** What the Clarity sandbox's state file holds of the store. */
export interface ClarityStoreSnapshot {
  tables: {
    products: Array<[string, ProductRecord]>;
    customers: Array<[string, CustomerRecord]>;
    coupons: Array<[string, CouponRecord]>;
    orders: Array<[string, OrderRecord]>;
    returns: Array<[string, ReturnRecord]>;
  };
  counters: { nextOrderNumber: number; nextReturnNumber: number; nextTransactionNumber: number };
}
