import type { Db } from 'mongodb';
import { isDuplicateKeyError, retryOnDuplicateKey } from './duplicate-key.js';
import type { OperationLimit } from './operation-limit.js';
import { updateOneByOne } from './update-statements.js';

/**
 * `received` when recorded, `dispatched` once the dispatcher accepted the event. Records written
 * before deliveries had a state have none and count as `dispatched`: that version recorded a
 * delivery only to acknowledge its copies.
 */
export type WebhookDeliveryState = 'received' | 'dispatched';

/** A webhook delivery as received, kept for deduplication and replay. */
export interface WebhookDelivery {
  _id: string;
  tenantId: string;
  storefront: string;
  deliveryId: string;
  topic: string;
  entity: string;
  entityId: string;
  orderId?: string;
  occurredAt: string;
  state?: WebhookDeliveryState;
  receivedAt: Date;
  dispatchedAt?: Date;
}

export type WebhookDeliveryKey = Pick<WebhookDelivery, 'tenantId' | 'storefront' | 'deliveryId'>;

const collectionName = 'webhook_deliveries';

/**
 * A delivery's key, `{tenantId}:{storefront}:{deliveryId}` (its dead letter shares it). Every
 * read and write here filters on `_id` alone: FerretDB's SQLite backend answers that from its
 * primary key and scans the whole collection for any other filter.
 */
export const webhookDeliveryId = (delivery: WebhookDeliveryKey): string =>
  `${delivery.tenantId}:${delivery.storefront}:${delivery.deliveryId}`;

export async function ensureWebhookDeliveryIndexes(db: Db): Promise<void> {
  const collection = db.collection<WebhookDelivery>(collectionName);
  await collection.createIndex({ receivedAt: 1 });
  await collection.createIndex({ tenantId: 1, entity: 1, entityId: 1 });
}

/**
 * Records a delivery under (tenant, storefront, delivery id) as `received`, unless it was
 * recorded before: then the record is left as it was and its state and time are answered. The
 * unique `_id` decides, so of concurrent copies exactly one finds nothing before it.
 */
export async function recordDelivery(
  db: Db,
  delivery: Omit<WebhookDelivery, '_id' | 'state' | 'receivedAt' | 'dispatchedAt'>,
  receivedAt = new Date(),
  within?: OperationLimit,
): Promise<{ state: WebhookDeliveryState; receivedAt: Date } | undefined> {
  const collection = db.collection<WebhookDelivery>(collectionName);
  // Two upserts of one new id can both try the insert; the loser's second try finds the winner's record.
  const earlier = await retryOnDuplicateKey(() =>
    collection.findOneAndUpdate(
      { _id: webhookDeliveryId(delivery) },
      { $setOnInsert: { ...delivery, state: 'received', receivedAt } },
      { upsert: true, returnDocument: 'before', ...within },
    ),
  );
  return earlier === null ? undefined : { state: earlier.state ?? 'dispatched', receivedAt: earlier.receivedAt };
}

/**
 * {@link recordDelivery} for many deliveries in one write: inserted together, unordered, each
 * answered as `recordDelivery` would (undefined when this write recorded it, else the earlier
 * record's state and time, read back by `_id`). A burst then costs the database's single writer
 * one transaction per batch instead of one per delivery. A failure other than a duplicate key
 * fails every delivery of the batch, none of which may then be acknowledged.
 */
