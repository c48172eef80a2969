import { pino } from 'pino';
import { createActivities } from '../../../activities/index.js';
import { TenantConnections } from '../../../activities/tenant-connections.js';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import type { IntacctBudgetCrossing } from '../../../store/intacct-usage.js';
import { createApiMetrics } from '../../../observability/metrics.js';
import { startWorkerObservability, type WorkerObservability } from '../../../workers/telemetry.js';
import { connectWorkerToTemporal, createProductWorker } from '../../../workers/worker.js';
import { orderToCashStatusQuery, orderToCashWorkflowId, type OrderToCashStatus } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { runInBackground, type RunningTestWorker } from '../../support/test-worker.js';
import { requestJson } from '../../support/json-requests.js';

export const metricsToken = 'metrics-test-token-0123456789abcdef';
const adminKey = 'metrics-bootstrap-key-0123456789abcdef';

export interface MetricsStack extends OrderSyncFixture {
  api: RunningServer;
  observability: WorkerObservability;
  /** Budget crossings the worker's meter told, in order. */
  crossings: IntacctBudgetCrossing[];
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  bigCommerce(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The text of a `/metrics` endpoint, read with the token. */
  scrape(url: string): Promise<string>;
  waitForOrder(tenantId: string, orderId: string, predicate: (status: OrderToCashStatus) => boolean): Promise<OrderToCashStatus>;
  close(): Promise<void>;
}

/**
 * The product as `api/main.ts` and `workers/main.ts` build it, metrics included, in one process:
 * the API with its series and `/metrics` behind a token, the worker with its activity
 * interceptor, attention events, Intacct usage meter (flushing every 200 ms) and its own
 * `/metrics` on a free port, over the order-sync fixture's sandboxes and database.
 */
export async function startMetricsStack(): Promise<MetricsStack> {
  const fixture = await startOrderSyncFixture({ ADMIN_API_KEY: adminKey });
  const crossings: IntacctBudgetCrossing[] = [];
  const logger = pino({ level: 'silent' });
  const observability = await startWorkerObservability({
    config: { metrics: { token: metricsToken, apiEnabled: true, worker: { host: '127.0.0.1', port: 0 }, temporalSdkAddress: undefined } },
    db: fixture.database.db,
    logger,
    onIntacctBudgetCrossed: (crossing) => void crossings.push(crossing),
    flushEveryMs: 200,
  });
  const connections = new TenantConnections({
    db: fixture.database.db,
    cipher: fixture.cipher,
    connectors: new ConnectorClients({
      endpoints: fixture.endpoints,
      intacctTransactionCounter: observability.intacctUsage,
      intacctTimeoutMs: 10_000,
      storefrontTimeoutMs: 10_000,
    }),
  });
  const client = await connectTestClient(fixture.config);
  const temporal = { client, taskQueue: fixture.config.temporal.taskQueue };
  const app = createProductApp({
    logger,
    db: fixture.database.db,
    cipher: fixture.cipher,
    connectors: new ConnectorClients({ endpoints: fixture.endpoints }),
    temporal,
    bootstrapApiKey: adminKey,
    metrics: { series: createApiMetrics(), access: { token: metricsToken } },
  });
  const api = await listen(app, 0, '127.0.0.1');
  const connection = await connectWorkerToTemporal(fixture.config);
  const worker: RunningTestWorker = runInBackground(
    await createProductWorker({
      config: fixture.config,
      connection,
      activities: createActivities({ db: fixture.database.db, connections, temporal, attentionEvents: observability.attentionEvents }),
      metrics: observability.metrics,
      overrides: { shutdownGraceTime: '1 second' },
    }),
    () => connection.close(),
  );

  return {
    ...fixture,
    api,
    observability,
    crossings,
    admin: (method, path, body) => requestJson(`${api.url}/api/v1${path}`, method, { authorization: `Bearer ${adminKey}` }, body),
    bigCommerce: (method, path, body) =>
      requestJson(`${fixture.sandboxes.bigcommerce.url}/stores/demostore${path}`, method, { 'x-auth-token': 'demo-bc-token' }, body),
    async scrape(url) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${metricsToken}` } });
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      return response.text();
    },
    waitForOrder(tenantId, orderId, predicate) {
      const handle = client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
      return eventually(() => handle.query(orderToCashStatusQuery), {
        until: predicate,
        what: `order ${orderId} of ${tenantId} to reach the expected state`,
        timeoutMs: 90_000,
        intervalMs: 200,
      });
    },
    async close() {
      await worker.stop();
      await observability.stop();
      await api.close();
      await client.close();
      await fixture.close();
    },
  };
}

/**
 * The value of one sample in Prometheus text: the series `name` whose labels include `labels`
 * (0 when there is none, as a counter that never moved has no sample).
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return 0;
}
