import type { Db } from 'mongodb';

/**
 * The storefront price list records the price list sync manages: one per store list and SKU
 * whose record an Intacct entry in effect priced (written, or found already at that price). Only
 * these may be deleted by the daily reconciliation, so a record of a SKU or list the tenant never
 * mapped, or one someone else keeps, is never touched. Keyed `{tenantId}:{priceListId}:{sku}`.
 */
export interface ManagedPriceRecord {
  _id: string;
  tenantId: string;
  /** The storefront price list. */
  priceListId: number;
  sku: string;
  /** The Intacct items whose entries priced it: what the reconciliation asks Intacct about. */
  itemIds: string[];
  /** The reconciliation run that last found an entry in effect for it. */
  confirmedBy?: string;
  seenAt: Date;
}

const collectionName = 'price_list_records';
const idOf = (tenantId: string, priceListId: number, sku: string) => `${tenantId}:${priceListId}:${sku}`;

/** Notes records an entry in effect prices; with `confirmedBy`, as confirmed by that reconciliation run. */
export async function recordManagedPriceRecords(
  db: Db,
  tenantId: string,
  records: ReadonlyArray<{ priceListId: number; sku: string; itemId: string }>,
  confirmedBy?: string,
  at = new Date(),
): Promise<void> {
  if (records.length === 0) return;
  await db.collection<ManagedPriceRecord>(collectionName).bulkWrite(
    records.map(({ priceListId, sku, itemId }) => ({
      updateOne: {
        filter: { _id: idOf(tenantId, priceListId, sku) },
        update: {
          $set: { tenantId, priceListId, sku, seenAt: at, ...(confirmedBy !== undefined && { confirmedBy }) },
          $addToSet: { itemIds: itemId },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** Managed records on these lists that reconciliation run `runId` has not confirmed, oldest key first. */
export async function unconfirmedPriceRecords(
  db: Db,
  tenantId: string,
  priceListIds: readonly number[],
  runId: string,
  limit: number,
): Promise<ManagedPriceRecord[]> {
  return db
    .collection<ManagedPriceRecord>(collectionName)
    .find({ tenantId, priceListId: { $in: [...priceListIds] }, confirmedBy: { $ne: runId } })
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
}

/** Marks records as confirmed by reconciliation run `runId` (Intacct still backs them). */
export async function confirmPriceRecords(
  db: Db,
  tenantId: string,
  records: ReadonlyArray<{ priceListId: number; sku: string }>,
  runId: string,
): Promise<void> {
  if (records.length === 0) return;
  await db
    .collection<ManagedPriceRecord>(collectionName)
    .updateMany(
      { _id: { $in: records.map((record) => idOf(tenantId, record.priceListId, record.sku)) } },
      { $set: { confirmedBy: runId } },
    );
}

/** Forgets records deleted from the store (or found gone). */
export async function forgetPriceRecords(db: Db, tenantId: string, priceListId: number, skus: readonly string[]): Promise<void> {
  if (skus.length === 0) return;
  await db.collection<ManagedPriceRecord>(collectionName).deleteMany({ _id: { $in: skus.map((sku) => idOf(tenantId, priceListId, sku)) } });
}
