import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntryId, recordLedgerEntry, type LedgerEntry } from '../../../store/ledger.js';
import { backfillSyncLog, ensureSyncLog, pageSyncLog, recordSyncLogRow, type SyncLogRow } from '../../../store/sync-log.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

/** The sync log's read model: shelves read by `_id`, kept by the ledger's writes, backfilled for older entries. */
describe('the sync log read model', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('when orders are recorded and change state, then the log lists each once, newest first, in its latest state, page after page', async () => {
    const tenantId = 'log-paging';
    for (let index = 1; index <= 60; index += 1)
      await recordLedgerEntry(database.db, { tenantId, entity: 'order', externalId: `O-${index}` }, { state: 'pending' });
    await recordLedgerEntry(database.db, { tenantId: 'log-other', entity: 'order', externalId: 'O-OTHER' }, { state: 'synced' });
    await recordLedgerEntry(database.db, { tenantId, entity: 'refund', externalId: 'R-1' }, { state: 'synced' });
    await recordLedgerEntry(
      database.db,
      { tenantId, entity: 'order', externalId: 'O-3' },
      { state: 'parked', lastError: { code: 'unknown_sku', message: 'SKU <b> for jane@example.com', at: new Date() }, countAttempt: true },
    );

    const first = await pageSyncLog(database.db, tenantId, 'order', {}, { limit: 25 });
    expect(first.rows.map((row) => row.externalId)).toEqual(Array.from({ length: 25 }, (_, index) => `O-${60 - index}`));
    const seen = [...first.rows];
    let cursor = first.nextCursor;
    while (cursor !== undefined) {
      const next = await pageSyncLog(database.db, tenantId, 'order', {}, { limit: 25, cursor });
      seen.push(...next.rows);
      cursor = next.nextCursor;
    }
    expect(seen.map((row) => row.externalId)).toEqual(Array.from({ length: 60 }, (_, index) => `O-${60 - index}`));
    const third = seen.find((row) => row.externalId === 'O-3');
    // The error's code, never its message: the read model keeps no text that may quote a shopper.
    expect(third).toMatchObject({ state: 'parked', errorCode: 'unknown_sku', attempts: 1 });
    expect(JSON.stringify(third)).not.toContain('jane');
    expect((await pageSyncLog(database.db, tenantId, 'refund', {}, { limit: 25 })).rows.map((row) => row.externalId)).toEqual(['R-1']);
    expect(
      (await pageSyncLog(database.db, tenantId, 'order', { state: 'parked' }, { limit: 25 })).rows.map((row) => row.externalId),
    ).toEqual(['O-3']);
  });

  it('when an older state of an entry is written after a newer one, then the row keeps the newer', async () => {
    const key = { tenantId: 'log-race', entity: 'order' as const, externalId: '1' };
    const pending = await recordLedgerEntry(database.db, key, { state: 'pending' });
    await recordLedgerEntry(database.db, key, { state: 'synced', intacctDocumentId: 'SO-1' });
    await recordSyncLogRow(database.db, pending, ledgerEntryId(key));
    expect((await pageSyncLog(database.db, key.tenantId, 'order', {}, { limit: 5 })).rows).toEqual([
      expect.objectContaining({ externalId: '1', state: 'synced', intacctDocumentId: 'SO-1' }),
    ]);
  });

  it.each([8, 60])(
    'when %i first orders of a new tenant are recorded at once, then the log lists each exactly once at its own place',
    async (count) => {
      const tenantId = `log-burst-${count}`;
      const externalIds = Array.from({ length: count }, (_, index) => `C-${index}`);
      // Three handles on the database, as three worker processes: each process's writers share
      // its claims, the processes race each other's.
      const processes = [database.db, database.client.db(database.db.databaseName), database.client.db(database.db.databaseName)];
      await Promise.all(
        externalIds.map((externalId, index) =>
          recordLedgerEntry(processes[index % processes.length]!, { tenantId, entity: 'order', externalId }, { state: 'pending' }),
        ),
      );

      const listed: SyncLogRow[] = [];
      let cursor: string | undefined;
      do {
        const next = await pageSyncLog(database.db, tenantId, 'order', {}, { limit: 25, cursor });
        listed.push(...next.rows);
        cursor = next.nextCursor;
      } while (cursor !== undefined);
      expect(listed.map((row) => row.externalId).sort()).toEqual([...externalIds].sort());
      expect(new Set(listed.map((row) => row.seq)).size).toBe(count);
    },
  );

  it('when states of one entry are written at once, then the row ends in the newest', async () => {
    const key = { tenantId: 'log-state-race', entity: 'order' as const, externalId: 'S-1' };
    const first = await recordLedgerEntry(database.db, key, { state: 'pending' });
    const states = ['parked', 'pending', 'failed', 'skipped', 'cancelled', 'synced'] as const;
    // The ledger's own writes are one at a time here; the read model's writes of their results race.
    const written: LedgerEntry[] = states.map((state, index) => ({
      ...first,
      state,
      attempts: index + 1,
      updatedAt: new Date(first.updatedAt.getTime() + (index + 1) * 1_000),
    }));
    for (let round = 0; round < 3; round += 1) {
      await Promise.all([...written].reverse().map((entry) => recordSyncLogRow(database.db, entry, ledgerEntryId(key))));
      expect((await pageSyncLog(database.db, key.tenantId, 'order', {}, { limit: 5 })).rows).toEqual([
        expect.objectContaining({ externalId: 'S-1', state: 'synced', attempts: states.length }),
      ]);
    }
  });

  it('when a ledger predates the read model, then the backfill places its entries by first-recorded time, and filters read a bounded stretch a time', async () => {
    const tenantId = 'log-backfill';
    const start = Date.parse('2026-01-01T00:00:00Z');
    const entries: Array<LedgerEntry & { _id: string }> = Array.from({ length: 1_200 }, (_, index) => {
      const at = new Date(start + index * 60_000);
      const key = { tenantId, entity: 'order' as const, externalId: `B-${index}` };
      // Only the oldest entry is parked: a filter for it must search past 1,000 newer rows.
      return { _id: ledgerEntryId(key), ...key, state: index === 0 ? 'parked' : 'synced', attempts: 1, createdAt: at, updatedAt: at };
    });
    // Inserted newest first, so insertion order is not what places them.
    await database.db.collection('sync_ledger').insertMany([...entries].reverse() as never[]);
    await recordLedgerEntry(database.db, { tenantId, entity: 'order', externalId: 'LIVE' }, { state: 'synced' });

    expect(await backfillSyncLog(database.db)).toBe(1_200);
    expect(await backfillSyncLog(database.db)).toBe(0);

    const newest = await pageSyncLog(database.db, tenantId, 'order', {}, { limit: 3 });
    // The live entry was placed before the backfill ran, so it stays first in the log's order (placed earliest).
    expect(newest.rows.map((row) => row.externalId)).toEqual(['B-1199', 'B-1198', 'B-1197']);

    const parked = await pageSyncLog(database.db, tenantId, 'order', { state: 'parked' }, { limit: 50 });
    expect(parked.rows).toEqual([]);
    expect(parked.nextCursor).toBeDefined();
    expect(parked.searchedBackTo!.getTime()).toBeGreaterThan(start);
    const further = await pageSyncLog(database.db, tenantId, 'order', { state: 'parked' }, { limit: 50, cursor: parked.nextCursor });
    expect(further.rows.map((row) => row.externalId)).toEqual(['B-0']);

    const day = { recordedFrom: new Date(start + 100 * 60_000), recordedBefore: new Date(start + 103 * 60_000) };
    expect((await pageSyncLog(database.db, tenantId, 'order', day, { limit: 50 })).rows.map((row) => row.externalId)).toEqual([
      'B-102',
      'B-101',
      'B-100',
    ]);
  });

  it('when a database holds the shelf layout, then start-up drops it and rebuilds the log from the ledger', async () => {
    const key = { tenantId: 'log-shelves', entity: 'order' as const, externalId: 'OLD-1' };
    const at = new Date('2026-02-01T00:00:00Z');
    await database.db
      .collection('sync_ledger')
      .insertOne({ _id: ledgerEntryId(key), ...key, state: 'synced', attempts: 1, createdAt: at, updatedAt: at } as never);
    // What the shelf layout left: a head, a shelf without the entry's row (lost to a race), its place.
    await database.db.collection('sync_log_heads').insertOne({ _id: 'log-shelves:order', seq: 1 } as never);
    await database.db.collection('sync_log_shelves.log-shelves.order.0').insertOne({ _id: 'log-shelves:order:0', rows: {} } as never);
    await database.db.collection('sync_log_places.3').insertOne({ _id: ledgerEntryId(key), seq: 1 } as never);
    await database.db.collection('schema_migrations').deleteOne({ _id: 'sync-log-read-model-v2' } as never);

    await ensureSyncLog(database.db);

    const names = (await database.db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name);
    expect(names.filter((name) => /^sync_log_(heads|shelves\.|places\.)/.test(name))).toEqual([]);
    expect((await pageSyncLog(database.db, key.tenantId, 'order', {}, { limit: 5 })).rows).toEqual([
      expect.objectContaining({ externalId: 'OLD-1', state: 'synced' }),
    ]);
  });
});
