import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { OrderNumber, Storefront, SyncState, TenantId } from './search-attributes.js';
import { tenantFailures, type FailureCatalogue } from './shared-contract.js';

/**
 * OrderToCash's contract: workflow id, input and result, signals, queries and updates. The
 * webhook receivers, the sweep, the admin API and tests depend on this module, never on the
 * workflow's code.
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
  storefront: 'bigcommerce' | 'clarity';
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
  | 'parked'
  | 'cancelling'
  | 'cancelled'
  | 'skipped'
  | 'done';

export interface OrderToCashStatus {
  step: OrderToCashStep;
  /** The settings version the order is being posted with. */
  settingsVersion?: number;
  intacct: { customerId?: string; salesDocumentId?: string; paymentKey?: string; invoiceDocumentId?: string };
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
  ShipmentNotAddable: { code: 'shipment_not_addable', fix: 'add the shipment in the storefront by hand, then retry' },
  CancelledAfterRefunds: {
    code: 'cancelled_after_refunds',
    fix: 'the refunds named above already gave part of the money back, so nothing was reversed or removed: in Intacct, reverse by hand only what the refunds left (the payment less the refunds, for example with an AR adjustment against the customer, and close the sales document or credit its rest), then resolve this item; a retry parks the order again while the ledger holds the refunds',
  },
} as const satisfies FailureCatalogue;
