import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import type { CanonicalOrder, StorefrontKind } from '../mappers/canonical-order.js';
import type { OrderBuyer, OrderWithoutContacts } from '../mappers/order-views.js';
import type { OrderDifference } from '../decisions/order-edit.js';
import type { StorefrontOrderStamp } from '../decisions/storefront-order-stamp.js';
import type { ResolvedItem } from '../mappers/to-intacct-sales-document.js';
import type { LedgerEntry } from '../store/ledger.js';
import type { OrderToCashCaptureActivities } from './order-to-cash-captures-contract.js';
import type { OrderAnomalyActivities } from './order-anomaly-contract.js';
import type {
  ConvertToInvoiceInput,
  OrderLine,
  ShipmentInvoice,
  ShipmentRecord,
  ShipmentStatus,
  ShippedLine,
} from './order-to-cash-shipments-contract.js';
import { OrderNumber, Storefront, SyncState, TenantId } from './search-attributes.js';
import { tenantFailures, type AttentionNotice, type FailureCatalogue, type OrderRef } from './shared-contract.js';

/**
 * OrderToCash's contract: workflow id, input and result, signals, queries and updates, the
 * activities it calls with their inputs and results, and its failure catalogue. The webhook
 * receivers, the sweep, the admin API, the activities and tests depend on this module, never on
 * the workflow's code. Activity inputs and results travel through Temporal history, so they hold
 * ids, order data and outcomes, never credentials.
 */
export const orderToCashWorkflowType = 'orderToCash';

/** One workflow per order: `order-to-cash:{tenantId}:{storefrontOrderId}`. */
export function orderToCashWorkflowId(tenantId: string, orderId: string): string {
  return `order-to-cash:${tenantId}:${orderId}`;
}

/** The inverse of {@link orderToCashWorkflowId}; undefined for any other id. */
export function parseOrderToCashWorkflowId(workflowId: string): { tenantId: string; orderId: string } | undefined {
  const match = /^order-to-cash:([a-z0-9][a-z0-9-]{1,62}):(.+)$/.exec(workflowId);
  return match ? { tenantId: match[1]!, orderId: match[2]! } : undefined;
}

/** Ids only: the workflow loads the order itself (webhooks are thin, payloads stay small). */
export interface OrderToCashInput {
  tenantId: string;
  storefront: StorefrontKind;
  orderId: string;
  /** What started it: a webhook, the safety-net sweep, a backfill or an operator. */
  trigger: 'webhook' | 'sweep' | 'backfill' | 'operator';
}

/**
 * A later storefront event about the same order (status change, cancellation, shipment). It
 * costs one look at the order's stamp first: the store's echo of the workflow's own write and a
 * late copy of a webhook already acted on end there.
 */
export interface OrderChangedSignal {
  deliveryId: string;
  topic: string;
  occurredAt: string;
}

/** The search attributes an OrderToCash starts with, whoever starts it (webhook, sweep, backfill). */
export function orderToCashSearchAttributes(input: OrderToCashInput): SearchAttributePair[] {
  return [
    { key: TenantId, value: input.tenantId },
    { key: Storefront, value: input.storefront },
    { key: OrderNumber, value: input.orderId },
    { key: SyncState, value: 'pending' },
  ];
}

export const orderChangedSignal = defineSignal<[OrderChangedSignal]>('orderChanged');

export type OrderToCashStep =
  | 'loading'
  | 'waiting_for_status'
  | 'checking'
  | 'resolving_customer'
  | 'resolving_items'
  | 'creating_sales_document'
  | 'recording_payment'
  | 'writing_back'
  | 'awaiting_fulfilment'
  | 'updating_sales_document'
  | 'parked'
  | 'cancelling'
  | 'cancelled'
  | 'skipped'
  | 'done';

