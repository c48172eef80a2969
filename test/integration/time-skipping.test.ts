import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindAfterDays } from '../fixtures/workflows/index.js';
import { createTimeSkippingEnvironment, uniqueId } from '../support/harness.js';
import { withTestWorker } from '../support/test-worker.js';

const require = createRequire(import.meta.url);

describe('time-skipping test server from the provisioned binary', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('when a workflow sleeps 30 days then it completes in seconds and the clock moved 30 days', async () => {
    const taskQueue = uniqueId('time-skipping');
    const reminded: Array<{ orderId: string; at: number }> = [];
    const { result, startedAt, wallClockStart } = await withTestWorker(
      {
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../fixtures/workflows/index.ts'),
        activities: {
          sendReminder: async (orderId: string) => {
            reminded.push({ orderId, at: await env.currentTimeMs() });
            return `reminded ${orderId}`;
          },
        },
      },
      async () => {
        // Timed once the worker is up: the bundling before is not the workflow's time.
        const startedAt = await env.currentTimeMs();
        const wallClockStart = Date.now();
        const result = await env.client.workflow.execute(remindAfterDays, {
          workflowId: uniqueId('reminder'),
          taskQueue,
          args: ['order-100', 30],
        });
        return { result, startedAt, wallClockStart };
      },
    );

    expect(result).toBe('reminded order-100');
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.at - startedAt).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    expect(Date.now() - wallClockStart).toBeLessThan(60_000);
  });
});
