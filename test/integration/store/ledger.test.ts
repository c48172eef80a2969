import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureLedgerIndexes,
  findLedgerEntry,
  ledgerEntryId,
  listLedger,
  migrateLedgerIds,
  recordLedgerEntry,
} from '../../../store/ledger.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

/** The ledger's exactly-once look-ups go by a key-derived `_id`, on FerretDB. */
describe('the sync ledger', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const ledger = () => database.db.collection('sync_ledger');
  /** A database the migration has not finished in (it crashed, or predates it): no marker. */
  const forgetMigration = () => database.db.collection('schema_migrations').deleteOne({ _id: 'ledger-derived-ids' as never });

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('when an entry is recorded, then its _id is derived from the key, so the look-up is a point read', async () => {
    const key = { tenantId: 'ledger-a', entity: 'order' as const, externalId: 'CO-1:odd:id' };
    await recordLedgerEntry(database.db, key, { state: 'pending', countAttempt: true });
    const entry = await recordLedgerEntry(database.db, key, { state: 'synced', intacctDocumentId: 'SO-0001', countAttempt: true });

    expect(entry).toMatchObject({ _id: 'ledger-a:order:CO-1:odd:id', ...key, state: 'synced', intacctDocumentId: 'SO-0001', attempts: 2 });
    expect(await findLedgerEntry(database.db, key)).toMatchObject({ _id: ledgerEntryId(key), state: 'synced' });
    expect(await ledger().countDocuments({ tenantId: 'ledger-a' })).toBe(1);
  });

  it('when five writers record the same new entry at once, then they converge on one entry', async () => {
    const key = { tenantId: 'ledger-b', entity: 'payment' as const, externalId: '7' };
    await Promise.all(Array.from({ length: 5 }, () => recordLedgerEntry(database.db, key, { countAttempt: true })));
    const entries = await ledger().find({ tenantId: 'ledger-b' }).toArray();
    expect(entries).toEqual([expect.objectContaining({ _id: 'ledger-b:payment:7', state: 'pending' })]);
    // FerretDB applies findAndModify as a read then a write, so concurrent $inc can lose counts (MongoDB does not).
    expect(entries[0]!.attempts).toBeGreaterThanOrEqual(1);
  });

  it('when entries written with ObjectIds by the previous version exist, then start-up moves them to derived ids once and they are found', async () => {
    const now = new Date();
    await ledger().insertMany([
      {
        _id: new ObjectId(),
        tenantId: 'ledger-old',
        entity: 'order',
        externalId: '100',
        state: 'synced',
        intacctDocumentId: 'SO-0100',
        attempts: 1,
        createdAt: now,
        updatedAt: now,
      },
      {
        _id: new ObjectId(),
        tenantId: 'ledger-old',
        entity: 'payment',
        externalId: '100',
        state: 'synced',
        intacctKey: '55',
        attempts: 1,
        createdAt: now,
        updatedAt: now,
      },
    ] as never[]);

    await forgetMigration();
    await ensureLedgerIndexes(database.db);

    expect(await findLedgerEntry(database.db, { tenantId: 'ledger-old', entity: 'order', externalId: '100' })).toMatchObject({
      _id: 'ledger-old:order:100',
      intacctDocumentId: 'SO-0100',
    });
    expect(await findLedgerEntry(database.db, { tenantId: 'ledger-old', entity: 'payment', externalId: '100' })).toMatchObject({
      intacctKey: '55',
    });
    expect(await ledger().countDocuments({ tenantId: 'ledger-old' })).toBe(2);
    expect(await migrateLedgerIds(database.db)).toBe(0);
    // The key index stays, no longer unique: the derived _id keeps entries unique.
    expect((await ledger().indexes()).find((index) => index.name === 'tenantId_1_entity_1_externalId_1')).toMatchObject({
      key: { tenantId: 1, entity: 1, externalId: 1 },
    });
  });

  it('when a migration stopped after the copy, then running it again keeps the copy (the one updated since) and drops the original', async () => {
    const now = new Date();
    const key = { tenantId: 'ledger-half', entity: 'order' as const, externalId: '9' };
    await recordLedgerEntry(database.db, key, { state: 'synced', intacctDocumentId: 'SO-NEW' });
    await ledger().insertOne({ _id: new ObjectId(), ...key, state: 'pending', attempts: 0, createdAt: now, updatedAt: now });

    // Once marked done, start-up does not read the ledger again looking for old entries.
    expect(await migrateLedgerIds(database.db)).toBe(0);
    await forgetMigration();
    expect(await migrateLedgerIds(database.db)).toBe(1);
    expect(await ledger().find({ tenantId: 'ledger-half' }).toArray()).toEqual([
      expect.objectContaining({ _id: 'ledger-half:order:9', intacctDocumentId: 'SO-NEW' }),
    ]);
  });

  it('when the ledger is listed a page at a time, then every entry comes once, in key order', async () => {
    for (const externalId of ['3', '1', '2', '5', '4'])
      await recordLedgerEntry(database.db, { tenantId: 'ledger-page', entity: 'order', externalId }, { state: 'synced' });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listLedger(database.db, 'ledger-page', { entity: 'order' }, { limit: 2, cursor });
      seen.push(...page.items.map((entry) => entry.externalId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
  });
});
