import type { GatewayTransactionType } from './payment-actions.js';
import type { Address, Hook } from './model.js';
import type { SeedData } from './seed.js';

/* The shapes the in-memory store takes in and reports (see `store.ts`). */

/** One committed absolute inventory adjustment, as the control API reports it (no quantities). */
export interface CommittedAdjustment {
  transactionId: string;
  at: string;
  items: number;
  /** The adjustment's first and last item, as the caller named them (a SKU, or `variant:`/`product:` and the id). */
  first: string;
  last: string;
}

/** Publishes a webhook event (scope and thin `data`) to the registered hooks. */
export type EventSink = (scope: string, data: Record<string, unknown>) => void;

/** An order as `POST /v2/orders` asks for it, already read from the wire. */
export interface NewOrderInput {
  customerId: number;
  statusId: number;
  billing: Address;
  /** Where the order ships (`shipping_addresses`, with each one's `shipping_method`); none: to the billing address. */
  shippingAddresses: Array<Address & { shippingMethod?: string }>;
  shippingCostExTaxCents: number;
  /** The shipping cost tax included (`shipping_cost_inc_tax`), for stores whose prices include tax. */
  shippingCostIncTaxCents?: number | undefined;
  /** Gift wrapping for the order (`wrapping_cost_ex_tax`); the sandbox's wrapping tax class is untaxed. */
  wrappingCostExTaxCents?: number | undefined;
  lines: {
    productId: number;
    variantId: number | undefined;
    quantity: number;
    priceExTaxCents: number | undefined;
    /** `price_inc_tax`: the gross unit price, for stores whose prices include tax. */
    priceIncTaxCents?: number | undefined;
    /** Which of {@link NewOrderInput.shippingAddresses} the line ships to; absent: the first. */
    shippingAddressIndex?: number | undefined;
  }[];
  staffNotes: string;
  customerMessage: string;
}

/** The kinds of record the store numbers itself. */
export type IdKind = 'order' | 'line' | 'address' | 'shipment' | 'transaction' | 'refund' | 'refundPayment' | 'hook';

/** What the BigCommerce sandbox's state file holds: the records, hooks and id counters, nothing derived. */
export interface BigCommerceStoreSnapshot {
  state: SeedData & { hooks: Hook[] };
  nextIds: Record<IdKind, number>;
  adjustments: CommittedAdjustment[];
  adjustmentCount: number;
  adjustedItems: number;
  /** The payment gateway's setting (absent in files written before it was kept: capture at once). */
  gatewayTransactionType?: GatewayTransactionType;
}
