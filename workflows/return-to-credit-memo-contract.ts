import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { OrderNumber, Storefront, SyncState, TenantId } from './search-attributes.js';
import type { StorefrontKind } from '../mappers/canonical-order.js';

/**
 * ReturnToCreditMemo's contract: workflow id, input and result, signals, queries and updates.
 * Webhook receivers, the sweep, the admin API and tests depend on this module, never on the
 * workflow's code.
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
