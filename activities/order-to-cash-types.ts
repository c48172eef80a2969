import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import type { LedgerEntry } from '../store/ledger.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import type { AttentionNotice, OrderCheck } from '../mappers/order-check.js';
import type { StorefrontOrderStamp } from '../mappers/storefront-order-stamp.js';
import type { ResolvedItem } from '../mappers/to-intacct-sales-document.js';
import type { StorefrontKind } from '../mappers/canonical-order.js';

/**
 * The inputs and results of OrderToCash's activities: the contract between the workflow
 * (which sees only these types) and the activity implementations. Everything here travels
 * through Temporal history, so it holds ids, order data and outcomes, never credentials.
 */

export type { AttentionNotice, OrderCheck } from '../mappers/order-check.js';

/** Which order, of which tenant and storefront. */
export interface OrderRef {
  tenantId: string;
  storefront: StorefrontKind;
  orderId: string;
}

/** The settings the workflow itself branches on, read once per run; activities read the rest themselves. */
export interface OrderSyncPlan {
  /** Recorded in the ledger, so an order's document can be traced to the settings it was posted with. */
  settingsVersion: number;
  transactionDefinition: string;
  waitForStatusHours: number;
  fulfilment: { convertToInvoice: boolean; invoiceTransactionDefinition: string; pollIntacctMinutes: number; watchDays: number };
  onPermanentFailure: 'park' | 'unwind';
  /** What the ledger already holds for this order: the long-term exactly-once guard across runs. */
  ledger: LedgerSnapshot;
}

/** The Intacct keys an order has in the ledger. */
export interface LedgerSnapshot {
  state: LedgerEntry['state'] | 'new';
  salesDocumentId?: string;
  /** RECORDNO of the AR invoice the document posted, when its definition posts to AR. */
  arInvoiceKey?: string;
  paymentKey?: string;
  invoiceDocumentId?: string;
  /** The storefront's stamp of the order version the last run acted on (its own writes included). */
  storefrontStamp?: StorefrontOrderStamp;
}

export interface LoadTenantSettingsInput extends OrderRef {
  workflowId: string;
}

export type CustomerResolution =
  | { resolved: true; customerId: string; source: 'mapping' | 'guest' | 'matched' | 'created' }
  | { resolved: false; attention: AttentionNotice };

export type ItemResolution =
  /** By canonical line id. */
  { resolved: true; items: Record<string, ResolvedItem> } | { resolved: false; missingSkus: string[]; attention: AttentionNotice };

export interface BuildSalesDocumentInput {
  tenantId: string;
  order: CanonicalOrder;
  customerId: string;
  items: Record<string, ResolvedItem>;
}

export interface CreateSalesDocumentInput extends OrderRef {
  workflowId: string;
  settingsVersion: number;
  document: SalesDocumentInput & { referenceNumber: string };
}

export interface CreatedSalesDocument {
  /** DOCID, e.g. `Sales Order-SO-0042`. */
  documentId: string;
  /** RECORDNO of the AR invoice when the definition posts to AR (invoices), else absent. */
  arInvoiceKey?: string;
  /** false when an earlier attempt (or run) had already created it. */
  created: boolean;
}

export interface RecordPaymentInput extends OrderRef {
  order: CanonicalOrder;
  customerId: string;
  salesDocumentId: string;
  arInvoiceKey?: string;
}

export type PaymentOutcome = { recorded: true; paymentKey: string; created: boolean } | { recorded: false; reason: string };

/** The order as the storefront has it now, with the storefront's stamp of the version read. */
export type FetchedStorefrontOrder = CanonicalOrder & { storefrontStamp?: StorefrontOrderStamp };

export interface WriteBackInput extends OrderRef {
  state: 'synced' | 'needs_attention' | 'cancelled';
  salesDocumentId?: string;
  attentionCode?: string;
  /** The stamp of the order version the workflow acted on. */
  storefrontStamp?: StorefrontOrderStamp;
}

/** Histories recorded before write-backs answered hold no result. */
export type WriteBackResult = { storefrontStamp?: StorefrontOrderStamp } | undefined;

export interface DetectStorefrontOrderChangeInput extends OrderRef {
  lastSeenStamp: StorefrontOrderStamp;
}

export interface StorefrontOrderChange {
  changed: boolean;
  /** The stamp the storefront has now, for the record (undefined when it sent no modification time). */
  storefrontStamp?: StorefrontOrderStamp;
}

export interface ParkOrderInput extends OrderRef {
  workflowId: string;
  attention: AttentionNotice;
}

export interface SkipOrderInput extends OrderRef {
  workflowId: string;
  code: string;
  reason: string;
}

export interface ReversePaymentInput extends OrderRef {
  paymentKey: string;
}

export interface CancelSalesDocumentInput extends OrderRef {
  salesDocumentId: string;
}

/** A shipment the storefront has, or Intacct records, with its tracking. */
export interface ShipmentRecord {
  trackingNumber?: string;
  carrier?: string;
  shippedAt?: string;
}

