import { createRequire } from 'node:module';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeating } from '../../../activities/heartbeats.js';
import { IntacctRequestSlots } from '../../../connectors/intacct/request-slots.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import type { QueuedVendorCallActivities } from './queued-vendor-call.workflow.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

/** What vendor calls were timed out by before they heartbeated: a queue longer than this used to cost an attempt. */
const oldStartToCloseMs = 60_000;

/**
 * Under load a vendor call can wait in its worker's queue for the vendor's quota longer than a
 * short start-to-close allows. Scheduled with the product's vendor-call options and wrapped as
 * the worker wraps them, a call held behind the company's only Intacct slot for more than a
 * minute keeps heartbeating and completes on its first attempt.
 */
describe("a vendor call queued behind its own worker's requests", () => {
  const config = testConfig();
  const slots = new IntacctRequestSlots(1);
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let worker: RunningTestWorker;

  beforeAll(async () => {
    client = await connectTestClient(config);
    const activities: QueuedVendorCallActivities = {
      async callWhenSlotFrees(company) {
        const queuedAt = Date.now();
        return slots.run(company, () => Promise.resolve({ queuedMs: Date.now() - queuedAt }));
      },
    };
    worker = await startTestWorker({
      config,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./queued-vendor-call.workflow.ts'),
        logger: new DefaultLogger('WARN'),
      }),
      activities: heartbeating(activities),
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  it('when the call waits for a request slot longer than the old 1-minute timeout, then it heartbeats meanwhile and completes on its first attempt', async () => {
    const company = uniqueId('CO');
    let release!: () => void;
    const held = slots.run(company, () => new Promise<void>((resolve) => (release = resolve)));
    const handle = await client.workflow.start('queuedVendorCall', {
      workflowId: uniqueId('queued-vendor-call'),
      taskQueue: config.temporal.taskQueue,
      args: [company],
    });

    // Held until the server has seen the attempt run past the old timeout, heartbeating.
    await eventually(
      async () => {
        const [pending] = (await handle.describe()).raw.pendingActivities ?? [];
        const startedAt = optionalTsToMs(pending?.lastStartedTime);
        const heartbeatedAt = optionalTsToMs(pending?.lastHeartbeatTime);
        expect(pending?.attempt ?? 1).toBe(1);
        return startedAt !== undefined && heartbeatedAt !== undefined && heartbeatedAt - startedAt > oldStartToCloseMs;
      },
      { what: 'the held call to heartbeat past the old timeout on its first attempt', timeoutMs: 150_000, intervalMs: 1_000 },
    );
    expect(slots.load(company)).toEqual({ inFlight: 1, waiting: 1 });
    release();
    await held;

    const result = await handle.result();
    expect(result.queuedMs).toBeGreaterThan(oldStartToCloseMs);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(
      events.filter((event) => event.activityTaskStartedEventAttributes).map((event) => event.activityTaskStartedEventAttributes!.attempt),
    ).toEqual([1]);
    expect(events.filter((event) => event.activityTaskTimedOutEventAttributes || event.activityTaskFailedEventAttributes)).toEqual([]);
  }, 180_000);
});
