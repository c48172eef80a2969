import type { Client } from '@temporalio/client';
import { orderChangedSignal, orderToCashSearchAttributes, orderToCashWorkflowId, orderToCashWorkflowType, type OrderToCashInput } from '../../workflows/order-to-cash-contract.js';
import {
  refundChangedSignal,
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoWorkflowId,
  returnToCreditMemoWorkflowType,
  type ReturnToCreditMemoInput,
} from '../../workflows/return-to-credit-memo-contract.js';
import type { DispatchOutcome, StorefrontEvent, WorkflowDispatcher } from './ports.js';

/**
 * Turns storefront events into Temporal calls. Order events (and shipments of an order) go
 * to that order's OrderToCash with signal-with-start and conflict policy "use existing": the
 * first delivery starts it, every later or repeated one only signals it, so concurrent
 * duplicates cannot start two workflows. Refunds and returns go the same way to their own
 * ReturnToCreditMemo. Events of flows not built yet are left recorded (the delivery log keeps
 * them for replay) and reported as ignored.
 */
export function temporalDispatcher(client: Client, taskQueue: string): WorkflowDispatcher {
  return {
    async dispatch(event: StorefrontEvent): Promise<DispatchOutcome> {
      const storefrontName = event.storefront === 'bigcommerce' ? 'BigCommerce' : 'Clarity';
      if ((event.entity === 'refund' || event.entity === 'return') && event.orderId !== undefined) {
        const input: ReturnToCreditMemoInput = { tenantId: event.tenantId, storefront: event.storefront, orderId: event.orderId, refundId: event.entityId, trigger: 'webhook' };
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
    },
  };
}
