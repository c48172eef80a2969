import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKeyError, retryOnDuplicateKey } from './duplicate-key.js';
import type { LedgerEntry } from './ledger.js';

/**
 * The sync log's read model: the ledger's orders and refunds as the console lists them, in
 * shelves of {@link shelfSize} rows by the order they were first recorded (a place number per
 * tenant and entity). It exists for FerretDB's SQLite backend, which pushes down one filter,
 * `_id` equality, and even that is a scan of the table that stops at the first match (a write
 * scans the whole table): a range or sort on the ledger read and sorted all of it (17–31 s a page
 * at 100,000 entries). So a page here is one or two look-ups of a shelf by `_id`, and shelves live
 * in collections of {@link shelvesPerCollection} per tenant and entity, so a look-up or a write
 * scans at most that many shelves however long the log grows.
 * Written by {@link recordSyncLogRow} wherever the ledger is; {@link backfillSyncLog} fills it
 * for entries written before it existed. It holds no free text (an error's code, not its
 * message), so erasing a shopper's data from the ledger leaves nothing of theirs here.
 */
export interface SyncLogRow {
  /** The entry's place in the log: 1 for the tenant's first of its entity, counting up. */
  seq: number;
  externalId: string;
  state: LedgerEntry['state'];
  intacctDocumentId?: string;
  attempts: number;
  errorCode?: string;
  orderExternalId?: string;
  amount?: number;
  currency?: string;
  reducedDocumentId?: string;
  reduction?: LedgerEntry['reduction'];
  createdAt: Date;
  updatedAt: Date;
}

/** The entities the sync log lists; other ledger entries (payments, invoices…) have no row. */
export const syncLogEntities = ['order', 'refund'] as const;
export type SyncLogEntity = (typeof syncLogEntities)[number];

/** Rows per shelf: one shelf is about one page of the console. */
export const shelfSize = 50;
/** Shelves per collection: the most a shelf's look-up or write has to scan (500 rows). */
const shelvesPerCollection = 10;
/** Places are spread over this many collections by a hash of the entry's id, for the same reason. */
const placeCollections = 16;
const headsName = 'sync_log_heads';
const backfillMarker = 'sync-log-read-model';

interface Head {
  _id: string;
  seq: number;
}
interface Place {
  _id: string;
  seq: number;
}
interface Shelf {
  _id: string;
  tenantId: string;
  entity: SyncLogEntity;
  rows: Record<string, SyncLogRow>;
}

const headId = (tenantId: string, entity: string) => `${tenantId}:${entity}`;
const shelfNumber = (seq: number) => Math.floor(seq / shelfSize);
const shelfId = (tenantId: string, entity: string, shelf: number) => `${tenantId}:${entity}:${shelf}`;

/** The collection holding one shelf (tenant ids are lowercase letters, digits and dashes, so the name is safe). */
function shelves(db: Db, tenantId: string, entity: SyncLogEntity, shelf: number) {
  return db.collection<Shelf>(`sync_log_shelves.${tenantId}.${entity}.${Math.floor(shelf / shelvesPerCollection)}`);
}

/** The collection holding one entry's place. */
function places(db: Db, entryId: string) {
  const spread = createHash('sha256').update(entryId).digest().readUInt8(0) % placeCollections;
  return db.collection<Place>(`sync_log_places.${spread}`);
}
/** Rows are keyed by a name, not a bare number, so no path step reads as an array index. */
const rowKey = (seq: number) => `r${seq % shelfSize}`;

function isListed(entity: LedgerEntry['entity']): entity is SyncLogEntity {
  return (syncLogEntities as readonly string[]).includes(entity);
}