export async function recordDeliveries(
  db: Db,
  deliveries: ReadonlyArray<{ delivery: Omit<WebhookDelivery, '_id' | 'state' | 'receivedAt' | 'dispatchedAt'>; receivedAt: Date }>,
  within?: OperationLimit,
): Promise<Array<{ state: WebhookDeliveryState; receivedAt: Date } | undefined>> {
  const collection = db.collection<WebhookDelivery>(collectionName);
  const documents = deliveries.map(({ delivery, receivedAt }) => ({
    ...delivery,
    _id: webhookDeliveryId(delivery),
    state: 'received' as const,
    receivedAt,
  }));
  const known = new Set<number>();
  try {
    await collection.insertMany(documents, { ordered: false, ...within });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const failures = Array.isArray(writeErrors) ? (writeErrors as Array<{ index: number; code?: number }>) : [];
    if (failures.length === 0 && !isDuplicateKeyError(error)) throw error;
    if (failures.some((failure) => failure.code !== 11000)) throw error;
    for (const failure of failures) known.add(failure.index);
    // A lone duplicate may come back as the error itself rather than in writeErrors.
    if (failures.length === 0) for (const index of documents.keys()) known.add(index);
  }
  return Promise.all(
    documents.map(async (document, index) => {
      if (!known.has(index)) return undefined;
      const earlier = await collection.findOne({ _id: document._id }, { ...within });
      // Gone already (released or swept between the insert and this read): this attempt records it anew.
      if (earlier === null) return recordDelivery(db, deliveries[index]!.delivery, deliveries[index]!.receivedAt, within);
      return { state: earlier.state ?? 'dispatched', receivedAt: earlier.receivedAt };
    }),
  );
}

/** Notes that the dispatcher accepted the delivery's event. */
export async function markDeliveryDispatched(
  db: Db,
  delivery: WebhookDeliveryKey,
  dispatchedAt = new Date(),
  within?: OperationLimit,
): Promise<void> {
  await db
    .collection<WebhookDelivery>(collectionName)
    .updateOne({ _id: webhookDeliveryId(delivery) }, { $set: { state: 'dispatched', dispatchedAt } }, { ...within });
}

/**
 * Notes that the dispatcher accepted these deliveries' events (the deferred intake marks what it
 * dispatched in batches): one update per delivery, one command each, in order (see
 * {@link updateOneByOne}: one command of a batch's 100 statements deadlocked FerretDB), each
 * filtering on `_id` alone (see {@link webhookDeliveryId}).
 */
export async function markDeliveriesDispatched(
  db: Db,
  deliveries: readonly WebhookDeliveryKey[],
  dispatchedAt = new Date(),
  limitEach?: () => OperationLimit,
): Promise<void> {
  await updateOneByOne(
    db.collection<WebhookDelivery>(collectionName),
    deliveries.map((delivery) => ({
      filter: { _id: webhookDeliveryId(delivery) },
      update: { $set: { state: 'dispatched' as const, dispatchedAt } },
    })),
    limitEach,
  );
}

/**
 * Deliveries recorded before `receivedBefore` and still `received`, oldest first: acknowledged,
 * but their dispatch was never noted (the process died between its answer and its dispatch, or
 * the dispatch or its mark failed). The recovery sweep dispatches them. This one reads by state
 * and time, which FerretDB's SQLite backend answers by scanning: the sweep runs it every few
 * seconds, not per delivery, over a log that housekeeping keeps to a week.
 */
export async function findUndispatchedDeliveries(
  db: Db,
  receivedBefore: Date,
  limit: number,
  within?: OperationLimit,
): Promise<WebhookDelivery[]> {
  return db
    .collection<WebhookDelivery>(collectionName)
    .find({ state: 'received', receivedAt: { $lt: receivedBefore } }, { ...within })
    .sort({ receivedAt: 1 })
    .limit(limit)
    .toArray();
}

/** Forgets one delivery (its dispatch failed; the storefront's retry must count as new). */
export async function forgetDelivery(db: Db, delivery: WebhookDeliveryKey, within?: OperationLimit): Promise<void> {
  await db.collection<WebhookDelivery>(collectionName).deleteOne({ _id: webhookDeliveryId(delivery) }, { ...within });
}

/** Deletes deliveries older than the cutoff (no TTL indexes on FerretDB: a periodic sweep instead). */
export async function sweepWebhookDeliveries(db: Db, olderThan: Date): Promise<number> {
  return (await db.collection<WebhookDelivery>(collectionName).deleteMany({ receivedAt: { $lt: olderThan } })).deletedCount;
}
