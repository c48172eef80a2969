import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StorefrontKind } from '../mappers/canonical-order.js';
import type { OrderWithoutContacts } from '../mappers/order-views.js';
import type { CanonicalRefund } from '../mappers/canonical-refund.js';
import type { RefundedOrderTax } from '../mappers/refund-tax.js';
import type { CreditedDocument } from '../mappers/to-intacct-credit-memo.js';
import type { ResolvedItem } from '../mappers/to-intacct-sales-document.js';
import type { ItemResolution } from './order-to-cash-contract.js';
import { OrderNumber, Storefront, SyncState, TenantId } from './search-attributes.js';
import { tenantFailures, type AttentionNotice, type FailureCatalogue, type OrderRef } from './shared-contract.js';

/**
 * ReturnToCreditMemo's contract: workflow id, input and result, signals, queries and updates,
 * the activities it calls with their inputs and results, and its failure catalogue. Webhook
 * receivers, the sweep, the admin API, the activities and tests depend on this module, never on
 * the workflow's code.
 */
export const returnToCreditMemoWorkflowType = 'returnToCreditMemo';

/** One workflow per storefront refund (or Clarity return): `return-to-credit-memo:{tenantId}:{refundId}`. */
export function returnToCreditMemoWorkflowId(tenantId: string, refundId: string): string {
  return `return-to-credit-memo:${tenantId}:${refundId}`;
}

/** The inverse of {@link returnToCreditMemoWorkflowId}; undefined for any other id. */
export function parseReturnToCreditMemoWorkflowId(workflowId: string): { tenantId: string; refundId: string } | undefined {
  const match = /^return-to-credit-memo:([a-z0-9][a-z0-9-]{1,62}):(.+)$/.exec(workflowId);
  return match ? { tenantId: match[1]!, refundId: match[2]! } : undefined;
}

/** Ids only: the workflow reads the refund and the order itself. */
export interface ReturnToCreditMemoInput {
  tenantId: string;
  storefront: StorefrontKind;
  /** The storefront order the refund belongs to. */
  orderId: string;
  /** BigCommerce refund id, or Clarity return id: the credit memo's reference number. */
  refundId: string;
  trigger: 'webhook' | 'sweep' | 'backfill' | 'operator';
}

/** A later storefront event about the same refund (a Clarity return received or refunded). */
export interface RefundChangedSignal {
  deliveryId: string;
  topic: string;
  occurredAt: string;
}

/** The search attributes a ReturnToCreditMemo starts with, whoever starts it. `OrderNumber` is the order's id, so an order's refunds are found with it. */
export function returnToCreditMemoSearchAttributes(input: ReturnToCreditMemoInput): SearchAttributePair[] {
  return [
    { key: TenantId, value: input.tenantId },
    { key: Storefront, value: input.storefront },
    { key: OrderNumber, value: input.orderId },
    { key: SyncState, value: 'pending' },
  ];
}

export const refundChangedSignal = defineSignal<[RefundChangedSignal]>('refundChanged');

export type ReturnToCreditMemoStep =
  | 'loading'
  /** A Clarity return not refunded yet: waits for its refund event. */
  | 'waiting_for_refund'
  /** The order has not landed in Intacct yet: never an orphan credit memo. */
  | 'waiting_for_order'
  | 'resolving_items'
  /** Before invoicing: the sales order's lines come down by the refund (or it closes). */
  | 'reducing_sales_order'
  | 'creating_credit_memo'
  | 'offsetting_stock'
  | 'recording_refund_posting'
  /** The credit memo's AR credit applied to the refund's AR posting, so neither stays open. */
  | 'applying_refund_credit'
  | 'parked'
  | 'skipped'
  | 'done';

export interface ReturnToCreditMemoStatus {
  step: ReturnToCreditMemoStep;
  /** The refund's total in minor units of its currency, once read. */
  refundTotal?: number;
  currency?: string;
  intacct: {
    orderDocumentId?: string;
    creditMemoId?: string;
    /** Before invoicing: what the refund did to the sales order (`orderDocumentId`). */
    salesOrderChange?: 'reduced' | 'closed';
    /** DOCID of the inventory transaction taking unrestocked units back out of stock. */
    stockOffsetId?: string;
    /** RECORDNO of the AR adjustment paying the refund out (none for a refund given as store credit). */
    refundPostingKey?: string;
    /** RECORDNO of the credit-only AR payment applying the credit memo to the refund's AR posting. */
    creditApplicationKey?: string;
  };
  /** Why the refund waits for a person (parked) and what fixes it. */
  attention?: { code: string; reason: string; fix: string };
  /** Why the refund is waiting or skipped. */
  note?: string;
}

export interface ReturnToCreditMemoResult {
  /** `credited`: a credit memo of the invoice; `reduced`: the sales order came down before invoicing; `skipped`: nothing to post. */
  outcome: 'credited' | 'reduced' | 'skipped';
  status: ReturnToCreditMemoStatus;
}

