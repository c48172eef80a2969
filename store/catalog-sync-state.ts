import type { Db } from 'mongodb';
import type { CatalogSyncReport } from '../workflows/catalog-sync-contract.js';

/**
 * Where each tenant's item sync got to, so the next run reads only items modified since, and
 * the last run's report. One document per tenant, keyed by the tenant id.
 */
export interface CatalogSyncState {
  _id: string;
  /**
   * The next run reads items modified at or after this, in Intacct's wall clock read as UTC
   * milliseconds (`intacctTimestampMs`). Absent until a run read something: the first run reads every item.
   */
  watermarkMs?: number;
  lastReport?: CatalogSyncReport;
  updatedAt: Date;
}

const collectionName = 'catalog_sync_state';

export async function readCatalogSyncState(db: Db, tenantId: string): Promise<CatalogSyncState | null> {
  return db.collection<CatalogSyncState>(collectionName).findOne({ _id: tenantId });
}

/**
 * Keeps a run's report and, when `watermarkMs` is given, moves the watermark to it, never back:
 * a run that finishes after a later one (an operator's run overlapping the schedule) cannot undo
 * the later one's progress.
 */
export async function saveCatalogSyncRun(db: Db, tenantId: string, report: CatalogSyncReport, watermarkMs?: number): Promise<void> {
  await db
    .collection<CatalogSyncState>(collectionName)
    .updateOne(
      { _id: tenantId },
      { $set: { lastReport: report, updatedAt: new Date() }, ...(watermarkMs !== undefined && { $max: { watermarkMs } }) },
      { upsert: true },
    );
}
