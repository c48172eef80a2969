import { createRequire } from 'node:module';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { pino } from 'pino';
import { createOrderDiscoveryActivities, type OrderDiscoveryOptions } from '../../../activities/order-discovery.js';
import { createWebhookHealthActivities } from '../../../activities/webhook-health.js';
import { createApp } from '../../../api/app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { startTestWorker } from '../../support/test-worker.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { fromHistoryPayload } from '../../support/history-payloads.js';

const require = createRequire(import.meta.url);

export type TestClient = Awaited<ReturnType<typeof connectTestClient>>;

/**
 * The sandboxes, a database and a worker serving the real sweep workflows and discovery
 * activities, with OrderToCash stood in by the harness's fixture workflow (it runs until it is
 * signalled `finish`) and ReturnToCreditMemo by one that waits until it is terminated. Small
 * storefront pages, so two seed orders already make a page boundary.
 */
export interface SweepWorld {
  fixture: OrderSyncFixture;
  client: TestClient;
  taskQueue: string;
  /** Back to the seed: only what a test changes is recent. */
  resetSandboxes(): Promise<void>;
  /** Gives a BigCommerce seed order a new status, so its date_modified is now. */
  touchBigCommerceOrder(orderId: number, statusId: number): Promise<void>;
  /** The input an OrderToCash was started with (first event of its latest run). */
  inputOf(workflowId: string): Promise<unknown>;
  /** OrderToCash workflows of the tenant as visibility lists them, once there are `expected` (or it stops waiting). */
  listOrderToCash(tenantId: string, expected: number): Promise<string[]>;
  describeOrder(tenantId: string, orderId: string): Promise<WorkflowExecutionDescription>;
  /** Lets a stand-in OrderToCash finish and waits for it. */
  finishOrder(tenantId: string, orderId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSweepWorld(
  options: OrderDiscoveryOptions = { bigCommercePageSize: 2, clarityPageSize: 2 },
): Promise<SweepWorld> {
  const fixture = await startOrderSyncFixture();
  const client = await connectTestClient(fixture.config);
  const taskQueue = fixture.config.temporal.taskQueue;
  const worker = await startTestWorker({
    config: fixture.config,
    workflowsPath: require.resolve('./sweep-bundle.ts'),
    activities: {
      ...createOrderDiscoveryActivities(
        { db: fixture.database.db, connections: fixture.connections, temporal: { client, taskQueue } },
        options,
      ),
      ...createWebhookHealthActivities({ db: fixture.database.db, connections: fixture.connections }),
    },
  });
  const startedOrders = new Set<string>();

  const listOrderToCash = async (tenantId: string, expected: number) => {
    const query = `WorkflowType = 'orderToCash' AND TenantId = '${tenantId}'`;
    const list = async () => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
      return ids;
    };
    // Visibility trails the starts by a moment: wait up to 5 s for the count, then take what is listed (the test's expectation judges it).
    const ids = await eventually(list, {
      until: (listed) => listed.length >= expected,
      what: `${expected} OrderToCash of ${tenantId}`,
      timeoutMs: 5_000,
    }).catch(list);
    for (const id of ids) startedOrders.add(id);
    return ids.sort();
  };

  return {
    fixture,
    client,
    taskQueue,
    async resetSandboxes() {
      const [bigcommerce, clarity] = await Promise.all([
        fetch(`${fixture.sandboxes.bigcommerce.url}/_control/reset`, { method: 'POST' }),
        fetch(`${fixture.sandboxes.clarity.url}/_sandbox/reset`, { method: 'POST' }),
      ]);
      if (!bigcommerce.ok || !clarity.ok) throw new Error(`sandbox reset failed: ${bigcommerce.status} ${clarity.status}`);
    },
    async touchBigCommerceOrder(orderId, statusId) {
      const response = await fetch(`${fixture.sandboxes.bigcommerce.url}/stores/demostore/v2/orders/${orderId}`, {
        method: 'PUT',
        headers: { 'x-auth-token': 'demo-bc-token', 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ status_id: statusId }),
      });
      if (!response.ok) throw new Error(`could not update order ${orderId}: ${response.status} ${await response.text()}`);
    },
    async inputOf(workflowId) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      return payload ? await fromHistoryPayload(payload) : undefined;
    },
    listOrderToCash,
    describeOrder(tenantId, orderId) {
      startedOrders.add(orderToCashWorkflowId(tenantId, orderId));
      return client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).describe();
    },
    async finishOrder(tenantId, orderId) {
      const handle = client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
      await handle.signal('orderChanged', { deliveryId: 'finish', topic: 'test', occurredAt: new Date().toISOString() });
      await handle.result();
    },
    async close() {
      // The stand-ins wait for a signal forever: end the ones this file started.
      await Promise.allSettled([...startedOrders].map((id) => client.workflow.getHandle(id).terminate('test finished')));
      await worker.stop();
      await client.close();
      await fixture.close();
    },
  };
}

export interface AdminWithTemporal {
  server: RunningServer;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const adminKey = 'test-bootstrap-key-0123456789';

/** The API app in-process on port 0 over the world's database, with a Temporal client on the world's task queue. */
export async function startAdminWithTemporal(world: SweepWorld): Promise<AdminWithTemporal> {
  const app = createApp({
    logger: pino({ level: 'silent' }),
    readinessChecks: {},
    admin: {
      db: world.fixture.database.db,
      cipher: world.fixture.cipher,
      connectors: new ConnectorClients({ endpoints: world.fixture.endpoints }),
      bootstrapApiKey: adminKey,
      temporal: { client: world.client, taskQueue: world.taskQueue },
    },
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    server,
    async call(method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    close: () => server.close(),
  };
}
