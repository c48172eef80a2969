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
import {
  payoutFailureReversalWorkflowId,
  payoutFailureReversalWorkflowType,
  type PayoutFailureReversalInput,
} from '../workflows/payout-failure-reversal-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
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

/**
 * Starts the reversal of a payout the processor reports failed (PayoutFailureReversal), once per
 * payout: a second start of the same payout, running or finished, changes nothing (a failed
 * payout is reversed once). The reversal itself does nothing unless the payout was posted.
 */
export async function startPayoutFailureReversal(
  temporal: { client: Client; taskQueue: string },
  input: PayoutFailureReversalInput,
): Promise<'started' | 'already'> {
  try {
    await temporal.client.workflow.start(payoutFailureReversalWorkflowType, {
      workflowId: payoutFailureReversalWorkflowId(input.tenantId, input.processor, input.payoutId),
      taskQueue: temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      priority: tenantPriority(input.tenantId, 'live'),
      typedSearchAttributes: [{ key: TenantId, value: input.tenantId }],
      staticSummary: `${input.processor} payout ${input.payoutId} failed → reverse its Intacct posting (tenant ${input.tenantId})`,
    });
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already';
    throw error;
  }
}
