import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKeyError, retryOnDuplicateKey } from './duplicate-key.js';
import type { LedgerEntry } from './ledger.js';

/**
 * Where the sync log's documents live and how places in it are claimed (see store/sync-log.ts).
 * FerretDB's SQLite backend answers an update by reading the document and writing it back, so two
 * writers changing one document at once lose one change; the one write it makes atomic is an
 * insert refused on a duplicate `_id`. So nothing here is ever changed by two writers: a place is
 * claimed by inserting its number, an entry is placed by inserting its id, and each state of a
 * row is a document of its own (the newest is the row; older ones are removed).
 */

/** One row of the log: an order or refund as the console lists it, without free text. */
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

/**
 * Places per partition: a partition's places and its rows are each a collection of their own,
 * so a look-up, a write or a page scans at most this many documents however long the log grows.
 * FerretDB's cost is per document it hands back (reading 500 took 110 ms on the loaded test
 * machine, 100 took 14 ms), so a partition is about two pages.
 */
export const placesPerPartition = 100;
/** Entries are placed in collections by month first recorded and a hash of their id. */
const placeSpread = 16;
const entryPlacesPrefix = 'sync_log_entry_places.';
const topsName = 'sync_log_tops';

/** A claimed place: whose it is. Claims of a partition are always its first places, without holes. */
interface Claim {
  _id: string;
  entryId: string;
  createdAt: Date;
}
/** Where an entry is in the log. */
interface EntryPlace {
  _id: string;
  seq: number;
}
/** One state of a row, its `_id` the place and the state's instant. */
type RowState = SyncLogRow & { _id: string };
/** The newest partition someone opened (a hint: readers look one further). */
interface Top {
  _id: string;
  partition: number;
}

export const partitionOf = (seq: number): number => Math.floor(seq / placesPerPartition);
/** Place 0 is never used: the log counts from 1. */
export const firstPlaceOf = (partition: number): number => Math.max(1, partition * placesPerPartition);
const placeId = (tenantId: string, entity: string, seq: number) => `${tenantId}:${entity}:${seq}`;
const stateId = (tenantId: string, entity: string, row: SyncLogRow) => `${placeId(tenantId, entity, row.seq)}@${row.updatedAt.getTime()}`;

/** Tenant ids are lowercase letters, digits and dashes, so these names are safe. */
function claims(db: Db, tenantId: string, entity: SyncLogEntity, partition: number) {
  return db.collection<Claim>(`sync_log_claims.${tenantId}.${entity}.${partition}`);
}
function rowStates(db: Db, tenantId: string, entity: SyncLogEntity, partition: number) {
  return db.collection<RowState>(`sync_log_rows.${tenantId}.${entity}.${partition}`);
}
/** The collection holding one entry's place: its id and first-recorded time say which. */
export function entryPlaces(db: Db, entryId: string, createdAt: Date) {
  const spread = createHash('sha256').update(entryId).digest().readUInt8(0) % placeSpread;
  const month = createdAt.toISOString().slice(0, 7).replace('-', '');
  return db.collection<EntryPlace>(`${entryPlacesPrefix}${month}.${spread}`);
}

/** The ids of every placed entry (a backfill's full read). */
export async function placedEntryIds(db: Db): Promise<Set<string>> {
  const placed = new Set<string>();
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections.filter(({ name }) => name.startsWith(entryPlacesPrefix)))
    for (const place of await db
      .collection<EntryPlace>(name)
      .find({}, { projection: { _id: 1 } })
      .toArray())
      placed.add(place._id);
  return placed;
}

/** The newest partition with a claim: the hint, then one look further for each opened since. */
export async function newestPartition(db: Db, tenantId: string, entity: SyncLogEntity): Promise<number> {
  const top = await db.collection<Top>(topsName).findOne({ _id: `${tenantId}:${entity}` });
  let partition = top?.partition ?? 0;
  while (
    (await claims(db, tenantId, entity, partition + 1).findOne({ _id: placeId(tenantId, entity, firstPlaceOf(partition + 1)) })) !== null
  )
    partition += 1;
  return partition;
}

