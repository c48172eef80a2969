import type { Db } from 'mongodb';
import { compareCustomerChanges, type ClarityCustomerPollMark } from '../mappers/clarity-customer-poll.js';
import type { ClarityCustomerPollReport, CustomerSyncPollReport } from '../workflows/customer-sync-contract.js';

/**
 * CustomerSync's memory of one linked customer, keyed `{tenantId}:{storefrontCustomerId}`: the
 * stamps of what the product itself last wrote on each side (so the echo of its own write is
 * recognised and carried nowhere) and the last sync, for the unified customer view. Stamps are
 * hashes: no contact detail is kept here.
 */
export interface CustomerSyncRecord {
  _id: string;
  tenantId: string;
  storefrontCustomerId: string;
  intacctCustomerId?: string;
  /** `intacctCustomerStamp` of the Intacct customer as the product's last write left it. */
  intacctStamp?: string;
  /** `storefrontCustomerStamp` of the storefront customer as the product's last write left it. */
  storefrontStamp?: string;
  lastSync?: CustomerLastSync;
}

/** The last time CustomerSync looked at the customer, and what it did. */
export interface CustomerLastSync {
  at: Date;
  direction: 'toIntacct' | 'toStorefront';
  outcome: string;
  fields: string[];
}

/** Each tenant's poll of Intacct customers: the watermark and the last run's report. */
export interface CustomerSyncPollState {
  _id: string;
  watermarkMs?: number;
  lastReport?: CustomerSyncPollReport;
  updatedAt: Date;
}

const customersCollection = 'customer_sync';
const pollCollection = 'customer_sync_poll';
const clarityPollCollection = 'clarity_customer_poll';
const idOf = (tenantId: string, storefrontCustomerId: string) => `${tenantId}:${storefrontCustomerId}`;

/** The customers' records by storefront customer id; customers never synced are absent. */
export async function readCustomerSyncRecords(
  db: Db,
  tenantId: string,
  storefrontCustomerIds: readonly string[],
): Promise<Map<string, CustomerSyncRecord>> {
  if (storefrontCustomerIds.length === 0) return new Map();
  const found = await db
    .collection<CustomerSyncRecord>(customersCollection)
    .find({ _id: { $in: storefrontCustomerIds.map((id) => idOf(tenantId, id)) } })
    .toArray();
  return new Map(found.map((record) => [record.storefrontCustomerId, record]));
}

/** Records a sync of one customer: its last sync and, when the product wrote a side, that side's stamp. */
export async function recordCustomerSync(
  db: Db,
  tenantId: string,
  storefrontCustomerId: string,
  update: { intacctCustomerId?: string; intacctStamp?: string; storefrontStamp?: string; lastSync: CustomerLastSync },
): Promise<void> {
  await db.collection<CustomerSyncRecord>(customersCollection).updateOne(
    { _id: idOf(tenantId, storefrontCustomerId) },
    {
      $set: {
        tenantId,
        storefrontCustomerId,
        lastSync: update.lastSync,
        ...(update.intacctCustomerId !== undefined && { intacctCustomerId: update.intacctCustomerId }),
        ...(update.intacctStamp !== undefined && { intacctStamp: update.intacctStamp }),
        ...(update.storefrontStamp !== undefined && { storefrontStamp: update.storefrontStamp }),
      },
    },
    { upsert: true },
  );
}

export async function readCustomerSyncPollState(db: Db, tenantId: string): Promise<CustomerSyncPollState | null> {
  return db.collection<CustomerSyncPollState>(pollCollection).findOne({ _id: tenantId });
}

/** Keeps a poll's report and moves the watermark to `watermarkMs`, never back (as the item sync does). */
export async function saveCustomerSyncPoll(db: Db, tenantId: string, report: CustomerSyncPollReport, watermarkMs?: number): Promise<void> {
  await db
    .collection<CustomerSyncPollState>(pollCollection)
    .updateOne(
      { _id: tenantId },
      { $set: { lastReport: report, updatedAt: new Date() }, ...(watermarkMs !== undefined && { $max: { watermarkMs } }) },
      { upsert: true },
    );
}

/** Each Clarity tenant's poll of its customers: the last customer handed to CustomerSync and the last run's report. */
export interface ClarityCustomerPollState {
  _id: string;
  mark?: ClarityCustomerPollMark;
  lastReport?: ClarityCustomerPollReport;
  updatedAt: Date;
}

export async function readClarityCustomerPollState(db: Db, tenantId: string): Promise<ClarityCustomerPollState | null> {
  return db.collection<ClarityCustomerPollState>(clarityPollCollection).findOne({ _id: tenantId });
}

/**
 * Moves the tenant's Clarity customer poll mark forward, never back: a poll hands customers on
 * oldest change first, and an operator's full poll, running beside the schedule's, passes marks
 * the schedule's poll has already left behind.
 */
export async function saveClarityCustomerPollMark(db: Db, tenantId: string, mark: ClarityCustomerPollMark): Promise<void> {
  const saved = (await readClarityCustomerPollState(db, tenantId))?.mark;
  if (saved !== undefined && compareCustomerChanges(mark, saved) <= 0) return;
  await db
    .collection<ClarityCustomerPollState>(clarityPollCollection)
    .updateOne({ _id: tenantId }, { $set: { mark, updatedAt: new Date() } }, { upsert: true });
}

export async function saveClarityCustomerPollReport(db: Db, tenantId: string, report: ClarityCustomerPollReport): Promise<void> {
  await db
    .collection<ClarityCustomerPollState>(clarityPollCollection)
    .updateOne({ _id: tenantId }, { $set: { lastReport: report, updatedAt: new Date() } }, { upsert: true });
}
