import type { Db } from 'mongodb';
import type { PriceListSyncReport } from '../workflows/price-list-sync-contract.js';

/**
 * Where each tenant's price list sync got to, so the next run reads only entries modified
 * since, and the last run's report. One document per tenant, keyed by the tenant id.
 */
export interface PriceListSyncState {
  _id: string;
  /** Entries modified at or after this are read next (Intacct's wall clock as UTC ms); absent: every entry. */
  watermarkMs?: number;
  lastReport?: PriceListSyncReport;
  /** The tenant's local day (`YYYY-MM-DD`) of the last completed reconciliation. */
  reconciledOn?: string;
  updatedAt: Date;
}

const collectionName = 'price_list_sync_state';

export async function readPriceListSyncState(db: Db, tenantId: string): Promise<PriceListSyncState | null> {
  return db.collection<PriceListSyncState>(collectionName).findOne({ _id: tenantId });
}

/**
 * Keeps a run's report and moves the watermark to `watermarkMs`, never back (as the item sync
 * does), and the day of the last reconciliation to `reconciledOn`, never back either.
 */
export async function savePriceListSyncRun(
  db: Db,
  tenantId: string,
  report: PriceListSyncReport,
  watermarkMs?: number,
  reconciledOn?: string,
): Promise<void> {
  const forward = { ...(watermarkMs !== undefined && { watermarkMs }), ...(reconciledOn !== undefined && { reconciledOn }) };
  await db
    .collection<PriceListSyncState>(collectionName)
    .updateOne(
      { _id: tenantId },
      { $set: { lastReport: report, updatedAt: new Date() }, ...(Object.keys(forward).length > 0 && { $max: forward }) },
      { upsert: true },
    );
}
