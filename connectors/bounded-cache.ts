/** Limits of a {@link BoundedCache}. */
export interface BoundedCacheOptions {
  /** Entries kept at most; adding one more drops the least recently used. */
  maxEntries: number;
  /** An entry not read or written for this long is dropped. */
  idleMs: number;
  now?: () => number;
}

/**
 * A map whose size a tenant cannot grow without bound: every key it holds comes from tenant
 * settings (company ids, store hashes, endpoints), so an unbounded map would let one tenant that
 * keeps changing them fill the process's memory. Entries idle for `idleMs` are dropped as the
 * cache is used (no timer keeps the process alive), and past `maxEntries` the least recently
 * used goes first.
 */
export class BoundedCache<V> {
  /** In order of last use, oldest first (a Map keeps insertion order; a use re-inserts). */
  private readonly entries = new Map<string, { value: V; usedAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: BoundedCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, not ${options.maxEntries}`);
    if (!(options.idleMs > 0)) throw new RangeError(`idleMs must be positive, not ${options.idleMs}`);
    this.now = options.now ?? Date.now;
  }

  /** Entries held now, idle ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  /** The value under `key`, counting as a use; undefined when absent or idle too long. */
  get(key: string): V | undefined {
    this.dropIdle();
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, { value: entry.value, usedAt: this.now() });
    return entry.value;
  }

  set(key: string, value: V): void {
    this.dropIdle();
    this.entries.delete(key);
    this.entries.set(key, { value, usedAt: this.now() });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The value under `key`, made with `create` when absent. */
  getOrCreate(key: string, create: () => V): V {
    const found = this.get(key);
    if (found !== undefined) return found;
    const value = create();
    this.set(key, value);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private dropIdle(): void {
    const idleBefore = this.now() - this.options.idleMs;
    for (const [key, entry] of this.entries) {
      if (entry.usedAt > idleBefore) return;
      this.entries.delete(key);
    }
  }
}

/**
 * A key made of parts that cannot run into each other: `['a|b', 'c']` and `['a', 'b|c']` are
 * different keys, whatever characters a tenant puts in a company id or a URL.
 */
export function compoundKey(...parts: readonly string[]): string {
  return JSON.stringify(parts);
}
