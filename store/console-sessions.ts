import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Role } from './api-keys.js';

/**
 * A signed-in console user, as stored: who (the API key's id, role and tenant, never the key),
 * the CSRF token of the session, and when it ends. The `_id` is a hash of the session id the
 * browser holds, so a copy of this collection signs nobody in.
 */
export interface ConsoleSession {
  _id: string;
  keyId: string;
  role: Role;
  /** null: every tenant. */
  tenantId: string | null;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The earlier of the idle deadline (last seen + idle limit) and the absolute one. */
  expiresAt: Date;
  absoluteExpiresAt: Date;
  /** The outcome of the last action, shown once by the page the action redirected to (then removed). */
  flash?: ConsoleFlash;
}

/** A one-line outcome of an action ("Order 1001 retried"), carried across the redirect that follows it. */
export interface ConsoleFlash {
  kind: 'success' | 'error';
  text: string;
}

const collectionName = 'console_sessions';

const sessionKey = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');

/**
 * Indexes of the sessions collection. Expiry is not a TTL index: FerretDB, the embedded
 * database, does not serve them (docs/architecture.md), so an expired session is refused on
 * read and deleted by {@link deleteExpiredConsoleSessions}.
 */
export async function ensureConsoleSessionIndexes(db: Db): Promise<void> {
  await db.collection<ConsoleSession>(collectionName).createIndex({ expiresAt: 1 });
  await db.collection<ConsoleSession>(collectionName).createIndex({ keyId: 1 });
}

/** Stores a new session under the hash of `sessionId`. */
export async function insertConsoleSession(db: Db, sessionId: string, session: Omit<ConsoleSession, '_id'>): Promise<void> {
  await db.collection<ConsoleSession>(collectionName).insertOne({ _id: sessionKey(sessionId), ...session });
}

/** The live session a browser's session id names; expired ones are deleted and not returned. */
export async function findConsoleSession(db: Db, sessionId: string, now: Date): Promise<ConsoleSession | undefined> {
  const collection = db.collection<ConsoleSession>(collectionName);
  const session = await collection.findOne({ _id: sessionKey(sessionId) });
  if (session === null) return undefined;
  if (session.expiresAt <= now) {
    await collection.deleteOne({ _id: session._id });
    return undefined;
  }
  return session;
}

/** Moves the idle deadline on, never past the absolute one. */
export async function touchConsoleSession(db: Db, session: ConsoleSession, now: Date, idleMs: number): Promise<void> {
  const idleDeadline = new Date(now.getTime() + idleMs);
  const expiresAt = idleDeadline < session.absoluteExpiresAt ? idleDeadline : session.absoluteExpiresAt;
  await db.collection<ConsoleSession>(collectionName).updateOne({ _id: session._id }, { $set: { lastSeenAt: now, expiresAt } });
}

/** Ends a session (sign-out); true when there was one. */
export async function deleteConsoleSession(db: Db, sessionId: string): Promise<boolean> {
  const result = await db.collection<ConsoleSession>(collectionName).deleteOne({ _id: sessionKey(sessionId) });
  return result.deletedCount === 1;
}

/** Deletes every session past its deadline; the periodic sweep standing in for a TTL index. */
export async function deleteExpiredConsoleSessions(db: Db, now: Date): Promise<number> {
  const result = await db.collection<ConsoleSession>(collectionName).deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}

/** Keeps `flash` for the session's next page (replacing one not shown yet). */
export async function setConsoleSessionFlash(db: Db, sessionId: string, flash: ConsoleFlash): Promise<void> {
  await db.collection<ConsoleSession>(collectionName).updateOne({ _id: sessionKey(sessionId) }, { $set: { flash } });
}

/**
 * Removes the session's flash and answers it, once: of two pages loading at the same moment only
 * one gets it (the removal is conditional on the flash still being there).
 */
export async function takeConsoleSessionFlash(db: Db, session: Pick<ConsoleSession, '_id' | 'flash'>): Promise<ConsoleFlash | undefined> {
  if (session.flash === undefined) return undefined;
  const taken = await db
    .collection<ConsoleSession>(collectionName)
    .findOneAndUpdate({ _id: session._id, flash: { $exists: true } }, { $unset: { flash: '' } }, { returnDocument: 'before' });
  return taken?.flash;
}
