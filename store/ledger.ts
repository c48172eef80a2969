import type { Db, ObjectId } from 'mongodb';
import type { OrderForAnomalyCheck } from '../decisions/order-anomalies.js';
import { isDuplicateKeyError, retryOnDuplicateKey } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';
import { ensureSyncLog, recordSyncLogRow } from './sync-log.js';

/**
 * The long-term exactly-once guard: one entry per (tenant, entity, external id), outliving
 * Temporal's retention. Reconciliation compares it with both systems.
 */
export interface LedgerEntry {
  /** `{tenantId}:{entity}:{externalId}` (see {@link ledgerEntryId}); an ObjectId only on entries not yet migrated. */
  _id?: string | ObjectId;
  tenantId: string;
  entity: 'order' | 'refund' | 'payment' | 'invoice' | 'shipment' | 'inventory';
  externalId: string;
  state: 'pending' | 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';
  intacctKey?: string;
  intacctDocumentId?: string;
  /** RECORDNO of the AR invoice a posting document created: what payments apply to. */
  arInvoiceKey?: string;
  /**
   * For an order the tenant's rules routed to another entity of a multi-entity company: that
   * entity's id, where its document (and so its invoice, payment and credits) lives; `''` or
   * absent: the connection's entity. Recorded with the first attempt, so a retry routed elsewhere
   * still finds what that attempt may have created.
   */
  intacctEntityId?: string;
  attempts: number;
  lastError?: { code: string; message: string; at: Date };
  settingsVersion?: number;
  workflowId?: string;
  /** For a refund, or a payment recorded for a capture after posting: the storefront order it belongs to (the 'order' entry's externalId). */
  orderExternalId?: string;
  /** For a refund: what it took off the order's Intacct documents; for a payment: what it received. In minor units of `currency`. */
  amount?: number;
  currency?: string;
  /** For a refund before invoicing: the sales order it reduced (or closed), not a credit memo. */
  reducedDocumentId?: string;
  /** What that refund did to the sales order: its lines came down, or it was closed. */
  reduction?: 'reduced' | 'closed';
  /** Who holds the entry's short lease (see {@link acquireLedgerLease}), and until when. */
  leaseHolder?: string;
  leaseUntil?: Date;
  /**
   * For an order: its storefront stamp as the product last saw it, the modification time plus
   * the state the product acts on (see mappers/storefront-order-stamp.ts); a later run whose
   * order still has this stamp has nothing to do.
   */
  storefrontModifiedAt?: string;
  /**
   * For a payment: the storefront gateway that took it and the ids the gateway knows it by
   * (BigCommerce `gateway_transaction_id`s, Clarity's equivalent): how payout lines find it.
   */
  gateway?: string;
  gatewayTransactionIds?: string[];
  /** For a payment: the deposit (a processor payout's id) that moved its receipt to the bank, once one did. */
  depositedIn?: string;
  /** For an order: payments were recorded for captures after posting (see {@link capturePaymentKey}), so a later payment leaves them out. */
  capturesRecordedApart?: boolean;
  /**
   * For an order: what the anomaly checks read of it (the buyer as a hash, no address), recorded
   * when it was checked; those of posted orders are the tenant's history (see {@link listPostedOrderFigures}).
   */
  anomalyFigures?: OrderForAnomalyCheck;
  createdAt: Date;
  updatedAt: Date;
}

const collectionName = 'sync_ledger';

type LedgerKey = Pick<LedgerEntry, 'tenantId' | 'entity' | 'externalId'>;

/**
 * The entry's `_id`, derived from its key. Every look-up of the exactly-once path goes by `_id`
 * because that is the one filter FerretDB's SQLite backend answers from an index: a filter on
 * (tenant, entity, external id) scanned the whole ledger, about 200 ms per call at 6,000
 * entries, and under a 1,000-order run those scans starved MongoDB writers into SQLITE_BUSY.
 * Tenant ids and entities hold no colon, so the id is unambiguous whatever the external id holds.
 */
