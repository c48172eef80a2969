import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/index.js';
import { findSelfCheck } from '../../store/self-checks.js';
import { selfCheck, selfCheckWorkflowId } from '../../workflows/self-check.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId, withProductWorker } from '../support/harness.js';

describe('self-check through the worker on the Temporal dev server and FerretDB', () => {
  let config: Config;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Awaited<ReturnType<typeof connectTestClient>>;

  beforeAll(async () => {
    config = testConfig();
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
  });
  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  it('when the workflow runs then its activity writes a document that the test reads back from FerretDB', async () => {
    const checkId = uniqueId('check');
    const requestedAt = new Date().toISOString();

    const result = await withProductWorker(config, database, () =>
      client.workflow.execute(selfCheck, {
        workflowId: selfCheckWorkflowId(checkId),
        taskQueue: config.temporal.taskQueue,
        args: [{ checkId, requestedAt }],
      }),
    );

    const stored = await findSelfCheck(database.db, checkId);
    expect(stored).toMatchObject({ _id: checkId, workflowId: selfCheckWorkflowId(checkId), requestedAt });
    expect(result).toEqual({ checkId, workflowId: selfCheckWorkflowId(checkId), writtenAt: stored!.writtenAt.toISOString() });

    const history = await client.workflow.getHandle(selfCheckWorkflowId(checkId)).fetchHistory();
    const scheduled = history.events?.filter((event) => event.activityTaskScheduledEventAttributes) ?? [];
    expect(scheduled.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual(['recordSelfCheck']);
  });

  it('when the same check runs twice then one document exists and the first write is kept', async () => {
    const checkId = uniqueId('check');
    const run = (runNumber: number) =>
      client.workflow.execute(selfCheck, {
        workflowId: `${selfCheckWorkflowId(checkId)}:${runNumber}`,
        taskQueue: config.temporal.taskQueue,
        args: [{ checkId, requestedAt: `2026-01-0${runNumber}T00:00:00.000Z` }],
      });

    const [first, second] = await withProductWorker(config, database, async () => [await run(1), await run(2)]);

    expect(second.writtenAt).toBe(first.writtenAt);
    expect(await database.db.collection('self_checks').countDocuments({ _id: checkId as never })).toBe(1);
    expect(await findSelfCheck(database.db, checkId)).toMatchObject({ requestedAt: '2026-01-01T00:00:00.000Z' });
  });
});
