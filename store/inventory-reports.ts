import type { Db } from 'mongodb';
import type { InventoryReport } from '../workflows/inventory-reconcile-contract.js';

/** A stored reconciliation report, keyed by its run id (storing it again replaces it). */
export interface InventoryReportDocument extends InventoryReport {
  _id: string;
  storedAt: Date;
}

const collectionName = 'inventory_reports';

export async function ensureInventoryReportIndexes(db: Db): Promise<void> {
  await db.collection<InventoryReportDocument>(collectionName).createIndex({ tenantId: 1, finishedAt: -1 });
}

/** Stores a run's report; an upsert by run id, so a retried activity stores it once. */
export async function insertInventoryReport(db: Db, report: InventoryReport, storedAt = new Date()): Promise<void> {
  await db.collection<InventoryReportDocument>(collectionName).replaceOne({ _id: report.runId }, { ...report, storedAt }, { upsert: true });
}

/** A tenant's reports, newest first. */
export async function listInventoryReports(db: Db, tenantId: string, limit = 20): Promise<InventoryReport[]> {
  const documents = await db.collection<InventoryReportDocument>(collectionName).find({ tenantId }).sort({ finishedAt: -1 }).limit(limit).toArray();
  return documents.map(({ _id: _ignored, storedAt: _stored, ...report }) => report);
}