export function ledgerEntryId(key: LedgerKey): string {
  return `${key.tenantId}:${key.entity}:${key.externalId}`;
}

const keyIndexName = 'tenantId_1_entity_1_externalId_1';
/** One-off data migrations already done, by name. */
const migrationsCollectionName = 'schema_migrations';
const ledgerIdsMigration = 'ledger-derived-ids';

export async function ensureLedgerIndexes(db: Db): Promise<void> {
  const collection = db.collection<LedgerEntry>(collectionName);
  await migrateLedgerIds(db);
  await ensureSyncLog(db);
  // The `_id` now keeps the key unique; this index serves the admin API's listing by entity.
  await collection.createIndex({ tenantId: 1, entity: 1, externalId: 1 }, { name: keyIndexName });
  await collection.createIndex({ tenantId: 1, state: 1 });
  await collection.createIndex({ tenantId: 1, entity: 1, orderExternalId: 1 });
  // Payout matching looks payments up by the gateway's ids of the money they received.
  await collection.createIndex({ tenantId: 1, entity: 1, gatewayTransactionIds: 1 });
}

/**
 * Moves entries written before ids were derived from keys to their derived id. Safe to run
 * again after a crash half-way: the copy is written before the original is deleted, and a copy
 * that exists already is kept (it is the one look-ups have been updating since).
 */
export async function migrateLedgerIds(db: Db): Promise<number> {
  const collection = db.collection<LedgerEntry>(collectionName);
  // The old unique key index would refuse the copy while the original exists. Its absence alone
  // does not say the copies are done (a crash may come between), hence the marker below.
  const indexes = await collection.indexes().catch(() => []);
  const oldIndexThere = indexes.some((index) => index.name === keyIndexName && index.unique === true);
  // Finding the old entries reads the whole ledger (no index answers `$type`), so a finished migration is not run again at every start-up.
  const markers = db.collection<{ _id: string; at: Date }>(migrationsCollectionName);
  if (!oldIndexThere && (await markers.findOne({ _id: ledgerIdsMigration })) !== null) return 0;
  if (oldIndexThere) {
    // Another process starting at the same moment may have dropped it first.
    await collection.dropIndex(keyIndexName).catch((error: unknown) => {
      if ((error as { codeName?: string }).codeName !== 'IndexNotFound') throw error;
    });
  }
  let moved = 0;
  for await (const legacy of collection.find({ _id: { $type: 'objectId' } })) {
    const { _id: legacyId, ...entry } = legacy;
    try {
      await collection.insertOne({ ...entry, _id: ledgerEntryId(entry) });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    await collection.deleteOne({ _id: legacyId });
    moved += 1;
  }
  await markers.updateOne({ _id: ledgerIdsMigration }, { $set: { at: new Date() } }, { upsert: true });
  return moved;
}

export type LedgerUpdate = Partial<
  Omit<LedgerEntry, '_id' | 'tenantId' | 'entity' | 'externalId' | 'createdAt' | 'updatedAt' | 'attempts' | 'leaseHolder' | 'leaseUntil'>
> & { countAttempt?: boolean };

/** Creates the entry on first sight and applies the update; the unique index makes concurrent callers converge. */
export async function recordLedgerEntry(db: Db, key: LedgerKey, update: LedgerUpdate): Promise<LedgerEntry> {
  const { countAttempt, ...fields } = update;
  const now = new Date();
  const entry = await retryOnDuplicateKey(() =>
    db.collection<LedgerEntry>(collectionName).findOneAndUpdate(
      { _id: ledgerEntryId(key) },
      {
        $set: { ...fields, updatedAt: now },
        $setOnInsert: {
          tenantId: key.tenantId,
          entity: key.entity,
          externalId: key.externalId,
          createdAt: now,
          ...(fields.state === undefined && { state: 'pending' as const }),
        },
        $inc: { attempts: countAttempt ? 1 : 0 },
      },
      { upsert: true, returnDocument: 'after' },
    ),
  );
  // `createdAt` is set only on insert, so it equals this write's instant exactly when this write created the entry.
  await recordSyncLogRow(db, entry!, ledgerEntryId(key), entry!.createdAt.getTime() === now.getTime());
  return entry!;
}

export async function findLedgerEntry(db: Db, key: LedgerKey): Promise<LedgerEntry | null> {
  return db.collection<LedgerEntry>(collectionName).findOne({ _id: ledgerEntryId(key) });
}

export async function listLedger(
  db: Db,
  tenantId: string,
  filter: {
    entity?: LedgerEntry['entity'] | undefined;
    state?: LedgerEntry['state'] | undefined;
    externalId?: string | undefined;
    /** Entries last changed at or after this instant. */
    updatedFrom?: Date | undefined;
    /** Entries last changed before this instant. */
    updatedBefore?: Date | undefined;
  },
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<LedgerEntry>> {
  const updatedAt = {
    ...(filter.updatedFrom && { $gte: filter.updatedFrom }),
    ...(filter.updatedBefore && { $lt: filter.updatedBefore }),
  };
  return findPage(
    db.collection<LedgerEntry>(collectionName),
    {
      tenantId,
      ...(filter.entity && { entity: filter.entity }),
      ...(filter.state && { state: filter.state }),
      ...(filter.externalId && { externalId: filter.externalId }),
      ...(Object.keys(updatedAt).length > 0 && { updatedAt }),
    },
    page,
  );
}

/**
 * Takes a short lease on an existing entry for `holder`, so that read-modify-write changes of
 * one Intacct document (refunds reducing the same sales order) happen one at a time. True when
 * `holder` has it (again, or newly, or because the last holder's lease ran out); false while
 * someone else holds it. The entry must exist: a lease is never how an entry is created.
 */
export async function acquireLedgerLease(db: Db, key: LedgerKey, holder: string, leaseMs: number): Promise<boolean> {
  const now = new Date();
  const taken = await db
    .collection<LedgerEntry>(collectionName)
    .findOneAndUpdate(
      { _id: ledgerEntryId(key), $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }, { leaseHolder: holder }] },
      { $set: { leaseHolder: holder, leaseUntil: new Date(now.getTime() + leaseMs) } },
      { returnDocument: 'after' },
    );
  return taken !== null;
}