/** Moves the hint up after opening a partition; only the opener writes it, and a lost write only costs readers a look. */
async function raiseTop(db: Db, tenantId: string, entity: SyncLogEntity, partition: number): Promise<void> {
  if (partition === 0) return;
  await retryOnDuplicateKey(() =>
    db.collection<Top>(topsName).updateOne({ _id: `${tenantId}:${entity}` }, { $max: { partition } }, { upsert: true }),
  );
}

/** The first unclaimed place of a partition: claims are its first places, without holes. */
async function firstFreePlace(db: Db, tenantId: string, entity: SyncLogEntity, partition: number): Promise<number> {
  return firstPlaceOf(partition) + (await claims(db, tenantId, entity, partition).countDocuments());
}

/**
 * Claims the next free places for `entries`, in order, by inserting each place's number; a
 * number another writer took first is refused as a duplicate and the claim goes on after it.
 */
export async function claimPlaces(
  db: Db,
  tenantId: string,
  entity: SyncLogEntity,
  entries: Array<{ entryId: string; createdAt: Date }>,
): Promise<number[]> {
  const seqs: number[] = [];
  let next = await firstFreePlace(db, tenantId, entity, await newestPartition(db, tenantId, entity));
  while (seqs.length < entries.length) {
    const partition = partitionOf(next);
    const batch = entries.slice(seqs.length, seqs.length + firstPlaceOf(partition + 1) - next);
    const docs = batch.map((entry, offset) => ({ _id: placeId(tenantId, entity, next + offset), ...entry }));
    let inserted = docs.length;
    try {
      // In order, so a partition's claims stay its first places whatever else is claiming.
      if (docs.length === 1) await claims(db, tenantId, entity, partition).insertOne(docs[0]!);
      else await claims(db, tenantId, entity, partition).insertMany(docs, { ordered: true });
    } catch (error) {
      inserted = refusedAt(error);
    }
    for (let offset = 0; offset < inserted; offset += 1) seqs.push(next + offset);
    if (inserted > 0 && next === firstPlaceOf(partition)) await raiseTop(db, tenantId, entity, partition);
    next =
      inserted === docs.length ? next + inserted : Math.max(next + inserted + 1, await firstFreePlace(db, tenantId, entity, partition));
  }
  return seqs;
}

interface WaitingClaim {
  entry: { entryId: string; createdAt: Date };
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}
/** Claims waiting per database and log, while one is under way. */
const waitingClaims = new WeakMap<Db, Map<string, WaitingClaim[]>>();

/**
 * Claims one place. Writers of one process claiming in the same log at once are served by one
 * insert of consecutive places, not by racing each other for the same next number (60 at once
 * took seconds so); writers in other processes still race, and the claim settles that.
 */
export function claimPlace(db: Db, tenantId: string, entity: SyncLogEntity, entry: WaitingClaim['entry']): Promise<number> {
  const queues = waitingClaims.get(db) ?? new Map<string, WaitingClaim[]>();
  waitingClaims.set(db, queues);
  const key = `${tenantId}:${entity}`;
  const underWay = queues.has(key);
  const waiting = queues.get(key) ?? [];
  queues.set(key, waiting);
  const claimed = new Promise<number>((resolve, reject) => waiting.push({ entry, resolve, reject }));
  if (!underWay) void serveClaims(db, tenantId, entity, queues, key);
  return claimed;
}

/** Serves the waiting claims of one log, all those waiting at once, until none wait. */
async function serveClaims(db: Db, tenantId: string, entity: SyncLogEntity, queues: Map<string, WaitingClaim[]>, key: string) {
  const waiting = queues.get(key)!;
  while (waiting.length > 0) {
    const served = waiting.splice(0);
    try {
      const seqs = await claimPlaces(
        db,
        tenantId,
        entity,
        served.map((claim) => claim.entry),
      );
      served.forEach((claim, index) => claim.resolve(seqs[index]!));
    } catch (error) {
      for (const claim of served) claim.reject(error);
    }
  }
  queues.delete(key);
}

