import { z } from 'zod';
import { returnToCreditMemoStatusQuery } from '../../workflows/return-to-credit-memo-contract.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { itemWorkflow, onItemWorkflow, retryItem } from './item-workflows.js';

const refundParams = tenantParams.extend({ refundId: z.string().min(1).max(100) });
const refundStatus = z.object({ workflowId: z.string(), status: z.record(z.string(), z.unknown()) });

/**
 * An operator's hands on one refund, as on one order: its live status (step, Intacct keys, why
 * it is parked) from its ReturnToCreditMemo, and the workflow's `retry` update, which answers
 * 409 when the refund is neither parked nor waiting for its order.
 */
export function registerRefundRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/refunds/:refundId',
    summary: "A refund's sync status, from its ReturnToCreditMemo workflow",
    tag: 'refunds',
    role: 'viewer',
    params: refundParams,
    response: refundStatus,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const refund = itemWorkflow(params.tenantId, 'refund', params.refundId);
      const status = await onItemWorkflow(deps, refund, (handle) => handle.query(returnToCreditMemoStatusQuery));
      return { workflowId: refund.workflowId, status: { ...status } };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/refunds/:refundId/retry',
    summary: 'Retry a parked refund (or one waiting for its order) after fixing what its attention item says',
    tag: 'refunds',
    role: 'operator',
    params: refundParams,
    response: refundStatus,
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const status = await retryItem(deps, params.tenantId, 'refund', params.refundId);
      await audit(deps.db, { principal, requestId }, { tenantId: params.tenantId, action: 'refund.retry', target: params.refundId });
      return { workflowId: itemWorkflow(params.tenantId, 'refund', params.refundId).workflowId, status };
    },
  });
}