/** Gives the lease back, if `holder` still has it. */
export async function releaseLedgerLease(db: Db, key: LedgerKey, holder: string): Promise<void> {
  await db
    .collection<LedgerEntry>(collectionName)
    .updateOne({ _id: ledgerEntryId(key), leaseHolder: holder }, { $unset: { leaseHolder: '', leaseUntil: '' } });
}

/** The refunds the ledger holds for one storefront order, in the order they were first seen. */
export async function listOrderRefunds(db: Db, tenantId: string, orderExternalId: string): Promise<LedgerEntry[]> {
  return db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, entity: 'refund', orderExternalId })
    .sort({ createdAt: 1, _id: 1 })
    .toArray();
}

/** The ledger key of the payment recorded for one capture of an order after posting. */
export function capturePaymentKey(tenantId: string, orderExternalId: string, transactionId: string): LedgerKey {
  return { tenantId, entity: 'payment', externalId: `${orderExternalId}:capture:${transactionId}` };
}

/** The payments recorded for an order's captures after posting (see {@link capturePaymentKey}), oldest first. */
export async function listOrderCapturePayments(db: Db, tenantId: string, orderExternalId: string): Promise<LedgerEntry[]> {
  return db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, entity: 'payment', orderExternalId })
    .sort({ createdAt: 1, _id: 1 })
    .toArray();
}

/**
 * The invoices an order's storefront shipments were converted into, one each (externalId
 * `{order}:shipment:{shipment}`), oldest first: what a payment after invoicing applies to.
 */
