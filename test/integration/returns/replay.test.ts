import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordReturnToCreditMemoHistory } from './replay-recording.js';
import '../../support/quiet-runtime.js';
import { sandboxDataConverter } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);
const historiesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/histories');
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
    if (process.env.RECORD_RETURN_HISTORY === '1') await recordReturnToCreditMemoHistory(path.join(historiesDirectory, recordedFile));
    files = (await readdir(historiesDirectory)).filter((file) => file.startsWith('return-to-credit-memo-') && file.endsWith('.json'));
  }, 300_000);

  it('when the recorded histories are replayed, then the workflow makes the same decisions in each', async () => {
    expect(files).toContain(recordedFile);
    for (const file of files) {
      // Recorded as the protobuf JSON of the History, enums by name and bytes in base64.
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(await readFile(path.join(historiesDirectory, file), 'utf8')) as Record<string, unknown>,
      );
      expect(
        history.events?.some((event) => event.workflowExecutionCompletedEventAttributes),
        file,
      ).toBe(true);
      // Retries leave one event per activity: its started event's attempt says the write was retried.
      expect(
        history.events?.some((event) => (event.activityTaskStartedEventAttributes?.attempt ?? 0) > 1),
        `${file} records the retried Intacct writes`,
      ).toBe(true);
      await Worker.runReplayHistory(
        { workflowsPath: require.resolve('../../../workflows/index.ts'), dataConverter: sandboxDataConverter() },
        history,
        file,
      );
    }
  });
});
