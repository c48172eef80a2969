import type { Db } from 'mongodb';
import type { MappingTableName } from './schemas/mapping-tables.js';

/**
 * A mapping suggestion a person rejected, in any table that takes suggestions: that storefront
 * value (the row's key) is never offered that candidate again. The candidate is what the row
 * would point at: the Intacct item id for items, the row's other fields (canonical JSON) elsewhere.
 */
export interface SuggestionRejection {
  tenantId: string;
  table: MappingTableName;
  key: string;
  candidate: string;
  rejectedAt: Date;
  rejectedBy: string;
}

/** A rejected pair: a row's key and the candidate it must not be offered. */
export interface RejectedCandidate {
  key: string;
  candidate: string;
}

const collectionName = 'mapping_suggestion_rejections';

export async function ensureSuggestionRejectionIndexes(db: Db): Promise<void> {
  await db.collection<SuggestionRejection>(collectionName).createIndex({ tenantId: 1, table: 1, key: 1, candidate: 1 }, { unique: true });
}

/** Remembers a rejection; rejecting the same pair again changes nothing (an upsert). */
export async function rememberRejectedSuggestion(
  db: Db,
  tenantId: string,
  table: MappingTableName,
  rejected: RejectedCandidate,
  rejectedBy: string,
): Promise<void> {
  await db
    .collection<SuggestionRejection>(collectionName)
    .updateOne(
      { tenantId, table, key: rejected.key, candidate: rejected.candidate },
      { $setOnInsert: { rejectedAt: new Date(), rejectedBy } },
      { upsert: true },
    );
}

/** Every pair the tenant rejected in one table. */
export async function rejectedSuggestions(db: Db, tenantId: string, table: MappingTableName): Promise<RejectedCandidate[]> {
  const rows = await db.collection<SuggestionRejection>(collectionName).find({ tenantId, table }).toArray();
  return rows.map((row) => ({ key: row.key, candidate: row.candidate }));
}

/** Forgets the table's rejections under these keys (a shopper's erasure: guest keys are emails). Answers how many. */
export async function forgetRejectedSuggestions(
  db: Db,
  tenantId: string,
  table: MappingTableName,
  keys: readonly string[],
): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await db.collection<SuggestionRejection>(collectionName).deleteMany({ tenantId, table, key: { $in: [...keys] } });
  return result.deletedCount;
}
