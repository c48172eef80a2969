import { createRequire } from 'node:module';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../api/errors.js';
import { requestContext } from '../../../api/request-context.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { bigCommerceSecretHeader, bigCommerceWebhookRoutes } from '../../../api/webhooks/bigcommerce.js';
import type { StorefrontEvent, WorkflowDispatcher } from '../../../api/webhooks/ports.js';
import { batchedWebhookDeliveries, storedUndispatchedDeliveries } from '../../../api/webhooks/store-adapters.js';
import { temporalDispatcher } from '../../../api/webhooks/temporal-dispatcher.js';
import { WebhookIntakeQueue } from '../../../api/webhooks/webhook-intake.js';
import type { Config } from '../../../config/index.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { receivedDeliveriesQuery } from '../../fixtures/workflows/index.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);
const silent = pino({ level: 'silent' });

/**
 * The fast acknowledgement on FerretDB and the Temporal dev server (OrderToCash stood in by a
 * fixture workflow that keeps every delivery it was signalled with): a delivery is answered once
 * recorded, dispatched after the answer, and dispatched by the recovery sweep when the process
 * that answered it never did.
 */
describe('fast webhook acknowledgement (FerretDB, Temporal dev server)', () => {
  let config: Config;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let worker: RunningTestWorker;
  const servers: RunningServer[] = [];
  const intakes: WebhookIntakeQueue[] = [];

  beforeAll(async () => {
    config = testConfig();
    client = await connectTestClient(config);
    database = await openTestDatabase(config);
    worker = await startTestWorker({ config, workflowsPath: require.resolve('../../fixtures/workflows/index.ts'), activities: {} });
  });
  afterAll(async () => {
    for (const intake of intakes) await intake.stop(0);
    for (const server of servers) await server.close();
    await worker?.stop();
    await client?.close();
    await database?.drop();
  });

  /** An API process's receiver with a deferred intake over `dispatcher`. */
  const startReceiver = async (tenantId: string, dispatcher: WorkflowDispatcher, abandonedAfterMs = 60_000) => {
    const intake = new WebhookIntakeQueue(dispatcher, storedUndispatchedDeliveries(database.db), { abandonedAfterMs, logger: silent });
    intakes.push(intake);
    const app = express();
    app.use(requestContext(silent));
    app.use(
      bigCommerceWebhookRoutes({
        secrets: { webhookSecrets: (tenant) => Promise.resolve(tenant === tenantId ? ['shop-secret'] : undefined) },
        deliveries: batchedWebhookDeliveries(database.db),
        dispatcher,
        intake,
      }),
    );
    app.use(notFound);
    app.use(errorHandler(silent));
    const server = await listen(app, 0, '127.0.0.1');
    servers.push(server);
    return { intake, server };
  };

  const post = async (server: RunningServer, tenantId: string, orderId: number, hash: string) => {
    const response = await fetch(`${server.url}/webhooks/bigcommerce/${tenantId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [bigCommerceSecretHeader]: 'shop-secret' },
      body: JSON.stringify({
        scope: 'store/order/created',
        store_id: '1001',
        data: { type: 'order', id: orderId },
        hash,
        created_at: 1_764_000_000,
        producer: 'stores/demostore',
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /**
   * Posts a delivery as the store does: a 503 (the database's single writer did not record it
   * within the deadline, on a loaded machine) is retried, so the answer is the 200 it ends with.
   */
  const deliver = async (server: RunningServer, tenantId: string, orderId: number, hash: string) => {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await post(server, tenantId, orderId, hash);
      if (answer.status !== 503 || attempt === 5) return answer;
    }
  };

  /** The deliveries each order's workflow was signalled with, once every one of them has at least one. */
  const deliveriesReceived = (tenantId: string, orderIds: readonly number[]) =>
    eventually(
      async () => {
        const received = await Promise.all(
          orderIds.map((orderId) =>
            client.workflow.getHandle(orderToCashWorkflowId(tenantId, String(orderId))).query(receivedDeliveriesQuery),
          ),
        );
        return received.every((deliveries) => deliveries.length > 0) && received;
      },
      { what: `every order of ${tenantId} to have its workflow signalled`, timeoutMs: 60_000, intervalMs: 250 },
    );

  const states = async (tenantId: string) =>
    (await database.db.collection<{ tenantId: string; state?: string }>('webhook_deliveries').find({ tenantId }).toArray()).map(
      (record) => record.state,
    );

  it('when deliveries and copies of them are recorded together then each is recorded once and its copies find it received', async () => {
    const log = batchedWebhookDeliveries(database.db);
    const tenantId = uniqueId('batch');
    const event = (deliveryId: string): StorefrontEvent => ({
      tenantId,
      storefront: 'bigcommerce',
      topic: 'store/order/created',
      entity: 'order',
      entityId: '1',
      deliveryId,
      occurredAt: '2026-11-23T10:00:00Z',
    });
    const receivedAt = new Date(Date.now() - 1_000);
    // One write is under way when the rest arrive: they go together in the next, copies included.
    const answers = await Promise.all(['a', 'b', 'a', 'c', 'b', 'a'].map((id) => log.recordDelivery(event(id), receivedAt)));
    expect(answers.filter((answer) => answer === undefined)).toHaveLength(3);
    expect(answers.filter((answer) => answer !== undefined)).toEqual(Array(3).fill({ state: 'received', receivedAt }));
    expect(answers[0]).toBeUndefined();
    expect(await states(tenantId)).toEqual(['received', 'received', 'received']);
    // Left received, they would be the next test's sweep's to dispatch.
    await storedUndispatchedDeliveries(database.db).markDispatched(['a', 'b', 'c'].map(event));
  });

  it('when a burst of 60 deliveries and 20 copies arrives then every one is answered 200 and each order’s workflow gets its delivery exactly once', async () => {
    const tenantId = uniqueId('burst');
    const { intake, server } = await startReceiver(tenantId, temporalDispatcher(client, config.temporal.taskQueue));
    const orderIds = Array.from({ length: 60 }, (_, index) => 1_000 + index);
    const hashOf = (orderId: number) => `hash-${tenantId}-${orderId}`;

    const answers = await Promise.all(orderIds.map((orderId) => deliver(server, tenantId, orderId, hashOf(orderId))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(60).fill(200));
    // A delivery first answered 503 whose record landed late is known to its retry: a duplicate, dispatched all the same.
    expect(answers.every((answer) => answer.body.outcome === 'recorded' || answer.body.outcome === 'duplicate')).toBe(true);
    // The store redelivers a third of them (a retry after a slow answer elsewhere): known, not dispatched again.
    const copies = await Promise.all(orderIds.slice(0, 20).map((orderId) => deliver(server, tenantId, orderId, hashOf(orderId))));
    expect(copies).toEqual(Array(20).fill({ status: 200, body: { outcome: 'duplicate' } }));

    const received = await deliveriesReceived(tenantId, orderIds);
    expect(received).toEqual(orderIds.map((orderId) => [hashOf(orderId)]));
    await eventually(async () => (await states(tenantId)).every((state) => state === 'dispatched') && intake.backlog === 0, {
      what: 'every delivery marked dispatched',
    });
    expect(await states(tenantId)).toHaveLength(60);
    // Nothing is left for the sweep: it dispatches none of them again.
    expect(
      await new WebhookIntakeQueue(temporalDispatcher(client, config.temporal.taskQueue), storedUndispatchedDeliveries(database.db), {
        abandonedAfterMs: 0,
      }).sweep(),
    ).toBe(0);
    // One workflow per order, none twice: visibility may trail the starts by a moment.
    const listed = async () => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: `TenantId = '${tenantId}'` })) ids.push(execution.workflowId);
      return ids;
    };
    const executions = await eventually(listed, { what: 'visibility to list the 60 workflows', until: (ids) => ids.length >= 60 });
    expect(new Set(executions).size).toBe(60);
    expect(executions).toHaveLength(60);
  });

  it('when the process that acknowledged deliveries dies before dispatching them then the next process’s sweep starts each once', async () => {
    const tenantId = uniqueId('killed');
    // The first process answers, then never gets to Temporal: its dispatches hang until it is gone.
    const dying = await startReceiver(tenantId, { dispatch: () => new Promise<never>(() => undefined) });
    const orderIds = [2_001, 2_002, 2_003, 2_004, 2_005];
    const hashOf = (orderId: number) => `hash-${tenantId}-${orderId}`;
    const answers = await Promise.all(orderIds.map((orderId) => deliver(dying.server, tenantId, orderId, hashOf(orderId))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(200));
    await dying.server.close();
    servers.splice(servers.indexOf(dying.server), 1);
    expect(await states(tenantId)).toEqual(Array(5).fill('received'));
    for (const orderId of orderIds)
      await expect(client.workflow.getHandle(orderToCashWorkflowId(tenantId, String(orderId))).describe()).rejects.toThrow();

    // The next process starts: its first sweep finds the five and dispatches them.
    const next = await startReceiver(tenantId, temporalDispatcher(client, config.temporal.taskQueue), 0);
    next.intake.start();
    const received = await deliveriesReceived(tenantId, orderIds);
    expect(received).toEqual(orderIds.map((orderId) => [hashOf(orderId)]));
    await eventually(async () => (await states(tenantId)).every((state) => state === 'dispatched'), { what: 'the five marked dispatched' });

    // A redelivery of one of them is now a duplicate, and a further sweep finds nothing.
    expect(await post(next.server, tenantId, 2_001, hashOf(2_001))).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect(await next.intake.sweep()).toBe(0);
    expect(await client.workflow.getHandle(orderToCashWorkflowId(tenantId, '2001')).query(receivedDeliveriesQuery)).toEqual([
      hashOf(2_001),
    ]);
    await next.intake.stop();
  });

  it('when a dispatch fails after the answer then the record stays received and the sweep dispatches it', async () => {
    const tenantId = uniqueId('failing');
    const temporal = temporalDispatcher(client, config.temporal.taskQueue);
    let failures = 1;
    const flaky: WorkflowDispatcher = {
      dispatch: (event: StorefrontEvent) => (failures-- > 0 ? Promise.reject(new Error('Temporal unavailable')) : temporal.dispatch(event)),
    };
    const { intake, server } = await startReceiver(tenantId, flaky, 0);
    expect(await post(server, tenantId, 3_001, 'hash-3001')).toEqual({ status: 200, body: { outcome: 'recorded' } });
    await eventually(() => intake.backlog === 0, { what: 'the failed dispatch to leave the queue' });
    expect(await states(tenantId)).toEqual(['received']);

    expect(await intake.sweep()).toBe(1);
    expect(await deliveriesReceived(tenantId, [3_001])).toEqual([['hash-3001']]);
    await eventually(async () => (await states(tenantId))[0] === 'dispatched', { what: 'the delivery marked dispatched' });
  });
});
