import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { vendorCallOptions } from './activity-options.js';
import type {
  PayoutFailureReversalActivities,
  PayoutFailureReversalInput,
  PayoutFailureReversalResult,
} from './payout-failure-reversal-contract.js';

const vendorCall = proxyActivities<PayoutFailureReversalActivities>(vendorCallOptions);

/** How long to look again while the payout's PayoutReconcile has not finished (the failure signal ends it soon). */
const openRecheckInterval = '5 minutes';
/** A payout whose PayoutReconcile is still open after this many looks (a day) is left to it: it parks or ends on its own. */
const maxOpenLooks = 288;

/**
 * PayoutFailureReversal: a payout the processor reports failed after PayoutReconcile posted it is
 * reversed in Intacct once. Its PayoutReconcile may still be running when the failure arrives
 * (it ends with nothing posted if it had not posted yet, or finishes posting): until it has
 * finished, the reversal looks again. Exactly once: one workflow per payout, and the activity
 * finds an earlier reversal by its reference number before writing.
 */
export async function payoutFailureReversal(input: PayoutFailureReversalInput): Promise<PayoutFailureReversalResult> {
  const { workflowId } = workflowInfo();
  for (let look = 1; look <= maxOpenLooks; look++) {
    const found = await vendorCall.reverseFailedPayout({ ...input, workflowId });
    if (found.outcome !== 'open')
      return { outcome: found.outcome, ...(found.journalKey !== undefined && { journalKey: found.journalKey }) };
    await sleep(openRecheckInterval);
  }
  return { outcome: 'gave_up' };
}
