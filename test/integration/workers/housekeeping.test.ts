import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { recordOwnInventoryWrites, wasWrittenByUs } from '../../../store/own-inventory-writes.js';
import { recordDelivery } from '../../../store/webhook-deliveries.js';
import { runHousekeepingPass, startHousekeeping, webhookDeliveryRetentionMs } from '../../../workers/housekeeping.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

/** The expiry FerretDB's missing TTL indexes leave to the worker, on FerretDB. */
describe('worker housekeeping', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const delivery = (deliveryId: string) => ({
    tenantId: 'hk',
    storefront: 'bigcommerce',
    deliveryId,
    topic: 'store/order/updated',
    entity: 'order',
    entityId: '1',
    occurredAt: '2026-11-24T00:00:00Z',
  });
  const deliveries = () =>
    database.db
      .collection('webhook_deliveries')
      .find({ tenantId: 'hk' })
      .map((document) => document.deliveryId as string)
      .toArray();

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('when a pass runs, then deliveries past their retention and pushes past the webhook window are gone and recent ones stay', async () => {
    const now = new Date();
    await recordDelivery(database.db, delivery('old'));
    await recordDelivery(database.db, delivery('recent'));
    await database.db
      .collection('webhook_deliveries')
      .updateOne(
        { _id: 'hk:bigcommerce:old' as never },
        { $set: { receivedAt: new Date(now.getTime() - webhookDeliveryRetentionMs - 1_000) } },
      );
    await recordOwnInventoryWrites(database.db, 'hk', [{ productId: 'stale' }], new Date(now.getTime() - 10 * 60_000));
    await recordOwnInventoryWrites(database.db, 'hk', [{ productId: 'fresh' }], now);

    const pass = await runHousekeepingPass(database.db, now);

    expect(pass).toEqual({ webhookDeliveries: 1, ownInventoryWrites: 1 });
    expect(await deliveries()).toEqual(['recent']);
    expect(await database.db.collection('own_inventory_writes').countDocuments({ tenantId: 'hk' })).toBe(1);
    expect(await wasWrittenByUs(database.db, 'hk', { productId: 'fresh' }, 120_000, now)).toBe(true);
    // A delivery the storefront may still retry is remembered: the second one is a duplicate.
    expect(await recordDelivery(database.db, delivery('recent'))).toMatchObject({ state: 'received' });
  });

  it('when started, then it runs a pass at once and stops cleanly', async () => {
    await recordDelivery(database.db, delivery('started'));
    await database.db
      .collection('webhook_deliveries')
      .updateOne(
        { _id: 'hk:bigcommerce:started' as never },
        { $set: { receivedAt: new Date(Date.now() - webhookDeliveryRetentionMs - 1_000) } },
      );
    const housekeeping = startHousekeeping({ db: database.db, logger: pino({ level: 'silent' }), everyMs: 60_000 });
    await housekeeping.stop();
    expect(await deliveries()).not.toContain('started');
  });
});
