import type { Db, ObjectId } from 'mongodb';
import { retryOnDuplicateKey } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';

/**
 * The long-term exactly-once guard: one entry per (tenant, entity, external id), outliving
 * Temporal's retention. Reconciliation compares it with both systems.
 */
export interface LedgerEntry {
  _id?: ObjectId;
  tenantId: string;
  entity: 'order' | 'refund' | 'payment' | 'invoice' | 'shipment' | 'inventory';
  externalId: string;
  state: 'pending' | 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';
  intacctKey?: string;
  intacctDocumentId?: string;
  /** RECORDNO of the AR invoice a posting document created: what payments apply to. */
  arInvoiceKey?: string;
  attempts: number;
  lastError?: { code: string; message: string; at: Date };
  settingsVersion?: number;
  workflowId?: string;
  createdAt: Date;
  updatedAt: Date;
}

const collectionName = 'sync_ledger';

export async function ensureLedgerIndexes(db: Db): Promise<void> {
  const collection = db.collection<LedgerEntry>(collectionName);
  await collection.createIndex({ tenantId: 1, entity: 1, externalId: 1 }, { unique: true });
  await collection.createIndex({ tenantId: 1, state: 1 });
}

export type LedgerUpdate = Partial<Omit<LedgerEntry, '_id' | 'tenantId' | 'entity' | 'externalId' | 'createdAt' | 'updatedAt' | 'attempts'>> & { countAttempt?: boolean };

/** Creates the entry on first sight and applies the update; the unique index makes concurrent callers converge. */
export async function recordLedgerEntry(db: Db, key: Pick<LedgerEntry, 'tenantId' | 'entity' | 'externalId'>, update: LedgerUpdate): Promise<LedgerEntry> {
  const { countAttempt, ...fields } = update;
  const now = new Date();
  const entry = await retryOnDuplicateKey(() => db.collection<LedgerEntry>(collectionName).findOneAndUpdate(
    key,
    {
      $set: { ...fields, updatedAt: now },
      $setOnInsert: { createdAt: now, ...(fields.state === undefined && { state: 'pending' as const }) },
      $inc: { attempts: countAttempt ? 1 : 0 },
    },
    { upsert: true, returnDocument: 'after' },
  ));
  return entry!;
}

export async function findLedgerEntry(db: Db, key: Pick<LedgerEntry, 'tenantId' | 'entity' | 'externalId'>): Promise<LedgerEntry | null> {
  return db.collection<LedgerEntry>(collectionName).findOne(key);
}

export async function listLedger(
  db: Db,
  tenantId: string,
  filter: { entity?: LedgerEntry['entity'] | undefined; state?: LedgerEntry['state'] | undefined; externalId?: string | undefined },
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<LedgerEntry>> {
  return findPage(
    db.collection<LedgerEntry>(collectionName),
    { tenantId, ...(filter.entity && { entity: filter.entity }), ...(filter.state && { state: filter.state }), ...(filter.externalId && { externalId: filter.externalId }) },
    page,
  );
}
