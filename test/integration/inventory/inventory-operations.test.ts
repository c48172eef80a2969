import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { createApp } from '../../../api/app.js';
import { bigCommerceSecretHeader, bigCommerceWebhookRoutes } from '../../../api/webhooks/bigcommerce.js';
import { clarityWebhookRoutes } from '../../../api/webhooks/clarity.js';
import { listen, type RunningServer } from '../../../api/server.js';
import type { StorefrontEvent, WebhookReceiverDependencies } from '../../../api/webhooks/ports.js';
import { storedOwnInventoryWrites, storedWebhookDeliveries, storedWebhookSecrets } from '../../../api/webhooks/store-adapters.js';
import { temporalDispatcher } from '../../../api/webhooks/temporal-dispatcher.js';
import { saveCredentials } from '../../../store/credentials.js';
import { insertInventoryReport } from '../../../store/inventory-reports.js';
import { connectWorkerToTemporal, createProductWorker } from '../../../workers/worker.js';
import { inventoryReconcileScheduleId, type InventoryReport } from '../../../workflows/inventory-reconcile-contract.js';
import {
  inventorySkuSyncWorkflowId,
  type InventorySkuSyncResult,
  type InventorySyncTarget,
} from '../../../workflows/inventory-sku-sync-contract.js';
import { orderSweepScheduleId } from '../../../workflows/order-sweep-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import type { StorefrontKind } from '../../../mappers/canonical-order.js';
import { requestJson } from '../../support/json-requests.js';
import { mapStoreLocationsToSwappedWarehouses } from '../../support/inventory-fixtures.js';

/**
 * The operator side of InventoryReconcile end to end: the tenant's schedule on the dev server,
 * the admin API, and single-SKU sync from webhooks and operators, with the product's worker
 * (every workflow, real activities), FerretDB and the three sandboxes. The webhook receivers are
 * mounted as the product mounts them, with the BigCommerce receiver told about the product's own
 * stock writes.
 */
const adminKey = 'inventory-ops-admin-key-0123456789';

/** Intacct's demo availability (WH01 + WH02, nothing on hold) of SKUs both demo stores carry. */
const intacctAvailability: Record<string, number> = {
  'TSHIRT-BLK-S': 50,
  'TSHIRT-BLK-M': 132,
  'TSHIRT-BLK-L': 93,
  'CAP-NVY-OS': 70,
  'MUG-CER-12OZ': 160,
};

