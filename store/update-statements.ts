import type { Collection, Document, UpdateOneModel } from 'mongodb';
import { retryOnDuplicateKey } from './duplicate-key.js';
import type { OperationLimit } from './operation-limit.js';

/**
 * Runs single-document updates one command each, in order, where `bulkWrite` would send them as
 * one `update` command of many statements. Every write of several documents by key goes through
 * here, never through `bulkWrite`.
 *
 * Why: FerretDB 1.24 on SQLite (the embedded database of `npm start`, the tests and the bench; 1.x
 * is the last line with that backend) deadlocks on a many-statement update. Its `update` handler
 * reads each statement's document on one of the database's 100 SQLite connections and keeps
 * that read open until the whole command ends (`defer closer.Close()` inside its loop over the
 * statements, internal/handler/msg_update.go), while each statement's write takes a second
 * connection. At 100 statements that match, the command waits for a connection only it can
 * free, and every later request on the database waits behind it, with the CPU idle, until
 * FerretDB is restarted: the webhook burst's stall (issue 23), from the intake's marks of 100.
 * One statement per command holds at most one read at a time; the processes' connection pools
 * bound how many such commands run at once (see `localFerretDbUri`).
 *
 * An upsert that loses an insert race to a concurrent caller is run once more (it then matches).
 * A failure stops the run there: the updates before it are written, those after it are not.
 * `limitEach` gives each update a limit of its own: a run of many updates may take long on a busy
 * database, and one limit for the whole run would end it half-way.
 */
export async function updateOneByOne<T extends Document>(
  collection: Collection<T>,
  updates: ReadonlyArray<UpdateOneModel<T>>,
  limitEach?: () => OperationLimit,
): Promise<{ matchedCount: number; modifiedCount: number; upsertedCount: number }> {
  const counts = { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 };
  for (const { filter, update, upsert } of updates) {
    const result = await retryOnDuplicateKey(() =>
      collection.updateOne(filter, update, { ...(upsert !== undefined && { upsert }), ...limitEach?.() }),
    );
    counts.matchedCount += result.matchedCount;
    counts.modifiedCount += result.modifiedCount;
    counts.upsertedCount += result.upsertedCount;
  }
  return counts;
}
