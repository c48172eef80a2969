import type { Db, Filter, ObjectId } from 'mongodb';
import { raiseAttentionAlert } from './alert-outbox.js';
import { retryOnDuplicateKey } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';

/** Something that could not sync and waits for a person: what, why, since when, what fixes it. */
export interface AttentionItem {
  _id?: ObjectId;
  tenantId: string;
  entity: 'order' | 'refund' | 'inventory' | 'tenant';
  externalId: string;
  state: 'open' | 'resolved';
  /** Stable machine code, e.g. `unknown_sku`, `totals_do_not_balance`, `intacct_input_error`. */
  code: string;
  reason: string;
  /** What an operator does to fix it, e.g. "add the SKUs to the item mapping table, then retry". */
  fix: string;
  details?: Record<string, unknown>;
  workflowId?: string;
  since: Date;
  updatedAt: Date;
  resolvedAt?: Date;
  resolvedBy?: string;
}

const collectionName = 'attention_queue';

export async function ensureAttentionIndexes(db: Db): Promise<void> {
  const collection = db.collection<AttentionItem>(collectionName);
  // One item per thing: parking again updates the reason and keeps `since`.
  await collection.createIndex({ tenantId: 1, entity: 1, externalId: 1 }, { unique: true });
  await collection.createIndex({ tenantId: 1, state: 1 });
}

export async function parkForAttention(
  db: Db,
  item: Pick<AttentionItem, 'tenantId' | 'entity' | 'externalId' | 'code' | 'reason' | 'fix'> &
    Partial<Pick<AttentionItem, 'details' | 'workflowId'>>,
): Promise<AttentionItem> {
  const { tenantId, entity, externalId, ...rest } = item;
  const now = new Date();
  const existing = await db.collection<AttentionItem>(collectionName).findOne({ tenantId, entity, externalId });
  const since = existing?.state === 'open' ? existing.since : now;
  const parked = (await retryOnDuplicateKey(() =>
    db
      .collection<AttentionItem>(collectionName)
      .findOneAndUpdate(
        { tenantId, entity, externalId },
        { $set: { ...rest, state: 'open', since, updatedAt: now }, $unset: { resolvedAt: '', resolvedBy: '' } },
        { upsert: true, returnDocument: 'after' },
      ),
  ))!;
  // In the same write path as the park, keyed by item, code, reason and episode: a retried
  // activity or a re-park for the same reason finds the alert already in the outbox.
  await raiseAttentionAlert(db, parked);
  return parked;
}

/** The item as it stands now, open or resolved; null when nothing was ever parked under the key. */
export async function findAttentionItem(
  db: Db,
  key: Pick<AttentionItem, 'tenantId' | 'entity' | 'externalId'>,
): Promise<AttentionItem | null> {
  return db.collection<AttentionItem>(collectionName).findOne(key);
}

export async function resolveAttention(
  db: Db,
  key: Pick<AttentionItem, 'tenantId' | 'entity' | 'externalId'>,
  resolvedBy: string,
): Promise<AttentionItem | null> {
  const now = new Date();
  return db
    .collection<AttentionItem>(collectionName)
    .findOneAndUpdate(
      { ...key, state: 'open' },
      { $set: { state: 'resolved', resolvedAt: now, resolvedBy, updatedAt: now } },
      { returnDocument: 'after' },
    );
}

/** Which attention items a listing or a bulk action takes. */
export interface AttentionFilter {
  state?: AttentionItem['state'] | undefined;
  /** One entity, or any of several. */
  entity?: AttentionItem['entity'] | ReadonlyArray<AttentionItem['entity']> | undefined;
  code?: string | undefined;
  /** Items parked at or after this instant (an open item keeps the `since` of its first park). */
  parkedSince?: Date | undefined;
}

function attentionQuery(tenantId: string, filter: AttentionFilter): Filter<AttentionItem> {
  const { entity } = filter;
  return {
    tenantId,
    ...(filter.state && { state: filter.state }),
    ...(typeof entity === 'string' ? { entity } : entity !== undefined && { entity: { $in: [...entity] } }),
    ...(filter.code && { code: filter.code }),
    ...(filter.parkedSince && { since: { $gte: filter.parkedSince } }),
  };
}

export async function listAttention(
  db: Db,
  tenantId: string,
  filter: AttentionFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<AttentionItem>> {
  return findPage(db.collection<AttentionItem>(collectionName), attentionQuery(tenantId, filter), page);
}

/** How many items a filter takes: what a bulk action's dry run answers. */
export async function countAttention(db: Db, tenantId: string, filter: AttentionFilter): Promise<number> {
  return db.collection<AttentionItem>(collectionName).countDocuments(attentionQuery(tenantId, filter));
}

/** Open items of every tenant, counted by tenant, entity and code (the worker's metrics read it at each scrape). */
export async function countOpenAttention(db: Db): Promise<Array<{ tenantId: string; entity: string; code: string; count: number }>> {
  const groups = await db
    .collection<AttentionItem>(collectionName)
    .aggregate<{ _id: { tenantId: string; entity: string; code: string }; count: number }>([
      { $match: { state: 'open' } },
      { $group: { _id: { tenantId: '$tenantId', entity: '$entity', code: '$code' }, count: { $sum: 1 } } },
    ])
    .toArray();
  return groups.map((group) => ({ ...group._id, count: group.count }));
}

/** Open items per code, most first: the attention queue's groups. */
export async function countOpenAttentionByCode(db: Db, tenantId: string): Promise<Array<{ code: string; count: number }>> {
  const groups = await db
    .collection<AttentionItem>(collectionName)
    .aggregate<{ _id: string; count: number }>([{ $match: { tenantId, state: 'open' } }, { $group: { _id: '$code', count: { $sum: 1 } } }])
    .toArray();
  return groups.map((group) => ({ code: group._id, count: group.count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** The open items of one entity for these external ids (a customer's orders, for the customer view). */
export async function openAttentionFor(
  db: Db,
  tenantId: string,
  entity: AttentionItem['entity'],
  externalIds: readonly string[],
): Promise<AttentionItem[]> {
  if (externalIds.length === 0) return [];
  return db
    .collection<AttentionItem>(collectionName)
    .find({ tenantId, entity, state: 'open', externalId: { $in: [...externalIds] } })
    .sort({ since: 1 })
    .toArray();
}
