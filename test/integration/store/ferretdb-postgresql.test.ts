import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../config/index.js';
import { ferretDbMaxPoolSize } from '../../../config/mongo.js';
import { provisionRuntime } from '../../../sandbox/runtime/provision.js';
import { findFreePort, startFerretDb, type LocalMongo } from '../../../sandbox/runtime/servers.js';
import { ensureIndexes, openDatabase } from '../../../store/database.js';
import { markDeliveriesDispatched, recordDeliveries, type WebhookDelivery } from '../../../store/webhook-deliveries.js';

/**
 * FerretDB on its PostgreSQL backend (FERRETDB_BACKEND=postgresql): the embedded PostgreSQL that
 * `npm run provision` installs from PyPI, started by the same code as `npm start`, on a FerretDB
 * of this test's own. The webhook intake's writes go through it, and survive a restart of both.
 */
describe('FerretDB on an embedded PostgreSQL', () => {
  const database = 'intake';
  let workDir: string;
  let ferretDb: LocalMongo | undefined;
  let start: () => Promise<LocalMongo>;

  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferretdb-postgresql-'));
    const { postgresBin } = await provisionRuntime({
      runtimeDir: loadConfig().runtime.dir,
      need: { temporalCli: false, temporalTestServer: false, ferretDb: false, postgresBin: true },
    });
    const port = await findFreePort();
    start = () =>
      startFerretDb({
        ferretDbPath: inject('ferretDbPath'),
        port,
        dataDir: path.join(workDir, 'ferretdb'),
        storage: { backend: 'postgresql', postgresBin },
        logFile: path.join(workDir, 'ferretdb.log'),
      });
    ferretDb = await start();
  });

  afterAll(async () => {
    await ferretDb?.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  });

  const deliveries = Array.from({ length: 150 }, (_, index) => ({
    tenantId: 'tenant-pg',
    storefront: 'bigcommerce' as const,
    deliveryId: `burst-${index}`,
    topic: 'store/order/created',
    entity: 'order',
    entityId: String(1000 + index),
    occurredAt: new Date().toISOString(),
  }));

  const dispatchedCount = async (uri: string) => {
    const { db, close } = openDatabase({ uri, database, serverSelectionTimeoutMs: 5_000 });
    try {
      return await db.collection<WebhookDelivery>('webhook_deliveries').countDocuments({ tenantId: 'tenant-pg', state: 'dispatched' });
    } finally {
      await close();
    }
  };

  it('when a burst of 150 deliveries is recorded and marked dispatched then all are read back marked, stored in PostgreSQL', async () => {
    const { db, close } = openDatabase({ uri: ferretDb!.uri, database, serverSelectionTimeoutMs: 5_000 });
    try {
      await ensureIndexes(db);
      await recordDeliveries(
        db,
        deliveries.map((delivery) => ({ delivery, receivedAt: new Date() })),
      );
      await markDeliveriesDispatched(db, deliveries);
    } finally {
      await close();
    }

    expect(await dispatchedCount(ferretDb!.uri)).toBe(150);
    const files = await fs.readdir(path.join(workDir, 'ferretdb'));
    expect(files).toContain('postgresql');
    expect(files.filter((file) => file.endsWith('.sqlite'))).toEqual([]);
    await expect(fs.stat(path.join(workDir, 'ferretdb', 'postgresql', 'PG_VERSION'))).resolves.toBeDefined();
  });

  it('when eight processes at their connection cap update by _id at once then every update answers', async () => {
    // FerretDB's own default of 50 PostgreSQL connections deadlocks on as many updates in flight.
    const inFlight = 8 * ferretDbMaxPoolSize;
    const client = new MongoClient(ferretDb!.uri.replace(/maxPoolSize=\d+/, `maxPoolSize=${inFlight}`), {
      serverSelectionTimeoutMS: 5_000,
    });
    try {
      const counters = client.db(database).collection<{ _id: number; count: number }>('counters');
      await counters.insertMany(Array.from({ length: inFlight }, (_, index) => ({ _id: index, count: 0 })));
      const updates = Promise.all(
        Array.from({ length: inFlight }, (_, index) => counters.updateOne({ _id: index }, { $inc: { count: 1 } })),
      );
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        updates.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 30_000))),
      ]).finally(() => clearTimeout(timer));

      expect(answered).toBe(true);
      expect(await counters.countDocuments({ count: 1 })).toBe(inFlight);
    } finally {
      await client.close(true);
    }
  });

  it('when FerretDB and its PostgreSQL are stopped and started again on the same folder then the marks are still there', async () => {
    await ferretDb!.stop();
    ferretDb = undefined;
    ferretDb = await start();

    expect(await dispatchedCount(ferretDb.uri)).toBe(150);
  });
});