export interface OrderToCashStatus {
  step: OrderToCashStep;
  /** The settings version the order is being posted with. */
  settingsVersion?: number;
  intacct: {
    customerId?: string;
    salesDocumentId?: string;
    paymentKey?: string;
    /** The order's first invoice: what its payment and refunds apply to. */
    invoiceDocumentId?: string;
    /** Every invoice converted from the order by this run, one per storefront shipment, in shipment order. */
    invoiceDocumentIds?: string[];
    /** The payments recorded for captures after posting, oldest first (see `order-to-cash-captures-contract.ts`). */
    capturePaymentKeys?: string[];
  };
  /** Why the order waits for a person (parked) and what fixes it. */
  attention?: { code: string; reason: string; fix: string };
  /** Why the order is waiting, skipped or cancelled. */
  note?: string;
  /** Shipments whose tracking was added to the storefront. */
  shipmentsSynced: number;
}

/** What a finished OrderToCash returns: where the order ended. */
export interface OrderToCashResult {
  outcome: 'synced' | 'skipped' | 'cancelled';
  status: OrderToCashStatus;
}

export const orderToCashStatusQuery = defineQuery<OrderToCashStatus>('status');
/** An operator's retry of a parked order, after fixing what the attention item says. Refused unless the order is parked. */
export const retryOrderUpdate = defineUpdate<OrderToCashStatus>('retry');
/** An operator's go-ahead for an order waiting for a status that syncs: post it now. Refused unless the order is waiting. */
export const approveOrderUpdate = defineUpdate<OrderToCashStatus>('approve');
/** An operator's cancellation: runs the compensations as a storefront cancellation would. */
export const cancelOrderUpdate = defineUpdate<OrderToCashStatus, [{ reason: string }]>('cancel');

/** Failure types OrderToCash's activities throw themselves, with what an operator does about each. */
export const orderToCashFailures = {
  OrderNotFound: {
    code: 'order_not_found',
    fix: 'check that the order exists in the storefront (it may have been deleted or archived), then retry or cancel it',
  },
  OrderMappingError: {
    code: 'order_unmappable',
    fix: 'correct the order in the storefront (its update retries the sync), or fix the listed fields and retry',
  },
  SalesDocumentMappingError: {
    code: 'sales_document_unmappable',
    fix: 'add the missing mapping rows or settings listed above, then retry the order',
  },
  RuleHold: {
    code: 'rule_hold',
    fix: "approve the order to post it as it is (the rule's hold is lifted for this order only), or cancel it to reject it",
  },
  ...tenantFailures,
  StorefrontMismatch: {
    code: 'storefront_mismatch',
    fix: "the order names another storefront than the tenant's; check the webhook's registration, then cancel this order",
  },
  SalesDocumentCancelled: {
    code: 'sales_document_cancelled',
    fix: 'the order was cancelled in Intacct earlier; post it by hand, or cancel this order',
  },
  SalesDocumentNotFound: {
    code: 'sales_document_not_found',
    fix: 'the sales document was removed in Intacct; check what happened to it, then retry or cancel the order',
  },
  SalesDocumentNotCancellable: {
    code: 'sales_document_not_cancellable',
    fix: 'cancel or credit the documents created from it in Intacct (for example the invoice), then retry',
  },
  SalesDocumentNotConvertible: {
    code: 'sales_document_not_convertible',
    fix: 'the sales order is closed or converted to another definition; convert it by hand, or check orderSync.fulfilment',
  },
  LearnedCustomerStale: {
    code: 'learned_customer_stale',
    fix: 'the Intacct customer the product had remembered for this shopper is unknown or inactive in Intacct, so the remembered mapping rows were forgotten: retry the order to match or create its customer again (orderSync.customerMatching), or add a customers mapping row naming the customer to post to',
  },
  IntacctDimensionValueUnknown: {
    code: 'intacct_dimension_value_unknown',
    fix: 'create or re-activate the dimension value named above in Intacct, or correct what set it on the document (a dimensionRules mapping row, a rule in settings.rules, or an orderSync default; the order preview names which), then retry the order',
  },
  IntacctCustomFieldUnknown: {
    code: 'intacct_custom_field_unknown',
    fix: 'define the custom field named above on the sales transaction (or its lines) in Intacct, or remove it from the rule in settings.rules that sets it (the order preview names which), then retry the order',
  },
  ShipmentNotAddable: { code: 'shipment_not_addable', fix: 'add the shipment in the storefront by hand, then retry' },
  FulfilmentIncomplete: {
    code: 'fulfilment_incomplete',
    fix: 'ship, cancel or refund the lines still open in the storefront (each shipment is then synced and invoiced), or invoice the rest by hand in Intacct; retry to watch the order again for another orderSync.fulfilment.watchDays',
  },
  CancelledAfterRefunds: {
    code: 'cancelled_after_refunds',
    fix: 'the refunds named above already gave part of the money back, so nothing was reversed or removed: in Intacct, reverse by hand only what the refunds left (the payment less the refunds, for example with an AR adjustment against the customer, and close the sales document or credit its rest), then resolve this item; a retry parks the order again while the ledger holds the refunds',
  },
  EditedAfterInvoicing: {
    code: 'edited_after_invoicing',
    fix: 'the order was edited in the storefront after it was invoiced, so the books cannot follow on their own: settle each difference listed above in Intacct (a credit memo, or an invoice for what was added), then retry the order to accept the storefront order as it is now; or cancel it',
  },
  EditChangesLineTax: {
    code: 'edit_changes_line_tax',
    fix: "the order was edited in the storefront in a way that changes the tax of lines taxed per line, and Intacct cannot change an existing line's tax detail through the API, so nothing was written: change the sales order by hand to match the differences listed above (its lines and their tax detail), then retry the order to accept the storefront order as it is now; or cancel it",
  },
  SalesOrderNotEditable: {
    code: 'sales_order_not_editable',
    fix: 'the order was edited in the storefront, but its sales order was reduced by refunds or closed, so it is not updated automatically: change the sales order by hand to match the differences listed above, then retry the order to accept the storefront order as it is now',
  },
} as const satisfies FailureCatalogue;

