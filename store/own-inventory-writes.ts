import type { Db } from 'mongodb';
import { updateOneByOne } from './update-statements.js';
import type { OperationLimit } from './operation-limit.js';

/**
 * Stock levels the product itself pushed to a storefront, so the inventory webhooks those
 * pushes cause are recognised and not reconciled again. Intacct is the master for stock: a
 * storefront change that happens to land inside the window is corrected by the next
 * scheduled reconciliation anyway, so ignoring it loses nothing.
 *
 * One document per product (or variant) and minute of writing, keyed by `_id` alone: FerretDB's
 * SQLite backend answers a filter on `_id` alone from its primary key and scans the collection
 * for anything else (other fields, `$in`, ranges, secondary indexes), so every read and write
 * here is a point look-up or a batch insert and costs the same however large the collection.
 */
export interface OwnInventoryWrite {
  /** `{tenantId}:{productId}:{variantId or ''}@{minute since the epoch}`. */
  _id: string;
  tenantId: string;
  productId: string;
  variantId: string | null;
  /** The latest push of this key within its minute. */
  writtenAt: Date;
}

/** How long after a push its webhooks are taken for our own: storefronts deliver within seconds, retries within a minute or two. */
export const ownInventoryWriteWindowMs = 120_000;

const collectionName = 'own_inventory_writes';
const bucketMs = 60_000;
/** A writer's clock may run ahead of the reader's by this much and its pushes still be found. */
const clockSkewMs = bucketMs;
/** Windows longer than this many minutes are answered by one query instead of point look-ups. */
const maxPointLookups = 30;
const duplicateKey = 11000;

const keyOf = (tenantId: string, productId: string, variantId: string | undefined) => `${tenantId}:${productId}:${variantId ?? ''}`;
const bucketOf = (at: number) => Math.floor(at / bucketMs);
const idOf = (key: string, bucket: number) => `${key}@${bucket}`;

/** The sweep's index; MongoDB uses it, FerretDB's SQLite backend only maintains it. */
export async function ensureOwnInventoryWriteIndexes(db: Db): Promise<void> {
  await db.collection<OwnInventoryWrite>(collectionName).createIndex({ writtenAt: 1 });
}

/** Indexes of the documents a failed insert refused as duplicates; throws any other failure. */
function duplicateIndexes(error: unknown): number[] {
  const writeErrors = (error as { writeErrors?: Array<{ code?: number; index?: number }> | { code?: number; index?: number } }).writeErrors;
  if (writeErrors === undefined) throw error;
  const entries = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  if (!entries.every((entry) => entry.code === duplicateKey && entry.index !== undefined)) throw error;
  return entries.map((entry) => entry.index!);
}

/**
 * Records a batch of pushed levels: one insert of the whole batch. A key already pushed in the
 * same minute (a retried push, a product named by two of its variants in two batches) is refused
 * as a duplicate and its time moved forward instead, one `_id` update each.
 */
export async function recordOwnInventoryWrites(
  db: Db,
  tenantId: string,
  items: ReadonlyArray<{ productId: string; variantId?: string | undefined }>,
  writtenAt = new Date(),
): Promise<void> {
  if (items.length === 0) return;
  const bucket = bucketOf(writtenAt.getTime());
  const documents = new Map<string, OwnInventoryWrite>();
  for (const { productId, variantId } of items) {
    const _id = idOf(keyOf(tenantId, productId, variantId), bucket);
    documents.set(_id, { _id, tenantId, productId, variantId: variantId ?? null, writtenAt });
  }
  const collection = db.collection<OwnInventoryWrite>(collectionName);
  const batch = [...documents.values()];
  try {
    await collection.insertMany(batch, { ordered: false });
  } catch (error) {
    await updateOneByOne(
      collection,
      duplicateIndexes(error).map((index) => ({ filter: { _id: batch[index]!._id }, update: { $max: { writtenAt } } })),
    );
  }
}

/** True when the product pushed this product's (or variant's) level within the window. */
export async function wasWrittenByUs(
  db: Db,
  tenantId: string,
  item: { productId: string; variantId?: string | undefined },
  windowMs: number,
  now = new Date(),
  within?: OperationLimit,
): Promise<boolean> {
  const collection = db.collection<OwnInventoryWrite>(collectionName);
  const cutoff = new Date(now.getTime() - windowMs);
  const first = bucketOf(cutoff.getTime());
  const last = bucketOf(now.getTime() + clockSkewMs);
  if (last - first + 1 > maxPointLookups) {
    const found = await collection.findOne(
      { tenantId, productId: item.productId, variantId: item.variantId ?? null, writtenAt: { $gte: cutoff } },
      { projection: { _id: 1 }, ...within },
    );
    return found !== null;
  }
  const key = keyOf(tenantId, item.productId, item.variantId);
  const buckets = Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
  const found = await Promise.all(buckets.map((bucket) => collection.findOne({ _id: idOf(key, bucket) }, { ...within })));
  return found.some((document) => document !== null && document.writtenAt >= cutoff);
}

/**
 * Most documents one delete statement removes: FerretDB's SQLite backend binds one SQL variable
 * per deleted document, and SQLite takes at most 32,766. A single push of more keys than this
 * cannot be swept (the activities push at most 4,000: 2,000 items, product and variant).
 */
const sweepChunk = 30_000;

/**
 * Forgets pushes older than the cutoff (a periodic sweep: FerretDB has no TTL indexes). Every
 * push records its keys under one `writtenAt`, so the expired documents are counted per push
 * (one aggregate) and deleted a run of consecutive pushes at a time, each run below the
 * statement limit: one `deleteMany` of 100k documents is refused by FerretDB ("too many SQL
 * variables"), and deleting by `_id` costs one transaction per document.
 */
export async function sweepOwnInventoryWrites(db: Db, olderThan: Date): Promise<number> {
  const collection = db.collection<OwnInventoryWrite>(collectionName);
  const pushes = await collection
    .aggregate<{ _id: Date; count: number }>([
      { $match: { writtenAt: { $lt: olderThan } } },
      { $group: { _id: '$writtenAt', count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  let deleted = 0;
  let range: { from: Date; to: Date; count: number } | undefined;
  const deleteRange = async ({ from, to }: { from: Date; to: Date }) => {
    deleted += (await collection.deleteMany({ writtenAt: { $gte: from, $lte: to } })).deletedCount;
  };
  for (const push of pushes) {
    if (range !== undefined && range.count + push.count > sweepChunk) {
      await deleteRange(range);
      range = undefined;
    }
    range =
      range === undefined
        ? { from: push._id, to: push._id, count: push.count }
        : { ...range, to: push._id, count: range.count + push.count };
  }
  if (range !== undefined) await deleteRange(range);
  return deleted;
}