export const returnToCreditMemoStatusQuery = defineQuery<ReturnToCreditMemoStatus>('status');
/** An operator's retry of a parked refund (or of one waiting for its order), after fixing what the attention item says. */
export const retryRefundUpdate = defineUpdate<ReturnToCreditMemoStatus>('retry');

/**
 * Failure types ReturnToCreditMemo's activities throw themselves: the refund is parked and the
 * operator's retry picks it up again.
 */
export const returnToCreditMemoFailures = {
  ...tenantFailures,
  RefundNotFound: {
    code: 'refund_not_found',
    fix: 'check that the refund (or return) still exists in the storefront; if it was voided there, nothing is owed in Intacct',
  },
  RefundMappingError: {
    code: 'refund_unmappable',
    fix: 'correct the refund in the storefront if it can be, or record it by hand in Intacct; the problems are listed above',
  },
  CreditMemoMappingError: {
    code: 'credit_memo_unmappable',
    fix: 'add the missing mapping rows or settings listed above (returns.*, adjustmentItems, taxRates, orderSync.tax), then retry the refund',
  },
  CreditedDocumentNotFound: {
    code: 'credited_document_not_found',
    fix: "the order's Intacct document was removed; find what replaced it, record the refund against it by hand, or restore it and retry",
  },
  CreditMemoRefused: {
    code: 'credit_memo_refused',
    fix: "fix what Intacct's message names (the credit memo definition in returns.creditMemoTransactionDefinition, the customer, a dimension), then retry the refund",
  },
  RefundExceedsInvoice: {
    code: 'refund_exceeds_invoice',
    fix: 'the order was refunded for more than it was invoiced: check the earlier credit memos and the invoice in Intacct, correct them, then retry, or record the difference by hand',
  },
  RefundBeforeInvoice: {
    code: 'refund_before_invoice',
    fix: 'this tenant parks refunds of orders not invoiced yet (returns.beforeInvoice: park, or tax posted as line tax detail, which a sales order cannot give back): retry once the order is invoiced and the refund becomes a credit memo against the invoice; with returns.beforeInvoice park you may instead set it to reduceOrder and retry to take it off the sales order',
  },
  RefundExceedsOrder: {
    code: 'refund_exceeds_order',
    fix: 'the sales order has fewer units or less money left than the refund takes back (changed by hand?): correct the sales order in Intacct, then retry the refund',
  },
  SalesOrderReductionUnmappable: {
    code: 'sales_order_reduction_unmappable',
    fix: 'reduce the sales order by hand as listed above (or add the missing adjustment item row), then retry the refund; a retry finds it reduced only if you add the refund id to the order message',
  },
  SalesOrderReductionRefused: {
    code: 'sales_order_reduction_refused',
    fix: "fix what Intacct's message names on the sales order, or reduce its lines by hand, then retry the refund",
  },
  SalesOrderClosed: {
    code: 'sales_order_closed',
    fix: 'the sales order was closed or removed in Intacct; record the refund by hand (a credit memo or an AR adjustment), then retry the refund to pay it out',
  },
  RefundPostingRefused: {
    code: 'refund_posting_refused',
    fix: "the credit memo (or reduced sales order) is posted and kept: fix what Intacct's message names (the payment method's account, the customer), then retry the refund to pay the money out",
  },
  RefundCreditApplicationRefused: {
    code: 'refund_credit_application_refused',
    fix: "the credit memo and the refund's AR posting are both posted and kept: fix what Intacct's message names (either one changed or applied by hand?), then retry the refund, or apply them to each other in Intacct (Receive payments, credits only)",
  },
  StockOffsetRefused: {
    code: 'stock_offset_refused',
    fix: "fix what Intacct's message names (returns.stockOffsetTransactionDefinition, the warehouse, stock on hand), then retry the refund",
  },
  ClosedPeriod: {
    code: 'closed_period',
    fix: "the refund's date falls in a closed accounting period: reopen the period in Intacct (or record the refund by hand in an open one), then retry",
  },
  UnknownItem: {
    code: 'unknown_item',
    fix: 'the item is unknown or inactive in Intacct: reactivate it, or correct the setting or mapping row that names it (items, adjustmentItems, returns.shippingRefundItemId), then retry',
  },
} as const satisfies FailureCatalogue;

/**
 * Another refund of the same order is changing its sales order right now. The one failure type
 * these activities throw that is retried (by Temporal, after a delay), so it is not in the
 * catalogue: no person is asked to act on it.
 */
export const salesOrderBusyFailure = 'SalesOrderBusy';

/** Which refund, of which order, tenant and storefront. */
export interface RefundRef extends OrderRef {
  refundId: string;
}

/**
 * The refund as the storefront has it, with the order it refunds for item resolution: without the
 * buyer's contact data, which no step of a refund reads (results recorded before held the whole order).
 */
export type FetchedRefund = { issued: true; refund: CanonicalRefund; order: OrderWithoutContacts } | { issued: false; reason: string };