export async function listOrderShipmentInvoices(db: Db, tenantId: string, orderExternalId: string): Promise<LedgerEntry[]> {
  return db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, entity: 'invoice', orderExternalId })
    .sort({ createdAt: 1, _id: 1 })
    .toArray();
}

/**
 * The tenant's payments recorded for money the gateway knows by any of these ids (see
 * {@link LedgerEntry.gatewayTransactionIds}): the receipts a processor payout's lines settle.
 */
export async function listPaymentsByGatewayTransactionIds(db: Db, tenantId: string, ids: readonly string[]): Promise<LedgerEntry[]> {
  if (ids.length === 0) return [];
  return db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, entity: 'payment', gatewayTransactionIds: { $in: [...ids] } })
    .sort({ createdAt: 1, _id: 1 })
    .toArray();
}

/**
 * Notes on the tenant's payments whose Intacct receipts (`intacctKey`) a deposit moved to the bank,
 * so a later payout naming the same receipt is told it was deposited already. Repeating it changes nothing.
 */
export async function markPaymentsDeposited(db: Db, tenantId: string, paymentKeys: readonly string[], depositId: string): Promise<void> {
  if (paymentKeys.length === 0) return;
  await db
    .collection<LedgerEntry>(collectionName)
    .updateMany(
      { tenantId, entity: 'payment', intacctKey: { $in: [...paymentKeys] } },
      { $set: { depositedIn: depositId, updatedAt: new Date() } },
    );
}

/** How many entries of one entity are in each state, among those first seen at or after `since`: the overview's figures. */
export async function countLedgerStates(
  db: Db,
  tenantId: string,
  filter: { entity: LedgerEntry['entity']; since: Date },
): Promise<Partial<Record<LedgerEntry['state'], number>>> {
  const groups = await db
    .collection<LedgerEntry>(collectionName)
    .aggregate<{ _id: LedgerEntry['state']; count: number }>([
      { $match: { tenantId, entity: filter.entity, createdAt: { $gte: filter.since } } },
      { $group: { _id: '$state', count: { $sum: 1 } } },
    ])
    .toArray();
  return Object.fromEntries(groups.map((group) => [group._id, group.count]));
}

/**
 * A tenant's entries of one entity first recorded within [from, before) (`createdAt`), oldest
 * first: period reconciliation's read (its dates never change once written, so a closed period
 * reads the same entries run after run).
 */
export async function listLedgerRecorded(
  db: Db,
  tenantId: string,
  entity: LedgerEntry['entity'],
  range: { from?: Date; before: Date },
): Promise<LedgerEntry[]> {
  return db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, entity, createdAt: { ...(range.from && { $gte: range.from }), $lt: range.before } })
    .sort({ createdAt: 1, externalId: 1 })
    .toArray();
}

/** The entries of one entity for these external ids (the orders of one customer, for the customer view). */
export async function ledgerEntriesFor(
  db: Db,
  tenantId: string,
  entity: LedgerEntry['entity'],
  externalIds: readonly string[],
): Promise<LedgerEntry[]> {
  if (externalIds.length === 0) return [];
  return db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, entity, externalId: { $in: [...externalIds] } })
    .toArray();
}

/** The anomaly figures of the tenant's most recently changed posted orders, at most `limit`: the history the anomaly checks learn from. */
export async function listPostedOrderFigures(db: Db, tenantId: string, limit: number): Promise<OrderForAnomalyCheck[]> {
  const entries = await db
    .collection<LedgerEntry>(collectionName)
    .find({ tenantId, state: 'synced', entity: 'order', anomalyFigures: { $exists: true } }, { projection: { anomalyFigures: 1 } })
    .sort({ updatedAt: -1 })
    .limit(limit)
    .toArray();
  return entries.flatMap((entry) => (entry.anomalyFigures === undefined ? [] : [entry.anomalyFigures]));
}