function rowOf(entry: LedgerEntry, seq: number): SyncLogRow {
  return {
    seq,
    externalId: entry.externalId,
    state: entry.state,
    attempts: entry.attempts,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    ...(entry.intacctDocumentId !== undefined && { intacctDocumentId: entry.intacctDocumentId }),
    ...(entry.lastError !== undefined && { errorCode: entry.lastError.code }),
    ...(entry.orderExternalId !== undefined && { orderExternalId: entry.orderExternalId }),
    ...(entry.amount !== undefined && { amount: entry.amount }),
    ...(entry.currency !== undefined && { currency: entry.currency }),
    ...(entry.reducedDocumentId !== undefined && { reducedDocumentId: entry.reducedDocumentId }),
    ...(entry.reduction !== undefined && { reduction: entry.reduction }),
  };
}

/** Reserves `count` places at the end of a tenant's log of one entity; answers the first. */
async function reservePlaces(db: Db, tenantId: string, entity: SyncLogEntity, count: number): Promise<number> {
  // Two first writes of a tenant's log upsert the same new head at once: the loser's insert is a
  // duplicate key (FerretDB does not retry upserts), and its retry increments the winner's head.
  const head = await retryOnDuplicateKey(() =>
    db
      .collection<Head>(headsName)
      .findOneAndUpdate({ _id: headId(tenantId, entity) }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after' }),
  );
  return head!.seq - count + 1;
}

/**
 * The entry's place in the log, given one on first sight; concurrent first sights agree on the
 * winner's. A ledger write that created the entry says so (`created`), which spares the look-up
 * of a place that cannot exist (the one look-up that scans its whole collection).
 */
async function placeOf(db: Db, entry: LedgerEntry & { entity: SyncLogEntity }, entryId: string, created: boolean): Promise<number> {
  const collection = places(db, entryId);
  const known = created ? null : await collection.findOne({ _id: entryId });
  if (known !== null) return known.seq;
  const seq = await reservePlaces(db, entry.tenantId, entry.entity, 1);
  try {
    await collection.insertOne({ _id: entryId, seq });
    return seq;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // Another writer placed it first; the reserved number stays a gap in the log.
    return (await collection.findOne({ _id: entryId }))!.seq;
  }
}

/**
 * Puts a row on its shelf unless the shelf holds a later state of the same entry (two writers
 * of one entry finishing out of order). Every write names the shelf by `_id` alone.
 */
async function shelveRow(db: Db, tenantId: string, entity: SyncLogEntity, row: SyncLogRow): Promise<void> {
  const collection = shelves(db, tenantId, entity, shelfNumber(row.seq));
  const id = shelfId(tenantId, entity, shelfNumber(row.seq));
  const key = `rows.${rowKey(row.seq)}`;
  const notLater = { _id: id, $or: [{ [`${key}.updatedAt`]: { $exists: false } }, { [`${key}.updatedAt`]: { $lte: row.updatedAt } }] };
  const written = await collection.updateOne(notLater, { $set: { [key]: row } });
  if (written.matchedCount > 0) return;
  try {
    await collection.insertOne({ _id: id, tenantId, entity, rows: { [rowKey(row.seq)]: row } });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // The shelf exists: either it was just made by another writer, or it holds a later state.
    await collection.updateOne(notLater, { $set: { [key]: row } });
  }
}

/**
 * Keeps the sync log in step with one ledger entry as it now stands (the entry a ledger write
 * answered; `created` when that write inserted it). Entries the log does not list are ignored.
 */
export async function recordSyncLogRow(db: Db, entry: LedgerEntry, entryId: string, created = false): Promise<void> {
  if (!isListed(entry.entity)) return;
  const listed = entry as LedgerEntry & { entity: SyncLogEntity };
  const seq = await placeOf(db, listed, entryId, created);
  await shelveRow(db, entry.tenantId, listed.entity, rowOf(entry, seq));
}

/** Rows the read below looks at before it answers with what it found and where to go on. */
const shelvesPerRead = 20;

/** A page of the sync log, newest first. */
export interface SyncLogPage {
  rows: SyncLogRow[];
  /** Pass back as `cursor` to go on; absent when the log has no older row that could match. */
  nextCursor?: string;
  /** When a filter left the page short: how far back this read looked (the oldest row it read was first recorded then). */
  searchedBackTo?: Date;
}

export interface SyncLogFilter {
  state?: LedgerEntry['state'] | undefined;
  /** Rows first recorded at or after this instant. */
  recordedFrom?: Date | undefined;
  /** Rows first recorded before this instant. */
  recordedBefore?: Date | undefined;
}

async function readShelf(db: Db, tenantId: string, entity: SyncLogEntity, shelf: number): Promise<SyncLogRow[]> {
  const found = await shelves(db, tenantId, entity, shelf).findOne({ _id: shelfId(tenantId, entity, shelf) });
  return Object.values(found?.rows ?? {}).sort((a, b) => b.seq - a.seq);
}

/**
 * The newest place recorded before `before`, by halving over shelves (about eleven look-ups at
 * 2,000 shelves): places follow first-recorded times, so a shelf's oldest row says which side of
 * the instant the shelf lies on.
 */
async function lastPlaceBefore(db: Db, tenantId: string, entity: SyncLogEntity, top: number, before: Date): Promise<number> {
  let low = 0;
  let high = shelfNumber(top);
  let answer = 0;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const rows = await readShelf(db, tenantId, entity, middle);
    const oldest = rows.at(-1);
    if (oldest === undefined || oldest.createdAt >= before) {
      high = middle - 1;
      continue;
    }
    answer = Math.max(answer, ...rows.filter((row) => row.createdAt < before).map((row) => row.seq));
    low = middle + 1;
  }
  return answer;
}

