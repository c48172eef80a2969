import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import {
  approvePayoutUpdate,
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  processorNames,
  retryPayoutUpdate,
  type PayoutReconcileStatus,
} from '../../workflows/payout-reconcile-contract.js';
import {
  payoutDayStatusQuery,
  payoutDayWorkflowId,
  retryPayoutDayUpdate,
  type PayoutDayStatus,
} from '../../workflows/payout-day-contract.js';
import {
  payoutFailureReversalStatusQuery,
  payoutFailureReversalWorkflowId,
  retryPayoutFailureReversalUpdate,
  type PayoutFailureReversalStatus,
} from '../../workflows/payout-failure-reversal-contract.js';
import { HttpError } from '../errors.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { withTemporal } from './temporal-access.js';

/** One payout of a tenant, as the routes' path names it. */
export const payoutParams = tenantParams.extend({ processor: z.enum(processorNames), payoutId: z.string().min(1).max(100) });
/** Why the differences of a payout are accepted: the approval's body, the console's form too. */
export const payoutApprovalBody = z.object({
  note: z.string().trim().min(1).max(500).describe('Why the differences are accepted (kept in the payout record)'),
});
const payoutStatus = z.object({ workflowId: z.string(), status: z.record(z.string(), z.unknown()) });
/** One day of a gateway's payouts posted together (`postingMode: dailySummary`), as the routes' path names it. */
export const payoutDayParams = tenantParams.extend({
  gateway: z.string().min(1).max(100),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals'),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
});

/**
 * A call on one payout's PayoutReconcile (or one day's PayoutDay): 404 when it has no workflow;
 * 409 `payout_state_conflict` with the workflow's own reason when it refused an update, or
 * `payout_workflow_closed` when it has ended; 503 when Temporal is not reachable.
 */
async function onPayoutWorkflow<T>(
  deps: AdminDependencies,
  workflowId: string,
  what: string,
  call: (handle: WorkflowHandle) => Promise<T>,
): Promise<{ workflowId: string; result: T }> {
  const result = await withTemporal(deps, async ({ client }) => {
    const handle = client.workflow.getHandle(workflowId);
    try {
      return await call(handle);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError)
        throw new HttpError(409, 'payout_state_conflict', error.cause?.message ?? error.message);
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      // Temporal answers "not found" to an update of a closed workflow as to a missing one.
      const description = await handle.describe().catch((cause: unknown) => {
        if (cause instanceof WorkflowNotFoundError) return undefined;
        throw cause;
      });
      if (description === undefined) throw notFoundError(`${what}'s workflow`);
      throw new HttpError(
        409,
        'payout_workflow_closed',
        `${what}'s workflow has ended (${description.status.name.toLowerCase()}): it posts once, nothing waits for this`,
      );
    }
  });
  return { workflowId, result };
}

const payoutWorkflow = (params: z.infer<typeof payoutParams>) =>
  [payoutReconcileWorkflowId(params.tenantId, params.processor, params.payoutId), `payout ${params.processor}/${params.payoutId}`] as const;
const payoutReversalWorkflow = (params: z.infer<typeof payoutParams>) =>
  [
    payoutFailureReversalWorkflowId(params.tenantId, params.processor, params.payoutId),
    `the reversal of failed payout ${params.processor}/${params.payoutId}`,
  ] as const;
const payoutDayWorkflow = (params: z.infer<typeof payoutDayParams>) =>
  [
    payoutDayWorkflowId({ ...params, gateway: params.gateway.toLowerCase() }),
    `the ${params.gateway} payouts of ${params.day} (${params.currency})`,
  ] as const;

/** Who acts, as the use cases audit it. */
type ActingContext = { principal: Principal; requestId: string | undefined };

/** An operator's retry of a parked payout workflow, audited as `action` on `target`. */
async function retryParked<Status>(
  deps: AdminDependencies,
  context: ActingContext,
  tenantId: string,
  workflow: readonly [workflowId: string, what: string],
  update: UpdateDefinition<Status, []>,
  logged: { action: string; target: string },
): Promise<{ workflowId: string; status: Status }> {
  await visibleTenant(deps.db, context.principal, tenantId);
  const { workflowId, result } = await onPayoutWorkflow(deps, ...workflow, (handle) => handle.executeUpdate(update));
  await audit(deps.db, context, { tenantId, ...logged });
  return { workflowId, status: { ...result } };
}

/**
 * Retries a parked payout (or looks again at one not paid yet) and audits it: the admin API's
 * `POST …/payouts/{processor}/{payoutId}/retry` and the console's button both call it.
 */
export async function retryPayout(
  deps: AdminDependencies,
  context: ActingContext,
  params: z.infer<typeof payoutParams>,
): Promise<{ workflowId: string; status: PayoutReconcileStatus }> {
  return retryParked(deps, context, params.tenantId, payoutWorkflow(params), retryPayoutUpdate, {
    action: 'payout.retry',
    target: params.payoutId,
  });
}

/**
 * Posts a payout parked on its variances as it is, with the operator's note, and audits it: the
 * admin API's `POST …/approve` and the console's form both call it. 409 unless parked on variances.
 */
export async function approvePayout(
  deps: AdminDependencies,
  context: ActingContext,
  params: z.infer<typeof payoutParams>,
  note: string,
): Promise<{ workflowId: string; status: PayoutReconcileStatus }> {
  await visibleTenant(deps.db, context.principal, params.tenantId);
  const { workflowId, result } = await onPayoutWorkflow(deps, ...payoutWorkflow(params), (handle) =>
    handle.executeUpdate(approvePayoutUpdate, { args: [{ note }] }),
  );
  await audit(deps.db, context, { tenantId: params.tenantId, action: 'payout.approve', target: params.payoutId, details: { note } });
  return { workflowId, status: { ...result } };
}

