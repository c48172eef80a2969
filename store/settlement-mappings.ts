import type { Db, ObjectId } from 'mongodb';
import type { SettlementColumnMapping } from '../mappers/settlement-report/column-mapping.js';

/** A tenant's named column mapping for its settlement files, stored as validated. */
export interface SettlementMappingDocument {
  _id?: ObjectId;
  tenantId: string;
  name: string;
  mapping: SettlementColumnMapping;
  updatedAt: Date;
  updatedBy: string;
}

const collectionName = 'settlement_mappings';

export async function ensureSettlementMappingIndexes(db: Db): Promise<void> {
  await db.collection<SettlementMappingDocument>(collectionName).createIndex({ tenantId: 1, name: 1 }, { unique: true });
}

export async function findSettlementMapping(db: Db, tenantId: string, name: string): Promise<SettlementMappingDocument | null> {
  return db.collection<SettlementMappingDocument>(collectionName).findOne({ tenantId, name });
}

/** A tenant's mappings by name; a tenant keeps a handful, so no pagination. */
export async function listSettlementMappings(db: Db, tenantId: string): Promise<SettlementMappingDocument[]> {
  return db.collection<SettlementMappingDocument>(collectionName).find({ tenantId }).sort({ name: 1 }).limit(1000).toArray();
}

/** Creates or replaces a mapping by name; answers whether it was new. */
export async function putSettlementMapping(
  db: Db,
  tenantId: string,
  name: string,
  mapping: SettlementColumnMapping,
  updatedBy: string,
): Promise<{ created: boolean }> {
  const result = await db
    .collection<SettlementMappingDocument>(collectionName)
    .updateOne({ tenantId, name }, { $set: { mapping, updatedAt: new Date(), updatedBy } }, { upsert: true });
  return { created: result.upsertedCount === 1 };
}
