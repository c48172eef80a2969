import { createRequire } from 'node:module';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInventoryActivities } from '../../../activities/inventory.js';
import { intacctUsageMonth, saveIntacctUsageTally } from '../../../store/intacct-usage.js';
import { listInventoryReports } from '../../../store/inventory-reports.js';
import { upsertMappingRows } from '../../../store/mappings.js';
import { wasWrittenByUs } from '../../../store/own-inventory-writes.js';
import type { TenantSettings } from '../../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  inventoryReconcileWorkflowId,
  type InventoryReconcileInput,
  type InventoryReport,
  type PushInventoryBatchInput,
} from '../../../workflows/inventory-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import type { StorefrontKind } from '../../../mappers/canonical-order.js';
import { mapStoreLocationsToSwappedWarehouses } from '../../support/inventory-fixtures.js';

/**
 * InventoryReconcile end to end: the real workflow and activities on the dev server, FerretDB
 * and the three sandboxes. Levels are checked through the storefront's own API afterwards.
 */
const require = createRequire(import.meta.url);

/** Intacct's demo stock (WH01 + WH02, nothing on hold) of the SKUs the BigCommerce demo store tracks. */
const demoAvailability: Record<string, number> = {
  'TSHIRT-BLK-S': 50,
  'TSHIRT-BLK-M': 132,
  'TSHIRT-BLK-L': 93,
  'TSHIRT-WHT-M': 65,
  'HOODIE-GRY-L': 31,
  'MUG-CER-12OZ': 160,
  'CAP-NVY-OS': 70,
};
/** Intacct items with stock rows in the demo company (4 own, 10 the storefronts', 1 inactive poster). */
const demoIntacctItems = 15;

