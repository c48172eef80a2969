import type { Db } from 'mongodb';

/**
 * Intacct items the product itself wrote (created from a storefront product), each with the
 * stamp of the version it wrote (`intacctItemStamp`). CatalogSync reads an item still at that
 * version as the product's own echo and does not carry it back to the store, which already holds
 * what the item was made from; once someone changes the item in Intacct the stamp no longer
 * matches and the change flows as any other. Keyed `{tenantId}:{itemId}`.
 *
 * Only items the product created are kept, so the collection stays small: a page's look-up by
 * `_id $in` (which FerretDB's SQLite backend answers by a scan) stays cheap.
 */
export interface OwnItemWrite {
  _id: string;
  tenantId: string;
  itemId: string;
  stamp: string;
  writtenAt: Date;
}

const collectionName = 'own_item_writes';
const idOf = (tenantId: string, itemId: string) => `${tenantId}:${itemId}`;

/** Records (or replaces) the version the product wrote to an item. */
export async function recordOwnItemWrite(db: Db, tenantId: string, itemId: string, stamp: string, writtenAt = new Date()): Promise<void> {
  await db
    .collection<OwnItemWrite>(collectionName)
    .updateOne({ _id: idOf(tenantId, itemId) }, { $set: { tenantId, itemId, stamp, writtenAt } }, { upsert: true });
}

/** The stamps the product wrote to these items, by item id; items it never wrote are absent. */
export async function ownItemStamps(db: Db, tenantId: string, itemIds: readonly string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const found = await db
    .collection<OwnItemWrite>(collectionName)
    .find({ _id: { $in: itemIds.map((itemId) => idOf(tenantId, itemId)) } })
    .toArray();
  return new Map(found.map((write) => [write.itemId, write.stamp]));
}
