import type { AddressRecord, ReturnStatus } from './records.js';

/** A shopper's checkout in the sandbox store (what `POST /_sandbox/orders` takes). */
export interface CheckoutInput {
  customerId?: string | null;
  email?: string;
  lineItems: { sku: string; quantity: number }[];
  couponCode?: string | null;
  shippingAddress?: AddressRecord;
  billingAddress?: AddressRecord;
  status?: 'pending' | 'processing';
  /**
   * Whether the gateway captures at checkout (the default) or only authorises, so the merchant
   * captures later ({@link ClarityStore.capturePayment}); a pending order is only authorised.
   */
  transactionType?: 'authorize_and_capture' | 'authorize_only';
  /**
   * The checkout's currency (a multi-currency storefront prices in the shopper's currency);
   * USD by default. The catalog's prices are used as amounts in it.
   */
  currency?: string;
  /** For seeding history; live checkouts happen now. */
  at?: string;
}

/** A shipment the merchant's warehouse posts. */
export interface ShipmentInput {
  shipmentId: string;
  carrier: string;
  service: string | null;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: string;
  lineItems: { sku: string; quantity: number }[];
}

/** A return the shopper requests. */
export interface ReturnInput {
  orderId: string;
  lineItems: { sku: string; quantity: number; reason: string; restock: boolean }[];
  status?: ReturnStatus;
  at?: string;
}
