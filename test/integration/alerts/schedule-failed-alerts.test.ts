import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../../store/alert-outbox.js';
import { findFailedScheduledRuns, raiseScheduleFailedAlert } from '../../../workers/schedule-watch.js';
import { TenantId } from '../../../workflows/search-attributes.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import type { Config } from '../../../config/index.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

/**
 * The schedule watch against the Temporal dev server: real schedules start fixture runs that
 * fail or are terminated, and the watch reads them back from visibility and raises one alert
 * per bad run, however often it looks.
 */
describe('schedule_failed alerts (dev server)', () => {
  let config: Config;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let worker: RunningTestWorker;
  const schedules: string[] = [];

  beforeAll(async () => {
    config = testConfig();
    client = await connectTestClient(config);
    database = await openTestDatabase(config);
    worker = await startTestWorker({ config, workflowsPath: require.resolve('../../fixtures/workflows/index.ts'), activities: {} });
  });
  afterAll(async () => {
    await Promise.allSettled(schedules.map((id) => client.schedule.getHandle(id).delete()));
    await worker?.stop();
    await client?.close();
    await database?.drop();
  });

  /** A paused schedule of the tenant's, fired once by hand, as an operator's trigger would. */
  async function fireSchedule(tenantId: string, workflowType: string, args: unknown[]) {
    const scheduleId = `test-schedule:${tenantId}`;
    schedules.push(scheduleId);
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 day' }] },
      state: { paused: true },
      action: {
        type: 'startWorkflow',
        workflowType,
        workflowId: `test-scheduled-run:${tenantId}`,
        taskQueue: worker.taskQueue,
        args,
        typedSearchAttributes: [{ key: TenantId, value: tenantId }],
      },
    });
    await client.schedule.getHandle(scheduleId).trigger();
    const started = await eventually(async () => (await client.schedule.getHandle(scheduleId).describe()).info.recentActions[0], {
      what: `schedule ${scheduleId} to start its run`,
    });
    return { scheduleId, workflowId: started.action.workflow.workflowId, runId: started.action.workflow.firstExecutionRunId };
  }

  const runsOf = async (tenantId: string, since: Date) =>
    (await findFailedScheduledRuns(client, since)).filter((run) => run.tenantId === tenantId);

  it('when a scheduled run fails then the watch raises one alert naming the schedule, the run and the failure, and looking again adds none', async () => {
    const tenantId = uniqueId('t');
    const since = new Date(Date.now() - 60_000);
    const fired = await fireSchedule(tenantId, 'failingScheduledRun', ['BigCommerce answered 401: the access token was revoked']);

    const [run] = await eventually(() => runsOf(tenantId, since), {
      what: 'the failed run in visibility',
      until: (runs) => runs.length > 0,
    });
    expect(run).toMatchObject({ ...fired, status: 'FAILED', workflowType: 'failingScheduledRun' });
    expect(run!.message).toContain('the access token was revoked');

    expect(await raiseScheduleFailedAlert(database.db, run!)).toBe(true);
    for (const again of await runsOf(tenantId, since)) expect(await raiseScheduleFailedAlert(database.db, again)).toBe(false);

    const alerts = await listAlerts(database.db, tenantId, { rule: 'schedule_failed' }, { limit: 10 });
    expect(alerts.items).toHaveLength(1);
    expect(alerts.items[0]).toMatchObject({ code: 'schedule_failed', subject: { entity: 'tenant', externalId: fired.scheduleId } });
    expect(alerts.items[0]!.reason).toContain(`run ${fired.workflowId} (schedule ${fired.scheduleId}) failed`);
    expect(alerts.items[0]!.reason).toContain('BigCommerce answered 401');
  });

  it('when a scheduled run is terminated then it is a bad end too; a run that failed before `since` is not looked at', async () => {
    const tenantId = uniqueId('t');
    const fired = await fireSchedule(tenantId, 'endlessScheduledRun', []);
    await client.workflow.getHandle(fired.workflowId).terminate('stuck for a day');
    const terminatedAt = new Date();

    const [run] = await eventually(() => runsOf(tenantId, new Date(terminatedAt.getTime() - 60_000)), {
      what: 'the terminated run in visibility',
      until: (runs) => runs.length > 0,
    });
    expect(run).toMatchObject({ ...fired, status: 'TERMINATED' });
    expect(run!.message).toContain('stuck for a day');
    expect(await runsOf(tenantId, new Date(terminatedAt.getTime() + 60_000))).toEqual([]);
  });

  it('when a run that no schedule started fails then the watch ignores it', async () => {
    const tenantId = uniqueId('t');
    const since = new Date(Date.now() - 60_000);
    const handle = await client.workflow.start('failingScheduledRun', {
      workflowId: `test-unscheduled-run:${tenantId}`,
      taskQueue: worker.taskQueue,
      args: ['not a schedule'],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    });
    await expect(handle.result()).rejects.toThrow();
    // Visibility has caught up once the run is listed by its own id.
    await eventually(
      async () => (await client.workflow.count(`WorkflowId = '${handle.workflowId}' AND ExecutionStatus = 'Failed'`)).count === 1,
      {
        what: 'the unscheduled run in visibility',
      },
    );
    expect(await runsOf(tenantId, since)).toEqual([]);
  });
});
