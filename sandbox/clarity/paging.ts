import { badRequest } from './problems.js';

export interface PageQuery {
  limit: number;
  /** The sort key of the last record of the previous page. */
  after: string | undefined;
}

/** Reads `limit` (1–200, default 50) and `cursor` from a query, or refuses with 400. */
export function readPageQuery(query: Record<string, unknown>): PageQuery {
  const rawLimit = query.limit;
  let limit = 50;
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 200) {
      throw badRequest('limit must be an integer from 1 to 200', [{ field: 'limit', message: 'out of range' }]);
    }
    limit = Number(rawLimit);
  }
  const cursor = query.cursor;
  if (cursor === undefined) return { limit, after: undefined };
  if (typeof cursor !== 'string') throw badRequest('cursor must be a string');
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof decoded === 'object' && decoded !== null && 'after' in decoded && typeof decoded.after === 'string')
      return { limit, after: decoded.after };
  } catch {
    // fall through to the refusal below
  }
  throw badRequest('cursor is not one this server issued', [{ field: 'cursor', message: 'invalid' }]);
}

/**
 * Keyset paging over records already sorted by `keyOf`: stable while records are added or
 * changed between pages, as the contract's opaque cursor promises.
 */
export function page<T>(sorted: readonly T[], keyOf: (record: T) => string, query: PageQuery): { data: T[]; nextCursor: string | null } {
  const start = query.after === undefined ? sorted : sorted.filter((record) => keyOf(record) > query.after!);
  const data = start.slice(0, query.limit);
  const last = data.at(-1);
  const nextCursor =
    start.length > query.limit && last !== undefined ? Buffer.from(JSON.stringify({ after: keyOf(last) })).toString('base64url') : null;
  return { data, nextCursor };
}
