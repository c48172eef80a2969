import { beforeAll, describe, expect, it } from 'vitest';
import { recordPeriodReconcileHistories } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { recordedHistoriesDirectory, recordedHistoryFiles, replayRecordedHistories } from '../../support/replay.js';

/**
 * Recorded PeriodReconcile histories replayed against today's workflow code: a change that would
 * make running reconciliations take a different path fails here before it reaches a worker.
 * Intended changes are versioned with `patched()`; record new histories beside the old ones with
 * `RECORD_PERIOD_HISTORY=1 npx vitest run test/integration/period-reconcile/replay.test.ts`
 * (`replay-recording.ts`; rename the old files to keep them).
 */
describe('PeriodReconcile replays its recorded histories', () => {
  let files: string[] = [];

  beforeAll(async () => {
    if (process.env.RECORD_PERIOD_HISTORY === '1') await recordPeriodReconcileHistories(recordedHistoriesDirectory);
    files = await recordedHistoryFiles('period-reconcile-');
  }, 120_000);

  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    expect(files).toEqual(expect.arrayContaining(['period-reconcile-scheduled.json', 'period-reconcile-refused-parked-then-retried.json']));
    await replayRecordedHistories(files);
  }, 120_000);
});