/** Where the refunded order stands in Intacct, from the sync ledger (and the credited document's header). */
export type OriginalOrder =
  /** Posted and invoiced: the refund becomes a credit memo of this document. */
  | { state: 'invoiced'; credited: CreditedDocument; settingsVersion: number; creditMemoDefinition: string }
  /** Posted as a sales order not invoiced yet (or invoiced after this refund already reduced it): the refund reduces the order. */
  | { state: 'not_invoiced'; salesDocumentId: string; customerId: string }
  /** Not posted yet (unknown to the ledger, pending or parked): the refund waits for it. */
  | { state: 'waiting'; reason: string }
  /** The order will not be posted (skipped or cancelled), or the tenant does not process returns: the refund is skipped. */
  | { state: 'not_synced'; code: string; reason: string };

export interface CreateCreditMemoInput extends RefundRef {
  workflowId: string;
  refund: CanonicalRefund;
  credited: CreditedDocument;
  /** By the order's canonical line id. */
  items: Record<string, ResolvedItem>;
  /** The refunded order lines' tax, to reverse tax posted per line or per jurisdiction (absent in inputs recorded before). */
  orderTax?: RefundedOrderTax;
}

export interface RecordRefundPostingInput extends RefundRef {
  workflowId: string;
  refund: CanonicalRefund;
  /** The customer of the credit memo (or of the reduced sales order). */
  customerId: string;
  /** The credit memo, or the sales order the refund reduced before invoicing. */
  documentId: string;
}

export interface ApplyRefundCreditInput extends RefundRef {
  workflowId: string;
  refund: CanonicalRefund;
  /** The customer of the credit memo. */
  customerId: string;
  /** DOCID of the credit memo whose AR credit is applied. */
  creditMemoId: string;
  /** RECORDNO of the refund's AR posting (the debit memo the credit pays). */
  refundPostingKey: string;
}

/** The credit memo applied to the refund's AR posting. */
export interface AppliedRefundCredit {
  /** RECORDNO of the credit-only ARPYMT, or undefined when nothing was left open to apply. */
  applicationKey?: string;
  /** The amount applied, decimal text ('0' when nothing was open). */
  amount: string;
  created: boolean;
}

export interface ReduceSalesOrderInput extends RefundRef {
  workflowId: string;
  refund: CanonicalRefund;
  salesDocumentId: string;
  /** By the order's canonical line id. */
  items: Record<string, ResolvedItem>;
  /** The refunded order lines' tax, to reverse tax posted per jurisdiction (absent in inputs recorded before). */
  orderTax?: RefundedOrderTax;
}

/** What a refund before invoicing did to the sales order. */
export type ReducedSalesOrder =
  /** The lines came down by the refund (`changed` false: an earlier attempt or run had done it). */
  | { state: 'reduced' | 'closed'; salesDocumentId: string; changed: boolean }
  /** The order was invoiced before the refund reached it: the refund becomes a credit memo instead. */
  | { state: 'invoiced' };

export interface RecordedRefundPosting {
  /** RECORDNO of the AR adjustment that pays the refund out. */
  adjustmentKey: string;
  created: boolean;
}

export interface CreatedCreditMemo {
  /** DOCID, e.g. `Sales Credit Memo-CM-0003`. */
  creditMemoId: string;
  /** false when an earlier attempt (or run) had already created it. */
  created: boolean;
}

/**
 * The activities ReturnToCreditMemo calls, by name. `resolveItems` is OrderToCash's own (the
 * refund's items are the order's), registered once for both workflows.
 */
export interface ReturnToCreditMemoActivities {
  fetchStorefrontRefund(input: RefundRef): Promise<FetchedRefund>;
  findOriginalOrder(input: RefundRef): Promise<OriginalOrder>;
  resolveItems(input: { tenantId: string; order: OrderWithoutContacts }): Promise<ItemResolution>;
  createCreditMemo(input: CreateCreditMemoInput): Promise<CreatedCreditMemo>;
  /** A refund before invoicing: the sales order's lines come down by it (or the order closes), exactly once. */
  reduceSalesOrder(input: ReduceSalesOrderInput): Promise<ReducedSalesOrder>;
  /** Takes back out of stock what the credit memo returned to stock but was not restocked; nothing when all was restocked. */
  offsetUnrestockedStock(input: CreateCreditMemoInput & { creditMemoId: string }): Promise<{ documentId?: string; created: boolean }>;
  /** The money returned: an AR debit adjustment against the payment method's account, exactly once (ledger 'refund' `intacctKey`). */
  recordRefundPosting(input: RecordRefundPostingInput): Promise<RecordedRefundPosting>;
  applyRefundCredit(input: ApplyRefundCreditInput): Promise<AppliedRefundCredit>;
  parkRefund(input: RefundRef & { workflowId: string; attention: AttentionNotice }): Promise<void>;
  clearRefundAttention(input: RefundRef & { workflowId: string }): Promise<void>;
  recordRefundSkipped(input: RefundRef & { workflowId: string; code: string; reason: string }): Promise<void>;
}