describe('inventory operations: schedule, admin API and single-SKU sync (dev server, FerretDB, sandboxes)', () => {
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let server: RunningServer;
  let worker: { instance: Worker; running: Promise<void>; close(): Promise<void> };
  /** Every event the receivers handed to the dispatcher, in order. */
  const dispatched: StorefrontEvent[] = [];
  const schedules: string[] = [];

  beforeAll(async () => {
    fixture = await startOrderSyncFixture({ ADMIN_API_KEY: adminKey });
    client = await connectTestClient(fixture.config);
    const taskQueue = fixture.config.temporal.taskQueue;
    const temporal = { client, taskQueue };
    const connection = await connectWorkerToTemporal(fixture.config);
    const instance = await createProductWorker({
      config: fixture.config,
      connection,
      activities: createActivities({ db: fixture.database.db, connections: fixture.connections, temporal }),
      overrides: { shutdownGraceTime: '1 second' },
    });
    worker = { instance, running: instance.run(), close: () => connection.close() };

    const dispatcher = temporalDispatcher(client, taskQueue);
    const webhooks: WebhookReceiverDependencies = {
      secrets: storedWebhookSecrets(fixture.database.db, fixture.cipher),
      deliveries: storedWebhookDeliveries(fixture.database.db),
      dispatcher: {
        dispatch: (event) => {
          dispatched.push(event);
          return dispatcher.dispatch(event);
        },
      },
    };
    const app = express();
    app.use(bigCommerceWebhookRoutes(webhooks, { ownInventoryWrites: storedOwnInventoryWrites(fixture.database.db) }));
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
          temporal,
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

  beforeEach(async () => {
    for (const [url, path] of [
      [fixture.sandboxes.bigcommerce.url, '/_control/reset'],
      [fixture.sandboxes.clarity.url, '/_sandbox/reset'],
    ] as const) {
      const response = await fetch(`${url}${path}`, { method: 'POST' });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
    }
  });

  const admin = (method: string, path: string, body?: unknown) =>
    requestJson(`${server.url}/api/v1${path}`, method, { authorization: `Bearer ${adminKey}` }, body);
  const bigCommerce = (method: string, path: string, body?: unknown) =>
    requestJson(
      `${fixture.sandboxes.bigcommerce.url}${path}`,
      method,
      path.startsWith('/_control') ? {} : { 'x-auth-token': 'demo-bc-token' },
      body,
    );

  /** A tenant whose schedules this file cleans up; `inventory` settings written through the admin API. */
  const tenant = async (storefront: StorefrontKind, inventory?: Record<string, unknown>) => {
    const tenantId = await fixture.createTenant(storefront);
    schedules.push(inventoryReconcileScheduleId(tenantId), orderSweepScheduleId(tenantId));
    // The default schedule (every 15 minutes) would let one test's tenant reconcile the shared
    // sandbox store in the middle of another test (a run straddling a quarter hour failed so):
    // runs here come only from what a test asks.
    if (inventory !== undefined) await patchSettings(tenantId, { inventory: { schedule: '0 3 1 1 *', ...inventory } });
    return tenantId;
  };
  const patchSettings = async (tenantId: string, settings: Record<string, unknown>) => {
    const current = await admin('GET', `/tenants/${tenantId}/settings`);
    const answer = await admin('PATCH', `/tenants/${tenantId}/settings`, { version: current.body.version, settings });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  };

  /** The BigCommerce demo store's on-hand level of every tracked SKU at the default location. */
  const bigCommerceLevels = async (): Promise<Record<string, number>> => {
    const answer = await bigCommerce('GET', '/stores/demostore/v3/inventory/items?location_id:in=1&limit=1000');
    return Object.fromEntries(
      (answer.body.data as Array<{ identity: { sku: string }; locations: Array<{ total_inventory_onhand: number }> }>).map((item) => [
        item.identity.sku,
        item.locations[0]!.total_inventory_onhand,
      ]),
    );
  };
  /** Sets a level the way another app (or a merchant) would: an absolute adjustment. */
  const setBigCommerceLevel = async (sku: string, quantity: number) => {
    const answer = await bigCommerce('PUT', '/stores/demostore/v3/inventory/adjustments/absolute', {
      reason: 'counted by hand',
      items: [{ location_id: 1, sku, quantity }],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  };
  const inventoryWrites = async () =>
    ((await bigCommerce('GET', '/_control/requests')).body.requests as Array<{ method: string; path: string }>).filter(
      (request) => request.method === 'PUT' && request.path.endsWith('/v3/inventory/adjustments/absolute'),
    ).length;

  /** Sends a BigCommerce callback straight to the receiver, with the tenant's secret header. */
  const bigCommerceCallback = async (tenantId: string, secret: string, scope: string, data: Record<string, unknown>) => {
    const envelope = {
      scope,
      store_id: '1001',
      data,
      hash: randomUUID(),
      created_at: Math.floor(Date.now() / 1000),
      producer: 'stores/demostore',
    };
    return requestJson(`${server.url}/webhooks/bigcommerce/${tenantId}`, 'POST', { [bigCommerceSecretHeader]: secret }, envelope);
  };
  const withWebhookSecret = async (tenantId: string) => {
    const secret = `whs-${randomUUID()}`;
    await saveCredentials(fixture.database.db, fixture.cipher, tenantId, 'webhook', {
      secrets: [{ secret, createdAt: new Date().toISOString() }],
    });
    return secret;
  };

  /** The result of the target's sync, once the workflow exists and finished. */
  const syncResult = async (tenantId: string, target: InventorySyncTarget): Promise<InventorySkuSyncResult> => {
    const handle = client.workflow.getHandle(inventorySkuSyncWorkflowId(tenantId, target));
    const exists = async () => {
      try {
        await handle.describe();
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    };
    await eventually(exists, { what: `a sync of ${JSON.stringify(target)}`, timeoutMs: 60_000, intervalMs: 200 });
    return handle.result() as Promise<InventorySkuSyncResult>;
  };

  /** "Sync this SKU now" through the admin API; a 202 is followed up until the sync finished. */
  const syncSkuNow = async (tenantId: string, sku: string) => {
    const answer = await admin('POST', `/tenants/${tenantId}/inventory/skus/${encodeURIComponent(sku)}/reconcile`);
    if (answer.status !== 202) return answer;
    return eventually(() => admin('GET', `/tenants/${tenantId}/inventory/skus/${encodeURIComponent(sku)}/reconcile`), {
      until: (state) => state.body?.status !== 'running',
      what: `the sync of ${sku}`,
      timeoutMs: 60_000,
      intervalMs: 200,
    });
  };

  const reportsOf = async (tenantId: string, expected: number) =>
    (
      await eventually(() => admin('GET', `/tenants/${tenantId}/inventory/reports`), {
        until: (answer) => answer.status === 200 && answer.body.reports.length >= expected,
        what: `${expected} stored reports`,
        timeoutMs: 60_000,
        intervalMs: 200,
      })
    ).body.reports as InventoryReport[];

  it('when settings are written through the admin API then the reconciliation schedule follows them: the cron in the tenant time zone, paused while inventory is off or the tenant disabled', async () => {
    const tenantId = await tenant('bigcommerce');
    await patchSettings(tenantId, { inventory: { enabled: true, schedule: '0 3 * * *' }, timezone: 'Europe/Berlin' });

    let state = await admin('GET', `/tenants/${tenantId}/inventory/schedule`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      scheduleId: `inventory-reconcile:${tenantId}`,
      paused: false,
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      overlap: 'SKIP',
      catchupWindowSeconds: 3600,
      recentRuns: [],
      runningWorkflowIds: [],
    });
    expect(state.body.nextRunsAt).toHaveLength(5);
    for (const next of state.body.nextRunsAt as string[]) {
      expect(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(new Date(next)),
      ).toBe('03:00');
    }

    await patchSettings(tenantId, { inventory: { enabled: false } });
    state = await admin('GET', `/tenants/${tenantId}/inventory/schedule`);
    expect(state.body).toMatchObject({ paused: true, pausedBy: 'settings', note: 'paused: inventory.enabled is false', nextRunsAt: [] });

    await patchSettings(tenantId, { inventory: { enabled: true } });
    expect((await admin('PATCH', `/tenants/${tenantId}`, { status: 'disabled' })).status).toBe(200);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/schedule`)).body).toMatchObject({
      paused: true,
      pausedBy: 'settings',
      note: 'paused: the tenant is disabled',
    });
    expect((await admin('PATCH', `/tenants/${tenantId}`, { status: 'active' })).status).toBe(200);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/schedule`)).body).toMatchObject({
      paused: false,
      note: 'reconciles on "0 3 * * *" (Europe/Berlin)',
    });
  });

  it('when a reconciliation is asked for then the schedule starts one at once; its report is stored, listed newest first and read by run id, and BUFFER_ONE runs another', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });

    const answer = await admin('POST', `/tenants/${tenantId}/inventory/reconcile`, {});

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      scheduleId: `inventory-reconcile:${tenantId}`,
      overlap: 'SKIP',
      outcome: 'started',
      runningWorkflowIds: [],
    });
    const [report] = await reportsOf(tenantId, 1);
    expect(report).toMatchObject({ tenantId, outcome: 'completed', compared: 7, changed: 7, pushed: 7, failed: 0 });
    const levels = await bigCommerceLevels();
    expect(Object.fromEntries(Object.keys(intacctAvailability).map((sku) => [sku, levels[sku]]))).toEqual(intacctAvailability);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/reports/${report!.runId}`)).body).toEqual(report);
    const state = await admin('GET', `/tenants/${tenantId}/inventory/schedule`);
    expect(state.body.recentRuns).toHaveLength(1);
    expect(state.body.recentRuns[0].workflowId.startsWith(`inventory-reconcile:${tenantId}`)).toBe(true);

    const again = await admin('POST', `/tenants/${tenantId}/inventory/reconcile`, { overlap: 'BUFFER_ONE' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ overlap: 'BUFFER_ONE' });
    const reports = await reportsOf(tenantId, 2);
    expect(reports.map((entry) => entry.runId)).toEqual([expect.not.stringMatching(report!.runId), report!.runId]);
    expect(reports[0]).toMatchObject({ compared: 7, changed: 0, pushed: 0 });
    const auditLog = await admin('GET', `/tenants/${tenantId}/audit`);
    expect(
      auditLog.body.entries
        .filter((entry: { action: string }) => entry.action === 'inventory.trigger')
        .map((entry: { details: unknown }) => entry.details),
    ).toEqual(expect.arrayContaining([{ overlap: 'SKIP' }, { overlap: 'BUFFER_ONE' }]));
  });

  it('when a reconciliation asks for an overlap policy that could run two at once, or the tenant cannot reconcile, then it answers 4xx naming why and starts nothing', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });
    for (const overlap of ['ALLOW_ALL', 'TERMINATE_OTHER', 'sometimes']) {
      const answer = await admin('POST', `/tenants/${tenantId}/inventory/reconcile`, { overlap });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'validation_failed',
        details: [
          { path: 'overlap', message: 'overlap must be one of SKIP, BUFFER_ONE: two reconciliations of one store must not run at once' },
        ],
      });
    }
    const off = await tenant('bigcommerce');
    const disabled = await admin('POST', `/tenants/${off}/inventory/reconcile`, {});
    expect(disabled.status).toBe(409);
    expect(disabled.body.error).toMatchObject({
      code: 'inventory_disabled',
      message: expect.stringContaining('turn on inventory.enabled'),
    });
    expect((await admin('POST', '/tenants/nobody-here/inventory/reconcile', {})).status).toBe(404);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/schedule`)).body.recentRuns).toEqual([]);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/reports`)).body).toEqual({ reports: [] });
  });

  it('when an operator pauses the schedule then it stays paused through settings changes until an operator resumes it', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });

    const paused = await admin('POST', `/tenants/${tenantId}/inventory/schedule/pause`, { note: 'stocktake until Monday' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      paused: true,
      pausedBy: 'operator',
      note: 'paused by an operator: stocktake until Monday',
      nextRunsAt: [],
    });

    await patchSettings(tenantId, { inventory: { schedule: '0 6 * * *' } });
    expect((await admin('GET', `/tenants/${tenantId}/inventory/schedule`)).body).toMatchObject({
      paused: true,
      pausedBy: 'operator',
      cron: '0 6 * * *',
    });

    const noNote = await admin('POST', `/tenants/${tenantId}/inventory/schedule/pause`, {});
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.details[0].path).toBe('note');

    const resumed = await admin('POST', `/tenants/${tenantId}/inventory/schedule/resume`, { note: 'stocktake done' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ paused: false, note: 'resumed by an operator: stocktake done', cron: '0 6 * * *' });
    expect(resumed.body.nextRunsAt.length).toBeGreaterThan(0);

    await patchSettings(tenantId, { inventory: { enabled: false } });
    const refused = await admin('POST', `/tenants/${tenantId}/inventory/schedule/resume`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('inventory_disabled');
    const actions = (await admin('GET', `/tenants/${tenantId}/audit`)).body.entries.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['inventory.pause', 'inventory.resume']));
  });

  it('when reports are paged then they come newest first, a page at a time, and a bad cursor, an unknown run or another tenant’s report is refused', async () => {
    const tenantId = await tenant('bigcommerce');
    const other = await tenant('bigcommerce');
    const base = {
      storefront: 'bigcommerce' as const,
      outcome: 'completed' as const,
      startedAt: '2026-03-01T00:00:00.000Z',
      durationMs: 1,
      pages: 1,
      intacctItems: 0,
      compared: 0,
      changed: 0,
      pushed: 0,
      failed: 0,
      unmapped: 0,
      filtered: 0,
      notInStorefront: 0,
      batches: 0,
      intacctTransactions: 1,
      largestDrifts: [],
      failedSamples: [],
      unmappedSamples: [],
      notInStorefrontSamples: [],
      generations: 1,
    };
    const finished = [
      '2026-03-01T01:00:00.000Z',
      '2026-03-01T03:00:00.000Z',
      '2026-03-01T02:00:00.000Z',
      '2026-03-01T03:00:00.000Z',
      '2026-03-01T04:00:00.000Z',
    ];
    for (const [index, finishedAt] of finished.entries())
      await insertInventoryReport(fixture.database.db, { ...base, tenantId, runId: `run-${index}`, finishedAt });
    await insertInventoryReport(fixture.database.db, {
      ...base,
      tenantId: other,
      runId: 'run-other',
      finishedAt: '2026-03-02T00:00:00.000Z',
    });

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin('GET', `/tenants/${tenantId}/inventory/reports?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.reports.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.reports.map((report: InventoryReport) => report.runId));
      cursor = page.body.nextCursor;
    } while (cursor !== undefined);
    expect(ids).toEqual(['run-4', 'run-3', 'run-1', 'run-2', 'run-0']);

    const badCursor = await admin('GET', `/tenants/${tenantId}/inventory/reports?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details).toEqual([{ path: 'cursor', message: 'cursor must be a nextCursor from a previous page' }]);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/reports?limit=1000`)).status).toBe(400);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/reports/run-2`)).body).toMatchObject({
      runId: 'run-2',
      finishedAt: '2026-03-01T02:00:00.000Z',
    });
    expect((await admin('GET', `/tenants/${tenantId}/inventory/reports/run-9`)).status).toBe(404);
    expect((await admin('GET', `/tenants/${tenantId}/inventory/reports/run-other`)).status).toBe(404);
  });

  it('when an operator asks to reconcile one drifted SKU then exactly that SKU is corrected, and asked again nothing is written', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });
    const before = await bigCommerceLevels();

    const answer = await syncSkuNow(tenantId, 'TSHIRT-BLK-S');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      workflowId: `inventory-sku:${tenantId}:TSHIRT-BLK-S`,
      status: 'completed',
      result: {
        outcome: 'synced',
        skus: [{ sku: 'TSHIRT-BLK-S', outcome: 'pushed', intacctItemId: 'TSHIRT-BLK-S', from: before['TSHIRT-BLK-S'], to: 50 }],
        rounds: 1,
        intacctTransactions: 1,
      },
    });
    expect(before['TSHIRT-BLK-S']).not.toBe(50);
    expect(await bigCommerceLevels()).toEqual({ ...before, 'TSHIRT-BLK-S': 50 });
    const writes = await inventoryWrites();

    const again = await syncSkuNow(tenantId, 'TSHIRT-BLK-S');
    expect(again.body.result.skus).toEqual([
      { sku: 'TSHIRT-BLK-S', outcome: 'unchanged', intacctItemId: 'TSHIRT-BLK-S', from: 50, to: 50 },
    ]);
    expect(await inventoryWrites()).toBe(writes);
    expect((await admin('GET', `/tenants/${tenantId}/audit`)).body.entries).toContainEqual(
      expect.objectContaining({ action: 'inventory.sku.reconcile', target: 'sku:TSHIRT-BLK-S' }),
    );
  });

  it('when the SKU is unknown on either side, not synced, or the tenant does not sync inventory then it answers 4xx naming why and writes nothing', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });
    const writes = await inventoryWrites();

    const unknown = await syncSkuNow(tenantId, 'NO-SUCH-SKU');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_sku',
      message: 'Intacct has no stock of item NO-SUCH-SKU for SKU NO-SUCH-SKU',
      details: { sku: 'NO-SUCH-SKU', outcome: 'notInIntacct', intacctItemId: 'NO-SUCH-SKU' },
    });
    // WIDGET-1 is stocked in Intacct but not sold in the BigCommerce store.
    const notSold = await syncSkuNow(tenantId, 'WIDGET-1');
    expect(notSold.status).toBe(404);
    expect(notSold.body.error).toMatchObject({ code: 'unknown_sku', message: 'the storefront has no SKU WIDGET-1 whose stock it tracks' });

    const listed = await tenant('bigcommerce', { enabled: true, skus: { mode: 'list', skus: ['CAP-NVY-OS'] } });
    const filtered = await admin('POST', `/tenants/${listed}/inventory/skus/TSHIRT-BLK-S/reconcile`);
    expect(filtered.status).toBe(409);
    expect(filtered.body.error.code).toBe('sku_not_synced');
    const off = await tenant('bigcommerce');
    expect((await admin('POST', `/tenants/${off}/inventory/skus/TSHIRT-BLK-S/reconcile`)).body.error.code).toBe('inventory_disabled');
    expect((await admin('POST', '/tenants/nobody-here/inventory/skus/TSHIRT-BLK-S/reconcile')).status).toBe(404);
    expect((await admin('POST', `/tenants/${tenantId}/inventory/skus/${encodeURIComponent(' ')}/reconcile`)).status).toBe(400);
    expect(await inventoryWrites()).toBe(writes);
  });

  it('when a stock change arrives as a BigCommerce webhook then that SKU is corrected at once, and the webhook its own write causes is recognised and not dispatched', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });
    expect((await admin('POST', `/tenants/${tenantId}/webhooks/register`, { publicBaseUrl: server.url })).status).toBe(200);
    const before = await bigCommerceLevels();

    await setBigCommerceLevel('CAP-NVY-OS', 3);

    const result = await syncResult(tenantId, { kind: 'bigcommerceProduct', productId: '114' });
    expect(result).toEqual({
      tenantId,
      target: { kind: 'bigcommerceProduct', productId: '114' },
      outcome: 'synced',
      skus: [{ sku: 'CAP-NVY-OS', outcome: 'pushed', intacctItemId: 'CAP-NVY-OS', from: 3, to: 70 }],
      rounds: 1,
      intacctTransactions: 1,
    });
    expect(await bigCommerceLevels()).toEqual({ ...before, 'CAP-NVY-OS': 70 });
    // Both callbacks (the hand count and the product's own write) reached the receiver; only the first was dispatched.
    const deliveries = await eventually(
      async () =>
        (await bigCommerce('GET', '/_control/webhooks')).body.deliveries as Array<{
          scope: string;
          hash: string;
          state: string;
          destination: string;
        }>,
      {
        until: (all) =>
          all.filter(
            (delivery) =>
              delivery.destination.endsWith(`/${tenantId}`) &&
              delivery.scope === 'store/product/inventory/updated' &&
              delivery.state === 'delivered',
          ).length === 2,
        what: 'both inventory callbacks delivered',
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    const callbacks = deliveries.filter(
      (delivery) => delivery.destination.endsWith(`/${tenantId}`) && delivery.scope === 'store/product/inventory/updated',
    );
    expect(dispatched.filter((event) => event.tenantId === tenantId).map((event) => event.deliveryId)).toEqual([callbacks[0]!.hash]);
  });

  it('when a BigCommerce product-updated webhook arrives then the product’s SKUs are brought in line: after one SKU drifted, only that one is written', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });
    const secret = await withWebhookSecret(tenantId);
    const first = await bigCommerceCallback(tenantId, secret, 'store/product/updated', { type: 'product', id: 111 });
    expect(first).toEqual({ status: 200, body: { outcome: 'signalled' } });
    const initial = await syncResult(tenantId, { kind: 'bigcommerceProduct', productId: '111' });
    expect(initial.skus.map((line) => [line.sku, line.outcome, line.to])).toEqual(
      expect.arrayContaining([
        ['TSHIRT-BLK-S', 'pushed', 50],
        ['TSHIRT-BLK-M', 'pushed', 132],
        ['TSHIRT-BLK-L', 'pushed', 93],
      ]),
    );
    await setBigCommerceLevel('TSHIRT-BLK-M', 1);
    const before = await bigCommerceLevels();
    const writes = await inventoryWrites();

    const handle = client.workflow.getHandle(inventorySkuSyncWorkflowId(tenantId, { kind: 'bigcommerceProduct', productId: '111' }));
    const firstRunId = (await handle.describe()).runId;

    const second = await bigCommerceCallback(tenantId, secret, 'store/product/updated', { type: 'product', id: 111 });
    expect(second).toEqual({ status: 200, body: { outcome: 'signalled' } });
    await eventually(() => handle.describe(), {
      until: (description) => description.runId !== firstRunId && description.status.name === 'COMPLETED',
      what: 'the second sync',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    const result = (await handle.result()) as InventorySkuSyncResult;

    expect(result.skus.filter((line) => line.outcome === 'pushed')).toEqual([
      { sku: 'TSHIRT-BLK-M', outcome: 'pushed', intacctItemId: 'TSHIRT-BLK-M', from: 1, to: 132 },
    ]);
    expect(
      result.skus
        .filter((line) => line.outcome !== 'pushed')
        .every((line) => line.outcome === 'unchanged' || line.outcome === 'notInIntacct'),
    ).toBe(true);
    expect(await bigCommerceLevels()).toEqual({ ...before, 'TSHIRT-BLK-M': 132 });
    expect(await inventoryWrites()).toBe(writes + 1);
  });

  it('when the warehouses table maps two store locations and the mug’s product webhook arrives, then each location gets its own warehouse’s stock', async () => {
    const tenantId = await tenant('bigcommerce', { enabled: true });
    const secret = await withWebhookSecret(tenantId);
    await mapStoreLocationsToSwappedWarehouses(fixture.database.db, tenantId);
    const mugAt = async () => {
      const answer = await bigCommerce('GET', '/stores/demostore/v3/inventory/items?sku:in=MUG-CER-12OZ&location_id:in=1,2');
      const [item] = answer.body.data as Array<{ locations: Array<{ location_id: number; total_inventory_onhand: number }> }>;
      return Object.fromEntries(item!.locations.map((location) => [location.location_id, location.total_inventory_onhand]));
    };
    const answer = await bigCommerce('PUT', '/stores/demostore/v3/inventory/adjustments/absolute', {
      reason: 'counted by hand',
      items: [
        { location_id: 1, sku: 'MUG-CER-12OZ', quantity: 7 },
        { location_id: 2, sku: 'MUG-CER-12OZ', quantity: 9 },
      ],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);

    expect((await bigCommerceCallback(tenantId, secret, 'store/product/updated', { type: 'product', id: 112 })).status).toBe(200);

    const result = await syncResult(tenantId, { kind: 'bigcommerceProduct', productId: '112' });
    expect(result.skus).toEqual([
      { sku: 'MUG-CER-12OZ', locationId: '1', outcome: 'pushed', intacctItemId: 'MUG-CER-12OZ', from: 7, to: 40 },
      { sku: 'MUG-CER-12OZ', locationId: '2', outcome: 'pushed', intacctItemId: 'MUG-CER-12OZ', from: 9, to: 120 },
    ]);
    expect(result.intacctTransactions).toBe(1);
    expect(await mugAt()).toEqual({ 1: 40, 2: 120 });
  });

  it('when inventory sync is off then a product webhook syncs nothing', async () => {
    const tenantId = await tenant('bigcommerce');
    const secret = await withWebhookSecret(tenantId);
    const writes = await inventoryWrites();

    expect((await bigCommerceCallback(tenantId, secret, 'store/product/updated', { type: 'product', id: 112 })).status).toBe(200);

    expect(await syncResult(tenantId, { kind: 'bigcommerceProduct', productId: '112' })).toMatchObject({
      outcome: 'disabled',
      skus: [],
      intacctTransactions: 0,
    });
    expect(await inventoryWrites()).toBe(writes);
  });

  it('when a Clarity product.updated webhook arrives then that SKU is corrected at once and no other', async () => {
    const tenantId = await tenant('clarity', { enabled: true });
    expect((await admin('POST', `/tenants/${tenantId}/webhooks/register`, { publicBaseUrl: server.url })).status).toBe(200);
    const storefront = await (await fixture.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected a Clarity tenant');
    const levels = async () =>
      Object.fromEntries((await storefront.client.listInventory({ limit: 200 })).items.map((level) => [level.sku, level.available]));

    const changed = await requestJson(`${fixture.sandboxes.clarity.url}/_sandbox/products/TSHIRT-BLK-M`, 'PATCH', {}, { available: 3 });
    expect(changed.status).toBe(200);
    const before = await levels();
    expect(before['TSHIRT-BLK-M']).toBe(3);

    const result = await syncResult(tenantId, { kind: 'sku', sku: 'TSHIRT-BLK-M' });
    expect(result).toMatchObject({ outcome: 'synced', rounds: 1, skus: [{ sku: 'TSHIRT-BLK-M', outcome: 'pushed', from: 3, to: 132 }] });
    expect(await levels()).toEqual({ ...before, 'TSHIRT-BLK-M': 132 });
  });
});
