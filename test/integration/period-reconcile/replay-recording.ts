import { createRequire } from 'node:module';
import {
  periodReconcileStatusQuery,
  periodReconcileWorkflowId,
  periodReconcileWorkflowType,
  retryPeriodReconcileUpdate,
  type PeriodReconcileInput,
} from '../../../workflows/period-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { uniqueId } from '../../support/harness.js';
import { recordHistories } from '../../support/replay.js';
import { World } from './stand-ins.js';

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
  let world = new World();
  await recordHistories({
    directory,
    workflowsPath: require.resolve('../../fixtures/workflows/period-reconcile.ts'),
    activities: () => world.activities(),
    runs: [
      { file: 'period-reconcile-scheduled.json', period: undefined, refusals: 0 },
      { file: 'period-reconcile-refused-parked-then-retried.json', period: '2026-09', refusals: 1 },
    ].map((story) => ({
      file: story.file,
      start: async (client, taskQueue) => {
        world = new World();
        world.refusals = story.refusals;
        const tenantId = uniqueId('t').toLowerCase();
        const input: PeriodReconcileInput = { tenantId, ...(story.period !== undefined && { period: story.period }) };
        const handle = await client.workflow.start(periodReconcileWorkflowType, {
          workflowId: story.period === undefined ? `period-reconcile:${tenantId}` : periodReconcileWorkflowId(tenantId, story.period),
          taskQueue,
          args: [input],
        });
        if (story.refusals > 0) {
          await eventually(async () => (await handle.query(periodReconcileStatusQuery)).step === 'parked', {
            what: 'the run to park',
            timeoutMs: 20_000,
          });
          await handle.executeUpdate(retryPeriodReconcileUpdate);
        }
        return handle;
      },
    })),
  });
}
