import type { Db, Filter, ObjectId } from 'mongodb';
import { mappingTableSchemas, type MappingTableName } from './schemas/mapping-tables.js';
import { retryOnDuplicateKey } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';
import { updateOneByOne } from './update-statements.js';

/** One row of a tenant's mapping table, stored under its table's key field. */
export interface MappingRowDocument {
  _id?: ObjectId;
  tenantId: string;
  table: MappingTableName;
  key: string;
  row: Record<string, unknown>;
  updatedAt: Date;
  updatedBy: string;
}

const collectionName = 'mapping_rows';

export async function ensureMappingIndexes(db: Db): Promise<void> {
  await db.collection<MappingRowDocument>(collectionName).createIndex({ tenantId: 1, table: 1, key: 1 }, { unique: true });
}

/**
 * A page of a mapping table; with `search`, only rows whose key or any column contains it,
 * ignoring case (a plain substring: the text is escaped, never run as a pattern).
 */
export async function listMappingRows(
  db: Db,
  tenantId: string,
  table: MappingTableName,
  page: { limit: number; cursor?: string | undefined; search?: string | undefined },
): Promise<Page<MappingRowDocument>> {
  const search = page.search?.trim();
  const filter: Filter<MappingRowDocument> = { tenantId, table };
  if (search) {
    const contains = { $regex: search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    filter.$or = [{ key: contains }, ...mappingTableSchemas[table].csvColumns.map((column) => ({ [`row.${column}`]: contains }))];
  }
  return findPage(db.collection<MappingRowDocument>(collectionName), filter, page);
}

export async function allMappingRows(db: Db, tenantId: string, table: MappingTableName): Promise<MappingRowDocument[]> {
  return db.collection<MappingRowDocument>(collectionName).find({ tenantId, table }).sort({ key: 1 }).toArray();
}

/**
 * The items table's rows that concern these Intacct items: rows naming one of them, and rows
 * whose storefront SKU is one of their ids (that SKU then belongs to another item).
 */
export async function itemMappingRowsForItems(db: Db, tenantId: string, itemIds: readonly string[]): Promise<MappingRowDocument[]> {
  if (itemIds.length === 0) return [];
  const ids = [...itemIds];
  return db
    .collection<MappingRowDocument>(collectionName)
    .find({ tenantId, table: 'items', $or: [{ 'row.intacctItemId': { $in: ids } }, { key: { $in: ids } }] })
    .toArray();
}

/** The customers table's rows that name this Intacct customer, whoever wrote them. */
export async function customerMappingRowsNaming(db: Db, tenantId: string, intacctCustomerId: string): Promise<MappingRowDocument[]> {
  return db
    .collection<MappingRowDocument>(collectionName)
    .find({ tenantId, table: 'customers', 'row.intacctCustomerId': intacctCustomerId })
    .toArray();
}

/**
 * Deletes customers rows by key, but only while they still name `intacctCustomerId` and were
 * written by `writtenBy`: a row a person corrected meanwhile is theirs and stays. Answers how many went.
 */
export async function forgetCustomerMappingRows(
  db: Db,
  tenantId: string,
  keys: readonly string[],
  intacctCustomerId: string,
  writtenBy: string,
): Promise<number> {
  if (keys.length === 0) return 0;
  const filter = {
    tenantId,
    table: 'customers' as const,
    key: { $in: [...keys] },
    'row.intacctCustomerId': intacctCustomerId,
    updatedBy: writtenBy,
  };
  return (await db.collection<MappingRowDocument>(collectionName).deleteMany(filter)).deletedCount;
}

export async function findMappingRow(db: Db, tenantId: string, table: MappingTableName, key: string): Promise<MappingRowDocument | null> {
  return db.collection<MappingRowDocument>(collectionName).findOne({ tenantId, table, key });
}

/** Creates or replaces rows by key. Upserts, so a retried import converges on the same state. */
export async function upsertMappingRows(
  db: Db,
  tenantId: string,
  table: MappingTableName,
  rows: Array<{ key: string; row: Record<string, unknown> }>,
  updatedBy: string,
): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  const updatedAt = new Date();
  // One command per row: a single command of many matching rows deadlocks FerretDB (see updateOneByOne).
  const result = await updateOneByOne(
    db.collection<MappingRowDocument>(collectionName),
    rows.map(({ key, row }) => ({ filter: { tenantId, table, key }, update: { $set: { row, updatedAt, updatedBy } }, upsert: true })),
  );
  return { created: result.upsertedCount, updated: result.matchedCount };
}

export async function deleteMappingRow(db: Db, tenantId: string, table: MappingTableName, key: string): Promise<boolean> {
  return (await db.collection<MappingRowDocument>(collectionName).deleteOne({ tenantId, table, key })).deletedCount === 1;
}

/**
 * Creates rows only where the key has none: an existing row (a person's) is never touched, even
 * one written between the caller's read and this write. Answers the keys created.
 */
export async function insertMappingRowsIfAbsent(
  db: Db,
  tenantId: string,
  table: MappingTableName,
  rows: Array<{ key: string; row: Record<string, unknown> }>,
  updatedBy: string,
): Promise<string[]> {
  const created: string[] = [];
  const updatedAt = new Date();
  for (const { key, row } of rows) {
    const result = await retryOnDuplicateKey(() =>
      db
        .collection<MappingRowDocument>(collectionName)
        .updateOne({ tenantId, table, key }, { $setOnInsert: { row, updatedAt, updatedBy } }, { upsert: true }),
    );
    if (result.upsertedCount === 1) created.push(key);
  }
  return created;
}

/** The rows of a table one writer wrote (the mapping assistant's automatic rows, for instance). */
export async function mappingRowsWrittenBy(
  db: Db,
  tenantId: string,
  table: MappingTableName,
  updatedBy: string,
): Promise<MappingRowDocument[]> {
  return db.collection<MappingRowDocument>(collectionName).find({ tenantId, table, updatedBy }).sort({ key: 1 }).toArray();
}

/** The customers table's rows naming any of these Intacct customers (a poll page's look-up). */
export async function customerMappingRowsNamingAny(
  db: Db,
  tenantId: string,
  intacctCustomerIds: readonly string[],
): Promise<MappingRowDocument[]> {
  if (intacctCustomerIds.length === 0) return [];
  return db
    .collection<MappingRowDocument>(collectionName)
    .find({ tenantId, table: 'customers', 'row.intacctCustomerId': { $in: [...intacctCustomerIds] } })
    .toArray();
}
