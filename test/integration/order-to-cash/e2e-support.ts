import type { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createActivities } from '../../../activities/index.js';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { findLedgerEntry, type LedgerEntry } from '../../../store/ledger.js';
import { connectWorkerToTemporal, createProductWorker } from '../../../workers/worker.js';
import { orderToCashStatusQuery, orderToCashWorkflowId, type OrderToCashStatus } from '../../../workflows/order-to-cash-contract.js';
import { connectTestClient } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { ConnectorClients } from '../../../connectors/clients.js';

const adminKey = 'e2e-bootstrap-key-0123456789abcdef';

export interface OrderToCashStack extends OrderSyncFixture {
  client: Awaited<ReturnType<typeof connectTestClient>>;
  api: RunningServer;
  /** A JSON call to the product's admin API with the bootstrap key. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Registers the tenant's storefront webhooks to the in-process API (what an operator does once). */
  registerWebhooks(tenantId: string): Promise<void>;
  /** A JSON call to the BigCommerce sandbox's store API as the demo app. */
  bigCommerce(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A JSON call to the Clarity sandbox's `/_sandbox` control API. */
  clarity(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A call to the Intacct sandbox's `/__control` API. */
  intacctControl(method: string, path: string, body?: unknown): Promise<any>;
  /** Records of one Intacct object as the sandbox holds them (no API transaction). */
  intacctRecords(object: string): Promise<Array<Record<string, string>>>;
  ledger(tenantId: string, entity: LedgerEntry['entity'], orderId: string): Promise<LedgerEntry | null>;
  /** Polls the order's workflow until its status query satisfies `predicate`. */
  waitForOrder(
    tenantId: string,
    orderId: string,
    predicate: (status: OrderToCashStatus) => boolean,
    timeoutMs?: number,
  ): Promise<OrderToCashStatus>;
  /** Stops the in-process worker (and starts a new one with `startWorker`), for crash tests. */
  stopWorker(): Promise<void>;
  startWorker(): void;
}

/**
 * The product end to end in one process: the three sandboxes, FerretDB, the API with its
 * webhook receivers and admin API on a free port, and a worker on the dev server polling the
 * test's own task queue. Storefront events reach the product the real way: the sandbox
 * delivers a signed webhook to the receiver, which starts or signals OrderToCash.
 */
export async function startOrderToCashStack(): Promise<OrderToCashStack> {
  const fixture = await startOrderSyncFixture({ ADMIN_API_KEY: adminKey });
  const client = await connectTestClient(fixture.config);
  const taskQueue = fixture.config.temporal.taskQueue;
  const temporal = { client, taskQueue };
  const app = createProductApp({
    logger: pino({ level: 'silent' }),
    db: fixture.database.db,
    cipher: fixture.cipher,
    connectors: new ConnectorClients(),
    temporal,
    bootstrapApiKey: adminKey,
  });
  const api = await listen(app, 0, '127.0.0.1');

  let worker: { instance: Worker; running: Promise<void>; close: () => Promise<void> } | undefined;
  let workerStarting: Promise<void> | undefined;
  const startWorker = () => {
    workerStarting = (async () => {
      const connection = await connectWorkerToTemporal(fixture.config);
      const instance = await createProductWorker({
        config: fixture.config,
        connection,
        activities: createActivities({ db: fixture.database.db, connections: fixture.connections, temporal }),
        overrides: { shutdownGraceTime: '1 second' },
      });
      const running = instance.run();
      worker = { instance, running, close: () => connection.close() };
    })();
  };
  startWorker();
  await workerStarting;

  const json = async (url: string, method: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const admin = (method: string, path: string, body?: unknown) =>
    json(`${api.url}/api/v1${path}`, method, { authorization: `Bearer ${adminKey}` }, body);

  const stopWorker = async () => {
    await workerStarting;
    if (!worker) return;
    worker.instance.shutdown();
    await worker.running;
    await worker.close();
    worker = undefined;
  };

  return {
    ...fixture,
    client,
    api,
    admin,
    async registerWebhooks(tenantId) {
      const registered = await admin('POST', `/tenants/${tenantId}/webhooks/register`, { publicBaseUrl: api.url });
      if (registered.status !== 200)
        throw new Error(`webhook registration failed: ${registered.status} ${JSON.stringify(registered.body)}`);
    },
    bigCommerce: (method, path, body) =>
      json(`${fixture.sandboxes.bigcommerce.url}/stores/demostore${path}`, method, { 'x-auth-token': 'demo-bc-token' }, body),
    clarity: (method, path, body) => json(`${fixture.sandboxes.clarity.url}/_sandbox${path}`, method, {}, body),
    intacctControl: async (method, path, body) => (await json(`${fixture.sandboxes.intacct.url}/__control${path}`, method, {}, body)).body,
    intacctRecords: async (object) =>
      (
        (await json(`${fixture.sandboxes.intacct.url}/__control/records/${object}`, 'GET', {})).body as {
          records: Array<Record<string, string>>;
        }
      ).records,
    ledger: (tenantId, entity, orderId) => findLedgerEntry(fixture.database.db, { tenantId, entity, externalId: orderId }),
    async waitForOrder(tenantId, orderId, predicate, timeoutMs = 60_000) {
      const handle = client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
      const deadline = Date.now() + timeoutMs;
      let last: OrderToCashStatus | string = 'not started';
      for (;;) {
        try {
          const status = await handle.query(orderToCashStatusQuery);
          last = status;
          if (predicate(status)) return status;
        } catch (error) {
          last = (error as Error).message;
        }
        if (Date.now() > deadline)
          throw new Error(`order ${orderId} of ${tenantId} did not reach the expected state; last: ${JSON.stringify(last)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stopWorker,
    startWorker,
    async close() {
      await stopWorker();
      await api.close();
      await client.close();
      await fixture.close();
    },
  };
}

/** Money in an Intacct record's decimal text, as minor units. */
export const cents = (amount: string | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);