/** How many of an ordered insert went in before a duplicate stopped it; other errors are thrown. */
function refusedAt(error: unknown): number {
  if (isDuplicateKeyError(error)) return 0;
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as { index?: number; code?: number } | undefined;
  if (first?.code !== 11000 || first.index === undefined) throw error;
  return first.index;
}

/**
 * Adds a state of a row as a document of its own, then (`prune`) removes the row's other states
 * but the newest: removing only states older than one that exists never loses the newest.
 */
export async function writeRowState(db: Db, tenantId: string, entity: SyncLogEntity, row: SyncLogRow, prune: boolean): Promise<void> {
  const collection = rowStates(db, tenantId, entity, partitionOf(row.seq));
  const state = { _id: stateId(tenantId, entity, row), ...row };
  try {
    await collection.insertOne(state);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // Two writes of the entry in one millisecond: the later one is the state to keep.
    await collection.replaceOne({ _id: state._id }, state);
  }
  if (!prune) return;
  const states = await collection.find({ seq: row.seq }, { projection: { _id: 1, updatedAt: 1 } }).toArray();
  const newest = states.reduce((kept, candidate) => (isNewer(candidate, kept) ? candidate : kept));
  const older = states.filter((candidate) => candidate._id !== newest._id).map((candidate) => candidate._id);
  if (older.length > 0) await collection.deleteMany({ _id: { $in: older } });
}

/** Adds the first states of rows a backfill placed, a partition at a time. */
export async function writeFirstStates(db: Db, tenantId: string, entity: SyncLogEntity, rows: SyncLogRow[]): Promise<void> {
  const byPartition = new Map<number, SyncLogRow[]>();
  for (const row of rows) {
    const partitionRows = byPartition.get(partitionOf(row.seq)) ?? [];
    partitionRows.push(row);
    byPartition.set(partitionOf(row.seq), partitionRows);
  }
  for (const [partition, partitionRows] of byPartition) {
    const states = partitionRows.map((row) => ({ _id: stateId(tenantId, entity, row), ...row }));
    try {
      await rowStates(db, tenantId, entity, partition).insertMany(states, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const failed = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as Array<{ code?: number } | undefined>;
      // A state that is there already was written by a live writer of the same instant.
      if (failed.some((write) => write?.code !== 11000)) throw error;
    }
  }
}

function isNewer(candidate: Pick<RowState, '_id' | 'updatedAt'>, than: Pick<RowState, '_id' | 'updatedAt'>): boolean {
  const by = candidate.updatedAt.getTime() - than.updatedAt.getTime();
  return by > 0 || (by === 0 && candidate._id > than._id);
}

/** A partition's rows, each in its newest state, newest place first. */
export async function readPartition(db: Db, tenantId: string, entity: SyncLogEntity, partition: number): Promise<SyncLogRow[]> {
  const newest = new Map<number, RowState>();
  // In one batch: each further batch is one more round trip to FerretDB.
  for (const state of await rowStates(db, tenantId, entity, partition).find({}, { batchSize: 1_000 }).toArray()) {
    const kept = newest.get(state.seq);
    if (kept === undefined || isNewer(state, kept)) newest.set(state.seq, state);
  }
  return [...newest.values()].map(({ _id, ...row }) => row).sort((a, b) => b.seq - a.seq);
}

/** When a partition's first place was claimed, or undefined when it has none. */
export async function partitionOpenedAt(db: Db, tenantId: string, entity: SyncLogEntity, partition: number): Promise<Date | undefined> {
  const first = await claims(db, tenantId, entity, partition).findOne({ _id: placeId(tenantId, entity, firstPlaceOf(partition)) });
  return first?.createdAt;
}

/** The collections of the shelf layout this one replaced (it lost rows to concurrent writers). */
export function isShelfLayoutCollection(name: string): boolean {
  return name === 'sync_log_heads' || name.startsWith('sync_log_shelves.') || name.startsWith('sync_log_places.');
}
