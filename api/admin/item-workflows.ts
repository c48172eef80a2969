import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { retryOrderUpdate, orderToCashWorkflowId } from '../../workflows/order-to-cash-contract.js';
import { retryRefundUpdate, returnToCreditMemoWorkflowId } from '../../workflows/return-to-credit-memo-contract.js';
import { HttpError } from '../errors.js';
import type { AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import { withTemporal } from './temporal-access.js';

/** The items an operator retries: each has one workflow with a `retry` update. */
export type RetryableEntity = 'order' | 'refund';

/** One order's or refund's workflow, and what people call the item in answers. */
export interface ItemWorkflow {
  entity: RetryableEntity;
  workflowId: string;
  what: string;
}

/** Where one order or refund is worked on. */
export function itemWorkflow(tenantId: string, entity: RetryableEntity, externalId: string): ItemWorkflow {
  const workflowId = entity === 'order' ? orderToCashWorkflowId(tenantId, externalId) : returnToCreditMemoWorkflowId(tenantId, externalId);
  return { entity, workflowId, what: `${entity} ${externalId}` };
}

/**
 * A call on one item's workflow, for a request: 404 when the item has no workflow (never
 * synced, or closed beyond retention); 409 `{entity}_state_conflict` with the workflow's own
 * reason when it refused an update (its validator: the item is not in a state that takes it),
 * or `{entity}_workflow_closed` when the workflow has ended; 503 when Temporal is not reachable.
 */
export async function onItemWorkflow<T>(
  deps: AdminDependencies,
  item: ItemWorkflow,
  call: (handle: WorkflowHandle) => Promise<T>,
): Promise<T> {
  return withTemporal(deps, async ({ client }) => {
    const handle = client.workflow.getHandle(item.workflowId);
    try {
      return await call(handle);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw await closedOrMissing(handle, item);
      if (error instanceof WorkflowUpdateFailedError)
        throw new HttpError(409, `${item.entity}_state_conflict`, error.cause?.message ?? error.message);
      throw error;
    }
  });
}

/** How an operator starts an item's workflow again once it has ended. */
export function restartHint(entity: RetryableEntity): string {
  return entity === 'order' ? 'a resync of the order starts it again' : 'a backfill over the days of the refund starts it again';
}

/**
 * Temporal answers "not found" to an update of a workflow that has closed as to one that never
 * existed: a closed one is a conflict (nothing waits for the update), not a missing item.
 */
async function closedOrMissing(handle: WorkflowHandle, item: ItemWorkflow): Promise<HttpError> {
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  });
  if (description === undefined) return notFoundError(`${item.what}'s workflow`);
  return new HttpError(
    409,
    `${item.entity}_workflow_closed`,
    `${item.what}'s workflow has ended (${description.status.name.toLowerCase()}): nothing waits for this; ${restartHint(item.entity)}`,
  );
}

/** The operator's `retry` of a parked order or refund; answers the status the workflow reports after taking it. */
export function retryItem(
  deps: AdminDependencies,
  tenantId: string,
  entity: RetryableEntity,
  externalId: string,
): Promise<Record<string, unknown>> {
  const item = itemWorkflow(tenantId, entity, externalId);
  return onItemWorkflow(deps, item, async (handle) => ({
    ...(entity === 'order' ? await handle.executeUpdate(retryOrderUpdate) : await handle.executeUpdate(retryRefundUpdate)),
  }));
}
