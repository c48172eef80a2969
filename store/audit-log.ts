import type { Db, ObjectId } from 'mongodb';
import { findPage, type Page } from './pagination.js';

/** One write through the admin API: who, what, on which tenant. Never the values of secrets. */
export interface AuditEntry {
  _id?: ObjectId;
  at: Date;
  actor: string;
  tenantId: string | null;
  action: string;
  target: string;
  requestId: string | undefined;
  details?: Record<string, unknown>;
}

const collectionName = 'audit_log';

export async function ensureAuditIndexes(db: Db): Promise<void> {
  await db.collection<AuditEntry>(collectionName).createIndex({ tenantId: 1, at: -1 });
}

export async function appendAudit(db: Db, entry: Omit<AuditEntry, '_id' | 'at'>): Promise<void> {
  await db.collection<AuditEntry>(collectionName).insertOne({ ...entry, at: new Date() });
}

/** What the console's audit page narrows the log by; every part optional. */
export interface AuditFilter {
  /** Actions starting with this (`inventory` takes `inventory.pause` and `inventory.resume`). */
  actionPrefix?: string | undefined;
  /** The key id that acted. */
  actor?: string | undefined;
  /** Entries at or after this instant. */
  from?: Date | undefined;
  /** Entries before this instant. */
  before?: Date | undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A page of the tenant's audit log by keyset: oldest first (the admin API), or newest first
 * with `newestFirst` (the console), narrowed by `filter`.
 */
export async function listAudit(
  db: Db,
  tenantId: string,
  page: { limit: number; cursor?: string | undefined; newestFirst?: boolean },
  filter: AuditFilter = {},
): Promise<Page<AuditEntry>> {
  const at = { ...(filter.from && { $gte: filter.from }), ...(filter.before && { $lt: filter.before }) };
  return findPage(
    db.collection<AuditEntry>(collectionName),
    {
      tenantId,
      ...(filter.actionPrefix && { action: { $regex: `^${escapeRegExp(filter.actionPrefix)}` } }),
      ...(filter.actor && { actor: filter.actor }),
      ...(Object.keys(at).length > 0 && { at }),
    },
    page,
  );
}
