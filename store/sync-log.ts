import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key.js';
import type { LedgerEntry } from './ledger.js';
import {
  claimPlace,
  claimPlaces,
  entryPlaces,
  firstPlaceOf,
  isShelfLayoutCollection,
  newestPartition,
  partitionOf,
  partitionOpenedAt,
  placesPerPartition,
  placedEntryIds,
  readPartition,
  syncLogEntities,
  writeFirstStates,
  writeRowState,
  type SyncLogEntity,
  type SyncLogRow,
} from './sync-log-layout.js';

export { syncLogEntities, type SyncLogEntity, type SyncLogRow } from './sync-log-layout.js';

/*
 * The sync log's read model: the ledger's orders and refunds as the console lists them, by the
 * order they were first recorded (a place number per tenant and entity). It exists for FerretDB's
 * SQLite backend, which pushes down one filter, `_id` equality, and even that is a scan of the
 * table that stops at the first match: a range or sort on the ledger read and sorted all of it
 * (17–31 s a page at 100,000 entries). So places are kept in partitions of a few hundred, each
 * its own collection, and a page reads one or two of them however long the log grows. Every
 * document is written by one writer only (see store/sync-log-layout.ts): an earlier layout kept
 * 50 rows in one document and a counter per tenant, and concurrent writers lost rows.
 * Written by {@link recordSyncLogRow} wherever the ledger is; {@link backfillSyncLog} fills it
 * for entries written before it existed. It holds no free text (an error's code, not its
 * message), so erasing a shopper's data from the ledger leaves nothing of theirs here.
 */

/** Bumped when the layout changes: start-up then drops the old one and backfills the new from the ledger. */
const backfillMarker = 'sync-log-read-model-v2';

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

/**
 * The entry's place in the log, given one on first sight; concurrent first sights agree on the
 * one whose place went in first (the others' claimed numbers stay empty places). A ledger write
 * that created the entry says so (`created`), which spares the look-up of a place that cannot
 * exist. `alone` when this call placed it, so no other state of its row can exist yet.
 */
async function placeOf(db: Db, entry: LedgerEntry & { entity: SyncLogEntity }, entryId: string, created: boolean) {
  const collection = entryPlaces(db, entryId, entry.createdAt);
  const known = created ? null : await collection.findOne({ _id: entryId });
  if (known !== null) return { seq: known.seq, alone: false };
  const seq = await claimPlace(db, entry.tenantId, entry.entity, { entryId, createdAt: entry.createdAt });
  try {
    await collection.insertOne({ _id: entryId, seq });
    return { seq, alone: true };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return { seq: (await collection.findOne({ _id: entryId }))!.seq, alone: false };
  }
}

/**
 * Keeps the sync log in step with one ledger entry as it now stands (the entry a ledger write
 * answered; `created` when that write inserted it). Entries the log does not list are ignored.
 * Writes finishing out of order leave the row in the state with the latest `updatedAt`.
 */
export async function recordSyncLogRow(db: Db, entry: LedgerEntry, entryId: string, created = false): Promise<void> {
  if (!isListed(entry.entity)) return;
  const listed = entry as LedgerEntry & { entity: SyncLogEntity };
  const { seq, alone } = await placeOf(db, listed, entryId, created);
  await writeRowState(db, entry.tenantId, listed.entity, rowOf(entry, seq), !alone);
}

/** Partitions a read looks at before it answers with what it found and where to go on (1,000 places). */
const partitionsPerRead = 10;
/** Partitions a read asks for at once: a page of 50 often spans two (the newest may hold a few rows). */
const firstBatch = 2;
/** The most a filtered read asks for at once, when nothing has matched yet. */
const largestBatch = 5;

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

/**
 * The newest partition opened before `before`, by halving over partitions (about eleven look-ups
 * at 1,000 partitions): places follow first-recorded times, so a partition's first claim says
 * which side of the instant the partition lies on.
 */
async function lastPartitionBefore(db: Db, tenantId: string, entity: SyncLogEntity, top: number, before: Date): Promise<number> {
  let low = 0;
  let high = top;
  let answer = 0;
  while (low <= high) {
    // Rounded up, so the first partition (where live writes land before a backfill) is looked at last.
    const middle = Math.ceil((low + high) / 2);
    const opened = await partitionOpenedAt(db, tenantId, entity, middle);
    if (opened === undefined || opened >= before) {
      high = middle - 1;
      continue;
    }
    answer = middle;
    low = middle + 1;
  }
  return answer;
}

/**
 * A page of the tenant's sync log of one entity, newest first. Unfiltered, a page is a read of
 * one or two partitions. A state filter is applied to the rows read: a read looks at up to
 * {@link partitionsPerRead} partitions (as many at once as the rate of matches so far says it
 * needs) and answers the matches it found with a cursor to go on, so a rare state costs a few
 * pages of "nothing yet", never a scan of the ledger. A date range starts by halving over
 * partitions and stops at its lower end.
 */
