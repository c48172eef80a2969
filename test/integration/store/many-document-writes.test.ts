import { afterEach, describe, expect, it } from 'vitest';
import { upsertMappingRows } from '../../../store/mappings.js';
import { recordOwnInventoryWrites } from '../../../store/own-inventory-writes.js';
import { markDeliveriesDispatched, recordDeliveries, webhookDeliveryId, type WebhookDelivery } from '../../../store/webhook-deliveries.js';
import { openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';

/**
 * Writes of many documents by key, against the run's FerretDB (PostgreSQL, or SQLite with
 * FERRETDB_BACKEND=sqlite). FerretDB 1.24 deadlocks a database on one `update` command of 100
 * statements that match: the command holds a backend connection per statement until it ends and needs one more, out of 100 (see
 * store/update-statements.ts). Afterwards nothing on that database answers until FerretDB
 * restarts; the webhook burst stalled so. Each case has a database of its own, so a deadlock in
 * one does not hang the others.
 */

const opened: Array<Awaited<ReturnType<typeof openTestDatabase>>> = [];
afterEach(async () => {
  // A deadlocked database never answers its drop: leave it to the run's end.
  await Promise.all(opened.splice(0).map((database) => within(10_000, database.drop())));
});

async function freshDatabase() {
  const database = await openTestDatabase(testConfig());
  opened.push(database);
  return database;
}

const timedOut = Symbol('timed out');
async function within<T>(ms: number, work: Promise<T>): Promise<T | typeof timedOut> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Well above the 100 that deadlocked it, as an intake's batches and an import are. */
const many = 150;

describe('writes of many documents by key on FerretDB', () => {
  it('when a burst of 150 recorded deliveries is marked dispatched at once then all are marked and the database still answers', async () => {
    const { db } = await freshDatabase();
    const tenantId = uniqueId('tenant');
    const deliveries = Array.from({ length: many }, (_, index) => ({
      tenantId,
      storefront: 'bigcommerce',
      deliveryId: `burst-${index}`,
      topic: 'store/order/created',
      entity: 'order',
      entityId: String(1000 + index),
      occurredAt: new Date().toISOString(),
    }));
    await recordDeliveries(
      db,
      deliveries.map((delivery) => ({ delivery, receivedAt: new Date() })),
    );

    expect(await within(20_000, markDeliveriesDispatched(db, deliveries))).not.toBe(timedOut);

    const records = db.collection<WebhookDelivery>('webhook_deliveries');
    const last = await within(5_000, records.findOne({ _id: webhookDeliveryId(deliveries.at(-1)!) }));
    expect(last).toMatchObject({ state: 'dispatched' });
    expect(await records.countDocuments({ tenantId, state: 'dispatched' })).toBe(many);
  });

  it('when 150 existing mapping rows are imported again then they are all updated and the database still answers', async () => {
    const { db } = await freshDatabase();
    const tenantId = uniqueId('tenant');
    const rows = (status: string) =>
      Array.from({ length: many }, (_, index) => ({
        key: `status-${index}`,
        row: { storefrontStatus: `status-${index}`, action: status },
      }));
    expect(await upsertMappingRows(db, tenantId, 'statuses', rows('ignore'), 'import')).toEqual({ created: many, updated: 0 });

    expect(await within(20_000, upsertMappingRows(db, tenantId, 'statuses', rows('post'), 'import'))).toEqual({
      created: 0,
      updated: many,
    });

    expect(await within(5_000, db.collection('mapping_rows').countDocuments({ tenantId, 'row.action': 'post' }))).toBe(many);
  });

  it('when 150 pushed levels are recorded twice in one minute then the second time moves them forward and the database still answers', async () => {
    const { db } = await freshDatabase();
    const tenantId = uniqueId('tenant');
    const items = Array.from({ length: many }, (_, index) => ({ productId: String(index) }));
    // Both pushes in the same minute, so the second one's insert is refused as duplicates.
    const first = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const second = new Date(first.getTime() + 30_000);
    await recordOwnInventoryWrites(db, tenantId, items, first);

    expect(await within(20_000, recordOwnInventoryWrites(db, tenantId, items, second))).not.toBe(timedOut);

    const moved = await within(5_000, db.collection('own_inventory_writes').countDocuments({ tenantId, writtenAt: second }));
    expect(moved).toBe(many);
  });
});
