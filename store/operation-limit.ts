/**
 * A time limit on database operations, passed as driver options, so an operation nobody waits
 * for any more ends instead of running on and holding one of the process's pooled connections
 * (12 per process on the local FerretDB, see `config/mongo.ts`).
 *
 * It ends an operation in two ways, because FerretDB 1.24 on SQLite honours the first only for
 * some commands (measured: `find`, `aggregate` and `findAndModify` answer MaxTimeMSExpired at
 * the limit; `update` and `insert` ignore it and run to the end):
 *
 * - `maxTimeMS`: the server ends the operation at `ms` and answers with an error; its connection
 *   goes back to the pool intact;
 * - `signal`: `abortGraceMs` later the driver stops waiting (while selecting the server, checking
 *   out a connection or reading the answer). A connection whose answer never came is closed, and
 *   the pool opens a new one in its place. The mongodb driver (6.x) documents the signal for
 *   reads and honours it for every command: `test/integration/store/operation-limit.test.ts`
 *   proves both against FerretDB.
 *
 * The grace lets a server that honours `maxTimeMS` answer first, so only operations it would not
 * end cost a connection.
 */
export interface OperationLimit {
  readonly maxTimeMS: number;
  readonly signal: AbortSignal;
}

export const abortGraceMs = 500;

/** A limit of `ms` from now, for one operation or a few in a row (the signal bounds them together). */
export function operationLimit(ms: number): OperationLimit {
  const limitMs = Math.max(1, Math.round(ms));
  return { maxTimeMS: limitMs, signal: AbortSignal.timeout(limitMs + abortGraceMs) };
}