/**
 * Retries a parked daily summary (a gateway's payouts of one day, posted together) after the
 * fix its attention item names, and audits it. 409 unless it is parked.
 */
export async function retryPayoutDay(
  deps: AdminDependencies,
  context: ActingContext,
  params: z.infer<typeof payoutDayParams>,
): Promise<{ workflowId: string; status: PayoutDayStatus }> {
  const workflow = payoutDayWorkflow(params);
  return retryParked(deps, context, params.tenantId, workflow, retryPayoutDayUpdate, { action: 'payout-day.retry', target: workflow[0] });
}

/**
 * Retries the parked reversal of a payout that failed after it posted (PayoutFailureReversal),
 * after the fix its attention item names, and audits it. 409 unless it is parked.
 */
export async function retryPayoutReversal(
  deps: AdminDependencies,
  context: ActingContext,
  params: z.infer<typeof payoutParams>,
): Promise<{ workflowId: string; status: PayoutFailureReversalStatus }> {
  return retryParked(deps, context, params.tenantId, payoutReversalWorkflow(params), retryPayoutFailureReversalUpdate, {
    action: 'payout.reversal.retry',
    target: params.payoutId,
  });
}

/**
 * An operator's hands on one payout: where its PayoutReconcile stands (step, figures, variances,
 * Intacct keys, why it is parked), its `retry` after the books were fixed, and its `approve`
 * with a note, which posts a payout parked on its variances with the differences to the
 * gateway's adjustments account. Retry and approval are audited.
 */
export function registerPayoutWorkflowRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/payouts/:processor/:payoutId/status',
    summary: "A payout's posting status, from its PayoutReconcile workflow",
    tag: 'payouts',
    role: 'viewer',
    params: payoutParams,
    response: payoutStatus,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const { workflowId, result } = await onPayoutWorkflow(deps, ...payoutWorkflow(params), (handle) =>
        handle.query(payoutReconcileStatusQuery),
      );
      return { workflowId, status: { ...result } };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/payouts/:processor/:payoutId/retry',
    summary: 'Retry a parked payout (or look again at one not paid yet) after fixing what its attention items say',
    tag: 'payouts',
    role: 'operator',
    params: payoutParams,
    response: payoutStatus,
    handler: ({ params, principal, requestId }) => retryPayout(deps, { principal, requestId }, params),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/payouts/:processor/:payoutId/approve',
    summary:
      "Post a payout parked on its variances as it is: the differences go to the gateway's adjustments account. 409 unless it is parked on variances",
    tag: 'payouts',
    role: 'operator',
    params: payoutParams,
    body: payoutApprovalBody,
    response: payoutStatus,
    handler: ({ params, body, principal, requestId }) => approvePayout(deps, { principal, requestId }, params, body.note),
  });

  addParkedWorkflowRoutes(router, deps, {
    path: '/tenants/:tenantId/payout-days/:gateway/:currency/:day',
    params: payoutDayParams,
    workflow: payoutDayWorkflow,
    statusQuery: payoutDayStatusQuery,
    statusSummary:
      "A daily summary's status (postingMode dailySummary): the payouts handed in, when the day posts, its Intacct keys, why it is parked",
    retrySummary:
      'Retry a parked daily summary (postingMode dailySummary) after fixing what its attention item says. 409 unless it is parked',
    retry: retryPayoutDay,
  });

  addParkedWorkflowRoutes(router, deps, {
    path: '/tenants/:tenantId/payouts/:processor/:payoutId/reversal',
    params: payoutParams,
    workflow: payoutReversalWorkflow,
    statusQuery: payoutFailureReversalStatusQuery,
    statusSummary:
      'Where the reversal of a payout that failed after it posted stands (PayoutFailureReversal): reversing, parked (and why) or done',
    retrySummary: 'Retry the parked reversal of a failed payout after fixing what its attention item says. 409 unless it is parked',
    retry: retryPayoutReversal,
  });
}

/** `GET {path}/status` (viewer) and `POST {path}/retry` (operator) of a payout workflow that parks for an operator. */
function addParkedWorkflowRoutes<Params extends z.ZodType<{ tenantId: string }>, Status>(
  router: DocumentedRouter,
  deps: AdminDependencies,
  routes: {
    path: string;
    params: Params;
    workflow: (params: z.infer<Params>) => readonly [workflowId: string, what: string];
    statusQuery: QueryDefinition<Status>;
    statusSummary: string;
    retrySummary: string;
    retry: (deps: AdminDependencies, context: ActingContext, params: z.infer<Params>) => Promise<{ workflowId: string; status: Status }>;
  },
): void {
  router.add({
    method: 'get',
    path: `${routes.path}/status`,
    summary: routes.statusSummary,
    tag: 'payouts',
    role: 'viewer',
    params: routes.params,
    response: payoutStatus,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const { workflowId, result } = await onPayoutWorkflow(deps, ...routes.workflow(params), (handle) => handle.query(routes.statusQuery));
      return { workflowId, status: { ...result } };
    },
  });
  router.add({
    method: 'post',
    path: `${routes.path}/retry`,
    summary: routes.retrySummary,
    tag: 'payouts',
    role: 'operator',
    params: routes.params,
    response: payoutStatus,
    handler: ({ params, principal, requestId }) => routes.retry(deps, { principal, requestId }, params),
  });
}
