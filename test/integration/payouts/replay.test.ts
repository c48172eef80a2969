import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordPayoutReconcileHistories } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { sandboxDataConverter } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);
const historiesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/histories');

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
    if (process.env.RECORD_PAYOUT_HISTORY === '1') await recordPayoutReconcileHistories(historiesDirectory);
    files = (await readdir(historiesDirectory)).filter((file) => file.startsWith('payout-') && file.endsWith('.json'));
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
    for (const file of files) {
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(await readFile(path.join(historiesDirectory, file), 'utf8')) as Record<string, unknown>,
      );
      expect(
        history.events?.some((event) => event.workflowExecutionCompletedEventAttributes),
        file,
      ).toBe(true);
      await Worker.runReplayHistory(
        { workflowsPath: require.resolve('../../../workflows/index.ts'), dataConverter: sandboxDataConverter() },
        history,
        file,
      );
    }
  });
});
