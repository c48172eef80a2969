import type { Client, WorkflowSignalWithStartOptions } from '@temporalio/client';
import {
  orderChangedSignal,
  type OrderChangedSignal,
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
import { tenantPriority } from '../../workflows/task-priority.js';
import {
  describeStorefrontItemTarget,
  storefrontItemIntakeWorkflowId,
  storefrontItemIntakeWorkflowType,
  type StorefrontItemIntakeInput,
} from '../../workflows/storefront-item-intake-contract.js';
import {
  customerChangedSignal,
  customerSyncWorkflowId,
  customerSyncWorkflowType,
  type CustomerSyncInput,
} from '../../workflows/customer-sync-contract.js';
import { routeStorefrontEvent, storefrontItemTargetOf } from './event-routing.js';
import type { DispatchOutcome, StorefrontEvent, WorkflowDispatcher } from './ports.js';

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

/** How long one dispatch waits on Temporal by default (see {@link temporalDispatcher}). */
export const dispatchDeadlineMs = 2_000;

/**
 * The signal-with-start an order event sends to its order's OrderToCash: the one Temporal call the
 * dispatch makes for a delivery about an order. The bench's acknowledgement floor
 * (`api/bench-ack-floor-routes.ts`) sends this same call under a workflow type no worker runs.
 */
export function orderToCashSignalWithStart(
  event: StorefrontEvent,
  orderId: string,
  taskQueue: string,
): WorkflowSignalWithStartOptions<[OrderChangedSignal]> & { args: [OrderToCashInput] } {
  const input: OrderToCashInput = { tenantId: event.tenantId, storefront: event.storefront, orderId, trigger: 'webhook' };
  return {
    workflowId: orderToCashWorkflowId(event.tenantId, orderId),
    taskQueue,
    args: [input],
    signal: orderChangedSignal,
    signalArgs: [{ deliveryId: event.deliveryId, topic: event.topic, occurredAt: event.occurredAt }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    priority: tenantPriority(event.tenantId, 'live'),
    typedSearchAttributes: orderToCashSearchAttributes(input),
    staticSummary: `${storefrontNameOf(event)} order ${orderId} → Intacct (tenant ${event.tenantId})`,
  };
}

const storefrontNameOf = (event: StorefrontEvent) => (event.storefront === 'bigcommerce' ? 'BigCommerce' : 'Clarity');

/**
 * Turns storefront events into Temporal calls. Order events (and shipments of an order) go
 * to that order's OrderToCash with signal-with-start and conflict policy "use existing": the
 * first delivery starts it, every later or repeated one only signals it, so concurrent
 * duplicates cannot start two workflows. Refunds and returns go the same way to their own
 * ReturnToCreditMemo. Product and stock changes go to the target's InventorySkuSync
 * (`inventory-sku:{tenantId}:…`) the same way: a change while it runs makes it sync once more.
 * The workflow itself checks that the tenant syncs inventory. A product or SKU creation (any
 * Clarity `product.updated`, see `storefrontItemTargetOf`) also starts StorefrontItemIntake for it (`storefront-item:{tenantId}:…`), which checks the tenant's
 * catalog settings itself. A customer's registration, profile or address change goes to its
 * CustomerSync (`customer-sync:{tenantId}:{storefront}:{customerId}`) the same way. Which workflow an event belongs to
 * is `routeStorefrontEvent`'s decision; an event no flow acts on is reported as ignored.
 *
 * Each Temporal call has `deadlineMs` (default 2 s): with the receivers' 2 s on MongoDB, the
 * answer stays inside BigCommerce's 5 s delivery timeout, so a slow Temporal yields a 503 the
 * store retries rather than a timed-out attempt counted against the hook.
 */
export function temporalDispatcher(client: Client, taskQueue: string, options: { deadlineMs?: number } = {}): WorkflowDispatcher {
  const deadlineMs = options.deadlineMs ?? dispatchDeadlineMs;
  return {
    dispatch: (event) => client.connection.withDeadline(Date.now() + deadlineMs, () => dispatchEvent(client, taskQueue, event)),
  };
}

async function dispatchEvent(client: Client, taskQueue: string, event: StorefrontEvent): Promise<DispatchOutcome> {
  const storefrontName = storefrontNameOf(event);
  const route = routeStorefrontEvent(event);
  const changed = { deliveryId: event.deliveryId, topic: event.topic, occurredAt: event.occurredAt };
  switch (route?.flow) {
    case undefined:
      return 'ignored';
    case 'returnToCreditMemo': {
      const input: ReturnToCreditMemoInput = {
        tenantId: event.tenantId,
        storefront: event.storefront,
        orderId: route.orderId,
        refundId: route.refundId,
        trigger: 'webhook',
      };
      await client.workflow.signalWithStart(returnToCreditMemoWorkflowType, {
        workflowId: returnToCreditMemoWorkflowId(event.tenantId, route.refundId),
        taskQueue,
        args: [input],
        signal: refundChangedSignal,
        signalArgs: [changed],
        workflowIdConflictPolicy: 'USE_EXISTING',
        priority: tenantPriority(event.tenantId, 'live'),
        typedSearchAttributes: returnToCreditMemoSearchAttributes(input),
        staticSummary: `${storefrontName} refund ${route.refundId} of order ${route.orderId} → Intacct credit memo (tenant ${event.tenantId})`,
      });
      return 'signalled';
    }
    case 'inventorySkuSync': {
      const intakeTarget = storefrontItemTargetOf(event);
      if (intakeTarget !== undefined) {
        // A repeated delivery joins the running intake; after it closed, a new one finds the SKUs known and creates nothing.
        const intake: StorefrontItemIntakeInput = { tenantId: event.tenantId, target: intakeTarget };
        await client.workflow.start(storefrontItemIntakeWorkflowType, {
          workflowId: storefrontItemIntakeWorkflowId(event.tenantId, intakeTarget),
          taskQueue,
          args: [intake],
          workflowIdConflictPolicy: 'USE_EXISTING',
          priority: tenantPriority(event.tenantId, 'live'),
          typedSearchAttributes: [{ key: TenantId, value: event.tenantId }],
          staticSummary: `${storefrontName} ${describeStorefrontItemTarget(intakeTarget)} → Intacct item if missing (tenant ${event.tenantId})`,
        });
      }
      const input: InventorySkuSyncInput = { tenantId: event.tenantId, target: route.target, trigger: 'webhook' };
      await client.workflow.signalWithStart(inventorySkuSyncWorkflowType, {
        workflowId: inventorySkuSyncWorkflowId(event.tenantId, route.target),
        taskQueue,
        args: [input],
        signal: inventoryChangedSignal,
        signalArgs: [changed],
        workflowIdConflictPolicy: 'USE_EXISTING',
        priority: tenantPriority(event.tenantId, 'live'),
        typedSearchAttributes: [{ key: TenantId, value: event.tenantId }],
        staticSummary: `${storefrontName} ${describeTarget(route.target)} changed → stock from Intacct (tenant ${event.tenantId})`,
      });
      return 'signalled';
    }
    case 'customerSync': {
      const input: CustomerSyncInput = { tenantId: event.tenantId, storefront: event.storefront, customerId: route.customerId };
      await client.workflow.signalWithStart(customerSyncWorkflowType, {
        workflowId: customerSyncWorkflowId(event.tenantId, event.storefront, route.customerId),
        taskQueue,
        args: [input],
        signal: customerChangedSignal,
        signalArgs: [changed],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [{ key: TenantId, value: event.tenantId }],
        priority: tenantPriority(event.tenantId, 'live'),
        staticSummary: `${storefrontName} customer ${route.customerId} changed → Intacct customer (tenant ${event.tenantId})`,
      });
      return 'signalled';
    }
    case 'orderToCash':
      await client.workflow.signalWithStart(orderToCashWorkflowType, orderToCashSignalWithStart(event, route.orderId, taskQueue));
      return 'signalled';
  }
}