/** What OrderToCash does with the order as it is now: the status gate first, then the balance check. */
export type OrderCheck =
  | { action: 'sync' }
  | { action: 'wait'; reason: string }
  | { action: 'cancel'; reason: string }
  | { action: 'skip'; code: string; reason: string }
  | { action: 'park'; attention: AttentionNotice };

/** The settings the workflow itself branches on, read once per run; activities read the rest themselves. */
export interface OrderSyncPlan {
  /** Recorded in the ledger, so an order's document can be traced to the settings it was posted with. */
  settingsVersion: number;
  transactionDefinition: string;
  waitForStatusHours: number;
  fulfilment: { convertToInvoice: boolean; invoiceTransactionDefinition: string; pollIntacctMinutes: number; watchDays: number };
  onPermanentFailure: 'park' | 'unwind';
  /** True when the tenant has an anomaly check on: the order is checked before it posts (`order-anomaly-contract.ts`). */
  anomalyChecks?: boolean;
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
  /** An operator approved the order the tenant's rules held (`rule_hold`): the holds no longer stop it. */
  ruleHoldsApproved?: boolean;
}

/**
 * The sales document as built for the order: what Intacct is sent, its reference number, and
 * the entity of a multi-entity company the tenant's rules route it to (absent: the connection's).
 */
export type PostableSalesDocument = SalesDocumentInput & { referenceNumber: string; entityId?: string };

export interface CreateSalesDocumentInput extends OrderRef {
  workflowId: string;
  settingsVersion: number;
  document: PostableSalesDocument;
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
  /** Its amounts, currency, date and payment method read the payment; no contact data. */
  order: OrderWithoutContacts;
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
  /**
   * The store signalled a change (a webhook) after the workflow's last fetch or look: the header
   * that fetch read may be out of date, so the write-back reads the order again.
   */
  changeSignalledSinceFetch?: boolean;
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
  /** For a payment recorded for one capture after posting: the storefront transaction it was recorded for. */
  captureTransactionId?: string;
}

export interface CancelSalesDocumentInput extends OrderRef {
  salesDocumentId: string;
}

/** Its shipment types live in `order-to-cash-shipments-contract.ts`; they are part of this contract. */
export type { ConvertToInvoiceInput, OrderLine, ShipmentInvoice, ShipmentRecord, ShipmentStatus, ShippedLine };

