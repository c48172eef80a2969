import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

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

/** A later storefront event about the same order (status change, cancellation, shipment). */
export interface OrderChangedSignal {
  deliveryId: string;
  topic: string;
  occurredAt: string;
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
  | 'done';

export interface OrderToCashStatus {
  step: OrderToCashStep;
  intacct: { salesDocumentId?: string; paymentKey?: string };
  attention?: { code: string; reason: string; fix: string };
}

export const orderToCashStatusQuery = defineQuery<OrderToCashStatus>('status');
/** An operator's retry of a parked order, after fixing what the attention item says. */
export const retryOrderUpdate = defineUpdate<OrderToCashStatus>('retry');
