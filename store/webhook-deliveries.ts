import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key.js';

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
  receivedAt: Date;
}

const collectionName = 'webhook_deliveries';

export async function ensureWebhookDeliveryIndexes(db: Db): Promise<void> {
  const collection = db.collection<WebhookDelivery>(collectionName);
  await collection.createIndex({ receivedAt: 1 });
  await collection.createIndex({ tenantId: 1, entity: 1, entityId: 1 });
}

/**
 * Records a delivery under (tenant, storefront, delivery id); false when it was recorded
 * before. The unique `_id` decides, so concurrent duplicates cannot both win.
 */
export async function recordFirstDelivery(
  db: Db,
  delivery: Omit<WebhookDelivery, '_id' | 'receivedAt'>,
): Promise<boolean> {
  try {
    await db.collection<WebhookDelivery>(collectionName).insertOne({
      _id: `${delivery.tenantId}:${delivery.storefront}:${delivery.deliveryId}`,
      ...delivery,
      receivedAt: new Date(),
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Forgets one delivery (its dispatch failed; the storefront's retry must count as new). */
export async function forgetDelivery(db: Db, delivery: Pick<WebhookDelivery, 'tenantId' | 'storefront' | 'deliveryId'>): Promise<void> {
  await db.collection<WebhookDelivery>(collectionName).deleteOne({ _id: `${delivery.tenantId}:${delivery.storefront}:${delivery.deliveryId}` });
}

/** Deletes deliveries older than the cutoff (no TTL indexes on FerretDB: a periodic sweep instead). */
export async function sweepWebhookDeliveries(db: Db, olderThan: Date): Promise<number> {
  return (await db.collection<WebhookDelivery>(collectionName).deleteMany({ receivedAt: { $lt: olderThan } })).deletedCount;
}
