import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { OrderNumber, Storefront, SyncState, TenantId } from './search-attributes.js';
import type { StorefrontKind } from '../mappers/canonical-order.js';

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
