import type { Db } from 'mongodb';
import type { ConfirmedItemPair } from '../mappers/item-suggestion-patterns.js';

/** A suggestion a person rejected: that SKU is never offered that item again. */
export interface ItemSuggestionRejection {
  tenantId: string;
  storefrontSku: string;
  intacctItemId: string;
  rejectedAt: Date;
  rejectedBy: string;
}

const collectionName = 'item_suggestion_rejections';

export async function ensureItemSuggestionRejectionIndexes(db: Db): Promise<void> {
  await db
    .collection<ItemSuggestionRejection>(collectionName)
    .createIndex({ tenantId: 1, storefrontSku: 1, intacctItemId: 1 }, { unique: true });
}

/** Remembers a rejection; rejecting the same pair again changes nothing (an upsert). */
export async function rejectItemSuggestion(db: Db, tenantId: string, pair: ConfirmedItemPair, rejectedBy: string): Promise<void> {
  await db
    .collection<ItemSuggestionRejection>(collectionName)
    .updateOne(
      { tenantId, storefrontSku: pair.storefrontSku, intacctItemId: pair.intacctItemId },
      { $setOnInsert: { rejectedAt: new Date(), rejectedBy } },
      { upsert: true },
    );
}

/** Every pair the tenant rejected. */
export async function itemSuggestionRejections(db: Db, tenantId: string): Promise<ConfirmedItemPair[]> {
  const rows = await db.collection<ItemSuggestionRejection>(collectionName).find({ tenantId }).toArray();
  return rows.map((row) => ({ storefrontSku: row.storefrontSku, intacctItemId: row.intacctItemId }));
}
