import { patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { bookkeepingOptions, vendorCallOptions } from './activity-options.js';
import {
  payoutFailureReversalStatusQuery,
  retryPayoutFailureReversalUpdate,
  type PayoutFailureReversalActivities,
  type PayoutFailureReversalInput,
  type PayoutFailureReversalLook,
  type PayoutFailureReversalResult,
  type PayoutFailureReversalStatus,
} from './payout-failure-reversal-contract.js';
import { parkingRetriedByOperator, parkOnFailure } from './shared/parking.js';

const vendorCall = proxyActivities<PayoutFailureReversalActivities>(vendorCallOptions);
const bookkeeping = proxyActivities<PayoutFailureReversalActivities>(bookkeepingOptions);

/** How long to look again while the payout's PayoutReconcile has not finished (the failure signal ends it soon). */
const openRecheckInterval = '5 minutes';
/** A payout whose PayoutReconcile is still open after this many looks (a day) is left to it: it parks or ends on its own. */
const maxOpenLooks = 288;

/**
 * Versions parking: runs recorded before it failed when a look failed past its retries (a
 * gateway's settings removed, an Intacct refusal); the marker is written only when a look fails.
 */
export const reversalParksPatch = 'payout-reversal-parks';

/**
 * PayoutFailureReversal: a payout the processor reports failed after PayoutReconcile posted it is
 * reversed in Intacct once. Its PayoutReconcile may still be running when the failure arrives
 * (it ends with nothing posted if it had not posted yet, or finishes posting): until it has
 * finished, the reversal looks again. A look that fails past its retries parks the reversal in
 * the attention queue until an operator retries it (outages: until time does). Exactly once: one
 * workflow per payout, and the activity finds an earlier reversal by its reference number before
 * writing.
 */
export async function payoutFailureReversal(input: PayoutFailureReversalInput): Promise<PayoutFailureReversalResult> {
  const { workflowId } = workflowInfo();
  const ref = { tenantId: input.tenantId, processor: input.processor, payoutId: input.payoutId };
  const status: PayoutFailureReversalStatus = { step: 'reversing' };
  setHandler(payoutFailureReversalStatusQuery, () => status);
  const parking = parkingRetriedByOperator(status, retryPayoutFailureReversalUpdate, {
    inWords: 'a payout reversal',
    recordPark: ({ attention }) => bookkeeping.parkPayoutReversal({ ...ref, workflowId, attention }),
    clearPark: () => bookkeeping.clearPayoutReversalAttention({ ...ref, workflowId }),
  });

  const result = await reverse();
  await parking.clearAttention();
  status.step = 'done';
  return result;

  async function reverse(): Promise<PayoutFailureReversalResult> {
    for (let look = 1; look <= maxOpenLooks; look++) {
      const found = await parking.untilDone(lookOnce);
      if (found.outcome !== 'open')
        return { outcome: found.outcome, ...(found.journalKey !== undefined && { journalKey: found.journalKey }) };
      await sleep(openRecheckInterval);
    }
    return { outcome: 'gave_up' };
  }

  async function lookOnce(): Promise<PayoutFailureReversalLook> {
    status.step = 'reversing';
    try {
      return await vendorCall.reverseFailedPayout({ ...input, workflowId });
    } catch (error) {
      if (!patched(reversalParksPatch)) throw error;
      return parkOnFailure('reversing the failed payout', () => Promise.reject(error as Error));
    }
  }
}
