import { afterAll, beforeAll, beforeEach } from 'vitest';
import { catalogSyncSchedule } from '../../schedules/catalog-sync.js';
import { ensureTenantSchedule } from '../../schedules/schedule-sync.js';
import type { CatalogSettings } from '../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { catalogSyncScheduleId, type CatalogSyncReport } from '../../workflows/catalog-sync-contract.js';
import { startOrderToCashStack, type OrderToCashStack } from './order-to-cash-stack.js';
import { runScheduleNow } from './scheduled-run.js';

/** A catalog suite's product stack, its tenants and the sandbox calls its tests make. */
export interface CatalogFixture {
  /** The product end to end: sandboxes, FerretDB, the API with its webhook receivers, a worker on the dev server. */
  stack: OrderToCashStack;
  /**
   * A tenant on the suite's storefront with `catalog.items` as given over the demo's, and its item
   * sync schedule on a cron that never fires by itself (runs come from {@link runCatalogSchedule});
   * with `webhooks`, registered for the sandbox's events the way an operator does it.
   */
  catalogTenant(items?: Partial<CatalogSettings['items']>, options?: { webhooks?: boolean }): Promise<string>;
  /** Triggers the tenant's item sync schedule and waits for the run it starts. */
  runCatalogSchedule(tenantId: string): Promise<CatalogSyncReport>;
  /** A call to the Intacct sandbox's `/__control` API; fails unless answered 2xx. */
  intacct(method: string, path: string, body?: unknown): Promise<any>;
  /** A call to the BigCommerce sandbox by its full path (`/_control/...`, or the store API as the demo app); fails unless 2xx. */
  bigCommerce(method: string, path: string, body?: unknown): Promise<any>;
  /** A call to the Clarity sandbox's `/_sandbox` control API; fails unless answered 2xx. */
  clarity(method: string, path: string, body?: unknown): Promise<any>;
  /** The Intacct sandbox's ITEM record for `itemId`, read without an API transaction. */
  intacctItem(itemId: string): Promise<Record<string, string> | undefined>;
  /** How many `item-create:{sku}` functions the Intacct sandbox answered with success. */
  itemCreates(sku: string): Promise<number>;
}

/** A JSON call that fails the test unless the sandbox answers 2xx: a control call that did not take proves nothing. */
async function sandboxCall(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * A catalog suite in its hooks: before all, the product stack; before each test, the Intacct and
 * `storefront` sandboxes back to their seed (each test makes its own tenant); after all, the
 * tenants' schedules deleted and the stack closed. `use` receives the fixture once it is started.
 *
 * @example
 * let catalog: CatalogFixture;
 * useCatalogFixture('clarity', (started) => (catalog = started));
 */
export function useCatalogFixture(storefront: 'bigcommerce' | 'clarity', use: (fixture: CatalogFixture) => void): void {
  let started: OrderToCashStack | undefined;
  let fixture: CatalogFixture | undefined;
  const schedules: string[] = [];

  beforeAll(async () => {
    const stack = await startOrderToCashStack();
    started = stack;
    const { intacct, bigcommerce, clarity } = stack.sandboxes;
    const catalog: CatalogFixture = {
      stack,
      async catalogTenant(items = {}, options = {}) {
        const { db } = stack.database;
        const tenantId = await stack.createTenant(storefront);
        const current = (await readSettings(db, tenantId))!;
        const { catalog } = current.settings;
        const settings = { ...current.settings, catalog: { ...catalog, items: { ...catalog.items, schedule: '0 3 1 1 *', ...items } } };
        await writeSettings(db, tenantId, settings, { expectedVersion: current.version, changedBy: 'test' });
        await ensureTenantSchedule(catalogSyncSchedule, stack.client, stack.config.temporal.taskQueue, tenantId, settings);
        schedules.push(catalogSyncScheduleId(tenantId));
        if (options.webhooks === true) await stack.registerWebhooks(tenantId);
        return tenantId;
      },
      runCatalogSchedule: (tenantId) => runScheduleNow<CatalogSyncReport>(stack.client, catalogSyncScheduleId(tenantId)),
      intacct: (method, path, body) => sandboxCall(`${intacct.url}/__control${path}`, method, body),
      bigCommerce: (method, path, body) =>
        sandboxCall(`${bigcommerce.url}${path}`, method, body, path.startsWith('/_control') ? {} : { 'x-auth-token': 'demo-bc-token' }),
      clarity: (method, path, body) => sandboxCall(`${clarity.url}/_sandbox${path}`, method, body),
      intacctItem: async (itemId) =>
        ((await catalog.intacct('GET', '/records/ITEM')) as { records: Array<Record<string, string>> }).records.find(
          (row) => row.ITEMID === itemId,
        ),
      itemCreates: async (sku) =>
        (
          (await catalog.intacct('GET', '/requests')) as { requests: Array<{ functions: Array<{ controlId: string; status: string }> }> }
        ).requests
          .flatMap((request) => request.functions)
          .filter((fn) => fn.controlId === `item-create:${sku}` && fn.status === 'success').length,
    };
    fixture = catalog;
    use(catalog);
  });

  beforeEach(async () => {
    if (fixture === undefined) return;
    await fixture.intacct('POST', '/reset', {});
    if (storefront === 'bigcommerce') await fixture.bigCommerce('POST', '/_control/reset');
    else await fixture.clarity('POST', '/reset');
  });

  afterAll(async () => {
    if (started === undefined) return;
    const { client } = started;
    await Promise.allSettled(schedules.map((id) => client.schedule.getHandle(id).delete()));
    await started.close();
  });
}
