import type { Db } from 'mongodb';

/**
 * Storefront products the product itself created from Intacct items flagged for the web
 * (CatalogSync), one per SKU. Recorded before the create is sent and completed with the
 * product's id once the store answers, so that:
 * - a SKU is never created twice, even after the merchant deleted the product;
 * - the `store/product/created` webhook the create causes is recognised as the product's own
 *   write and starts no item intake back into Intacct, even when it arrives before the answer.
 *
 * Keyed `{tenantId}:{sku}`; only created products are kept, so the collection stays small and a
 * look-up by other fields (which FerretDB's SQLite backend answers by a scan) stays cheap.
 */
export interface OwnProductCreation {
  _id: string;
  tenantId: string;
  sku: string;
  /** The Intacct item it was made from. */
  itemId: string;
  /** Absent while the create is in flight (or its answer was lost). */
  productId?: string;
  startedAt: Date;
  createdAt?: Date;
}

const collectionName = 'own_product_creations';
const idOf = (tenantId: string, sku: string) => `${tenantId}:${sku}`;

/** Notes that a create of this SKU is about to be sent; a repeat keeps the first start. */
export async function recordProductCreationStarted(db: Db, tenantId: string, sku: string, itemId: string, at = new Date()): Promise<void> {
  await db
    .collection<OwnProductCreation>(collectionName)
    .updateOne({ _id: idOf(tenantId, sku) }, { $setOnInsert: { tenantId, sku, itemId, startedAt: at } }, { upsert: true });
}

/** Notes the product the store made (or already had) for this SKU. */
export async function recordProductCreated(db: Db, tenantId: string, sku: string, productId: string, at = new Date()): Promise<void> {
  await db.collection<OwnProductCreation>(collectionName).updateOne({ _id: idOf(tenantId, sku) }, { $set: { productId, createdAt: at } });
}

/** The SKUs among these whose product the product created (or was creating), with the product id when known. */
export async function productCreationsBySku(db: Db, tenantId: string, skus: readonly string[]): Promise<Map<string, OwnProductCreation>> {
  if (skus.length === 0) return new Map();
  const found = await db
    .collection<OwnProductCreation>(collectionName)
    .find({ _id: { $in: skus.map((sku) => idOf(tenantId, sku)) } })
    .toArray();
  return new Map(found.map((creation) => [creation.sku, creation]));
}

/**
 * What the store knows of a storefront product id: `own` when the product created it,
 * `pending` when it is not recorded but a create of this tenant started within `windowMs` has no
 * answer yet (the webhook may have overtaken it), `other` otherwise.
 */
export async function productCreationOf(
  db: Db,
  tenantId: string,
  productId: string,
  windowMs: number,
  now = Date.now(),
): Promise<'own' | 'pending' | 'other'> {
  const collection = db.collection<OwnProductCreation>(collectionName);
  if ((await collection.findOne({ tenantId, productId }, { projection: { _id: 1 } })) !== null) return 'own';
  const pending = await collection.findOne(
    { tenantId, productId: { $exists: false }, startedAt: { $gte: new Date(now - windowMs) } },
    { projection: { _id: 1 } },
  );
  return pending === null ? 'other' : 'pending';
}
