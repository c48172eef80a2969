import { expect, describe, it } from 'vitest';
import { createPriceListSyncActivities } from '../../../activities/price-list-sync.js';
import { businessDateOf } from '../../../mappers/to-intacct-sales-document.js';
import { priceListSyncSchedule } from '../../../schedules/price-list-sync.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { recordManagedPriceRecords } from '../../../store/price-list-records.js';
import { readPriceListSyncState } from '../../../store/price-list-sync-state.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { priceListSyncWorkflowId, type PriceListSyncReport } from '../../../workflows/price-list-sync-contract.js';
import { nextScheduledRunResult, runScheduleNow } from '../../support/scheduled-run.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 20's price lists, end to end: the product's worker on the dev server, FerretDB, and the
 * Intacct and BigCommerce sandboxes over HTTP. Intacct price list entries (SOPRICELISTENTRY,
 * added as a person adds them) reach the BigCommerce price list the tenant maps their list to,
 * on the tenant's price list schedule; the store's request log proves each change costs one
 * record in one upsert, and a run with nothing changed writes nothing.
 */
describe('price list sync: Intacct price list entries → BigCommerce price list records on the schedule', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  /** The BigCommerce sandbox's seeded price list (Wholesale, customer group 2). */
  const wholesale = 1;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: async (started, tenant) => {
        const current = (await readSettings(started.database.db, tenant))!;
        // A schedule that never fires on its own: runs come from `runSchedule`.
        const items = {
          ...current.settings.catalog.items,
          enabled: true,
          schedule: '0 3 1 1 *',
          priceLists: { WHOLESALE: String(wholesale) },
        };
        const settings = { ...current.settings, catalog: { ...current.settings.catalog, items } };
        await writeSettings(started.database.db, tenant, settings, { expectedVersion: current.version, changedBy: 'test' });
        await ensureTenantSchedule(priceListSyncSchedule, started.client, started.config.temporal.taskQueue, tenant, settings);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  /** Triggers the tenant's price list schedule and waits for the run it starts. */
  const runSchedule = () => runScheduleNow<PriceListSyncReport>(stack.client, priceListSyncWorkflowId(tenantId));
  const recordUpserts = async () => {
    const response = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/requests`);
    const { requests } = (await response.json()) as { requests: Array<{ method: string; path: string; status: number }> };
    return requests.filter((request) => request.method === 'PUT' && request.path.endsWith(`/v3/pricelists/${wholesale}/records`)).length;
  };
  const storePrices = async () => {
    const { body } = await stack.bigCommerce('GET', `/v3/pricelists/${wholesale}/records?sku:in=TSHIRT-BLK-M,TSHIRT-BLK-S,MUG-CER-12OZ`);
    return Object.fromEntries((body as { data: Array<{ sku: string; price: number }> }).data.map((record) => [record.sku, record.price]));
  };
  /** The sandbox's price record writes on the wholesale list, upserts and deletes, in order. */
  const recordWrites = async () => {
    const response = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/requests`);
    const { requests } = (await response.json()) as { requests: Array<{ method: string; path: string }> };
    return requests
      .filter((request) => request.method !== 'GET' && request.path.endsWith(`/v3/pricelists/${wholesale}/records`))
      .map((request) => request.method);
  };
  /** A run now through the admin API over every entry: a reconciliation. */
  const runFull = async () => {
    expect((await stack.admin('POST', `/tenants/${tenantId}/catalog/price-lists/sync`, { full: true })).status).toBe(202);
    return (await stack.client.workflow.getHandle(`price-list-sync:${tenantId}:full`).result()) as PriceListSyncReport;
  };
  /** The next local day comes: the day's first scheduled run reconciles again (the tenant's hour is 0). */
  const dayTurns = () =>
    stack.database.db.collection('price_list_sync_state').updateOne({ _id: tenantId as never }, { $set: { reconciledOn: '2000-01-01' } });
  const addEntry = (fields: Record<string, string>) =>
    stack.intacctControl('POST', '/records/SOPRICELISTENTRY', {
      fields: { VALUETYPE: 'Actual', QTYLIMITMIN: '', DATEFROM: '', DATETO: '', STATUS: 'active', ...fields },
    });

  it('when an Intacct price list entry changes, then its price record is written once, and a run with nothing changed writes nothing', async () => {
    await addEntry({ PRICELISTID: 'WHOLESALE', ITEMID: 'TSHIRT-BLK-M', VALUE: '19.50' });
    await addEntry({ PRICELISTID: 'WHOLESALE', ITEMID: 'MUG-CER-12OZ', VALUE: '11' });
    // Ten percent off is not a price a record can hold; an unmapped list is not read at all.
    await addEntry({ PRICELISTID: 'WHOLESALE', ITEMID: 'TSHIRT-BLK-S', VALUETYPE: 'Percent Off', VALUE: '10' });
    await addEntry({ PRICELISTID: 'RETAIL-EU', ITEMID: 'TSHIRT-BLK-M', VALUE: '30' });

    const first = await runSchedule();
    expect(first).toMatchObject({
      tenantId,
      outcome: 'completed',
      intacctEntries: 3,
      recordsWritten: 2,
      recordBatches: 1,
      skipped: 1,
      failed: 0,
      pages: 1,
      intacctTransactions: 1,
    });
    expect(await storePrices()).toEqual({ 'TSHIRT-BLK-M': 19.5, 'MUG-CER-12OZ': 11 });

    await stack.intacctControl('PATCH', '/records/SOPRICELISTENTRY/WHOLESALE@TSHIRT-BLK-M', { fields: { VALUE: '18.25' } });
    const upsertsBefore = await recordUpserts();
    const second = await runSchedule();
    expect(second).toMatchObject({ outcome: 'completed', recordsWritten: 1, recordBatches: 1, unchanged: 1, skipped: 1, failed: 0 });
    expect(await recordUpserts()).toBe(upsertsBefore + 1);
    expect(await storePrices()).toEqual({ 'TSHIRT-BLK-M': 18.25, 'MUG-CER-12OZ': 11 });

    const third = await runSchedule();
    expect(third).toMatchObject({ outcome: 'completed', recordsWritten: 0, recordBatches: 0, failed: 0 });
    expect(third.unchanged).toBeGreaterThan(0);
    expect(await recordUpserts()).toBe(upsertsBefore + 1);
    expect((await readPriceListSyncState(stack.database.db, tenantId))?.lastReport).toEqual(third);
  });

  it('when an operator asks for a price list sync now through the admin API, then the schedule runs it, and full re-reads every entry writing only differences', async () => {
    await stack.intacctControl('PATCH', '/records/SOPRICELISTENTRY/WHOLESALE@MUG-CER-12OZ', { fields: { VALUE: '10.75' } });
    const upsertsBefore = await recordUpserts();
    const handle = stack.client.schedule.getHandle(priceListSyncWorkflowId(tenantId));
    const actionsBefore = (await handle.describe()).info.recentActions.length;

    const now = await stack.admin('POST', `/tenants/${tenantId}/catalog/price-lists/sync`, {});
    expect(now).toMatchObject({ status: 202, body: { scheduleId: priceListSyncWorkflowId(tenantId), outcome: 'started' } });
    const run = await nextScheduledRunResult<PriceListSyncReport>(stack.client, priceListSyncWorkflowId(tenantId), actionsBefore);
    expect(run).toMatchObject({ outcome: 'completed', recordsWritten: 1, recordBatches: 1, failed: 0 });
    expect(run.modifiedSince).toBeDefined();
    expect(await storePrices()).toMatchObject({ 'MUG-CER-12OZ': 10.75 });
    expect(await recordUpserts()).toBe(upsertsBefore + 1);

    const full = await stack.admin('POST', `/tenants/${tenantId}/catalog/price-lists/sync`, { full: true });
    expect(full).toMatchObject({ status: 202, body: { workflowId: `price-list-sync:${tenantId}:full`, outcome: 'started' } });
    const report = (await stack.client.workflow.getHandle(`price-list-sync:${tenantId}:full`).result()) as PriceListSyncReport;
    expect(report).toMatchObject({ outcome: 'completed', intacctEntries: 3, recordsWritten: 0, recordBatches: 0, skipped: 1, failed: 0 });
    expect(report.modifiedSince).toBeUndefined();
    expect(await recordUpserts()).toBe(upsertsBefore + 1);

    const state = await stack.admin('GET', `/tenants/${tenantId}/catalog/price-lists/sync`);
    expect(state).toMatchObject({ status: 200, body: { lastReport: { runId: report.runId, recordsWritten: 0 } } });
    expect(state.body.modifiedSince).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });

  it('when a synced Intacct entry becomes inactive, then the next run deletes its store record once, and a further run deletes nothing', async () => {
    const recordDeletes = async () => {
      const response = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/requests`);
      const { requests } = (await response.json()) as { requests: Array<{ method: string; path: string }> };
      return requests.filter((request) => request.method === 'DELETE' && request.path.endsWith(`/v3/pricelists/${wholesale}/records`))
        .length;
    };
    expect(await storePrices()).toMatchObject({ 'MUG-CER-12OZ': 10.75 });
    await stack.intacctControl('PATCH', '/records/SOPRICELISTENTRY/WHOLESALE@MUG-CER-12OZ', { fields: { STATUS: 'inactive' } });
    const deletesBefore = await recordDeletes();

    const withdrawn = await runSchedule();
    // One page of changed entries, then one read of every entry Intacct still holds for the item.
    expect(withdrawn).toMatchObject({
      outcome: 'completed',
      recordsDeleted: 1,
      recordsWritten: 0,
      failed: 0,
      intacctTransactions: 2,
    });
    expect(await recordDeletes()).toBe(deletesBefore + 1);
    expect(await storePrices()).toEqual({ 'TSHIRT-BLK-M': 18.25 });

    const again = await runSchedule();
    expect(again).toMatchObject({ outcome: 'completed', recordsDeleted: 0, recordsWritten: 0, failed: 0 });
    const full = await stack.admin('POST', `/tenants/${tenantId}/catalog/price-lists/sync`, { full: true });
    expect(full.status).toBe(202);
    const fullReport = (await stack.client.workflow.getHandle(`price-list-sync:${tenantId}:full`).result()) as PriceListSyncReport;
    expect(fullReport).toMatchObject({ outcome: 'completed', recordsDeleted: 0, recordsWritten: 0, failed: 0 });
    expect(await recordDeletes()).toBe(deletesBefore + 1);
    expect(await storePrices()).toEqual({ 'TSHIRT-BLK-M': 18.25 });
  });

  it('when an entry is deleted in Intacct, then the modified-since poll leaves its record, the next day’s first run deletes it with one DELETE, and a second full run writes nothing', async () => {
    expect(await storePrices()).toEqual({ 'TSHIRT-BLK-M': 18.25 });
    // A record someone keeps by hand, for a SKU no Intacct entry prices: never the product's to delete.
    expect(
      (await stack.bigCommerce('PUT', `/v3/pricelists/${wholesale}/records`, [{ sku: 'CAP-NVY-OS', currency: 'USD', price: 7 }])).status,
    ).toBe(200);
    expect(await stack.intacctControl('DELETE', '/records/SOPRICELISTENTRY/WHOLESALE@TSHIRT-BLK-M')).toBeUndefined();
    const writesBefore = await recordWrites();

    const polled = await runSchedule();
    expect(polled).toMatchObject({ outcome: 'completed', recordsDeleted: 0, recordsWritten: 0 });
    expect(polled.reconciled).toBeUndefined();
    expect(await storePrices()).toEqual({ 'TSHIRT-BLK-M': 18.25 });

    await dayTurns();
    const reconciled = await runSchedule();
    // One page of every entry, then one read of what Intacct still holds for the unconfirmed record's item.
    expect(reconciled).toMatchObject({
      outcome: 'completed',
      reconciled: true,
      recordsDeleted: 1,
      recordsWritten: 0,
      failed: 0,
      intacctTransactions: 2,
    });
    expect(reconciled.modifiedSince).toBeUndefined();
    expect(await recordWrites()).toEqual([...writesBefore, 'DELETE']);
    expect(await storePrices()).toEqual({});
    const { body } = await stack.bigCommerce('GET', `/v3/pricelists/${wholesale}/records?sku:in=CAP-NVY-OS`);
    expect((body as { data: Array<{ sku: string; price: number }> }).data).toMatchObject([{ sku: 'CAP-NVY-OS', price: 7 }]);

    const again = await runFull();
    expect(again).toMatchObject({ outcome: 'completed', reconciled: true, recordsDeleted: 0, recordsWritten: 0, failed: 0 });
    expect(await recordWrites()).toEqual([...writesBefore, 'DELETE']);
  });

  it('when an entry’s DATEFROM arrives without anyone modifying it, then the day’s reconciliation writes its record once, and a second full run writes nothing', async () => {
    const { settings } = (await readSettings(stack.database.db, tenantId))!;
    const [year, month, day] = businessDateOf(new Date().toISOString(), settings.timezone).split('-');
    // Entered long ago, in effect from today: older than the watermark, so no poll reads it.
    await addEntry({
      PRICELISTID: 'WHOLESALE',
      ITEMID: 'HOODIE-GRY-L',
      VALUE: '41',
      DATEFROM: `${month}/${day}/${year}`,
      WHENMODIFIED: '01/02/2020 08:00:00',
    });
    const writesBefore = await recordWrites();

    const polled = await runSchedule();
    expect(polled).toMatchObject({ outcome: 'completed', recordsWritten: 0 });
    expect(polled.reconciled).toBeUndefined();
    expect(await recordWrites()).toEqual(writesBefore);
    const { body: before } = await stack.bigCommerce('GET', `/v3/pricelists/${wholesale}/records?sku:in=HOODIE-GRY-L`);
    expect((before as { data: unknown[] }).data).toEqual([]);

    await dayTurns();
    const reconciled = await runSchedule();
    expect(reconciled).toMatchObject({
      outcome: 'completed',
      reconciled: true,
      recordsWritten: 1,
      recordBatches: 1,
      recordsDeleted: 0,
      failed: 0,
    });
    expect(await recordWrites()).toEqual([...writesBefore, 'PUT']);
    const { body } = await stack.bigCommerce('GET', `/v3/pricelists/${wholesale}/records?sku:in=HOODIE-GRY-L`);
    expect((body as { data: Array<{ sku: string; price: number }> }).data).toMatchObject([{ sku: 'HOODIE-GRY-L', price: 41 }]);

    const again = await runFull();
    expect(again).toMatchObject({ outcome: 'completed', reconciled: true, recordsWritten: 0, recordsDeleted: 0, unchanged: 1, failed: 0 });
    expect(await recordWrites()).toEqual([...writesBefore, 'PUT']);
    expect((await readPriceListSyncState(stack.database.db, tenantId))?.reconciledOn).toBe(`${year}-${month}-${day}`);
  });

  it('when a reconciliation takes the managed records a few at a time, then each pass confirms or deletes what it takes, and a list no longer mapped is left alone', async () => {
    const { reconcilePriceRecords } = createPriceListSyncActivities({ db: stack.database.db, connections: stack.connections });
    // Records the product wrote earlier whose entries are gone, and one on a list the tenant no longer maps.
    const orphans = [
      { sku: 'TSHIRT-BLK-L', currency: 'USD', price: 20 },
      { sku: 'TSHIRT-WHT-M', currency: 'USD', price: 22 },
    ];
    expect((await stack.bigCommerce('PUT', `/v3/pricelists/${wholesale}/records`, orphans)).status).toBe(200);
    await recordManagedPriceRecords(stack.database.db, tenantId, [
      ...orphans.map(({ sku }) => ({ priceListId: wholesale, sku, itemId: sku })),
      { priceListId: 99, sku: 'CAP-NVY-OS', itemId: 'CAP-NVY-OS' },
    ]);
    const writesBefore = await recordWrites();

    const passes = [];
    for (let pass = 0; pass < 6; pass += 1) {
      const result = await reconcilePriceRecords({ tenantId, runId: `passes-${tenantId}`, limit: 1 });
      passes.push(result);
      if (result.done) break;
    }
    // By key: HOODIE-GRY-L, which its entry in effect still backs, then the two orphans; then none left.
    expect(passes.map(({ confirmed, deleted, alreadyGone, done }) => ({ confirmed, deleted, alreadyGone, done }))).toEqual([
      { confirmed: 1, deleted: 0, alreadyGone: 0, done: false },
      { confirmed: 0, deleted: 1, alreadyGone: 0, done: false },
      { confirmed: 0, deleted: 1, alreadyGone: 0, done: false },
      { confirmed: 0, deleted: 0, alreadyGone: 0, done: true },
    ]);
    expect(await recordWrites()).toEqual([...writesBefore, 'DELETE', 'DELETE']);
    const { body } = await stack.bigCommerce(
      'GET',
      `/v3/pricelists/${wholesale}/records?sku:in=TSHIRT-BLK-L,TSHIRT-WHT-M,HOODIE-GRY-L,CAP-NVY-OS`,
    );
    expect((body as { data: Array<{ sku: string }> }).data.map((record) => record.sku).sort()).toEqual(['CAP-NVY-OS', 'HOODIE-GRY-L']);
    const unmapped = await stack.database.db.collection('price_list_records').findOne({ _id: `${tenantId}:99:CAP-NVY-OS` as never });
    expect(unmapped).toMatchObject({ sku: 'CAP-NVY-OS', priceListId: 99 });
  });

  it('when the price list sync is off for the tenant, then run-now is refused with the reason and nothing starts', async () => {
    const current = (await readSettings(stack.database.db, tenantId))!;
    const items = { ...current.settings.catalog.items, priceLists: {} };
    await writeSettings(
      stack.database.db,
      tenantId,
      { ...current.settings, catalog: { ...current.settings.catalog, items } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const refused = await stack.admin('POST', `/tenants/${tenantId}/catalog/price-lists/sync`, {});
    expect(refused).toMatchObject({
      status: 409,
      body: {
        error: { code: 'price_list_sync_disabled', message: expect.stringContaining('catalog.items.priceLists maps no price list') },
      },
    });
    expect((await stack.admin('POST', `/tenants/${tenantId}/catalog/price-lists/sync`, { full: 'yes' })).status).toBe(400);
  });
});
