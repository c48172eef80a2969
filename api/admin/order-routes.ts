import type { WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import {
  approveOrderUpdate,
  cancelOrderUpdate,
  orderToCashStatusQuery,
  orderToCashWorkflowId,
  retryOrderUpdate,
  type OrderToCashStatus,
} from '../../workflows/order-to-cash-contract.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { itemWorkflow, onItemWorkflow } from './item-workflows.js';

/** The path of one order's calls. */
export const orderParams = tenantParams.extend({ orderId: z.string().min(1).max(100) });
const orderStatus = z.object({ workflowId: z.string(), status: z.record(z.string(), z.unknown()) });

/** An order's workflow answer; 404 when the order has no OrderToCash, 409 when it refused the call or has ended (see `onItemWorkflow`). */
function onOrder<T>(deps: AdminDependencies, tenantId: string, orderId: string, call: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
  return onItemWorkflow(deps, itemWorkflow(tenantId, 'order', orderId), call);
}

/**
 * An operator's hands on one order: its live status (step, Intacct keys, why it is parked),
 * and the workflow's `retry`, `approve` and `cancel` updates. Each answers with the status the
 * workflow reports after taking the request, or 409 when the order is not in a state that
 * takes it (retrying an order that is not parked).
 */
export function registerOrderRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/orders/:orderId',
    summary: "An order's sync status, from its OrderToCash workflow",
    tag: 'orders',
    role: 'viewer',
    params: orderParams,
    response: orderStatus,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const status = await onOrder(deps, params.tenantId, params.orderId, (handle) => handle.query(orderToCashStatusQuery));
      return { workflowId: orderToCashWorkflowId(params.tenantId, params.orderId), status: { ...status } };
    },
  });

  const actions = [
    {
      action: 'retry',
      summary: 'Retry a parked order after fixing what its attention item says',
      run: (handle: WorkflowHandle) => handle.executeUpdate(retryOrderUpdate),
    },
    {
      action: 'approve',
      summary: 'Post an order that waits for a status that syncs, as it is now',
      run: (handle: WorkflowHandle) => handle.executeUpdate(approveOrderUpdate),
    },
  ] as const;
  for (const { action, summary, run } of actions) {
    router.add({
      method: 'post',
      path: `/tenants/:tenantId/orders/:orderId/${action}`,
      summary,
      tag: 'orders',
      role: 'operator',
      params: orderParams,
      response: orderStatus,
      handler: async ({ params, principal, requestId }) => {
        await visibleTenant(deps.db, principal, params.tenantId);
        const status: OrderToCashStatus = await onOrder(deps, params.tenantId, params.orderId, run);
        await audit(deps.db, { principal, requestId }, { tenantId: params.tenantId, action: `order.${action}`, target: params.orderId });
        return { workflowId: orderToCashWorkflowId(params.tenantId, params.orderId), status: { ...status } };
      },
    });
  }

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/orders/:orderId/cancel',
    summary: 'Cancel an order: undo what it posted in Intacct (payment, then document), as a storefront cancellation would',
    tag: 'orders',
    role: 'operator',
    params: orderParams,
    body: z.object({ reason: z.string().trim().min(1, 'say why the order is cancelled').max(500) }),
    response: orderStatus,
    handler: async ({ params, body, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const status = await onOrder(deps, params.tenantId, params.orderId, (handle) =>
        handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: body.reason }] }),
      );
      await audit(deps.db, { principal, requestId }, { tenantId: params.tenantId, action: 'order.cancel', target: params.orderId });
      return { workflowId: orderToCashWorkflowId(params.tenantId, params.orderId), status: { ...status } };
    },
  });
}
