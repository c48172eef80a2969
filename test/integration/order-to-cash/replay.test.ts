import { describe, expect, it } from 'vitest';
import '../../support/quiet-runtime.js';
import { recordedHistoryFiles, replayRecordedHistories } from '../../support/replay.js';

/**
 * Recorded OrderToCash histories replayed against today's workflow code: a change that would
 * make running workflows take a different path (a non-deterministic change) fails here before
 * it reaches a worker in production. When such a change is intended, version it with
 * `patched()`, and record a new history beside the old ones rather than replacing them.
 */
describe('OrderToCash replays its recorded histories', () => {
  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    const files = await recordedHistoryFiles('order-to-cash-');
    expect(files.length).toBeGreaterThan(0);
    await replayRecordedHistories(files);
  }, 120_000);
});