/** An edit made in the storefront after posting, for the sales order to match. */
export interface UpdateSalesOrderInput extends OrderRef {
  workflowId: string;
  salesDocumentId: string;
  /** The storefront version the edit comes from: the update is sent once per version. */
  storefrontStamp?: StorefrontOrderStamp;
  /** The sales document the order as the store has it now maps to (`buildSalesDocument`); its bill-to and ship-to only when `contactsChanged`. */
  document: SalesDocumentInput & { referenceNumber: string };
  /** The order's currency (ISO 4217), for comparing prices to the cent. */
  currency: string;
  /** The bill-to or ship-to address changed (or the workflow cannot tell): the document's contacts are sent too. */
  contactsChanged: boolean;
}

/**
 * What became of an edit: the sales order `updated` to match, or already `unchanged`; or not
 * updatable, because documents were made from it (`invoiced`) or refunds reduced or closed it
 * (`not_editable`), with what the store says against what Intacct holds.
 */
export type SalesOrderUpdate =
  | { state: 'updated' | 'unchanged' }
  | { state: 'invoiced' | 'not_editable' | 'tax_not_updatable'; intacctState: string; differences: OrderDifference[] };

/**
 * The activities OrderToCash calls, by name. Each concern's file implements its part
 * (`create…Activities(deps)`); `activities/index.ts` puts them together and `satisfies` this.
 *
 * Failures: connector failures leave as classified Temporal failures (`withConnectorFailures`),
 * so 5xx, timeouts and rate limits are retried and input/auth errors are not. A condition an
 * operator must fix is returned as a value (`resolved: false`, `action: 'park'`) rather than
 * thrown, so the workflow parks it instead of failing.
 */
export interface OrderToCashActivities extends OrderToCashCaptureActivities, OrderAnomalyActivities {
  /**
   * Reads the order-sync plan: the settings the workflow branches on and the ledger's record of
   * the order. Named before the ledger joined it; the name stays because it is the activity type
   * recorded in every OrderToCash history, and a rename would fail their replay (it would need
   * both names registered and a `patched` switch for no change in behaviour).
   */
  loadTenantSettings(input: LoadTenantSettingsInput): Promise<OrderSyncPlan>;
  /** The full order from the storefront, as the canonical order. Throws `OrderMappingError` (not retried) when it cannot be read as one. */
  fetchStorefrontOrder(input: OrderRef): Promise<FetchedStorefrontOrder>;
  /** The status gate (statuses to sync, guests) and the balance check, by the tenant's settings. */
  checkOrder(input: { tenantId: string; order: OrderWithoutContacts }): Promise<OrderCheck>;
  /** The order's Intacct customer, matched or created from the buyer: the one step before the sales document that reads contact data. */
  resolveCustomer(input: { tenantId: string; order: OrderBuyer }): Promise<CustomerResolution>;
  resolveItems(input: { tenantId: string; order: OrderWithoutContacts }): Promise<ItemResolution>;
  /** The tenant's sales document for the order (pure mapping plus dimensions and contacts). Throws `SalesDocumentMappingError`, or `RuleHold` when only the tenant's rules stop it (not retried). */
  buildSalesDocument(input: BuildSalesDocumentInput): Promise<PostableSalesDocument>;
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
  /**
   * One request's look at whether the storefront order changed since the version the workflow
   * last acted on: the order header alone (BigCommerce `GET /v2/orders/{id}`, Clarity
   * `GET /api/v1/orders/{id}`), compared by `isSameOrderVersion`.
   */
  detectStorefrontOrderChange(input: DetectStorefrontOrderChangeInput): Promise<StorefrontOrderChange>;
  /**
   * Brings the sales order's lines (and, when asked, its contacts) in line with the store's
   * order with one `update_sotransaction`, nothing when they match; reports, without writing, a
   * sales order that can no longer be updated.
   */
  updateSalesOrderToMatch(input: UpdateSalesOrderInput): Promise<SalesOrderUpdate>;
}
