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
import { ConnectorClients } from '../../../connectors/clients.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { connectWorkerToTemporal, createProductWorker } from '../../../workers/worker.js';
import {
  storefrontItemIntakeWorkflowId,
  type StorefrontItemIntakeResult,
  type StorefrontItemTarget,
} from '../../../workflows/storefront-item-intake-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';

/**
 * Clarity's `product.updated` (its only documented product event) taken in end to end: the
 * Clarity sandbox changes a product and delivers the signed event to the API's receiver, the
 * product's worker runs StorefrontItemIntake on the dev server with FerretDB, and what Intacct
 * got is read back through the Intacct sandbox's records and request log.
 */
const adminKey = 'clarity-item-intake-admin-key-0123456789';

describe('Clarity product.updated → Intacct item for a SKU Intacct lacks', () => {
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let server: RunningServer;
  let worker: { instance: Worker; running: Promise<void>; close(): Promise<void> };

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

  /** A Clarity tenant creating missing items inactive, subscribed to the sandbox's events, each delivered `copies` times. */
  const intakeTenant = async (copies: number) => {
    const tenantId = await fixture.createTenant('clarity');
    const current = (await readSettings(fixture.database.db, tenantId))!;
    const { catalog } = current.settings;
    const settings = { ...current.settings, catalog: { ...catalog, items: { ...catalog.items, createInIntacct: 'inactive' as const } } };
    await writeSettings(fixture.database.db, tenantId, settings, { expectedVersion: current.version, changedBy: 'test' });
    await call(
      `${server.url}/api/v1/tenants/${tenantId}/webhooks/register`,
      'POST',
      { publicBaseUrl: server.url },
      {
        authorization: `Bearer ${adminKey}`,
      },
    );
    await clarity('PUT', '/webhook-behaviour', { copies });
    return tenantId;
  };

  /** The result of the intake run after `previousRunId` (the first one when undefined). */
  const intakeResult = async (tenantId: string, sku: string, previousRunId?: string) => {
    const target: StorefrontItemTarget = { kind: 'claritySku', sku };
    const handle = client.workflow.getHandle(storefrontItemIntakeWorkflowId(tenantId, target));
    const runId = await eventually(
      async () => {
        try {
          return (await handle.describe()).runId;
        } catch {
          return undefined;
        }
      },
      { until: (id) => id !== undefined && id !== previousRunId, what: `an intake of ${sku}`, timeoutMs: 60_000, intervalMs: 250 },
    );
    const result = (await client.workflow.getHandle(handle.workflowId, runId).result()) as StorefrontItemIntakeResult;
    return { runId: runId!, result };
  };
  const intacctItem = async (itemId: string) =>
    ((await intacct('GET', '/records/ITEM')) as { records: Array<Record<string, string>> }).records.find((row) => row.ITEMID === itemId);
  const itemCreates = async (sku: string) =>
    ((await intacct('GET', '/requests')) as { requests: Array<{ functions: Array<{ controlId: string; status: string }> }> }).requests
      .flatMap((request) => request.functions)
      .filter((fn) => fn.controlId === `item-create:${sku}` && fn.status === 'success').length;
  const deliveredCopies = async (sku: string) =>
    ((await clarity('GET', '/webhook-deliveries')) as { data: Array<{ eventType: string; body: string; state: string }> }).data.filter(
      (delivery) => delivery.eventType === 'product.updated' && delivery.state === 'delivered' && delivery.body.includes(`"sku":"${sku}"`),
    ).length;

  it('when a Clarity product Intacct lacks changes, then one inactive item is created however often the event comes, and later changes create nothing', async () => {
    const tenantId = await intakeTenant(3);
    // The merchant sells a cap in Clarity that Intacct has no item for.
    await intacct('DELETE', '/records/ITEM/CAP-NVY-OS');
    expect(await intacctItem('CAP-NVY-OS')).toBeUndefined();

    await clarity('PATCH', '/products/CAP-NVY-OS', { price: '21.50' });

    const first = await intakeResult(tenantId, 'CAP-NVY-OS');
    expect(first.result).toMatchObject({ outcome: 'completed', known: [], created: ['CAP-NVY-OS'], raised: [], failed: [] });
    expect(await intacctItem('CAP-NVY-OS')).toMatchObject({
      ITEMID: 'CAP-NVY-OS',
      NAME: 'Baseball Cap, Navy, One Size',
      STATUS: 'inactive',
      BASEPRICE: '21.50',
    });
    await eventually(() => deliveredCopies('CAP-NVY-OS'), { until: (copies) => copies === 3, what: 'three deliveries of the event' });
    expect(await itemCreates('CAP-NVY-OS')).toBe(1);

    // A later change is a new event: its intake finds the item and creates nothing.
    await clarity('PATCH', '/products/CAP-NVY-OS', { name: 'Baseball Cap, Navy' });
    const second = await intakeResult(tenantId, 'CAP-NVY-OS', first.runId);
    expect(second.result).toMatchObject({ outcome: 'completed', known: ['CAP-NVY-OS'], created: [] });
    expect(await itemCreates('CAP-NVY-OS')).toBe(1);
  });

  it('when a Clarity product Intacct knows changes, then the intake creates nothing', async () => {
    const tenantId = await intakeTenant(1);
    await clarity('PATCH', '/products/TSHIRT-BLK-L', { price: '25.00' });
    const { result } = await intakeResult(tenantId, 'TSHIRT-BLK-L');
    expect(result).toMatchObject({ outcome: 'completed', known: ['TSHIRT-BLK-L'], created: [], raised: [] });
    expect(await itemCreates('TSHIRT-BLK-L')).toBe(0);
  });
});
