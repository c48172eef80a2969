import { z } from 'zod';
import type { Role } from '../../store/api-keys.js';
import { returnToCreditMemoStatusQuery } from '../../workflows/return-to-credit-memo-contract.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { itemWorkflow, onItemWorkflow, retryItem } from './item-workflows.js';

const refundParams = tenantParams.extend({ refundId: z.string().min(1).max(100) });
const refundStatus = z.object({ workflowId: z.string(), status: z.record(z.string(), z.unknown()) });

/** The role retrying a refund needs (admin API and console alike). */
export const refundActionRole: Role = 'operator';

/**
 * An operator's retry of one refund (admin API and console alike): the workflow's `retry`
 * update, audited. The caller has checked the operator role.
 */
export async function retryRefund(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
  tenantId: string,
  refundId: string,
): Promise<{ workflowId: string; status: Record<string, unknown> }> {
  await visibleTenant(deps.db, context.principal, tenantId);
  const status = await retryItem(deps, tenantId, 'refund', refundId);
  await audit(deps.db, context, { tenantId, action: 'refund.retry', target: refundId });
  return { workflowId: itemWorkflow(tenantId, 'refund', refundId).workflowId, status };
}

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
    role: refundActionRole,
    params: refundParams,
    response: refundStatus,
    handler: ({ params, principal, requestId }) => retryRefund(deps, { principal, requestId }, params.tenantId, params.refundId),
  });
}
