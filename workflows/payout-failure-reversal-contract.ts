import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PayoutRef, ProcessorName } from './payout-reconcile-contract.js';
import type { AttentionNotice } from './shared-contract.js';

/**
 * PayoutFailureReversal's contract (issue 18): a payout the processor reports failed after the
 * product posted it (the bank returned the money) is reversed in Intacct exactly once — one
 * journal entry moving the payout's net from the bank's GL account back into the gateway's
 * clearing account (`mappers/payout-failure-reversal.ts`). One workflow per payout, started by
 * the `payout.failed` webhook beside the signal to the payout's PayoutReconcile.
 */
export const payoutFailureReversalWorkflowType = 'payoutFailureReversal';

/** `payout-failure-reversal:{tenantId}:{processor}:{payoutId}`: one reversal per payout. */
export function payoutFailureReversalWorkflowId(tenantId: string, processor: ProcessorName, payoutId: string): string {
  return `payout-failure-reversal:${tenantId}:${processor}:${payoutId}`;
}

export interface PayoutFailureReversalInput extends PayoutRef {
  /** The day the processor reported the failure (the event's date, YYYY-MM-DD): the reversal's date, stable across retries. */
  failedOn: string;
}

/**
 * What one look found: `reversed` (the journal entry exists now, written by this look or found
 * again), `not_posted` (the payout ended with nothing posted: nothing to reverse), `not_failed`
 * (the processor does not report it failed), or `open` (its PayoutReconcile has not finished:
 * look again, it may still post).
 */
export interface PayoutFailureReversalLook {
  outcome: 'reversed' | 'not_posted' | 'not_failed' | 'open';
  journalKey?: string;
  /** This look wrote the journal entry (false when an earlier attempt had). */
  created?: boolean;
}

export interface PayoutFailureReversalResult {
  outcome: Exclude<PayoutFailureReversalLook['outcome'], 'open'> | 'gave_up';
  journalKey?: string;
}

/** Where a reversal stands: looking (and looking again while the payout's PayoutReconcile is open), parked, or done. */
export interface PayoutFailureReversalStatus {
  step: 'reversing' | 'parked' | 'done';
  attention?: { code: string; reason: string; fix: string };
}

export const payoutFailureReversalStatusQuery = defineQuery<PayoutFailureReversalStatus>('status');
/** An operator's retry of a reversal parked on what its attention item names (a gateway's settings, an Intacct refusal). */
export const retryPayoutFailureReversalUpdate = defineUpdate<PayoutFailureReversalStatus>('retry');

export interface PayoutFailureReversalActivities {
  /** Reverses the payout if it was posted and failed, exactly once (found again by its reference number `{payoutId}-failed`). */
  reverseFailedPayout(input: PayoutFailureReversalInput & { workflowId: string }): Promise<PayoutFailureReversalLook>;
  /** Why the reversal waits, as the payout's attention item `payout:{processor}:{payoutId}:reversal`. */
  parkPayoutReversal(input: PayoutRef & { workflowId: string; attention: AttentionNotice }): Promise<void>;
  clearPayoutReversalAttention(input: PayoutRef & { workflowId: string }): Promise<void>;
}
