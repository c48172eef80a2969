import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { findLedgerEntry } from '../../store/ledger.js';
import {
  orderChangedSignal,
  orderToCashSearchAttributes,
  orderToCashStatusQuery,
  orderToCashWorkflowId,
  orderToCashWorkflowType,
  type OrderToCashInput,
} from '../../workflows/order-to-cash-contract.js';
import { HttpError } from '../errors.js';
import { audit, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { orderParams } from './order-routes.js';
import { withTemporal } from './temporal-access.js';
import { tenantPriority } from '../../workflows/task-priority.js';

/** 409 for a resync of an order whose workflow still runs: that run is the sync, and the order's other calls act on it. */
async function openRunConflict(handle: WorkflowHandle, orderId: string): Promise<HttpError> {
  const step = await handle.query(orderToCashStatusQuery).then(
    (status) => ` (${status.step.replaceAll('_', ' ')})`,
    () => '',
  );
  return new HttpError(
    409,
    'order_workflow_open',
    `order ${orderId}'s workflow is still running${step}: a resync is for an order whose workflow has closed; act on the running one (retry, approve or cancel)`,
  );
}

/**
 * An operator's resync of one order whose OrderToCash has closed (finished, failed, terminated,
 * or gone with Temporal's retention). It starts a fresh run, which trusts the sync ledger: it
 * creates only what the ledger does not hold, and ends at once when the store has nothing new
 * since the order was last posted. A run still open answers 409 rather than being signalled:
 * the open run is already the order's sync, and its own calls (retry, approve, cancel) say what
 * the operator wants of it, where a signal would only make it look at the store again.
 */
export function registerOrderResyncRoute(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/orders/:orderId/resync',
    summary: 'Sync an order again whose workflow has closed: a fresh OrderToCash that trusts the ledger, so nothing is created twice',
    tag: 'orders',
    role: 'operator',
    params: orderParams,
    successStatus: 202,
    response: z.object({ workflowId: z.string(), runId: z.string() }),
    handler: async ({ params, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const { orderId } = params;
      const workflowId = orderToCashWorkflowId(tenant._id, orderId);
      const ledger = await findLedgerEntry(deps.db, { tenantId: tenant._id, entity: 'order', externalId: orderId });
      const runId = await withTemporal(deps, async ({ client, taskQueue }) => {
        const earlier = client.workflow.getHandle(workflowId);
        const description = await earlier.describe().catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return undefined;
          throw error;
        });
        if (description === undefined && ledger === null) {
          throw new HttpError(
            404,
            'not_found',
            `order ${orderId} not found: neither the ledger nor Temporal knows it; a backfill over the days it changed syncs it from the store`,
          );
        }
        if (description?.status.name === 'RUNNING') throw await openRunConflict(earlier, orderId);
        const input: OrderToCashInput = { tenantId: tenant._id, storefront: tenant.storefront, orderId, trigger: 'operator' };
        // Started and signalled in one call, so no run is left started without its signal. A run
        // started between the look above and here (a webhook, the sweep) gets the signal instead,
        // as from a webhook: harmless, and the answer names that run.
        const started = await client.workflow.signalWithStart(orderToCashWorkflowType, {
          workflowId,
          taskQueue,
          args: [input],
          // As a storefront change: the run looks at the store at once (shipments included)
          // instead of at the next Intacct poll, and ends when nothing is left to do.
          signal: orderChangedSignal,
          signalArgs: [
            { deliveryId: `resync:${requestId ?? randomUUID()}`, topic: 'operator/resync', occurredAt: new Date().toISOString() },
          ],
          workflowIdConflictPolicy: 'USE_EXISTING',
          priority: tenantPriority(tenant._id, 'live'),
          typedSearchAttributes: orderToCashSearchAttributes(input),
          staticSummary: `Resync of order ${orderId} asked by an operator (tenant ${tenant._id})`,
        });
        return started.signaledRunId;
      });
      await audit(deps.db, { principal, requestId }, { tenantId: tenant._id, action: 'order.resync', target: orderId, details: { runId } });
      return { workflowId, runId };
    },
  });
}