export async function pageSyncLog(
  db: Db,
  tenantId: string,
  entity: SyncLogEntity,
  filter: SyncLogFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<SyncLogPage> {
  // The cursor is the place of the last row answered: the next page lists places below it.
  const below = page.cursor !== undefined && /^\d{1,15}$/.test(page.cursor) ? Number(page.cursor) : Number.POSITIVE_INFINITY;
  if (below <= 1) return { rows: [] };
  let from = Number.isFinite(below) ? partitionOf(below - 1) : await newestPartition(db, tenantId, entity);
  if (filter.recordedBefore !== undefined && !Number.isFinite(below))
    from = await lastPartitionBefore(db, tenantId, entity, from, filter.recordedBefore);
  const rows: SyncLogRow[] = [];
  let oldestRead: SyncLogRow | undefined;
  const filtered = filter.state !== undefined || filter.recordedFrom !== undefined;
  const lowest = Math.max(0, from - partitionsPerRead + 1);
  let examined = 0;
  let batch = firstBatch;
  for (let top = from; top >= lowest;) {
    const numbers = Array.from({ length: Math.min(batch, top - lowest + 1) }, (_, offset) => top - offset);
    const read = await Promise.all(numbers.map((partition) => readPartition(db, tenantId, entity, partition)));
    top -= numbers.length;
    for (const row of read.flat()) {
      if (row.seq >= below) continue;
      if (filter.recordedFrom !== undefined && row.createdAt < filter.recordedFrom) return { rows };
      oldestRead = row;
      examined += 1;
      if (filter.state !== undefined && row.state !== filter.state) continue;
      if (filter.recordedBefore !== undefined && row.createdAt >= filter.recordedBefore) continue;
      rows.push(row);
      if (rows.length === page.limit) return row.seq === 1 ? { rows } : { rows, nextCursor: String(row.seq) };
    }
    // Each read costs a round trip and every document it hands back: a filtered read asks next
    // for as many partitions as the rows still wanted need at the rate rows have matched so far.
    const needed = rows.length === 0 ? Number.POSITIVE_INFINITY : ((page.limit - rows.length) * examined) / rows.length;
    batch = filtered ? Math.min(largestBatch, Math.max(1, Math.ceil(needed / placesPerPartition))) : firstBatch;
  }
  if (lowest === 0) return { rows };
  // The read stopped at its bound: go on from the top of the next partition down.
  return { rows, nextCursor: String(firstPlaceOf(lowest)), ...(oldestRead && { searchedBackTo: oldestRead.createdAt }) };
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
  const placed = await placedEntryIds(db);
  const missing = new Map<string, Array<LedgerEntry & { _id: string }>>();
  const ledger = db
    .collection<LedgerEntry & { _id: string }>('sync_ledger')
    .find({ entity: { $in: [...syncLogEntities] } })
    .sort({ createdAt: 1, _id: 1 });
  for await (const entry of ledger) {
    if (placed.has(String(entry._id))) continue;
    const group = `${entry.tenantId}:${entry.entity}`;
    const entries = missing.get(group) ?? [];
    entries.push(entry);
    missing.set(group, entries);
  }
  let added = 0;
  for (const entries of missing.values()) {
    const { tenantId, entity } = entries[0]! as { tenantId: string; entity: SyncLogEntity };
    const seqs = await claimPlaces(
      db,
      tenantId,
      entity,
      entries.map((entry) => ({ entryId: String(entry._id), createdAt: entry.createdAt })),
    );
    const rows = entries.map((entry, index) => rowOf(entry, seqs[index]!));
    const refused = await insertEntryPlaces(db, entries, rows);
    const placedNow = rows.filter((_, index) => !refused.has(index));
    await writeFirstStates(db, tenantId, entity, placedNow);
    added += placedNow.length;
  }
  return added;
}

/** Inserts the places of a backfill; answers the indexes of those a live writer placed first (they keep that place). */
async function insertEntryPlaces(db: Db, entries: Array<LedgerEntry & { _id: string }>, rows: SyncLogRow[]): Promise<Set<number>> {
  const refused = new Set<number>();
  const byCollection = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const name = entryPlaces(db, entry._id, entry.createdAt).collectionName;
    const indexes = byCollection.get(name) ?? [];
    indexes.push(index);
    byCollection.set(name, indexes);
  });
  for (const [name, indexes] of byCollection) {
    try {
      await db.collection<{ _id: string; seq: number }>(name).insertMany(
        indexes.map((index) => ({ _id: entries[index]!._id, seq: rows[index]!.seq })),
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

/**
 * Runs {@link backfillSyncLog} once per database and layout (start-up): the ledger read it needs
 * is a full scan. A database holding the shelf layout has it dropped first and rebuilt from the
 * ledger, which also restores rows that layout lost.
 */
export async function ensureSyncLog(db: Db): Promise<void> {
  const markers = db.collection<{ _id: string; at: Date }>('schema_migrations');
  if ((await markers.findOne({ _id: backfillMarker })) !== null) return;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections.filter(({ name }) => isShelfLayoutCollection(name)))
    // Another process starting at the same moment may have dropped it first.
    await db.dropCollection(name).catch(() => false);
  await backfillSyncLog(db);
  await markers.updateOne({ _id: backfillMarker }, { $set: { at: new Date() } }, { upsert: true });
}
