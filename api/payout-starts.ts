import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  payoutChangedSignal,
  payoutReconcileSearchAttributes,
  payoutReconcileWorkflowId,
  payoutReconcileWorkflowType,
  type PayoutReconcileInput,
  type PayoutRef,
} from '../workflows/payout-reconcile-contract.js';
import { tenantPriority } from '../workflows/task-priority.js';

/** What a start did: the payout's workflow runs (started now or told of the news), or it already finished. */
export type PayoutStartOutcome = 'signalled' | 'finished';

/**
 * Starts the payout's PayoutReconcile, or tells the running one what happened (`event`: a Stripe
 * event type, `imported`), with signal-with-start: concurrent or repeated deliveries reach the
 * one workflow of the payout (conflict policy use-existing). A payout whose workflow already
 * finished (posted, or not paid) is not started again — a payout posts once — while one whose
 * run failed or was terminated may be (reuse policy allow-duplicate-failed-only); the former
 * answers `finished`.
 */
export async function startPayoutReconcile(
  temporal: { client: Client; taskQueue: string },
  ref: PayoutRef,
  event: string,
): Promise<PayoutStartOutcome> {
  const input: PayoutReconcileInput = { tenantId: ref.tenantId, processor: ref.processor, payoutId: ref.payoutId };
  try {
    await temporal.client.workflow.signalWithStart(payoutReconcileWorkflowType, {
      workflowId: payoutReconcileWorkflowId(ref.tenantId, ref.processor, ref.payoutId),
      taskQueue: temporal.taskQueue,
      args: [input],
      signal: payoutChangedSignal,
      signalArgs: [{ event }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      priority: tenantPriority(ref.tenantId, 'live'),
      typedSearchAttributes: payoutReconcileSearchAttributes(input),
      staticSummary: `${ref.processor} payout ${ref.payoutId} → Intacct deposit and journal entry (tenant ${ref.tenantId})`,
    });
    return 'signalled';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'finished';
    throw error;
  }
}
