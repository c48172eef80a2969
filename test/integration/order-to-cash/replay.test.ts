import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import '../../support/quiet-runtime.js';
import { sandboxDataConverter } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);
const historiesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/histories');

/**
 * Recorded OrderToCash histories replayed against today's workflow code: a change that would
 * make running workflows take a different path (a non-deterministic change) fails here before
 * it reaches a worker in production. When such a change is intended, version it with
 * `patched()`, and record a new history beside the old ones rather than replacing them.
 */
describe('OrderToCash replays its recorded histories', async () => {
  const files = (await readdir(historiesDirectory)).filter((file) => file.startsWith('order-to-cash-') && file.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('when %s is replayed, then the workflow makes the same decisions', async (file) => {
    // Recorded as the protobuf JSON of the History (`fetchHistory()` serialised), enums by name and bytes in base64.
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(await readFile(path.join(historiesDirectory, file), 'utf8')) as Record<string, unknown>,
    );
    expect(history.events?.some((event) => event.workflowExecutionCompletedEventAttributes)).toBe(true);
    await Worker.runReplayHistory(
      { workflowsPath: require.resolve('../../../workflows/index.ts'), dataConverter: sandboxDataConverter() },
      history,
      file,
    );
  });
});