/**
 * A page of the tenant's sync log of one entity, newest first. Unfiltered, a page is one or two
 * shelf look-ups. A state filter is applied to the rows read: a read looks at up to
 * {@link shelvesPerRead} shelves (1,000 rows) and answers the matches it found with a cursor
 * to go on, so a rare state costs a few pages of "nothing yet", never a scan of the ledger. A date
 * range starts by halving over shelves and stops at its lower end.
 */
export async function pageSyncLog(
  db: Db,
  tenantId: string,
  entity: SyncLogEntity,
  filter: SyncLogFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<SyncLogPage> {
  const head = await db.collection<Head>(headsName).findOne({ _id: headId(tenantId, entity) });
  if (head === null) return { rows: [] };
  const after = page.cursor !== undefined && /^\d{1,15}$/.test(page.cursor) ? Number(page.cursor) - 1 : head.seq;
  let from = Math.min(after, head.seq);
  if (filter.recordedBefore !== undefined && page.cursor === undefined)
    from = await lastPlaceBefore(db, tenantId, entity, from, filter.recordedBefore);
  const rows: SyncLogRow[] = [];
  let oldestRead: SyncLogRow | undefined;
  const filtered = filter.state !== undefined || filter.recordedFrom !== undefined;
  // Shelves are read a few at a time: a filtered page is likely to need several.
  const batch = filtered ? 4 : 2;
  const lowest = Math.max(-1, shelfNumber(from) - shelvesPerRead);
  for (let top = shelfNumber(from); top > lowest; top -= batch) {
    const numbers = Array.from({ length: Math.min(batch, top - lowest) }, (_, offset) => top - offset);
    const read = await Promise.all(numbers.map((shelf) => readShelf(db, tenantId, entity, shelf)));
    for (const row of read.flat()) {
      if (row.seq > from) continue;
      if (filter.recordedFrom !== undefined && row.createdAt < filter.recordedFrom) return { rows };
      oldestRead = row;
      if (filter.state !== undefined && row.state !== filter.state) continue;
      if (filter.recordedBefore !== undefined && row.createdAt >= filter.recordedBefore) continue;
      rows.push(row);
      if (rows.length === page.limit) return row.seq === 1 ? { rows } : { rows, nextCursor: String(row.seq) };
    }
  }
  if (lowest < 0) return { rows };
  // The read stopped at its bound: go on from the top of the next shelf down.
  return { rows, nextCursor: String((lowest + 1) * shelfSize), ...(oldestRead && { searchedBackTo: oldestRead.createdAt }) };
}

/** The row of one entry, read through the ledger's own `_id` look-up (the sync log's id filter). */
export function syncLogRowOf(entry: LedgerEntry): SyncLogRow {
  return rowOf(entry, 0);
}

/**
 * Gives every listed ledger entry without a place in the log one, in the order they were first
 * recorded, per tenant and entity: the read model for a ledger written before it existed (or by
 * a bulk load). Entries placed meanwhile by a live writer keep their place. Answers how many
 * rows it added.
 */
export async function backfillSyncLog(db: Db): Promise<number> {
  const placed = new Set<string>();
  for (let spread = 0; spread < placeCollections; spread += 1)
    for (const place of await db
      .collection<Place>(`sync_log_places.${spread}`)
      .find({}, { projection: { _id: 1 } })
      .toArray())
      placed.add(place._id);
  const missing = new Map<string, Array<LedgerEntry & { _id: string }>>();
  const ledger = db
    .collection<LedgerEntry & { _id: string }>('sync_ledger')
    .find({ entity: { $in: [...syncLogEntities] } })
    .sort({ createdAt: 1, _id: 1 });
  for await (const entry of ledger) {
    if (placed.has(String(entry._id))) continue;
    const group = headId(entry.tenantId, entry.entity);
    const entries = missing.get(group) ?? [];
    entries.push(entry);
    missing.set(group, entries);
  }
  let added = 0;
  for (const entries of missing.values()) {
    const { tenantId, entity } = entries[0]! as { tenantId: string; entity: SyncLogEntity };
    const first = await reservePlaces(db, tenantId, entity, entries.length);
    const rows = entries.map((entry, index) => ({ entryId: String(entry._id), row: rowOf(entry, first + index) }));
    const refused = await insertPlaces(db, rows);
    const shelved = new Map<number, Record<string, SyncLogRow>>();
    rows.forEach(({ row }, index) => {
      if (refused.has(index)) return;
      const shelf = shelved.get(shelfNumber(row.seq)) ?? {};
      shelf[rowKey(row.seq)] = row;
      shelved.set(shelfNumber(row.seq), shelf);
    });
    for (const [shelf, shelfRows] of shelved) {
      const collection = shelves(db, tenantId, entity, shelf);
      try {
        await collection.insertOne({ _id: shelfId(tenantId, entity, shelf), tenantId, entity, rows: shelfRows });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // The shelf the reserved places start on may hold live rows already; add to it.
        const set = Object.fromEntries(Object.entries(shelfRows).map(([key, row]) => [`rows.${key}`, row]));
        await collection.updateOne({ _id: shelfId(tenantId, entity, shelf) }, { $set: set });
      }
      added += Object.keys(shelfRows).length;
    }
  }
  return added;
}

/** Inserts the places of a backfill; answers the indexes of those a live writer placed first (they keep that place). */
async function insertPlaces(db: Db, rows: Array<{ entryId: string; row: SyncLogRow }>): Promise<Set<number>> {
  const refused = new Set<number>();
  const bySpread = new Map<string, number[]>();
  rows.forEach(({ entryId }, index) => {
    const name = places(db, entryId).collectionName;
    const indexes = bySpread.get(name) ?? [];
    indexes.push(index);
    bySpread.set(name, indexes);
  });
  for (const [name, indexes] of bySpread) {
    try {
      await db.collection<Place>(name).insertMany(
        indexes.map((index) => ({ _id: rows[index]!.entryId, seq: rows[index]!.row.seq })),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number }> }).writeErrors;
      if (writeErrors === undefined || writeErrors.some((failed) => failed.code !== 11000)) throw error;
      for (const failed of writeErrors) refused.add(indexes[failed.index]!);
    }
  }
  return refused;
}

/** Runs {@link backfillSyncLog} once per database (start-up): the ledger read it needs is a full scan. */
export async function ensureSyncLog(db: Db): Promise<void> {
  const markers = db.collection<{ _id: string; at: Date }>('schema_migrations');
  if ((await markers.findOne({ _id: backfillMarker })) !== null) return;
  await backfillSyncLog(db);
  await markers.updateOne({ _id: backfillMarker }, { $set: { at: new Date() } }, { upsert: true });
}
