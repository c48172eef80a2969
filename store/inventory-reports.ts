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
  const documents = await db
    .collection<InventoryReportDocument>(collectionName)
    .find({ tenantId })
    .sort({ finishedAt: -1 })
    .limit(limit)
    .toArray();
  return documents.map(({ _id: _ignored, storedAt: _stored, ...report }) => report);
}

/** A page of a tenant's reports, newest first; pass `nextCursor` back for the next page. */
export interface InventoryReportPage {
  reports: InventoryReport[];
  nextCursor?: string;
}

/** The position after a report in newest-first order: its finish time, then its run id to break ties. */
function cursorOf(report: Pick<InventoryReport, 'finishedAt' | 'runId'>): string {
  return Buffer.from(JSON.stringify([report.finishedAt, report.runId])).toString('base64url');
}

/** A cursor this module wrote, or undefined for anything else (read as "from the start"). */
export function parseInventoryReportCursor(cursor: string): { finishedAt: string; runId: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { finishedAt: value[0], runId: value[1] };
  } catch {
    // Not ours.
  }
  return undefined;
}

/**
 * A tenant's reports newest first, by keyset (finish time, run id), so a page stays stable while
 * new runs finish. An unreadable cursor is refused by the caller (see {@link parseInventoryReportCursor}).
 */
export async function pageInventoryReports(
  db: Db,
  tenantId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<InventoryReportPage> {
  const after = page.cursor === undefined ? undefined : parseInventoryReportCursor(page.cursor);
  const filter =
    after === undefined
      ? { tenantId }
      : { tenantId, $or: [{ finishedAt: { $lt: after.finishedAt } }, { finishedAt: after.finishedAt, _id: { $lt: after.runId } }] };
  const documents = await db
    .collection<InventoryReportDocument>(collectionName)
    .find(filter)
    .sort({ finishedAt: -1, _id: -1 })
    .limit(page.limit + 1)
    .toArray();
  const reports = documents.slice(0, page.limit).map(({ _id: _ignored, storedAt: _stored, ...report }) => report);
  const last = reports.at(-1);
  return documents.length > page.limit && last !== undefined ? { reports, nextCursor: cursorOf(last) } : { reports };
}

/** One of the tenant's reports by run id; null when the tenant has no such report. */
export async function readInventoryReport(db: Db, tenantId: string, runId: string): Promise<InventoryReport | null> {
  const document = await db.collection<InventoryReportDocument>(collectionName).findOne({ _id: runId, tenantId });
  if (document === null) return null;
  const { _id: _ignored, storedAt: _stored, ...report } = document;
  return report;
}
