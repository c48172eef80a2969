import type { Db } from 'mongodb';

/**
 * Stock levels the product itself pushed to a storefront, so the inventory webhooks those
 * pushes cause are recognised and not reconciled again. Intacct is the master for stock: a
 * storefront change that happens to land inside the window is corrected by the next
 * scheduled reconciliation anyway, so ignoring it loses nothing.
 */
export interface OwnInventoryWrite {
  _id: string;
  tenantId: string;
  productId: string;
  variantId: string | null;
  writtenAt: Date;
}

const collectionName = 'own_inventory_writes';
const keyOf = (tenantId: string, productId: string, variantId: string | undefined) => `${tenantId}:${productId}:${variantId ?? ''}`;

export async function ensureOwnInventoryWriteIndexes(db: Db): Promise<void> {
  await db.collection<OwnInventoryWrite>(collectionName).createIndex({ writtenAt: 1 });
}

/**
 * Records a batch of pushed levels (one document per product or variant; the latest push wins).
 * Replaced by delete-then-insert rather than one upsert each: a stock push records up to
 * thousands at once, and FerretDB runs a bulk of upserts one by one but an insert as one batch.
 * A webhook checked between the two steps is taken for a foreign change: a needless
 * reconciliation, never a lost one.
 */
export async function recordOwnInventoryWrites(db: Db, tenantId: string, items: ReadonlyArray<{ productId: string; variantId?: string | undefined }>, writtenAt = new Date()): Promise<void> {
  if (items.length === 0) return;
  const documents = new Map<string, OwnInventoryWrite>();
  for (const { productId, variantId } of items) {
    const _id = keyOf(tenantId, productId, variantId);
    documents.set(_id, { _id, tenantId, productId, variantId: variantId ?? null, writtenAt });
  }
  const collection = db.collection<OwnInventoryWrite>(collectionName);
  await collection.deleteMany({ _id: { $in: [...documents.keys()] } });
  try {
    await collection.insertMany([...documents.values()], { ordered: false });
  } catch (error) {
    // A concurrent push recorded the same key just now: its record serves as well as ours.
    const writeErrors = (error as { writeErrors?: Array<{ code?: number }> | { code?: number } }).writeErrors;
    const codes = writeErrors === undefined ? [(error as { code?: number }).code] : (Array.isArray(writeErrors) ? writeErrors : [writeErrors]).map((entry) => entry.code);
    if (!codes.every((code) => code === 11000)) throw error;
  }
}

/** True when the product pushed this product's (or variant's) level within the window. */
export async function wasWrittenByUs(db: Db, tenantId: string, item: { productId: string; variantId?: string | undefined }, windowMs: number, now = new Date()): Promise<boolean> {
  const found = await db
    .collection<OwnInventoryWrite>(collectionName)
    .findOne({ _id: keyOf(tenantId, item.productId, item.variantId), writtenAt: { $gte: new Date(now.getTime() - windowMs) } });
  return found !== null;
}

/** Forgets pushes older than the cutoff (a periodic sweep: FerretDB has no TTL indexes). */
export async function sweepOwnInventoryWrites(db: Db, olderThan: Date): Promise<number> {
  return (await db.collection<OwnInventoryWrite>(collectionName).deleteMany({ writtenAt: { $lt: olderThan } })).deletedCount;
}
