import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type AppDependencies } from '../../api/app.js';
import { benchAckFloorTaskQueue, benchAckFloorWorkflowType } from '../../api/bench-ack-floor-routes.js';
import { listen, type RunningServer } from '../../api/server.js';
import { orderToCashSignalWithStart } from '../../api/webhooks/temporal-dispatcher.js';
import { loadConfig } from '../../config/index.js';

/** A Temporal client that records the signal-with-start calls it is given (this module's only dependency). */
function recordingClient(fail?: Error) {
  const calls: Array<{ workflowType: string; options: Record<string, any> }> = [];
  const client = {
    connection: { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() },
    workflow: {
      signalWithStart: (workflowType: string, options: Record<string, any>) => {
        calls.push({ workflowType, options });
        return fail ? Promise.reject(fail) : Promise.resolve({ workflowId: options.workflowId });
      },
    },
  } as unknown as Client;
  return { client, calls };
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(benchAckFloor?: AppDependencies['benchAckFloor']) {
  const app = createApp({ logger: pino({ level: 'silent' }), readinessChecks: {}, ...(benchAckFloor && { benchAckFloor }) });
  server = await listen(app, 0, '127.0.0.1');
  return server.url;
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/bench/ack-floor/tenant-a`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe("The bench's acknowledgement floor route", () => {
  it('when BENCH_ACK_FLOOR is not set, then the configuration leaves it off and the app does not serve it', async () => {
    expect(loadConfig({}).api.benchAckFloor).toBe(false);
    const url = await start();
    const response = await post(url, { orderId: '101' });
    expect(response.status).toBe(404);
  });

  it('when production is configured with BENCH_ACK_FLOOR, then start-up is refused', () => {
    expect(loadConfig({ BENCH_ACK_FLOOR: 'true' }).api.benchAckFloor).toBe(true);
    expect(() => loadConfig({ APP_MODE: 'production', BENCH_ACK_FLOOR: 'true' })).toThrow(
      /BENCH_ACK_FLOOR: the benchmark’s unauthenticated/,
    );
  });

  it('when switched on, then it answers 200 after the same signal-with-start the dispatch makes, for a workflow type and task queue no worker runs', async () => {
    const { client, calls } = recordingClient();
    const url = await start({ client, taskQueue: 'product-queue' });
    const response = await post(url, { orderId: '101' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'signalled' });

    expect(calls).toHaveLength(1);
    const [{ workflowType, options }] = calls as [(typeof calls)[number]];
    expect(workflowType).toBe(benchAckFloorWorkflowType);
    expect(options.taskQueue).toBe(benchAckFloorTaskQueue('product-queue'));
    expect(options.taskQueue).not.toBe('product-queue');
    expect(options.workflowId).toBe('bench-ack-floor:tenant-a:101');
    // Everything else is what a delivery about order 101 costs the product's dispatch.
    const sent = options.signalArgs[0] as { deliveryId: string; occurredAt: string };
    const dispatched = orderToCashSignalWithStart(
      { tenantId: 'tenant-a', storefront: 'bigcommerce', topic: 'store/order/updated', entity: 'order', entityId: '101', ...sent },
      '101',
      options.taskQueue,
    );
    expect(options).toEqual({ ...dispatched, workflowId: 'bench-ack-floor:tenant-a:101' });
  });

  it.each([
    ['no order id', {}],
    ['an order id that is not digits', { orderId: '10; drop' }],
    ['an order id as a number', { orderId: 101 }],
  ])('when the body has %s, then it answers 400 and calls nothing', async (_name, body) => {
    const { client, calls } = recordingClient();
    const url = await start({ client, taskQueue: 'q' });
    expect((await post(url, body)).status).toBe(400);
    expect(calls).toHaveLength(0);
  });

  it('when Temporal does not take the call, then it answers 503', async () => {
    const { client } = recordingClient(new Error('deadline exceeded'));
    const url = await start({ client, taskQueue: 'q' });
    expect((await post(url, { orderId: '101' })).status).toBe(503);
  });
});