describe('InventoryReconcile against the sandboxes', () => {
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let workflowBundle: WorkflowBundleWithSourceMap;
  let worker: RunningTestWorker;
  /** Sizes of the batches the push activity was given, in order. */
  let pushedBatchSizes: number[];

  const bigCommerce = () => fixture.sandboxes.bigcommerce.url;
  const startWorker = () => {
    const activities = createInventoryActivities({ db: fixture.database.db, connections: fixture.connections });
    return startTestWorker({
      config: fixture.config,
      workflowBundle,
      activities: {
        ...activities,
        pushInventoryBatch: (input: PushInventoryBatchInput) => {
          pushedBatchSizes.push(input.levels.length);
          return activities.pushInventoryBatch(input);
        },
      },
    });
  };

  const control = async (base: string, method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : await response.json();
  };

  const resetSandboxes = async (scale: number) => {
    await control(fixture.sandboxes.intacct.url, 'POST', '/__control/reset', scale > 0 ? { extraItems: scale } : {});
    await control(bigCommerce(), 'POST', '/_control/reset', scale > 0 ? { extraProducts: scale } : {});
    await control(fixture.sandboxes.clarity.url, 'POST', '/_sandbox/reset');
  };

  /** A tenant with inventory sync on, `inventory` overriding the defaults. */
  const inventoryTenant = async (inventory: Partial<TenantSettings['inventory']> = {}, storefront: StorefrontKind = 'bigcommerce') => {
    const tenantId = await fixture.createTenant(storefront);
    const current = await readSettings(fixture.database.db, tenantId);
    const settings = current!.settings;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...settings, inventory: { ...settings.inventory, enabled: true, ...inventory } },
      { expectedVersion: current!.version, changedBy: 'test' },
    );
    return tenantId;
  };

  const reconcile = async (tenantId: string, options: Omit<InventoryReconcileInput, 'tenantId'> = {}): Promise<InventoryReport> =>
    client.workflow.execute('inventoryReconcile', {
      workflowId: `${inventoryReconcileWorkflowId(tenantId)}:${uniqueId('run')}`,
      taskQueue: fixture.config.temporal.taskQueue,
      args: [{ tenantId, ...options }],
    });

  /** Every tracked SKU's on-hand level at a location (the default one unless named), read through the V3 API. */
  const storefrontLevels = async (locationId = 1): Promise<Map<string, number>> => {
    const levels = new Map<string, number>();
    for (let page = 1; ; page += 1) {
      const response = await fetch(
        `${bigCommerce()}/stores/demostore/v3/inventory/items?location_id:in=${locationId}&limit=1000&page=${page}`,
        {
          headers: { 'X-Auth-Token': 'demo-bc-token', accept: 'application/json' },
        },
      );
      const body = (await response.json()) as {
        data: Array<{ identity: { sku: string }; locations: Array<{ total_inventory_onhand: number }> }>;
        meta: { pagination: { total_pages: number } };
      };
      for (const item of body.data) levels.set(item.identity.sku, item.locations[0]!.total_inventory_onhand);
      if (page >= body.meta.pagination.total_pages) return levels;
    }
  };

  const inventoryWrites = async () =>
    (
      (await control(bigCommerce(), 'GET', '/_control/requests')) as { requests: Array<{ method: string; path: string; status: number }> }
    ).requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/v3/inventory/adjustments/absolute'));
  const maxWritesInFlight = async () =>
    ((await control(bigCommerce(), 'GET', '/_control/state')) as { inventoryWrites: { maxInFlight: number } }).inventoryWrites.maxInFlight;

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    client = await connectTestClient(fixture.config);
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../fixtures/workflows/inventory-reconcile.ts') });
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker?.stop();
    await client?.close();
    await fixture?.close();
  });

  beforeEach(async () => {
    pushedBatchSizes = [];
    await resetSandboxes(0);
  });

  it('when the storefront drifted, then every synced SKU ends at Intacct availability and the webhooks of those writes are known as ours', async () => {
    const tenantId = await inventoryTenant();

    const report = await reconcile(tenantId);

    const levels = await storefrontLevels();
    expect(Object.fromEntries(Object.keys(demoAvailability).map((sku) => [sku, levels.get(sku)]))).toEqual(demoAvailability);
    expect(report).toMatchObject({
      tenantId,
      storefront: 'bigcommerce',
      outcome: 'completed',
      pages: 1,
      intacctItems: demoIntacctItems,
      compared: 7,
      changed: 7,
      pushed: 7,
      failed: 0,
      unmapped: 0,
      filtered: 0,
      notInStorefront: 8,
      batches: 1,
      intacctTransactions: 1,
    });
    expect(report.largestDrifts.slice(0, 2)).toEqual([
      { sku: 'TSHIRT-BLK-M', from: 55, to: 132 },
      { sku: 'TSHIRT-BLK-L', from: 30, to: 93 },
    ]);
    // Variant-tracked tee (product 111, variant 201) and product-tracked mug (112), as their webhooks name them.
    expect(await wasWrittenByUs(fixture.database.db, tenantId, { productId: '111', variantId: '201' }, 60_000)).toBe(true);
    expect(await wasWrittenByUs(fixture.database.db, tenantId, { productId: '112' }, 60_000)).toBe(true);
    expect(await wasWrittenByUs(fixture.database.db, tenantId, { productId: '115' }, 60_000)).toBe(false);
    expect(await listInventoryReports(fixture.database.db, tenantId)).toEqual([report]);
  });

  it('when nothing changed since the last run, then the second run writes nothing', async () => {
    const tenantId = await inventoryTenant();
    await reconcile(tenantId);
    const writesBefore = (await inventoryWrites()).length;

    const second = await reconcile(tenantId);

    expect(second).toMatchObject({ compared: 7, changed: 0, pushed: 0, batches: 0 });
    expect((await inventoryWrites()).length).toBe(writesBefore);
    expect((await listInventoryReports(fixture.database.db, tenantId)).map((report) => report.runId)).toEqual([
      second.runId,
      expect.any(String),
    ]);
  });

  it('when settings hold stock back and filter SKUs, then only listed SKUs get availability minus safety stock, and unmapped and filtered items are reported', async () => {
    const tenantId = await inventoryTenant({
      safetyStock: 5,
      warehouseIds: ['WH01'],
      skus: { mode: 'list', skus: ['TSHIRT-BLK-S', 'CAP-NVY-OS'] },
    });
    // The cap is sold from Intacct's WIDGET-1 stock, so the item CAP-NVY-OS has no storefront SKU left.
    await upsertMappingRows(
      fixture.database.db,
      tenantId,
      'items',
      [{ key: 'CAP-NVY-OS', row: { storefrontSku: 'CAP-NVY-OS', intacctItemId: 'WIDGET-1' } }],
      'test',
    );

    const report = await reconcile(tenantId);

    const levels = await storefrontLevels();
    expect([levels.get('TSHIRT-BLK-S'), levels.get('CAP-NVY-OS'), levels.get('TSHIRT-BLK-M')]).toEqual([40 - 5, 120 - 5, 55]);
    expect(report).toMatchObject({
      compared: 2,
      changed: 2,
      pushed: 2,
      unmapped: 1,
      unmappedSamples: ['CAP-NVY-OS'],
      filtered: demoIntacctItems - 3,
      notInStorefront: 0,
    });
  });

  it('when the warehouses table maps storefront locations, then each location gets the stock of the Intacct warehouses mapped to it', async () => {
    const tenantId = await inventoryTenant();
    await mapStoreLocationsToSwappedWarehouses(fixture.database.db, tenantId);

    const report = await reconcile(tenantId);

    const skus = ['TSHIRT-BLK-S', 'TSHIRT-BLK-M', 'TSHIRT-BLK-L', 'TSHIRT-WHT-M', 'HOODIE-GRY-L', 'MUG-CER-12OZ', 'CAP-NVY-OS'];
    const at = async (locationId: number) => {
      const levels = await storefrontLevels(locationId);
      return skus.map((sku) => levels.get(sku));
    };
    // Intacct's WH02 and WH01 rows of those items (the cap has no WH02 row: nothing to sell there).
    expect(await at(1)).toEqual([10, 12, 8, 5, 6, 40, 0]);
    expect(await at(2)).toEqual([40, 120, 85, 60, 25, 120, 70]);
    expect(report).toMatchObject({ outcome: 'completed', compared: 14, failed: 0 });
    expect(report.pushed).toBe(report.changed);

    const again = await reconcile(tenantId);
    expect(again).toMatchObject({ compared: 14, changed: 0, pushed: 0, batches: 0 });
  });

  it('when the storefront is Clarity, then changed SKUs are written in one keyed batch and every level equals Intacct availability', async () => {
    const tenantId = await inventoryTenant({}, 'clarity');

    const report = await reconcile(tenantId);

    const storefront = await (await fixture.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected a Clarity tenant');
    const levels = new Map((await storefront.client.listInventory({ limit: 200 })).items.map((level) => [level.sku, level.available]));
    const expected = {
      'TSHIRT-BLK-M': 132,
      'TSHIRT-BLK-L': 93,
      'TSHIRT-WHT-M': 65,
      'HOODIE-GRY-L': 31,
      'MUG-WHT-11OZ': 224,
      'MUG-BLK-15OZ': 40,
      'CAP-NVY-OS': 70,
      'TOTE-NAT-OS': 180,
    };
    expect(Object.fromEntries(Object.keys(expected).map((sku) => [sku, levels.get(sku)]))).toEqual(expected);
    expect(report).toMatchObject({ storefront: 'clarity', failed: 0, batches: 1 });
    expect(report.pushed).toBe(report.changed);
    const requests = (
      (await control(fixture.sandboxes.clarity.url, 'GET', '/_sandbox/requests')) as {
        data: Array<{ method: string; path: string; idempotencyKey?: string }>;
      }
    ).data;
    expect(
      requests
        .filter((request) => request.method === 'POST' && request.path.includes('inventory:batch'))
        .map((request) => request.idempotencyKey),
    ).toEqual([`inventory:${report.runId}:1:0`]);
  });

  it('when inventory sync is off, then nothing is read or written and the report says so', async () => {
    const tenantId = await fixture.createTenant('bigcommerce');

    const report = await reconcile(tenantId);

    expect(report).toMatchObject({ outcome: 'disabled', pages: 0, pushed: 0, intacctTransactions: 0 });
    expect(await inventoryWrites()).toEqual([]);
  });

  it('when the month has reached the Intacct budget’s soft limit, then the run is deferred: nothing is read or written and the report says why', async () => {
    const tenantId = await inventoryTenant();
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, intacctBudget: { monthlyTransactions: 100, alertAtPercent: [80], deferNonUrgentAtPercent: 90 } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const month = intacctUsageMonth(new Date());
    await saveIntacctUsageTally(fixture.database.db, {
      tenantId,
      month,
      process: 'another-worker',
      transactions: 95,
      byFunction: {},
      updatedAt: new Date(),
    });

    const report = await reconcile(tenantId);

    expect(report).toMatchObject({ outcome: 'deferred', pages: 0, pushed: 0, intacctTransactions: 0 });
    expect(report.note).toContain(`95 Intacct transactions spent in ${month}, at or past the soft limit of 90`);
    expect(await inventoryWrites()).toEqual([]);
    expect((await listInventoryReports(fixture.database.db, tenantId, 1))[0]).toMatchObject({ outcome: 'deferred' });
  });

  it('when the catalogue has 10,000 SKUs, then it is reconciled in batches of at most 2,000, one write in flight at a time, with bounded history', async () => {
    const scale = 10_000;
    await resetSandboxes(scale);
    const tenantId = await inventoryTenant();
    const started = performance.now();

    const report = await reconcile(tenantId);

    const elapsedMs = Math.round(performance.now() - started);
    console.info(
      `inventory reconcile, ${scale} SKUs: ${elapsedMs} ms (report ${report.durationMs} ms, ${report.pages} pages, ${report.batches} batches, ${report.generations} runs)`,
    );
    const levels = await storefrontLevels();
    const wrong = Array.from({ length: scale }, (_, index) => index + 1).filter(
      (index) => levels.get(`SKU-${String(index).padStart(6, '0')}`) !== index % 97,
    );
    expect(wrong).toEqual([]);
    const drifted = Array.from({ length: scale }, (_, index) => index + 1).filter((index) => index % 97 !== index % 89).length;
    expect(report).toMatchObject({
      intacctItems: scale + demoIntacctItems,
      compared: scale + 7,
      changed: drifted + 7,
      pushed: drifted + 7,
      failed: 0,
    });
    expect(report.pages).toBeGreaterThanOrEqual(Math.ceil((scale + 30) / 2000));
    expect(report.generations).toBeGreaterThan(1);
    expect(Math.max(...pushedBatchSizes)).toBeLessThanOrEqual(2000);
    expect(pushedBatchSizes.reduce((sum, size) => sum + size, 0)).toBe(report.pushed);
    expect((await inventoryWrites()).length).toBe(report.batches);
    expect(await maxWritesInFlight()).toBe(1);
    expect(report.largestDrifts).toHaveLength(20);
  });

  it('when the worker is replaced mid-run, then the new one resumes at the batch reached and no finished batch is written twice', async () => {
    const scale = 3000;
    await resetSandboxes(scale);
    const tenantId = await inventoryTenant();
    const handle = await client.workflow.start('inventoryReconcile', {
      workflowId: `${inventoryReconcileWorkflowId(tenantId)}:${uniqueId('run')}`,
      taskQueue: fixture.config.temporal.taskQueue,
      args: [{ tenantId, pageSize: 1000, batchSize: 250, pagesPerRun: 1 } satisfies InventoryReconcileInput],
    });

    // Stop the only worker once a few batches are written: the run waits, half done, with no worker at all.
    await eventually(async () => (await inventoryWrites()).length >= 3, { what: 'three inventory batches written', intervalMs: 50 });
    await worker.stop();
    const writtenBeforeStop = (await inventoryWrites()).length;
    expect(writtenBeforeStop).toBeGreaterThanOrEqual(3);
    worker = await startWorker();
    const report = (await handle.result()) as InventoryReport;

    expect(report.batches).toBeGreaterThan(writtenBeforeStop);
    expect((await inventoryWrites()).length).toBe(report.batches);
    expect(pushedBatchSizes).toHaveLength(report.batches);
    expect(report.generations).toBe(report.pages);
    const levels = await storefrontLevels();
    const wrong = Array.from({ length: scale }, (_, index) => index + 1).filter(
      (index) => levels.get(`SKU-${String(index).padStart(6, '0')}`) !== index % 97,
    );
    expect(wrong).toEqual([]);
  });
});
