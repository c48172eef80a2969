import { refundChangedSignal, returnToCreditMemoWorkflowType } from '../workflows/return-to-credit-memo-contract.js';
import type { ActivityDependencies } from './dependencies.js';
import type { OrderRef } from './order-to-cash-types.js';

/** A visibility query literal: single quotes doubled, so an id cannot end the string early. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * OrderToCash's nudge to the refunds that wait for its order. A refund that arrived before
 * its order was posted looks at the ledger again only every few minutes; once the order's
 * sales document or invoice exists, its refunds are signalled so they go on at once.
 */
export function createRefundWakeupActivities(deps: ActivityDependencies) {
  return {
    /** Signals every running ReturnToCreditMemo of the order that is waiting; how many were woken. Without a Temporal client, none. */
    async wakeWaitingRefunds(input: OrderRef & { reason: string }): Promise<{ woken: number }> {
      const temporal = deps.temporal;
      if (temporal === undefined) return { woken: 0 };
      const query = [
        `WorkflowType = ${literal(returnToCreditMemoWorkflowType)}`,
        `ExecutionStatus = 'Running'`,
        `TenantId = ${literal(input.tenantId)}`,
        `OrderNumber = ${literal(input.orderId)}`,
        `SyncState = 'waiting'`,
      ].join(' AND ');
      let woken = 0;
      for await (const execution of temporal.client.workflow.list({ query })) {
        await temporal.client.workflow.getHandle(execution.workflowId, execution.runId).signal(refundChangedSignal, {
          deliveryId: `order-posted:${input.orderId}:${input.reason}`,
          topic: 'order.posted',
          occurredAt: new Date().toISOString(),
        });
        woken += 1;
      }
      return { woken };
    },
  };
}
