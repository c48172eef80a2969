import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import type { PeriodReconciliationReport } from '../workflows/period-reconcile-contract.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** One run of a period's reconciliation: who asked, when, and the figures it found. */
export interface PeriodReportRun {
  /** `{workflowId}/{runId}`: a retried store of the same run is recognised and not counted twice. */
  runKey: string;
  requestedBy: string;
  at: Date;
  figuresHash: string;
}

/**
 * A period's reconciliation as last run, one per tenant + month (`_id` `{tenantId}:{period}`).
 * A run whose figures differ from the stored ones becomes a new revision and keeps the one before,
 * so a closed period is reproducible (the same fingerprint run after run) and a change to it is
 * visible, never silent.
 */
export interface PeriodReportDocument {
  _id: string;
  tenantId: string;
  period: string;
  report: PeriodReconciliationReport;
  /** SHA-256 of the report's JSON: equal fingerprints, equal figures. */
  figuresHash: string;
  revision: number;
  /** The revision before this one, when the figures changed. */
  previous?: { revision: number; figuresHash: string; report: PeriodReconciliationReport; storedAt: Date };
  /** The latest runs, newest last (at most {@link runsKept}). */
  runs: PeriodReportRun[];
  storedAt: Date;
  /** Writes so far: the optimistic guard of concurrent stores. */
  writes: number;
}

const collectionName = 'period_reports';
const runsKept = 50;

export async function ensurePeriodReportIndexes(db: Db): Promise<void> {
  await db.collection<PeriodReportDocument>(collectionName).createIndex({ tenantId: 1, period: -1 });
}

/** The report's fingerprint. The builder writes keys in a fixed order, so its JSON is canonical. */
export function periodFiguresHash(report: PeriodReconciliationReport): string {
  return createHash('sha256').update(JSON.stringify(report)).digest('hex');
}

/** What {@link storePeriodReport} did. */
export interface StoredPeriodReport {
  figuresHash: string;
  revision: number;
  /** The figures equal those stored by the previous run. */
  sameAsPreviousRun: boolean;
}

/**
 * Stores a run's report: the first run is revision 1; a run with the same figures only adds
 * itself to the runs; a run with other figures becomes the next revision. Two stores racing for
 * one period (a retried activity, say) converge: the loser reads the winner's and tries again.
 */
export async function storePeriodReport(
  db: Db,
  input: { report: PeriodReconciliationReport; runKey: string; requestedBy: string },
  now = new Date(),
): Promise<StoredPeriodReport> {
  const collection = db.collection<PeriodReportDocument>(collectionName);
  const { report } = input;
  const _id = `${report.tenantId}:${report.period}`;
  const figuresHash = periodFiguresHash(report);
  const run: PeriodReportRun = { runKey: input.runKey, requestedBy: input.requestedBy, at: now, figuresHash };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const stored = await collection.findOne({ _id });
    if (stored === null) {
      try {
        await collection.insertOne({
          _id,
          tenantId: report.tenantId,
          period: report.period,
          report,
          figuresHash,
          revision: 1,
          runs: [run],
          storedAt: now,
          writes: 1,
        });
        return { figuresHash, revision: 1, sameAsPreviousRun: false };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
    }
    const lastRun = stored.runs.at(-1);
    // The same run stored again (its activity retried after the write): nothing changes.
    if (lastRun?.runKey === input.runKey && stored.figuresHash === figuresHash)
      return { figuresHash, revision: stored.revision, sameAsPreviousRun: (stored.runs.at(-2)?.figuresHash ?? '') === figuresHash };
    const same = stored.figuresHash === figuresHash;
    const runs = [...stored.runs, run].slice(-runsKept);
    const update = same
      ? { $set: { runs }, $inc: { writes: 1 } }
      : {
          $set: {
            report,
            figuresHash,
            revision: stored.revision + 1,
            previous: { revision: stored.revision, figuresHash: stored.figuresHash, report: stored.report, storedAt: stored.storedAt },
            runs,
            storedAt: now,
          },
          $inc: { writes: 1 },
        };
    const written = await collection.updateOne({ _id, writes: stored.writes }, update);
    if (written.matchedCount === 1) return { figuresHash, revision: same ? stored.revision : stored.revision + 1, sameAsPreviousRun: same };
  }
  throw new Error(`the reconciliation of ${report.period} for tenant ${report.tenantId} kept changing while it was stored; run it again`);
}

export async function readPeriodReport(db: Db, tenantId: string, period: string): Promise<PeriodReportDocument | null> {
  return db.collection<PeriodReportDocument>(collectionName).findOne({ _id: `${tenantId}:${period}` });
}

/** The tenant's stored periods, newest first: headlines only. */
export async function listPeriodReports(
  db: Db,
  tenantId: string,
  limit = 24,
): Promise<Array<Pick<PeriodReportDocument, 'period' | 'figuresHash' | 'revision' | 'storedAt'> & { differences: number }>> {
  const documents = await db
    .collection<PeriodReportDocument>(collectionName)
    .find({ tenantId }, { projection: { period: 1, figuresHash: 1, revision: 1, storedAt: 1, 'report.differences': 1 } })
    .sort({ period: -1 })
    .limit(limit)
    .toArray();
  return documents.map((document) => ({
    period: document.period,
    figuresHash: document.figuresHash,
    revision: document.revision,
    storedAt: document.storedAt,
    differences: document.report.differences.length,
  }));
}
