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

export async function listAudit(db: Db, tenantId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<AuditEntry>> {
  return findPage(db.collection<AuditEntry>(collectionName), { tenantId }, page);
}
