import type { Client } from '@temporalio/client';
import {
  orderChangedSignal,
  orderToCashSearchAttributes,
  orderToCashWorkflowId,
  orderToCashWorkflowType,
  type OrderToCashInput,
} from '../../workflows/order-to-cash-contract.js';
import {
  refundChangedSignal,
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoWorkflowId,
  returnToCreditMemoWorkflowType,
  type ReturnToCreditMemoInput,
} from '../../workflows/return-to-credit-memo-contract.js';
import {
  inventoryChangedSignal,
  inventorySkuSyncWorkflowId,
  inventorySkuSyncWorkflowType,
  type InventorySkuSyncInput,
  type InventorySyncTarget,
} from '../../workflows/inventory-sku-sync-contract.js';
import { TenantId } from '../../workflows/search-attributes.js';
import type { DispatchOutcome, StorefrontEvent, WorkflowDispatcher } from './ports.js';

/**
 * What a storefront product or stock event asks to sync, or undefined when it asks nothing.
 * Clarity's `product.updated` names the SKU. BigCommerce names a product (`store/product/…`)
 * or a variant (`store/sku/…`). Left out: deletions; stock moved by an order (`…/inventory/order/updated`:
 * Intacct learns of the order through OrderToCash, and pushing its level before then would undo
 * the sale); and channel inventory scopes, whose id may be a product's or a variant's.
 */
export function inventorySyncTargetOf(event: StorefrontEvent): InventorySyncTarget | undefined {
  if (event.entity !== 'product' && event.entity !== 'inventory') return undefined;
  if (event.storefront === 'clarity') return event.topic === 'product.updated' ? { kind: 'sku', sku: event.entityId } : undefined;
  const scope = /^store\/(product|sku)\/(created|updated|inventory\/updated)$/.exec(event.topic);
  if (scope === null) return undefined;
  return scope[1] === 'product'
    ? { kind: 'bigcommerceProduct', productId: event.entityId }
    : { kind: 'bigcommerceVariant', variantId: event.entityId };
}

/** Names a sync target for Temporal UI. */
function describeTarget(target: InventorySyncTarget): string {
  switch (target.kind) {
    case 'sku':
      return `SKU ${target.sku}`;
    case 'bigcommerceProduct':
      return `product ${target.productId}`;
    case 'bigcommerceVariant':
      return `variant ${target.variantId}`;
  }
}

/**
 * Turns storefront events into Temporal calls. Order events (and shipments of an order) go
 * to that order's OrderToCash with signal-with-start and conflict policy "use existing": the
 * first delivery starts it, every later or repeated one only signals it, so concurrent
 * duplicates cannot start two workflows. Refunds and returns go the same way to their own
 * ReturnToCreditMemo. Product and stock changes go to the target's InventorySkuSync
 * (`inventory-sku:{tenantId}:…`) the same way: a change while it runs makes it sync once more.
 * The workflow itself checks that the tenant syncs inventory. Events of flows not built yet are
 * left recorded (the delivery log keeps them for replay) and reported as ignored.
 *
 * Each Temporal call has `deadlineMs` (default 2 s): with the receivers' 2 s on MongoDB, the
 * answer stays inside BigCommerce's 5 s delivery timeout, so a slow Temporal yields a 503 the
 * store retries rather than a timed-out attempt counted against the hook.
 */
export function temporalDispatcher(client: Client, taskQueue: string, options: { deadlineMs?: number } = {}): WorkflowDispatcher {
  const deadlineMs = options.deadlineMs ?? 2_000;
  return {
    dispatch: (event) => client.connection.withDeadline(Date.now() + deadlineMs, () => dispatchEvent(client, taskQueue, event)),
  };
}

async function dispatchEvent(client: Client, taskQueue: string, event: StorefrontEvent): Promise<DispatchOutcome> {
  const storefrontName = event.storefront === 'bigcommerce' ? 'BigCommerce' : 'Clarity';
  if ((event.entity === 'refund' || event.entity === 'return') && event.orderId !== undefined) {
    const input: ReturnToCreditMemoInput = {
      tenantId: event.tenantId,
      storefront: event.storefront,
      orderId: event.orderId,
      refundId: event.entityId,
      trigger: 'webhook',
    };
    await client.workflow.signalWithStart(returnToCreditMemoWorkflowType, {
      workflowId: returnToCreditMemoWorkflowId(event.tenantId, event.entityId),
      taskQueue,
      args: [input],
      signal: refundChangedSignal,
      signalArgs: [{ deliveryId: event.deliveryId, topic: event.topic, occurredAt: event.occurredAt }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: returnToCreditMemoSearchAttributes(input),
      staticSummary: `${storefrontName} refund ${event.entityId} of order ${event.orderId} → Intacct credit memo (tenant ${event.tenantId})`,
    });
    return 'signalled';
  }
  if (event.entity === 'product' || event.entity === 'inventory') {
    const target = inventorySyncTargetOf(event);
    if (target === undefined) return 'ignored';
    const input: InventorySkuSyncInput = { tenantId: event.tenantId, target, trigger: 'webhook' };
    await client.workflow.signalWithStart(inventorySkuSyncWorkflowType, {
      workflowId: inventorySkuSyncWorkflowId(event.tenantId, target),
      taskQueue,
      args: [input],
      signal: inventoryChangedSignal,
      signalArgs: [{ deliveryId: event.deliveryId, topic: event.topic, occurredAt: event.occurredAt }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: TenantId, value: event.tenantId }],
      staticSummary: `${storefrontName} ${describeTarget(target)} changed → stock from Intacct (tenant ${event.tenantId})`,
    });
    return 'signalled';
  }
  const orderId = event.entity === 'order' ? event.entityId : event.entity === 'shipment' ? event.orderId : undefined;
  if (orderId === undefined) return 'ignored';
  const input: OrderToCashInput = { tenantId: event.tenantId, storefront: event.storefront, orderId, trigger: 'webhook' };
  await client.workflow.signalWithStart(orderToCashWorkflowType, {
    workflowId: orderToCashWorkflowId(event.tenantId, orderId),
    taskQueue,
    args: [input],
    signal: orderChangedSignal,
    signalArgs: [{ deliveryId: event.deliveryId, topic: event.topic, occurredAt: event.occurredAt }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: orderToCashSearchAttributes(input),
    staticSummary: `${storefrontName} order ${orderId} → Intacct (tenant ${event.tenantId})`,
  });
  return 'signalled';
}