export interface ShipmentStatus {
  /** Shipments the storefront has for the order. */
  storefrontShipments: ShipmentRecord[];
  /** Shipments recorded in Intacct (documents converted from the sales order) not yet on the storefront. */
  intacctShipmentsToSync: ShipmentRecord[];
  /** The invoice Intacct already has for this order (converted by a person or an earlier run). */
  existingInvoiceDocumentId?: string;
}

export interface ConvertToInvoiceInput extends OrderRef {
  salesDocumentId: string;
  invoiceTransactionDefinition: string;
}

/**
 * The activities OrderToCash calls, by name. Each concern's file implements its part
 * (`create…Activities(deps)`); `activities/index.ts` puts them together.
 *
 * Failures: connector failures leave as classified Temporal failures (`withConnectorFailures`),
 * so 5xx, timeouts and rate limits are retried and input/auth errors are not. A condition an
 * operator must fix is returned as a value (`resolved: false`, `action: 'park'`) rather than
 * thrown, so the workflow parks it instead of failing.
 */
export interface OrderToCashActivities {
  /** Reads the settings the workflow branches on and the ledger's record of the order. */
  loadTenantSettings(input: LoadTenantSettingsInput): Promise<OrderSyncPlan>;
  /** The full order from the storefront, as the canonical order. Throws `OrderMappingError` (not retried) when it cannot be read as one. */
  fetchStorefrontOrder(input: OrderRef): Promise<FetchedStorefrontOrder>;
  /** The status gate (statuses to sync, guests) and the balance check, by the tenant's settings. */
  checkOrder(input: { tenantId: string; order: CanonicalOrder }): Promise<OrderCheck>;
  resolveCustomer(input: { tenantId: string; order: CanonicalOrder }): Promise<CustomerResolution>;
  resolveItems(input: { tenantId: string; order: CanonicalOrder }): Promise<ItemResolution>;
  /** The tenant's sales document for the order (pure mapping plus dimensions and contacts). Throws `SalesDocumentMappingError` (not retried). */
  buildSalesDocument(input: BuildSalesDocumentInput): Promise<SalesDocumentInput & { referenceNumber: string }>;
  /** Creates the document exactly once and records it in the ledger. */
  createSalesDocument(input: CreateSalesDocumentInput): Promise<CreatedSalesDocument>;
  /** Records the order's payment exactly once (nothing when unpaid) and records it in the ledger. */
  recordPayment(input: RecordPaymentInput): Promise<PaymentOutcome>;
  /**
   * Records the sync state on the storefront order. Answers (and records in the ledger) the
   * stamp of the order after the write when nothing but the write changed it since the version
   * the workflow acted on, so the store's echo of the write can be recognised; else none.
   */
  writeBackToStorefront(input: WriteBackInput): Promise<WriteBackResult>;
  parkOrder(input: ParkOrderInput): Promise<void>;
  /** After a successful (re)try: resolves the order's open attention item, if any, and marks a posted order synced again. */
  clearOrderAttention(input: OrderRef & { workflowId: string }): Promise<void>;
  recordOrderSkipped(input: SkipOrderInput): Promise<void>;
  /** Compensation: reverses the payment; a payment already reversed counts as done. */
  reversePayment(input: ReversePaymentInput): Promise<void>;
  /** Compensation: deletes (or, once posted, closes) the sales document; already gone counts as done. */
  cancelSalesDocument(input: CancelSalesDocumentInput): Promise<{ cancelled: boolean }>;
  /** Records the cancellation in the ledger. */
  recordOrderCancelled(input: OrderRef & { workflowId: string }): Promise<void>;
  readShipmentStatus(input: OrderRef & { salesDocumentId: string }): Promise<ShipmentStatus>;
  /** Adds a shipment with its tracking to the storefront order unless it has it already. */
  syncShipmentToStorefront(input: OrderRef & { shipment: ShipmentRecord }): Promise<{ added: boolean }>;
  /** Converts the sales order to the invoice definition exactly once and records it in the ledger. */
  convertToInvoice(input: ConvertToInvoiceInput): Promise<{ invoiceDocumentId: string; arInvoiceKey?: string; created: boolean }>;
  /** Tells the order's refunds that wait for it that its document (`reason`: `posted` or `invoiced`) now exists. */
  wakeWaitingRefunds(input: OrderRef & { reason: 'posted' | 'invoiced' }): Promise<{ woken: number }>;
}

/**
 * OrderToCash's one-request look at whether the storefront order changed since the version the
 * workflow last acted on: the order header alone (BigCommerce `GET /v2/orders/{id}`, Clarity
 * `GET /api/v1/orders/{id}`), compared by `isSameOrderVersion`. Kept apart from
 * {@link OrderToCashActivities} so the workflow tests' stand-ins, written before it, still
 * type-check; the worker registers both.
 */
export interface StorefrontChangeActivities {
  detectStorefrontOrderChange(input: DetectStorefrontOrderChangeInput): Promise<StorefrontOrderChange>;
}
