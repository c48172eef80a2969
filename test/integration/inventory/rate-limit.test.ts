import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryActivities } from '../../../activities/inventory.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  inventoryReconcileWorkflowId,
  type InventoryReconcileInput,
  type InventoryReport,
} from '../../../workflows/inventory-reconcile-contract.js';
import { connectTestClient, uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

type SandboxState = {
  inventoryWrites: { committed: number; maxInFlight: number };
  rateLimit: { requestsPerWindow: number; windowMs: number; refused: number; peakInWindow: number };
};

/**
 * A reconciliation that needs more storefront requests than one rate-limit window allows
 * (BigCommerce's Standard plan: 150 per 30 s, the sandbox's default) stays inside the quota:
 * the store's limiter spaces the requests, so the store never answers 429.
 */
describe("InventoryReconcile and the storefront's rate limit", () => {
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let worker: RunningTestWorker;

  const control = async (base: string, method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${route}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    client = await connectTestClient(fixture.config);
    worker = await startTestWorker({
      config: fixture.config,
      workflowsPath: require.resolve('../../fixtures/workflows/inventory-reconcile.ts'),
      activities: createInventoryActivities({ db: fixture.database.db, connections: fixture.connections }),
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
    await fixture?.close();
  });

  it('when a run needs more requests than one window allows, then none is refused and no window admits more than the quota', async () => {
    const scale = 3000;
    await control(fixture.sandboxes.intacct.url, 'POST', '/__control/reset', { extraItems: scale });
    await control(fixture.sandboxes.bigcommerce.url, 'POST', '/_control/reset', { extraProducts: scale });
    const tenantId = await fixture.createTenant('bigcommerce');
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, inventory: { ...current.settings.inventory, enabled: true } },
      { expectedVersion: current.version, changedBy: 'test' },
    );

    // Small batches: about 33 writes and 2 reads a page, some 210 requests in all.
    const report: InventoryReport = await client.workflow.execute('inventoryReconcile', {
      workflowId: `${inventoryReconcileWorkflowId(tenantId)}:${uniqueId('run')}`,
      taskQueue: fixture.config.temporal.taskQueue,
      args: [{ tenantId, pageSize: 500, batchSize: 15 } satisfies InventoryReconcileInput],
    });

    const state = (await control(fixture.sandboxes.bigcommerce.url, 'GET', '/_control/state')) as SandboxState;
    const { requests } = (await control(fixture.sandboxes.bigcommerce.url, 'GET', '/_control/requests')) as {
      requests: Array<{ status: number }>;
    };
    expect(state.rateLimit).toMatchObject({ requestsPerWindow: 150, windowMs: 30_000 });
    expect(requests.length).toBeGreaterThan(state.rateLimit.requestsPerWindow);
    expect(requests.filter((request) => request.status === 429)).toEqual([]);
    expect(state.rateLimit.refused).toBe(0);
    expect(state.rateLimit.peakInWindow).toBeLessThanOrEqual(state.rateLimit.requestsPerWindow);
    expect(report).toMatchObject({ failed: 0, compared: scale + 7 });
    expect(state.inventoryWrites).toMatchObject({ committed: report.batches, maxInFlight: 1 });
  }, 300_000);
});
