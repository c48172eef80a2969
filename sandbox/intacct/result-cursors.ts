import { randomBytes } from 'node:crypto';
import type { Row } from './store.js';

/** A readByQuery result waiting for readMore. */
export interface ResultCursor {
  readonly sessionKey: string;
  readonly elementName: string;
  readonly fields: readonly string[];
  readonly rows: readonly Row[];
  readonly pageSize: number;
  position: number;
  expiresAt: number;
}

/**
 * Open readByQuery results. A `resultId` belongs to the session's company and user, and
 * expires after `ttlMs` without use (the real lifetime is undocumented: minutes, reportedly).
 */
export class ResultCursors {
  private readonly cursors = new Map<string, ResultCursor>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** Opens a cursor; ids are opaque and contain characters such as `@`, like real ones. */
  open(cursor: Omit<ResultCursor, 'expiresAt'>): string {
    this.sweep();
    const id = `${Math.floor(this.now() / 1000)}X${randomBytes(12).toString('base64').replace(/\//g, '@').replace(/\+/g, 'Q').replace(/=+$/, '')}`;
    this.cursors.set(id, { ...cursor, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  /** The live cursor of this session, or undefined. */
  take(id: string, sessionKey: string): ResultCursor | undefined {
    const cursor = this.cursors.get(id);
    if (!cursor || cursor.sessionKey !== sessionKey || cursor.expiresAt <= this.now()) return undefined;
    cursor.expiresAt = this.now() + this.ttlMs;
    return cursor;
  }

  /** Forgets a finished cursor. */
  close(id: string): void {
    this.cursors.delete(id);
  }

  /** Ends every cursor (tests of expiry). */
  expireAll(): void {
    this.cursors.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, cursor] of this.cursors) if (cursor.expiresAt <= now) this.cursors.delete(id);
  }
}
