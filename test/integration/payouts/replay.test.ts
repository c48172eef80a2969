import { beforeAll, describe, expect, it } from 'vitest';
import { recordPayoutHistories } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { recordedHistoriesDirectory, recordedHistoryFiles, replayRecordedHistories } from '../../support/replay.js';

/**
 * Recorded PayoutReconcile, PayoutDay and PayoutFailureReversal histories replayed against today's
 * workflow code: a change that would make running payouts take a different path (another activity, a timer where there was none)
 * fails here before it reaches a worker. Intended changes are versioned with `patched()`; record
 * new histories beside the old ones with `RECORD_PAYOUT_HISTORY=1 npx vitest run
 * test/integration/payouts/replay.test.ts` (`replay-recording.ts`; rename the old files to keep them).
 */
describe('The payout flows replay their recorded histories', () => {
  let files: string[] = [];

  beforeAll(async () => {
    if (process.env.RECORD_PAYOUT_HISTORY === '1') await recordPayoutHistories(recordedHistoriesDirectory);
    files = await recordedHistoryFiles('payout-');
  }, 120_000);

  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'payout-reconcile-posted.json',
        'payout-reconcile-in-transit-then-paid.json',
        'payout-reconcile-unmatched-line-parked-then-retried.json',
        'payout-day-deposit-parked-then-retried.json',
        'payout-failure-reversal-reversed.json',
        'payout-failure-reversal-parked-then-retried.json',
      ]),
    );
    await replayRecordedHistories(files);
  }, 120_000);
});
