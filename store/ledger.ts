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
  /** For a refund: the storefront order it belongs to (the 'order' entry's externalId). */
  orderExternalId?: string;
  /** For a refund: what it took off the order's Intacct documents, in minor units of `currency`. */
  amount?: number;
  currency?: string;
  /** For a refund before invoicing: the sales order it reduced (or closed), not a credit memo. */
  reducedDocumentId?: string;
  /** What that refund did to the sales order: its lines came down, or it was closed. */
  reduction?: 'reduced' | 'closed';
  /** Who holds the entry's short lease (see {@link acquireLedgerLease}), and until when. */
  leaseHolder?: string;
  leaseUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const collectionName = 'sync_ledger';

export async function ensureLedgerIndexes(db: Db): Promise<void> {
  const collection = db.collection<LedgerEntry>(collectionName);
  await collection.createIndex({ tenantId: 1, entity: 1, externalId: 1 }, { unique: true });
  await collection.createIndex({ tenantId: 1, state: 1 });
  await collection.createIndex({ tenantId: 1, entity: 1, orderExternalId: 1 });
}

export type LedgerUpdate = Partial<Omit<LedgerEntry, '_id' | 'tenantId' | 'entity' | 'externalId' | 'createdAt' | 'updatedAt' | 'attempts' | 'leaseHolder' | 'leaseUntil'>> & { countAttempt?: boolean };

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

/**
 * Takes a short lease on an existing entry for `holder`, so that read-modify-write changes of
 * one Intacct document (refunds reducing the same sales order) happen one at a time. True when
 * `holder` has it (again, or newly, or because the last holder's lease ran out); false while
 * someone else holds it. The entry must exist: a lease is never how an entry is created.
 */
export async function acquireLedgerLease(db: Db, key: Pick<LedgerEntry, 'tenantId' | 'entity' | 'externalId'>, holder: string, leaseMs: number): Promise<boolean> {
  const now = new Date();
  const taken = await db.collection<LedgerEntry>(collectionName).findOneAndUpdate(
    { ...key, $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }, { leaseHolder: holder }] },
    { $set: { leaseHolder: holder, leaseUntil: new Date(now.getTime() + leaseMs) } },
    { returnDocument: 'after' },
  );
  return taken !== null;
}

/** Gives the lease back, if `holder` still has it. */
export async function releaseLedgerLease(db: Db, key: Pick<LedgerEntry, 'tenantId' | 'entity' | 'externalId'>, holder: string): Promise<void> {
  await db.collection<LedgerEntry>(collectionName).updateOne({ ...key, leaseHolder: holder }, { $unset: { leaseHolder: '', leaseUntil: '' } });
}

/** The refunds the ledger holds for one storefront order, in the order they were first seen. */
export async function listOrderRefunds(db: Db, tenantId: string, orderExternalId: string): Promise<LedgerEntry[]> {
  return db.collection<LedgerEntry>(collectionName).find({ tenantId, entity: 'refund', orderExternalId }).sort({ createdAt: 1, _id: 1 }).toArray();
}
