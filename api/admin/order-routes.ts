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
import type { Role } from '../../store/api-keys.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { itemWorkflow, onItemWorkflow } from './item-workflows.js';

/** The path of one order's calls. */
export const orderParams = tenantParams.extend({ orderId: z.string().min(1).max(100) });
const orderStatus = z.object({ workflowId: z.string(), status: z.record(z.string(), z.unknown()) });
/** The body of an order's cancellation: why, in words (admin API and console alike). */
export const orderCancelBody = z.object({ reason: z.string().trim().min(1, 'say why the order is cancelled').max(500) });

/** An order's workflow answer; 404 when the order has no OrderToCash, 409 when it refused the call or has ended (see `onItemWorkflow`). */
function onOrder<T>(deps: AdminDependencies, tenantId: string, orderId: string, call: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
  return onItemWorkflow(deps, itemWorkflow(tenantId, 'order', orderId), call);
}

/** The role an operator's action on an order needs (admin API and console alike). */
export const orderActionRole: Role = 'operator';

/** What an operator asks of one order's workflow. */
export type OrderAction = { kind: 'retry' } | { kind: 'approve' } | { kind: 'cancel'; reason: string };

const runAction = (action: OrderAction) => (handle: WorkflowHandle) =>
  action.kind === 'retry'
    ? handle.executeUpdate(retryOrderUpdate)
    : action.kind === 'approve'
      ? handle.executeUpdate(approveOrderUpdate)
      : handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: action.reason }] });

/**
 * One order's live status, as its OrderToCash reports it (admin API and console alike): for a
 * key that may see the tenant; 404 when the order has no workflow.
 */
export async function readOrderStatus(
  deps: AdminDependencies,
  principal: Principal,
  tenantId: string,
  orderId: string,
): Promise<{ workflowId: string; status: OrderToCashStatus }> {
  await visibleTenant(deps.db, principal, tenantId);
  const status = await onOrder(deps, tenantId, orderId, (handle) => handle.query(orderToCashStatusQuery));
  return { workflowId: orderToCashWorkflowId(tenantId, orderId), status };
}

/**
 * An operator's retry, approve or cancel of one order (admin API and console alike): the
 * workflow's update, audited; answers the status the workflow reports after taking it. The
 * caller has checked {@link orderActionRole}.
 */
export async function runOrderAction(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
  tenantId: string,
  orderId: string,
  action: OrderAction,
): Promise<{ workflowId: string; status: OrderToCashStatus }> {
  await visibleTenant(deps.db, context.principal, tenantId);
  const status = await onOrder(deps, tenantId, orderId, runAction(action));
  await audit(deps.db, context, { tenantId, action: `order.${action.kind}`, target: orderId });
  return { workflowId: orderToCashWorkflowId(tenantId, orderId), status };
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
      const { workflowId, status } = await readOrderStatus(deps, principal, params.tenantId, params.orderId);
      return { workflowId, status: { ...status } };
    },
  });

  const actions = [
    { action: 'retry', summary: 'Retry a parked order after fixing what its attention item says' },
    {
      action: 'approve',
      summary: 'Post an order that waits for a status that syncs, or one an anomaly check or a rule holds, as it is now',
    },
  ] as const;
  for (const { action, summary } of actions) {
    router.add({
      method: 'post',
      path: `/tenants/:tenantId/orders/:orderId/${action}`,
      summary,
      tag: 'orders',
      role: orderActionRole,
      params: orderParams,
      response: orderStatus,
      handler: async ({ params, principal, requestId }) => {
        const { workflowId, status } = await runOrderAction(deps, { principal, requestId }, params.tenantId, params.orderId, {
          kind: action,
        });
        return { workflowId, status: { ...status } };
      },
    });
  }

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/orders/:orderId/cancel',
    summary: 'Cancel an order: undo what it posted in Intacct (payment, then document), as a storefront cancellation would',
    tag: 'orders',
    role: orderActionRole,
    params: orderParams,
    body: orderCancelBody,
    response: orderStatus,
    handler: async ({ params, body, principal, requestId }) => {
      const { workflowId, status } = await runOrderAction(deps, { principal, requestId }, params.tenantId, params.orderId, {
        kind: 'cancel',
        reason: body.reason,
      });
      return { workflowId, status: { ...status } };
    },
  });
}
