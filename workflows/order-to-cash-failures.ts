import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { AttentionNotice } from '../activities/order-to-cash-types.js';

/** A step's failure as the attention queue shows it, and whether time alone may cure it. */
export interface StepFailure {
  attention: AttentionNotice;
  /** The step failed on retryable errors (outage, rate limit) until its retries ran out: retrying later may work. */
  transient: boolean;
}

/** Failure types the product's own activities throw, with what an operator does about each. */
const knownFailures: Record<string, { code: string; fix: string }> = {
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
  TenantNotConfigured: {
    code: 'tenant_not_configured',
    fix: "complete the tenant's settings and credentials through the admin API, then retry the order",
  },
  PaymentAccountNotConfigured: {
    code: 'payment_account_not_configured',
    fix: 'map the payment method to an account (paymentMethods table or orderSync.payments), then retry the order',
  },
  MappingRowInvalid: {
    code: 'mapping_row_invalid',
    fix: 'correct or delete the mapping row named above (admin API mapping tables), then retry the order',
  },
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
  ShipmentNotAddable: { code: 'shipment_not_addable', fix: 'add the shipment in the storefront by hand, then retry' },
  CancelledAfterRefunds: {
    code: 'cancelled_after_refunds',
    fix: 'the refunds named above already gave part of the money back, so nothing was reversed or removed: in Intacct, reverse by hand only what the refunds left (the payment less the refunds, for example with an AR adjustment against the customer, and close the sales document or credit its rest), then resolve this item; a retry parks the order again while the ledger holds the refunds',
  },
  // ReturnToCreditMemo's own failures: the refund is parked and the operator's retry picks it up again.
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
    fix: 'add the missing mapping rows or settings listed above (returns.*, adjustmentItems), then retry the refund',
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
    fix: 'this tenant parks refunds of orders not invoiced yet (returns.beforeInvoice: park): retry once the order is invoiced and the refund becomes a credit memo against the invoice, or set returns.beforeInvoice to reduceOrder and retry to take it off the sales order',
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
};

/** What fixes a vendor's refusal, by its failure class. */
const fixByClass: Record<string, string> = {
  input: "fix the record or setting the vendor's message names (in Intacct, the storefront or the mapping tables), then retry the order",
  auth: "check the tenant's credentials (PUT /api/v1/tenants/{tenantId}/credentials/...) and test the connection, then retry the order",
  retryable: 'the service kept failing or rate-limiting; the order is retried automatically, or retry it now',
};

/**
 * Reads an activity's failure into an attention notice. `step` names the step in words
 * ("creating the sales document") so the reason says where the order stopped. Anything that
 * is not an activity failure is a bug in the workflow and is rethrown.
 */
export function describeStepFailure(step: string, error: unknown): StepFailure {
  if (!(error instanceof ActivityFailure)) throw error;
  const cause = error.cause;
  if (cause instanceof TimeoutFailure) {
    return { transient: true, attention: { code: 'step_timed_out', reason: `${step} timed out`, fix: fixByClass.retryable! } };
  }
  if (!(cause instanceof ApplicationFailure)) {
    return {
      transient: true,
      attention: { code: 'step_failed', reason: `${step} failed: ${cause?.message ?? error.message}`, fix: fixByClass.retryable! },
    };
  }
  const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
  const known = cause.type ? knownFailures[cause.type] : undefined;
  const failureClass = typeof details.failureClass === 'string' ? details.failureClass : cause.nonRetryable ? 'input' : 'retryable';
  const code = known?.code ?? (failureClass === 'auth' ? 'credentials_refused' : failureClass === 'input' ? 'rejected' : 'unavailable');
  return {
    transient: !cause.nonRetryable && known === undefined,
    attention: {
      code,
      reason: `${step} failed: ${cause.message}`,
      fix: known?.fix ?? fixByClass[failureClass] ?? fixByClass.input!,
      details: { ...(cause.type && { failureType: cause.type }), ...details },
    },
  };
}
