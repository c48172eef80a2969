import { createRequire } from 'node:module';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  periodReconcileStatusQuery,
  periodReconcileWorkflowId,
  periodReconcileWorkflowType,
  retryPeriodReconcileUpdate,
  type PeriodReconcileInput,
  type PeriodReconcileResult,
} from '../../../workflows/period-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';
import { World } from './stand-ins.js';

/**
 * PeriodReconcile's own logic with stand-in activities, on the dev server: the step order, the
 * month a scheduled run picks, parking on a failure and the operator's retry.
 */
const require = createRequire(import.meta.url);

describe('PeriodReconcile workflow logic (dev server, stand-in activities)', () => {
  const config = testConfig();
  let client: Client & { close(): Promise<void> };
  let worker: RunningTestWorker;
  let world = new World();

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../fixtures/workflows/period-reconcile.ts'),
      activities: delegatingActivities(() => world.activities()),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  const start = (scripted: World, input: Omit<PeriodReconcileInput, 'tenantId'>): Promise<WorkflowHandle> => {
    world = scripted;
    const tenantId = uniqueId('t').toLowerCase();
    return client.workflow.start(periodReconcileWorkflowType, {
      workflowId: input.period === undefined ? `period-reconcile:${tenantId}` : periodReconcileWorkflowId(tenantId, input.period),
      taskQueue: config.temporal.taskQueue,
      args: [{ tenantId, ...input }],
    });
  };

  it('when a month is asked for then it is reconciled at once, without working out a month', async () => {
    const scripted = new World();
    const result = (await (await start(scripted, { period: '2026-10', requestedBy: 'key-1' })).result()) as PeriodReconcileResult;
    expect(result).toMatchObject({ period: '2026-10', revision: 1, differences: 0 });
    expect(scripted.calls).toEqual(['reconcilePeriod:2026-10:key-1']);
  });

  it('when the schedule starts a run without a month then it reconciles the month the activity works out, as the schedule', async () => {
    const scripted = new World();
    const result = (await (await start(scripted, {})).result()) as PeriodReconcileResult;
    expect(result.period).toBe('2026-11');
    expect(scripted.calls).toEqual(['resolvePeriod:true', 'reconcilePeriod:2026-11:schedule']);
  });

  it('when Intacct refuses for good then the run parks in the attention queue and an operator’s retry finishes it', async () => {
    const scripted = new World();
    scripted.refusals = 1;
    const handle = await start(scripted, { period: '2026-09' });
    await eventually(async () => (await handle.query(periodReconcileStatusQuery)).step === 'parked', {
      what: 'the run to park',
      timeoutMs: 20_000,
    });
    expect((await handle.query(periodReconcileStatusQuery)).attention).toMatchObject({
      reason: expect.stringContaining('reconciling 2026-09') as string,
    });
    expect(scripted.calls).toEqual(['reconcilePeriod:2026-09:schedule', 'park:2026-09']);
    await handle.executeUpdate(retryPeriodReconcileUpdate);
    expect(((await handle.result()) as PeriodReconcileResult).period).toBe('2026-09');
    expect(scripted.calls).toEqual([
      'reconcilePeriod:2026-09:schedule',
      'park:2026-09',
      'reconcilePeriod:2026-09:schedule',
      'clear:2026-09',
    ]);
    expect((await handle.query(periodReconcileStatusQuery)).step).toBe('done');
  });
});
