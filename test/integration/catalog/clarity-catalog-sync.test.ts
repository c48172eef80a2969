import type { Worker } from '@temporalio/worker';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { createApp } from '../../../api/app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { clarityWebhookRoutes } from '../../../api/webhooks/clarity.js';
import type { WebhookReceiverDependencies } from '../../../api/webhooks/ports.js';
import { storedWebhookDeliveries, storedWebhookSecrets } from '../../../api/webhooks/store-adapters.js';
import { temporalDispatcher } from '../../../api/webhooks/temporal-dispatcher.js';
import { ClarityClient } from '../../../connectors/clarity/index.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { catalogSyncSchedule } from '../../../schedules/catalog-sync.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { connectWorkerToTemporal, createProductWorker } from '../../../workers/worker.js';
import { catalogSyncScheduleId, type CatalogSyncReport } from '../../../workflows/catalog-sync-contract.js';
import { storefrontItemIntakeWorkflowId } from '../../../workflows/storefront-item-intake-contract.js';
import { connectTestClient } from '../../support/harness.js';
import { sandboxCredentials, startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { runScheduleNow } from '../../support/scheduled-run.js';

/**
 * Catalog sync to Clarity end to end: the product's worker on the dev server, FerretDB, the
 * Intacct and Clarity sandboxes over HTTP, the tenant's schedule, and the Clarity webhook
 * receiver subscribed to the sandbox's events (so an echo of the sync's own write would arrive
 * and start an intake). What reached Clarity is read back through its API and request log.
 */
const adminKey = 'clarity-catalog-sync-admin-key-0123456789';

describe('catalog sync: Intacct items → Clarity products on the schedule', () => {
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let server: RunningServer;
  let worker: { instance: Worker; running: Promise<void>; close(): Promise<void> };
  const schedules: string[] = [];

  beforeAll(async () => {
    fixture = await startOrderSyncFixture({ ADMIN_API_KEY: adminKey });
    client = await connectTestClient(fixture.config);
    const taskQueue = fixture.config.temporal.taskQueue;
    const connection = await connectWorkerToTemporal(fixture.config);
    const instance = await createProductWorker({
      config: fixture.config,
      connection,
      activities: createActivities({ db: fixture.database.db, connections: fixture.connections, temporal: { client, taskQueue } }),
      overrides: { shutdownGraceTime: '1 second' },
    });
    worker = { instance, running: instance.run(), close: () => connection.close() };
    const webhooks: WebhookReceiverDependencies = {
      secrets: storedWebhookSecrets(fixture.database.db, fixture.cipher),
      deliveries: storedWebhookDeliveries(fixture.database.db),
      dispatcher: temporalDispatcher(client, taskQueue),
    };
    const app = express();
    app.use(clarityWebhookRoutes(webhooks));
    app.use(
      createApp({
        logger: pino({ level: 'silent' }),
        readinessChecks: {},
        admin: {
          db: fixture.database.db,
          cipher: fixture.cipher,
          connectors: new ConnectorClients({ endpoints: fixture.endpoints }),
          bootstrapApiKey: adminKey,
          temporal: { client, taskQueue },
        },
      }),
    );
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await Promise.allSettled(schedules.map((id) => client.schedule.getHandle(id).delete()));
    await server?.close();
    if (worker) {
      worker.instance.shutdown();
      await worker.running;
      await worker.close();
    }
    await client?.close();
    await fixture?.close();
  });

  const call = async (url: string, method: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const intacct = (method: string, path: string, body?: unknown) => call(`${fixture.sandboxes.intacct.url}/__control${path}`, method, body);
  const clarity = (method: string, path: string, body?: unknown) => call(`${fixture.sandboxes.clarity.url}/_sandbox${path}`, method, body);

  beforeEach(async () => {
    await intacct('POST', '/reset', {});
    await clarity('POST', '/reset');
  });

  /** A Clarity tenant with the item sync on (its schedule never fires by itself), subscribed to the sandbox's events. */
  const catalogTenant = async () => {
    const tenantId = await fixture.createTenant('clarity');
    const current = (await readSettings(fixture.database.db, tenantId))!;
    const { catalog } = current.settings;
    const settings = { ...current.settings, catalog: { ...catalog, items: { ...catalog.items, enabled: true, schedule: '0 3 1 1 *' } } };
    await writeSettings(fixture.database.db, tenantId, settings, { expectedVersion: current.version, changedBy: 'test' });
    await ensureTenantSchedule(catalogSyncSchedule, client, fixture.config.temporal.taskQueue, tenantId, settings);
    schedules.push(catalogSyncScheduleId(tenantId));
    await call(
      `${server.url}/api/v1/tenants/${tenantId}/webhooks/register`,
      'POST',
      { publicBaseUrl: server.url },
      { authorization: `Bearer ${adminKey}` },
    );
    return tenantId;
  };

  /** Triggers the tenant's schedule and waits for the run it starts. */
  const runSchedule = (tenantId: string) => runScheduleNow<CatalogSyncReport>(client, catalogSyncScheduleId(tenantId));

  type LoggedRequest = {
    method: string;
    path: string;
    status: number | undefined;
    idempotencyKey: string | undefined;
    fault: string | undefined;
  };
  const productWrites = async () =>
    ((await clarity('GET', '/requests')) as { data: LoggedRequest[] }).data.filter(
      (request) => request.method === 'PATCH' && request.path.startsWith('/api/v1/products/'),
    );
  /** The product as Clarity's API gives it (read with the demo client, as a merchant's tool would). */
  const product = (sku: string) =>
    new ClarityClient({ baseUrl: fixture.sandboxes.clarity.url, credentials: sandboxCredentials.clarity }).getProduct(sku);

  it('when an Intacct price changes, then the scheduled run carries it to the Clarity product once, the next run writes nothing, and nothing echoes back', async () => {
    const tenantId = await catalogTenant();
    // The demo store's white T-shirt and the discontinued poster differ from Intacct, which owns names and prices by default.
    const first = await runSchedule(tenantId);
    expect(first).toMatchObject({ tenantId, storefront: 'clarity', outcome: 'completed', failed: 0, variantsWritten: 0 });
    expect(first.productsWritten).toBeGreaterThan(0);

    await intacct('PATCH', '/records/ITEM/TSHIRT-BLK-M', { fields: { BASEPRICE: '26' } });
    // The first write's answer is lost after Clarity committed it: the retry under the same key is replayed, not written again.
    await clarity('POST', '/faults', { kind: 'lost_response', method: 'PATCH', pathPrefix: '/api/v1/products/TSHIRT-BLK-M', times: 1 });
    const writesBefore = (await productWrites()).length;
    const second = await runSchedule(tenantId);

    expect(second).toMatchObject({ outcome: 'completed', productsWritten: 1, variantsWritten: 0, productBatches: 1, failed: 0 });
    const writes = (await productWrites()).slice(writesBefore);
    expect(writes.map((write) => write.path)).toEqual(['/api/v1/products/TSHIRT-BLK-M', '/api/v1/products/TSHIRT-BLK-M']);
    expect(writes[0]!.fault).toBe('lost_response');
    expect(new Set(writes.map((write) => write.idempotencyKey)).size).toBe(1);
    expect(writes[1]!.status).toBe(200);
    expect(await product('TSHIRT-BLK-M')).toMatchObject({ price: '26.00', name: 'Classic T-Shirt, Black, M', active: true });

    const third = await runSchedule(tenantId);
    expect(third).toMatchObject({ outcome: 'completed', productsWritten: 0, failed: 0 });
    expect(third.unchanged).toBeGreaterThan(0);
    expect((await productWrites()).length).toBe(writesBefore + 2);

    // No write of the sync came back as a product.updated, so no intake ever started.
    const deliveries = (await clarity('GET', '/webhook-deliveries')) as { data: Array<{ eventType: string }> };
    expect(deliveries.data.filter((delivery) => delivery.eventType === 'product.updated')).toEqual([]);
    await expect(
      client.workflow.getHandle(storefrontItemIntakeWorkflowId(tenantId, { kind: 'claritySku', sku: 'TSHIRT-BLK-M' })).describe(),
    ).rejects.toThrow();
  });
});
