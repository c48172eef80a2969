import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordReturnToCreditMemoHistory } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { recordedHistoriesDirectory, recordedHistoryFiles, replayRecordedHistories } from '../../support/replay.js';

const recordedFile = 'return-to-credit-memo-bigcommerce-lost-responses.json';

/**
 * Recorded ReturnToCreditMemo histories replayed against today's workflow code: a change that
 * would make running refunds take a different path fails here before it reaches a worker. When
 * such a change is intended, version it with `patched()` and record a new history beside the
 * old ones: `RECORD_RETURN_HISTORY=1 npx vitest run test/integration/returns/replay.test.ts`
 * runs the recording (`replay-recording.ts`, end to end against the sandboxes) into
 * `test/fixtures/histories/return-to-credit-memo-bigcommerce-lost-responses.json` first (rename
 * the previous one to keep it), then replays every history.
 */
describe('ReturnToCreditMemo replays its recorded histories', () => {
  let files: string[] = [];

  beforeAll(async () => {
    if (process.env.RECORD_RETURN_HISTORY === '1')
      await recordReturnToCreditMemoHistory(path.join(recordedHistoriesDirectory, recordedFile));
    files = await recordedHistoryFiles('return-to-credit-memo-');
  }, 300_000);

  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    expect(files).toContain(recordedFile);
    await replayRecordedHistories(files, {
      // Retries leave one event per activity: its started event's attempt says the write was retried.
      check: (history, file) =>
        expect(
          history.events?.some((event) => (event.activityTaskStartedEventAttributes?.attempt ?? 0) > 1),
          `${file} records the retried Intacct writes`,
        ).toBe(true),
    });
  }, 120_000);
});
