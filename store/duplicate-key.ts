/** MongoDB's (and FerretDB's) code for a write that would break a unique index. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * Two concurrent upserts on the same key can both try to insert; the loser gets a
 * duplicate-key error although its update would now simply match. Running it once more
 * makes concurrent callers converge instead of failing.
 */
export async function retryOnDuplicateKey<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return write();
  }
}
