import type { Db } from 'mongodb';
import { retryOnDuplicateKey } from './duplicate-key.js';

/**
 * A self-check proves the whole path works: API or launcher → Temporal → worker → activity →
 * MongoDB. One document per check, keyed by its id, so a retried activity writes it once.
 */
export interface SelfCheckRecord {
  _id: string;
  workflowId: string;
  requestedAt: string;
  writtenAt: Date;
}

const collectionName = 'self_checks';

export async function ensureSelfCheckIndexes(db: Db): Promise<void> {
  await db.collection<SelfCheckRecord>(collectionName).createIndex({ writtenAt: 1 });
}

/** Records a check; a second call with the same id keeps the first record and returns it. */
export async function recordSelfCheck(
  db: Db,
  check: { checkId: string; workflowId: string; requestedAt: string },
): Promise<SelfCheckRecord> {
  const record = await retryOnDuplicateKey(() =>
    db
      .collection<SelfCheckRecord>(collectionName)
      .findOneAndUpdate(
        { _id: check.checkId },
        { $setOnInsert: { workflowId: check.workflowId, requestedAt: check.requestedAt, writtenAt: new Date() } },
        { upsert: true, returnDocument: 'after' },
      ),
  );
  if (record === null) throw new Error(`self-check ${check.checkId} was not written`);
  return record;
}

export async function findSelfCheck(db: Db, checkId: string): Promise<SelfCheckRecord | null> {
  return db.collection<SelfCheckRecord>(collectionName).findOne({ _id: checkId });
}
