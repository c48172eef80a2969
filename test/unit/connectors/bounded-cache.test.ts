import { describe, expect, it } from 'vitest';
import { BoundedCache, compoundKey } from '../../../connectors/bounded-cache.js';

describe('BoundedCache', () => {
  const clock = () => {
    let time = 1_000_000;
    return { now: () => time, advance: (ms: number) => (time += ms) };
  };

  it('when more entries than the cap are set, then the least recently used go first', () => {
    const cache = new BoundedCache<string>({ maxEntries: 3, idleMs: 60_000 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D');
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual(['A', 'C', 'D']);
  });

  it('when an entry is left unused for the idle time, then it is dropped; one used meanwhile stays', () => {
    const time = clock();
    const cache = new BoundedCache<number>({ maxEntries: 10, idleMs: 1_000, now: time.now });
    cache.set('idle', 1);
    cache.set('used', 2);
    time.advance(600);
    expect(cache.get('used')).toBe(2);
    time.advance(600);
    expect(cache.get('idle')).toBeUndefined();
    expect(cache.get('used')).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('when many keys come and go idle, then the cache does not keep them (no growth without bound)', () => {
    const time = clock();
    const cache = new BoundedCache<number>({ maxEntries: 1_000, idleMs: 1_000, now: time.now });
    for (let index = 0; index < 5_000; index += 1) {
      cache.set(`company-${index}`, index);
      time.advance(10);
    }
    // Entries are dropped once 1 s idle (100 × 10 ms), well before the cap is reached.
    expect(cache.size).toBeLessThanOrEqual(100);
    expect(cache.get('company-4999')).toBe(4999);
  });

  it('when getOrCreate finds the key, then it keeps the value; when not, it makes one', () => {
    const cache = new BoundedCache<{ id: number }>({ maxEntries: 2, idleMs: 60_000 });
    let made = 0;
    const first = cache.getOrCreate('k', () => ({ id: (made += 1) }));
    expect(cache.getOrCreate('k', () => ({ id: (made += 1) }))).toBe(first);
    cache.delete('k');
    expect(cache.getOrCreate('k', () => ({ id: (made += 1) }))).toEqual({ id: 2 });
  });

  it('when the limits are not positive, then construction fails', () => {
    expect(() => new BoundedCache({ maxEntries: 0, idleMs: 1 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1, idleMs: 0 })).toThrow(RangeError);
  });
});

describe('compoundKey', () => {
  it('when parts contain the separator, then different parts still give different keys', () => {
    expect(compoundKey('a|b', 'c')).not.toBe(compoundKey('a', 'b|c'));
    expect(compoundKey('tenant', 'x')).toBe(compoundKey('tenant', 'x'));
  });
});
