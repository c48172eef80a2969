import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { orderToCashFailures } from './order-to-cash-contract.js';
import { payoutReconcileFailures } from './payout-reconcile-contract.js';
import { returnToCreditMemoFailures } from './return-to-credit-memo-contract.js';
import type { AttentionNotice, FailureDescription } from './shared-contract.js';

/** A step's failure as the attention queue shows it, and whether time alone may cure it. */
export interface StepFailure {
  attention: AttentionNotice;
  /** The step failed on retryable errors (outage, rate limit) until its retries ran out: retrying later may work. */
  transient: boolean;
}

/**
 * Every failure type the product's own activities throw, with what an operator does about each:
 * OrderToCash's, ReturnToCreditMemo's and PayoutReconcile's catalogues (every flow parks with this one reader).
 */
const knownFailures: Readonly<Record<string, FailureDescription>> = {
  ...orderToCashFailures,
  ...returnToCreditMemoFailures,
  ...payoutReconcileFailures,
};

/** What fixes a vendor's refusal, by its failure class. */
const fixByClass: Record<string, string> = {
  input: "fix the record or setting the vendor's message names (in Intacct, the storefront or the mapping tables), then retry the order",
  auth: "check the tenant's credentials (PUT /api/v1/tenants/{tenantId}/credentials/...) and test the connection, then retry the order",
  retryable: 'the service kept failing or rate-limiting; the order is retried automatically, or retry it now',
};

/**
 * Reads an activity's failure into an attention notice. `step` names the step in words
 * ("creating the sales document") so the reason says where the order stopped. Anything that
 * is not an activity failure is a bug in the workflow and is rethrown.
 */
export function describeStepFailure(step: string, error: unknown): StepFailure {
  if (!(error instanceof ActivityFailure)) throw error;
  const cause = error.cause;
  if (cause instanceof TimeoutFailure) {
    return { transient: true, attention: { code: 'step_timed_out', reason: `${step} timed out`, fix: fixByClass.retryable! } };
  }
  if (!(cause instanceof ApplicationFailure)) {
    return {
      transient: true,
      attention: { code: 'step_failed', reason: `${step} failed: ${cause?.message ?? error.message}`, fix: fixByClass.retryable! },
    };
  }
  const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
  const known = cause.type ? knownFailures[cause.type] : undefined;
  const failureClass = typeof details.failureClass === 'string' ? details.failureClass : cause.nonRetryable ? 'input' : 'retryable';
  const code = known?.code ?? (failureClass === 'auth' ? 'credentials_refused' : failureClass === 'input' ? 'rejected' : 'unavailable');
  return {
    transient: !cause.nonRetryable && known === undefined,
    attention: {
      code,
      reason: `${step} failed: ${cause.message}`,
      fix: known?.fix ?? fixByClass[failureClass] ?? fixByClass.input!,
      details: { ...(cause.type && { failureType: cause.type }), ...details },
    },
  };
}
