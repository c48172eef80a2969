import type { Db } from 'mongodb';

/**
 * Where each tenant's safety-net sweep got to: the end of the last window it finished. One
 * document per tenant, keyed by the tenant id, so it needs no index of its own.
 */
export interface SweepCursor {
  _id: string;
  /** Every order changed before this instant has been offered to OrderToCash. */
  lastSweptUntil: Date;
  updatedAt: Date;
}

const collectionName = 'sweep_cursors';

export async function readSweepCursor(db: Db, tenantId: string): Promise<SweepCursor | null> {
  return db.collection<SweepCursor>(collectionName).findOne({ _id: tenantId });
}

/**
 * Moves the tenant's cursor to `lastSweptUntil`, never back: a sweep that finishes after a
 * later one (a manual run overlapping the schedule) cannot undo the later one's progress.
 * Resolves to the cursor as stored.
 */
export async function saveSweepCursor(db: Db, tenantId: string, lastSweptUntil: Date): Promise<SweepCursor> {
  const saved = await db
    .collection<SweepCursor>(collectionName)
    .findOneAndUpdate(
      { _id: tenantId },
      { $max: { lastSweptUntil }, $set: { updatedAt: new Date() } },
      { upsert: true, returnDocument: 'after' },
    );
  if (saved === null) throw new Error(`the sweep cursor of ${tenantId} was not saved`);
  return saved;
}
