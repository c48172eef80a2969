import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { connectTestClient, testConfig } from './harness.js';
import { delegatingActivities, sandboxDataConverter, startTestWorker } from './test-worker.js';

const require = createRequire(import.meta.url);

/** Where the flows' recorded histories are kept: `test/fixtures/histories`. */
export const recordedHistoriesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/histories');

/** Writes a run's history (`fetchHistory()`) to `file` in the form {@link replayRecordedHistories} reads: a recorder's last step. */
export async function writeRecordedHistory(history: temporal.api.history.v1.IHistory, file: string): Promise<void> {
  const json = temporal.api.history.v1.History.fromObject(history).toJSON();
  await writeFile(file, `${JSON.stringify(json, null, 1)}\n`);
}

/** One run a recorder makes: the file its history goes to, and how it is started and driven to its end. */
export interface RecordedRun {
  file: string;
  /** Starts the run (and drives it: signals, an operator's retry) on the given task queue; the recorder awaits its result. */
  start(client: Client, taskQueue: string): Promise<WorkflowHandle>;
}

/**
 * A recorder's frame, for a flow's replay test: stand-in activities on a test worker over
 * `workflowsPath` on the test's dev server, each run in turn, and each completed run's history
 * written to `directory`. `activities` is read at every call, so a run's `start` can change
 * what the stand-ins answer before it starts the workflow. The activities' answers are in the
 * history, so stand-ins record the workflow's decisions as faithfully as the product's would.
 */
export async function recordHistories<Activities extends object>({
  directory,
  workflowsPath,
  activities,
  runs,
}: {
  directory: string;
  workflowsPath: string;
  activities: () => Activities;
  runs: readonly RecordedRun[];
}): Promise<void> {
  const config = testConfig();
  const client = await connectTestClient(config);
  const worker = await startTestWorker({ config, workflowsPath, activities: delegatingActivities(activities) });
  try {
    for (const run of runs) {
      const handle = await run.start(client, config.temporal.taskQueue);
      await handle.result();
      await writeRecordedHistory(await handle.fetchHistory(), path.join(directory, run.file));
    }
  } finally {
    await worker.stop();
    await client.close();
  }
}

/** The recorded histories in `directory` whose names start with `prefix` (a flow's: `payout-`). */
export async function recordedHistoryFiles(prefix: string, directory = recordedHistoriesDirectory): Promise<string[]> {
  return (await readdir(directory)).filter((file) => file.startsWith(prefix) && file.endsWith('.json')).sort();
}

/**
 * Replays recorded histories against today's workflow code (the product's bundle, built once for
 * all of them), so a change that would make running workflows take another path (activities,
 * their order, timers, patches) fails before it reaches a worker. Each history is the protobuf
 * JSON of a run that completed (`fetchHistory()` serialised, enums by name, bytes in base64);
 * `check` looks at each one before it is replayed. Fails naming every history that did not
 * replay, with the replayer's reason.
 */
export async function replayRecordedHistories(
  files: string[],
  {
    directory = recordedHistoriesDirectory,
    check,
  }: { directory?: string; check?: (history: temporal.api.history.v1.History, file: string) => void } = {},
): Promise<void> {
  if (files.length === 0) throw new Error(`no recorded histories to replay in ${directory}`);
  const histories = [];
  for (const file of files) {
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(await readFile(path.join(directory, file), 'utf8')) as Record<string, unknown>,
    );
    if (!history.events?.some((event) => event.workflowExecutionCompletedEventAttributes))
      throw new Error(`${file} is not the history of a completed run`);
    check?.(history, file);
    histories.push({ history, workflowId: file });
  }
  const replayed = new Set<string>();
  const failures: string[] = [];
  const replays = Worker.runReplayHistories(
    { workflowsPath: require.resolve('../../workflows/index.ts'), dataConverter: sandboxDataConverter() },
    histories,
  );
  for await (const { workflowId, error } of replays) {
    replayed.add(workflowId);
    if (error !== undefined) failures.push(`${workflowId}: ${error.message}`);
  }
  // The replayer stops early when its worker shuts down: a history it never reached did not replay either.
  for (const file of files) if (!replayed.has(file)) failures.push(`${file}: not replayed`);
  if (failures.length > 0) throw new Error(`recorded histories that no longer replay:\n${failures.join('\n')}`);
}
