import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  inventoryReconcileWorkflowId,
  type InventoryReconcileInput,
  type InventoryReport,
} from '../../../workflows/inventory-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import '../../support/quiet-runtime.js';
import { spawnWorkerProcess } from '../../support/test-worker.js';

type Adjustment = { transactionId: string; items: number; first: string; last: string };
type IntacctRequest = { fault?: string; functions: Array<{ name: string; controlId: string }> };

/**
 * The worker process dies with SIGKILL in the middle of a reconciliation, while it waits for
 * an Intacct stock page (the sandbox holds that answer back), several pages and one
 * continue-as-new into the run. A new worker process takes over once Temporal times the lost
 * read out: it resumes at that page, never reads an earlier page again, and never writes a
 * batch the dead worker had finished.
 */
describe('InventoryReconcile when the worker process is killed mid-run', () => {
  const scale = 6000;
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let child: ChildProcess | undefined;

  const control = async (base: string, method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${route}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  const intacct = () => fixture.sandboxes.intacct.url;
  const bigCommerce = () => fixture.sandboxes.bigcommerce.url;
  const adjustments = async () =>
    ((await control(bigCommerce(), 'GET', '/_control/inventory-adjustments')) as { adjustments: Adjustment[] }).adjustments;
  const stockPageReads = async () =>
    ((await control(intacct(), 'GET', '/__control/requests')) as { requests: IntacctRequest[] }).requests.flatMap((request) =>
      request.functions
        .filter((fn) => fn.name === 'query' && fn.controlId.startsWith('stock-page:'))
        .map((fn) => ({ controlId: fn.controlId, fault: request.fault })),
    );

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    client = await connectTestClient(fixture.config);
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await client?.close();
    await fixture?.close();
  });

  it('when SIGKILL hits while a stock page is being read, then a new worker resumes at that page and no finished batch is written twice', async () => {
    await control(intacct(), 'POST', '/__control/reset', { extraItems: scale });
    await control(bigCommerce(), 'POST', '/_control/reset', { extraProducts: scale });
    const tenantId = await fixture.createTenant('bigcommerce');
    const current = (await readSettings(fixture.database.db, tenantId))!;
    // A yearly schedule: the worker process writes the tenant's schedule, which must not start a run of its own here.
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, inventory: { ...current.settings.inventory, enabled: true, schedule: '0 3 1 1 *' } },
      { expectedVersion: current.version, changedBy: 'test' },
    );

    child = spawnWorkerProcess(fixture.config, fixture.sandboxes);
    const handle = await client.workflow.start('inventoryReconcile', {
      workflowId: `${inventoryReconcileWorkflowId(tenantId)}:${uniqueId('run')}`,
      taskQueue: fixture.config.temporal.taskQueue,
      args: [{ tenantId, pageSize: 1000, batchSize: 250, pagesPerRun: 2 } satisfies InventoryReconcileInput],
    });

    // Past the first continue-as-new (two pages of four batches each), hold the next stock page's answer back and kill the worker while it waits.
    await eventually(async () => (await adjustments()).length >= 10, { what: 'ten inventory adjustments written', timeoutMs: 120_000 });
    // 40 s: the kill must land while the answer is held, even on a machine slow to poll (still under the client's 45 s timeout).
    await control(intacct(), 'PUT', '/__control/faults', { rules: [{ kind: 'latency', function: 'query', latencyMs: 40_000, times: 1 }] });
    await eventually(async () => (await stockPageReads()).some((read) => read.fault === 'latency'), {
      what: 'a stock page read slowed by the latency fault',
      timeoutMs: 60_000,
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    const writtenBeforeKill = await adjustments();
    const readsBeforeKill = await stockPageReads();
    const heldPage = readsBeforeKill.find((read) => read.fault === 'latency')!.controlId;

    child = spawnWorkerProcess(fixture.config, fixture.sandboxes);
    const report = (await handle.result()) as InventoryReport;

    expect(report.generations).toBeGreaterThan(2);
    expect(report.failed).toBe(0);
    // Every batch written once: the dead worker's finished batches were not pushed again.
    const written = await adjustments();
    expect(written).toHaveLength(report.batches);
    expect(new Set(written.map((adjustment) => `${adjustment.first}..${adjustment.last}`)).size).toBe(report.batches);
    expect(written.slice(0, writtenBeforeKill.length)).toEqual(writtenBeforeKill);
    expect(written.reduce((sum, adjustment) => sum + adjustment.items, 0)).toBe(report.pushed);
    // Every page read once, but the one whose answer the kill lost: read again by the new worker, first.
    const reads = await stockPageReads();
    expect(reads).toHaveLength(report.pages + 1);
    expect(new Set(reads.map((read) => read.controlId)).size).toBe(report.pages);
    expect(reads[readsBeforeKill.length]!.controlId).toBe(heldPage);
    expect(reads.filter((read) => read.controlId === heldPage)).toHaveLength(2);
    // And the storefront ends exactly at Intacct's levels (index % 97 for the generated SKUs).
    const wrong: string[] = [];
    for (let first = 1; first <= scale; first += 250) {
      const skus = Array.from(
        { length: Math.min(250, scale - first + 1) },
        (_, offset) => `SKU-${String(first + offset).padStart(6, '0')}`,
      );
      const response = await fetch(
        `${bigCommerce()}/stores/demostore/v3/inventory/items?sku:in=${skus.join(',')}&location_id:in=1&limit=250`,
        { headers: { 'X-Auth-Token': 'demo-bc-token', accept: 'application/json' } },
      );
      const body = (await response.json()) as {
        data: Array<{ identity: { sku: string }; locations: Array<{ total_inventory_onhand: number }> }>;
      };
      for (const item of body.data)
        if (item.locations[0]!.total_inventory_onhand !== Number(item.identity.sku.slice(4)) % 97) wrong.push(item.identity.sku);
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
