/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  periodReconcileStatusQuery,
  periodReconcileWorkflowId,
  periodReconcileWorkflowType,
  retryPeriodReconcileUpdate,
  type PeriodReconcileActivities,
  type PeriodReconcileInput,
} from '../../../workflows/period-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);

/**
 * Records PeriodReconcile histories for `replay.test.ts` with stand-in activities on the test's
 * dev server: a scheduled run that works out its month, and a run Intacct refused for good,
 * parked and retried by an operator. The activities' answers are in the history, so stand-ins
 * record the workflow's decisions as faithfully as the product's activities would. Written as the
 * protobuf JSON of each History into `directory`.
 *
 * Re-record after an intended change of the workflow (versioned with `patched()`, the old
 * histories kept under other names): `RECORD_PERIOD_HISTORY=1 npx vitest run test/integration/period-reconcile/replay.test.ts`.
 */
export async function recordPeriodReconcileHistories(directory: string): Promise<void> {
  const config = testConfig();
  const client = await connectTestClient(config);
  let refusals = 0;
  const activities = (): PeriodReconcileActivities => ({
    resolvePeriod: async () => ({ period: '2026-11' }),
    reconcilePeriod: async (input) => {
      if (refusals > 0) {
        refusals -= 1;
        throw ApplicationFailure.create({
          type: 'IntacctAuthConfigError',
          message: 'Intacct refused the credentials',
          nonRetryable: true,
          details: [{ failureClass: 'auth' }],
        });
      }
      return {
        tenantId: input.tenantId,
        period: input.period,
        figuresHash: 'f'.repeat(64),
        revision: 1,
        sameAsPreviousRun: false,
        differences: 0,
        gateways: 1,
      };
    },
    parkPeriod: async () => undefined,
    clearPeriodAttention: async () => undefined,
  });
  const worker = await startTestWorker({
    config,
    workflowsPath: require.resolve('../../fixtures/workflows/period-reconcile.ts'),
    activities: delegatingActivities(activities),
  });
  try {
    for (const story of [
      { file: 'period-reconcile-scheduled.json', period: undefined, refusals: 0 },
      { file: 'period-reconcile-refused-parked-then-retried.json', period: '2026-09', refusals: 1 },
    ]) {
      refusals = story.refusals;
      const tenantId = uniqueId('t').toLowerCase();
      const input: PeriodReconcileInput = { tenantId, ...(story.period !== undefined && { period: story.period }) };
      const handle = await client.workflow.start(periodReconcileWorkflowType, {
        workflowId: story.period === undefined ? `period-reconcile:${tenantId}` : periodReconcileWorkflowId(tenantId, story.period),
        taskQueue: config.temporal.taskQueue,
        args: [input],
      });
      if (story.refusals > 0) {
        await eventually(async () => (await handle.query(periodReconcileStatusQuery)).step === 'parked', {
          what: 'the run to park',
          timeoutMs: 20_000,
        });
        await handle.executeUpdate(retryPeriodReconcileUpdate);
      }
      await handle.result();
      const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory()).toJSON();
      await writeFile(path.join(directory, story.file), `${JSON.stringify(history, null, 1)}\n`);
    }
  } finally {
    await worker.stop();
    await client.close();
  }
}
