import type { OrderRef } from './shared-contract.js';

/**
 * OrderToCash's shipment types, part of its contract (`order-to-cash-contract.ts` exports them):
 * the shipments each side records, what a look at them finds, and what a shipment's invoice is
 * made of.
 */

/** A quantity of one order line: canonical line id and units. */
export interface ShippedLine {
  lineId: string;
  quantity: number;
}

/** An order line with its ordered units, and the units refunded from it (absent when none, or recorded before refunds were reported). */
export interface OrderLine extends ShippedLine {
  /**
   * Refunded units: a refund before invoicing brings the sales order's lines for the order line
   * down by them (to quantity 0 when all are refunded), so those lines may hold fewer units than ordered.
   */
  refunded?: number;
}

/** A shipment the storefront has, or Intacct records, with its tracking. */
export interface ShipmentRecord {
  trackingNumber?: string;
  carrier?: string;
  shippedAt?: string;
  /** The storefront's id of the shipment (storefront shipments only): what its invoice is keyed by. */
  shipmentId?: string;
  /** What the shipment carries, by order line (storefront shipments only). */
  lines?: ShippedLine[];
}

export interface ShipmentStatus {
  /** Shipments the storefront has for the order. */
  storefrontShipments: ShipmentRecord[];
  /** Shipments recorded in Intacct (documents converted from the sales order) not yet on the storefront. */
  intacctShipmentsToSync: ShipmentRecord[];
  /** The invoice Intacct already has for this order (converted by a person or an earlier run). */
  existingInvoiceDocumentId?: string;
  /**
   * Every order line is shipped, cancelled or refunded. Absent from results recorded before
   * split shipments were followed, when any shipment ended the watch.
   */
  fulfilled?: boolean;
  /** The order's lines with their ordered and refunded units, in the order's line order (the sales order's lines follow it). */
  orderLines?: OrderLine[];
}

export interface ConvertToInvoiceInput extends OrderRef {
  salesDocumentId: string;
  invoiceTransactionDefinition: string;
  /**
   * One storefront shipment: exactly its quantities are converted, into an invoice of its own,
   * keyed by its id. Without it, the whole order is converted into one invoice.
   */
  shipment?: ShipmentInvoice;
}

/** A storefront shipment to invoice, and what the order's earlier shipments carried (the units it continues from). */
export interface ShipmentInvoice {
  shipmentId: string;
  lines: ShippedLine[];
  trackingNumber?: string;
  /** Units of each line the order's shipments before this one carried; none for the first, which also carries shipping, tax and other charges. */
  shippedBefore: ShippedLine[];
  /** The order's lines with their ordered and refunded units, in line order. */
  orderLines: OrderLine[];
}
